// Gateway notifications, for every gateway: find the provider, let it verify the request, cross-check
// the order code and the amount against the session, record the notification once (idempotent on the
// gateway's own key), and hand off to Medusa's payment webhook pipeline.
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import type { IEventBusModuleService, ILockingModule, IPaymentModuleService, MedusaContainer } from "@medusajs/framework/types"
import type { CardProvider } from "./card-provider"
import { GatewayError, type IncomingNotification } from "./gateway"
import { recordNotification } from "./machine"
import { toMinorUnits } from "./money"
import { fromOrderCode, toOrderCode } from "./order-code"
import { resolveCardProvider } from "./resolve-provider"
import { readPaymentState } from "./state"

export interface NotificationAnswer {
  status: number
  contentType: string
  body: string
}

export async function handleNotification(
  scope: MedusaContainer,
  providerKey: string,
  incoming: IncomingNotification,
  /** Set when the URL itself named the order: a notification about another order is refused. */
  expectedOrderCode?: string
): Promise<NotificationAnswer> {
  const logger = scope.resolve("logger") as { warn(m: string): void; info(m: string): void; error(m: string): void }
  let provider: CardProvider
  try {
    provider = resolveCardProvider(scope, providerKey)
  } catch (e) {
    return { status: 404, contentType: "text/plain; charset=utf-8", body: (e as Error).message }
  }
  let result
  try {
    result = provider.receiveNotification(incoming)
  } catch (e) {
    if (e instanceof GatewayError) {
      logger.warn(`${providerKey}: notification refused: ${e.message}`)
      return { status: e.code === "FORBIDDEN_SOURCE" ? 403 : 400, contentType: "text/plain; charset=utf-8", body: e.message }
    }
    throw e
  }
  const { ack } = result
  let { event } = result
  const answer = { status: ack.status, contentType: ack.contentType, body: ack.body }
  if (expectedOrderCode !== undefined && event && event.orderCode !== expectedOrderCode) {
    logger.warn(`${providerKey}: notification at the URL of ${expectedOrderCode} is about ${event.orderCode}: refused`)
    return { status: 400, contentType: "text/plain; charset=utf-8", body: "order code mismatch" }
  }
  if (!event) return answer

  const paymentModule = scope.resolve<IPaymentModuleService>(Modules.PAYMENT)
  let [found] = await paymentModule.listPaymentSessions({ id: event.sessionId })
  if (!found) {
    // A payment retried by a later session (PAYGENT 2003) keeps the first session's order code.
    const retrying = await sessionRetrying(scope, `pp_${providerKey}`, event.orderCode)
    if (retrying) {
      event = { ...event, sessionId: retrying, orderCode: toOrderCode(retrying) }
      ;[found] = await paymentModule.listPaymentSessions({ id: retrying })
    }
  }
  if (!found || found.provider_id !== `pp_${providerKey}`) {
    if (event.succeeded) {
      // e.g. a charge whose answer was lost, after which the shopper paid again in a new session
      logger.error(
        `${providerKey}: the gateway charged ${event.amount} as ${event.dedupeKey} for ${event.orderCode}, which matches no live payment ` +
          `session of this provider: check it in the gateway's control panel and cancel it if no order was made`
      )
    }
    return answer
  }
  return withCartLock(scope, found, async () => {
    const [session] = await paymentModule.listPaymentSessions({ id: event.sessionId })
    const data = (session.data ?? {}) as Record<string, unknown>
    const paid = readPaymentState(data)
    if (paid) {
      // The synchronous answer already recorded this payment: nothing to hand off. Checked before the
      // amount, because a later change (PAYGENT's smaller capture or partial refund) is notified with
      // the new amount, and refusing it would make the gateway send it again and again.
      return answer
    }
    const expected = toMinorUnits(session.amount, session.currency_code)
    if (event.succeeded && event.amount !== expected) {
      logger.error(`${providerKey}: notification for ${event.orderCode} says ${event.amount}, the session is ${expected}: not accepted`)
      return { status: 409, contentType: "text/plain; charset=utf-8", body: "amount mismatch" }
    }
    const updated = recordNotification(data, event, new Date())
    if (!updated) return answer // the same notification again
    await paymentModule.updatePaymentSession({
      id: session.id,
      data: updated,
      amount: session.amount,
      currency_code: session.currency_code,
      // a paid notification makes the session processable again for cart completion
      ...(event.succeeded ? { status: "pending" as const } : {}),
    })
    const eventBus = scope.resolve<IEventBusModuleService>(Modules.EVENT_BUS)
    await eventBus.emit(
      {
        name: "payment.webhook_received",
        data: {
          provider: providerKey,
          payload: {
            data: {
              session_id: session.id,
              order_code: event.orderCode,
              amount: event.amount,
              currency: session.currency_code,
              succeeded: event.succeeded,
              dedupe_key: event.dedupeKey,
            },
            rawData: "",
            headers: {},
          },
        },
      },
      webhookEmitOptions(scope)
    )
    logger.info(`${providerKey}: notification ${event.dedupeKey} for ${event.orderCode} handed to Medusa`)
    return answer
  })
}

