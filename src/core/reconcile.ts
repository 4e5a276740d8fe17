// Payments whose outcome is unknown (sent, no answer) settle themselves where the gateway can be asked:
// the cart is completed again through Medusa's own workflow, whose authorization asks the gateway
// (PAYGENT 094, PaymentOptions status) and never sends a second charge — the order is made, or the
// session fails. What cannot be asked (ROBOT PAYMENT, SBPS after a lost 与信) is left for the merchant:
// listed by needsAttention, until marked resolved. needsAttention also lists payments whose capture,
// refund or cancel went out without an answer (jp.pending), until a retry settles it or the mark is cleared
// (or confirmed done at the gateway, and the same operation repeated in Medusa records it).
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import type { IPaymentModuleService, MedusaContainer } from "@medusajs/framework/types"
import { completeCartWorkflow } from "@medusajs/medusa/core-flows"
import type { CardProvider } from "./card-provider"
import { withCartLock } from "./notifications"
import { resolveCardProvider } from "./resolve-provider"
import { readPaymentState, readSessionState } from "./state"

export interface ReconcileOptions {
  now?: Date
  /** Sessions asked per run (each is at most one query to the gateway). */
  maxPerRun?: number
  /** First wait after a question that settled nothing; doubles each time. */
  backoffMs?: number
  /** Questions per session before it is handed to the merchant. */
  maxTries?: number
  /**
   * After this long the gateway is no longer asked. [?] The gateways' documents give no look-up limit
   * we rely on; 60 days stays inside the shortest authorization life we know of (90 days). */
  maxAgeMs?: number
}

/** Bookkeeping kept in the session's data (public: nothing secret). */
export interface ReconcileRecord {
  tries: number
  next_at: string | null
  last_at: string | null
  /** Set by the merchant in the admin ("card payments that need you"). */
  resolved_at: string | null
}

export interface Attention {
  /** "authorization": a session whose payment went out without an answer; "operation": a payment's capture, refund or cancel did (jp.pending). */
  kind: "authorization" | "operation"
  /** The session (kind authorization): what "mark resolved" takes. */
  session_id: string | null
  /** The payment and its order (kind operation): the order page clears the mark. */
  payment_id: string | null
  order_id: string | null
  /** The operation whose answer was lost (kind operation); `confirmed`: the merchant said it was done at the gateway. */
  pending: { op: "capture" | "refund" | "cancel"; amount: number; at: string; confirmed: { by: string | null; at: string } | null } | null
  provider_id: string
  gateway: string
  /** The gateway's name in English and Japanese (what the admin page shows). */
  gateway_name: { en: string; ja: string }
  order_code: string
  amount: number
  currency: string
  created_at: string
  cart_id: string | null
  why: string
  check: string
}

const DAY = 86_400_000

function reconcileOf(data: Record<string, unknown>): ReconcileRecord {
  const r = data.jp_reconcile as Partial<ReconcileRecord> | undefined
  return { tries: r?.tries ?? 0, next_at: r?.next_at ?? null, last_at: r?.last_at ?? null, resolved_at: r?.resolved_at ?? null }
}

type Session = { id: string; provider_id: string; status: string; data: Record<string, unknown> | null; created_at: string | Date; payment_collection_id: string; amount: unknown; currency_code: string }

/** Pending sessions of the plugin's providers whose last payment was sent without an answer. */
async function unknownSessions(scope: MedusaContainer): Promise<{ session: Session; provider: CardProvider }[]> {
  const payment = scope.resolve<IPaymentModuleService>(Modules.PAYMENT)
  const providers = await ourProviders(scope)
  if (providers.size === 0) return []
  const sessions = (await payment.listPaymentSessions({ provider_id: [...providers.keys()], status: ["pending"] } as never, { take: 1000, order: { created_at: "ASC" } })) as unknown as Session[]
  return sessions
    .filter((s) => readSessionState(s.data ?? {})?.attempt === "unknown")
    .map((session) => ({ session, provider: providers.get(session.provider_id)! }))
}

/** The plugin's card providers among Medusa's payment providers, by id. */
async function ourProviders(scope: MedusaContainer): Promise<Map<string, CardProvider>> {
  const payment = scope.resolve<IPaymentModuleService>(Modules.PAYMENT)
  const providers = new Map<string, CardProvider>()
  for (const p of await payment.listPaymentProviders({}, { take: 1000 })) {
    try {
      providers.set(p.id, resolveCardProvider(scope, p.id))
    } catch {
      // not one of ours
    }
  }
  return providers
}

async function cartOf(scope: MedusaContainer, collectionId: string): Promise<{ id: string; completed: boolean } | null> {
  const query = scope.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({ entity: "payment_collection", fields: ["id", "cart.id", "cart.completed_at"], filters: { id: collectionId } })
  const cart = (data[0] as { cart?: { id: string; completed_at?: string | null } } | undefined)?.cart
  return cart ? { id: cart.id, completed: Boolean(cart.completed_at) } : null
}

function whyNotAsked(provider: CardProvider, s: Session, r: ReconcileRecord, o: Required<ReconcileOptions>): string | null {
  if (!provider.findsCharges) return `${provider.definition.name} cannot be asked about a payment whose answer was lost`
  if (o.now.getTime() - new Date(s.created_at).getTime() > o.maxAgeMs) return "too old to ask the gateway"
  if (r.tries >= o.maxTries) return `asked ${r.tries} times without an answer`
  return null
}

function defaults(o: ReconcileOptions): Required<ReconcileOptions> {
  return { now: o.now ?? new Date(), maxPerRun: o.maxPerRun ?? 10, backoffMs: o.backoffMs ?? 5 * 60_000, maxTries: o.maxTries ?? 8, maxAgeMs: o.maxAgeMs ?? 60 * DAY }
}

/** One run of the reconciliation job. Returns what it did, for the log and the tests. */
export async function reconcileCardPayments(scope: MedusaContainer, opts: ReconcileOptions = {}): Promise<{ asked: string[]; settled: string[]; left: string[] }> {
  const o = defaults(opts)
  const logger = scope.resolve("logger") as { info(m: string): void; warn(m: string): void }
  const payment = scope.resolve<IPaymentModuleService>(Modules.PAYMENT)
  const out = { asked: [] as string[], settled: [] as string[], left: [] as string[] }
  for (const { session, provider } of await unknownSessions(scope)) {
    if (out.asked.length >= o.maxPerRun) break
    const r = reconcileOf(session.data ?? {})
    if (r.resolved_at || whyNotAsked(provider, session, r, o)) continue
    if (r.next_at && new Date(r.next_at) > o.now) continue
    const cart = await cartOf(scope, session.payment_collection_id)
    if (!cart || cart.completed) continue
    // Count the question before asking it: a run that dies half-way still backs off.
    const counted = await withCartLock(scope, session, async () => {
      const [fresh] = await payment.listPaymentSessions({ id: session.id })
      const data = (fresh?.data ?? {}) as Record<string, unknown>
      if (fresh?.status !== "pending" || readSessionState(data)?.attempt !== "unknown") return false
      const tries = reconcileOf(data).tries + 1
      const next = new Date(o.now.getTime() + o.backoffMs * 2 ** (tries - 1)).toISOString()
      await payment.updatePaymentSession({
        id: fresh.id,
        data: { ...data, jp_reconcile: { ...reconcileOf(data), tries, next_at: next, last_at: o.now.toISOString() } },
        amount: fresh.amount,
        currency_code: fresh.currency_code,
      })
      return true
    })
    if (!counted) continue
    out.asked.push(session.id)
    // Medusa's cart completion: authorization asks the gateway what became of the lost payment.
    const { errors } = await completeCartWorkflow(scope).run({ input: { id: cart.id }, throwOnError: false })
    const after = await cartOf(scope, session.payment_collection_id)
    const [now] = await payment.listPaymentSessions({ id: session.id })
    if (after?.completed || now?.status !== "pending") {
      out.settled.push(session.id)
      logger.info(`medusa-payment-jp: reconciled ${readSessionState(now?.data ?? {})?.order_code}: ${after?.completed ? "order made" : `session ${now?.status}`}`)
    } else {
      out.left.push(session.id)
      if (errors?.length) logger.warn(`medusa-payment-jp: reconciliation of ${session.id} settled nothing yet: ${errors[0]?.error?.message ?? "unknown error"}`)
    }
  }
  return out
}

/** What the merchant checks, in the gateway's own control panel (core names no gateway). */
function checkFor(provider: CardProvider, orderCode: string): string {
  const d = provider.definition.displayName
  return (
    `In ${d.en}'s control panel (${d.ja} 管理画面), search the order code ${orderCode}. If a charge or authorization exists ` +
    "and no order was made, cancel it there (or make the order by hand); if none exists, nothing was charged. Then mark this resolved."
  )
}