/** The live session of this provider that retries the payment made under `orderCode` (its jp.retry_of), or null. */
async function sessionRetrying(scope: MedusaContainer, providerId: string, orderCode: string): Promise<string | null> {
  const knex = scope.resolve(ContainerRegistrationKeys.PG_CONNECTION) as any
  const row = await knex("payment_session")
    .where("provider_id", providerId)
    .whereRaw("data #>> '{jp,retry_of,trading_id}' = ?", [orderCode])
    .whereNull("deleted_at")
    .orderBy("created_at", "desc")
    .first("id")
  return row?.id ?? null
}

/**
 * Runs `f` holding the lock of the session's cart. Cart completion holds that lock while it
 * authorizes: waiting for it means the session we read and write is the one completion leaves.
 */
export async function withCartLock<T>(scope: MedusaContainer, session: { id: string; payment_collection_id: string }, f: () => Promise<T>): Promise<T> {
  const query = scope.resolve(ContainerRegistrationKeys.QUERY)
  const { data: collections } = await query.graph({
    entity: "payment_collection",
    fields: ["id", "cart.id"],
    filters: { id: session.payment_collection_id },
  })
  const cartId = (collections[0] as { cart?: { id?: string } } | undefined)?.cart?.id
  const locking = scope.resolve<ILockingModule>(Modules.LOCKING)
  const keys = cartId ? [cartId] : [`medusa-payment-jp:session:${session.id}`]
  return locking.execute(keys, f, { timeout: 60 })
}

/**
 * A notification sent to the per-payment URL `/jp-payments/notify/<orderCode>` (gateways that take a
 * webhook URL with each request): the order code names the session, hence the provider; the gateway
 * must still verify the request, and the event it finds must be for that same order code.
 */
export async function handleNotificationForOrder(scope: MedusaContainer, orderCode: string, incoming: IncomingNotification): Promise<NotificationAnswer> {
  const sessionId = fromOrderCode(orderCode)
  const paymentModule = scope.resolve<IPaymentModuleService>(Modules.PAYMENT)
  const [session] = sessionId ? await paymentModule.listPaymentSessions({ id: sessionId }) : []
  if (!session) return { status: 404, contentType: "text/plain; charset=utf-8", body: "no payment session for this order code" }
  return handleNotification(scope, session.provider_id.replace(/^pp_/, ""), incoming, orderCode)
}

/**
 * The Payment Module's `webhook_delay` / `webhook_retries`, read and defaulted as Medusa's own
 * `/hooks/payment/:provider` route does (5000 ms, 3 attempts): the delay lets a cart completion under
 * way finish before the worker processes the notification.
 */
export function webhookEmitOptions(scope: MedusaContainer): { delay: number; attempts: number } {
  let options = (scope.resolve(Modules.PAYMENT) as { options?: { webhook_delay?: number; webhook_retries?: number } }).options
  if (!options) {
    try {
      const config = scope.resolve(ContainerRegistrationKeys.CONFIG_MODULE) as { modules?: Record<string, unknown> }
      const entry = config.modules?.[Modules.PAYMENT]
      options = entry && typeof entry === "object" ? (entry as { options?: typeof options }).options : undefined
    } catch {
      options = undefined
    }
  }
  return { delay: options?.webhook_delay || 5000, attempts: options?.webhook_retries || 3 }
}