/** Card payments that need the merchant: an unknown outcome the plugin cannot (or no longer) ask about. */
export async function needsAttention(scope: MedusaContainer, opts: ReconcileOptions = {}): Promise<Attention[]> {
  const o = defaults(opts)
  const out: Attention[] = []
  for (const { session, provider } of await unknownSessions(scope)) {
    const data = session.data ?? {}
    const r = reconcileOf(data)
    if (r.resolved_at) continue
    const why = whyNotAsked(provider, session, r, o)
    if (!why) continue
    const jp = readSessionState(data)!
    const cart = await cartOf(scope, session.payment_collection_id)
    if (cart?.completed) continue
    out.push({
      kind: "authorization",
      session_id: session.id,
      payment_id: null,
      order_id: null,
      pending: null,
      provider_id: session.provider_id,
      gateway: provider.definition.name,
      gateway_name: { ...provider.definition.displayName },
      order_code: jp.order_code,
      amount: jp.amount,
      currency: jp.currency,
      created_at: new Date(session.created_at).toISOString(),
      cart_id: cart?.id ?? null,
      why,
      check: checkFor(provider, jp.order_code),
    })
  }
  return [...out, ...(await pendingOperations(scope))]
}

/**
 * Payments of the plugin's providers with a capture, refund or cancel sent without an answer
 * (jp.pending) that no retry has settled yet — where the gateway can be asked, the next retry asks it;
 * where it cannot, only the merchant can tell. They stay listed until the mark goes: a settled retry,
 * "not done" (the mark cleared: the next try sends it), or "done at the gateway" followed by the same
 * operation repeated in Medusa (recorded from the mark, not sent).
 */
async function pendingOperations(scope: MedusaContainer): Promise<Attention[]> {
  const providers = await ourProviders(scope)
  if (providers.size === 0) return []
  const knex = scope.resolve(ContainerRegistrationKeys.PG_CONNECTION) as any
  const rows = (await knex("payment")
    .whereIn("provider_id", [...providers.keys()])
    .whereNull("deleted_at")
    .whereRaw("jsonb_typeof(data #> '{jp,pending}') = 'object'")
    .orderBy("created_at", "asc")
    .limit(1000)
    .select("id", "provider_id", "payment_collection_id", "data")) as { id: string; provider_id: string; payment_collection_id: string; data: Record<string, unknown> | string }[]
  if (rows.length === 0) return []
  const query = scope.resolve(ContainerRegistrationKeys.QUERY)
  const { data: collections } = await query.graph({ entity: "payment_collection", fields: ["id", "order.id"], filters: { id: rows.map((r) => r.payment_collection_id) } })
  const orderOf = new Map((collections as { id: string; order?: { id: string } | null }[]).map((c) => [c.id, c.order?.id ?? null]))
  const out: Attention[] = []
  for (const row of rows) {
    const p = readPaymentState(typeof row.data === "string" ? JSON.parse(row.data) : row.data)
    if (!p?.pending) continue
    const provider = providers.get(row.provider_id)!
    const d = provider.definition.displayName
    const { op, amount, at } = p.pending
    const confirmed = p.pending.confirmed ?? null
    out.push({
      kind: "operation",
      session_id: null,
      payment_id: row.id,
      order_id: orderOf.get(row.payment_collection_id) ?? null,
      pending: { op, amount, at, confirmed },
      provider_id: row.provider_id,
      gateway: provider.definition.name,
      gateway_name: { ...d },
      order_code: p.order_code,
      amount,
      currency: p.currency,
      created_at: at,
      cart_id: null,
      why: confirmed
        ? `a ${op} of ${amount} was sent to ${d.en} at ${at} and its answer was lost; confirmed done at the gateway at ${confirmed.at}`
        : `a ${op} of ${amount} was sent to ${d.en} at ${at} and its answer was lost; ${provider.canAsk(op) ? "the next try asks the gateway first" : `${d.en} cannot be asked whether it was done`}`,
      check: confirmed
        ? `Repeat the ${op} of ${amount} on the order in Medusa's admin: it is recorded without being sent to ${d.en} again.`
        : `In ${d.en}'s control panel (${d.ja} 管理画面), search the order code ${p.order_code} and see whether the ${op} was done. ` +
          `If it was, mark it "done at the gateway", then repeat the ${op} of ${amount} in Medusa: it is recorded, not sent again. ` +
          `If it was not, mark it "not done" (the mark goes), then try again.`,
    })
  }
  return out
}

/** The merchant checked it in the gateway's control panel: no longer listed, never asked again. */
export async function markResolved(scope: MedusaContainer, sessionId: string, now = new Date()): Promise<boolean> {
  const payment = scope.resolve<IPaymentModuleService>(Modules.PAYMENT)
  const [session] = await payment.listPaymentSessions({ id: sessionId })
  if (!session || !readSessionState(session.data ?? {})) return false
  const data = session.data ?? {}
  await payment.updatePaymentSession({
    id: session.id,
    data: { ...data, jp_reconcile: { ...reconcileOf(data), resolved_at: now.toISOString() } },
    amount: session.amount,
    currency_code: session.currency_code,
  })
  return true
}
