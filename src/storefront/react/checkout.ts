// The card step of a Medusa checkout with a medusa-payment-jp provider, as plain async functions over
// the Store API that never throw: each answers a value ({ ok: true, … } or { ok: false, error }), so a
// Next.js server action or a React event handler can show it as it is. Built only on the storefront
// helper's public API (../index), so that where 3-D Secure runs (before or at cart completion) stays
// the helper's and the server's business: a session that waits on the gateway is followed the same way.
import {
  browserConfigOf,
  gatewayNamed,
  hostedPageSessionData,
  JpPaymentError,
  redirectOf,
  returnedFrom,
  savedCardSessionData,
  tokenize,
  withPaymentMethod,
  type GatewayRedirect,
  type PaymentMethod,
  type PaymentSessionLike,
  type TokenizeInput,
  type TokenizeOptions,
} from "../index"

/** How the kit reaches Medusa's Store API: POST or GET a path, resolving with the JSON answer. */
export interface JpStoreClient {
  request(method: "GET" | "POST", path: string, body?: unknown): Promise<{ status: number; body: any }>
}

/**
 * A JpStoreClient over fetch: `baseUrl` is the Medusa backend, `publishableKey` the store's key;
 * `headers()` may add the logged-in customer's `authorization`. (With @medusajs/js-sdk, wrap
 * `sdk.client.fetch` instead.)
 */
export function storeClient(opts: { baseUrl: string; publishableKey: string; headers?: () => Record<string, string>; fetch?: typeof fetch }): JpStoreClient {
  const f = opts.fetch ?? fetch
  return {
    async request(method, path, body) {
      const res = await f(`${opts.baseUrl.replace(/\/$/, "")}${path}`, {
        method,
        credentials: "include",
        headers: { "content-type": "application/json", "x-publishable-api-key": opts.publishableKey, ...(opts.headers?.() ?? {}) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      })
      return { status: res.status, body: await res.json().catch(() => ({})) }
    },
  }
}

export interface JpCheckoutError {
  /** The gateway's code (e.g. ER014), the helper's (CANCELLED, INVALID_INPUT …), or HTTP_<status>. */
  code: string
  /** For the shopper: the gateway's words where it gave some (Japanese when it speaks Japanese). */
  message: string
  gateway?: string
}

/** Success with its values, or the error; a refusal also carries the payment session, to pay again with it. */
export type JpResult<T> = ({ ok: true } & T) | { ok: false; error: JpCheckoutError; session?: JpSession }

export interface JpSession extends PaymentSessionLike {
  id: string
  provider_id: string
  status: string
  amount: number
}

/** What paying led to: an order, or the gateway's page the shopper must visit (3-D Secure or hosted page). */
export type JpPayment = { next: "order"; order: any } | { next: "redirect"; session: JpSession; redirect: GatewayRedirect }

/**
 * How the shopper pays: a card typed into the gateway's fields, a saved card, or the gateway's own
 * page; with any, the 支払方法 chosen among the session's (`paymentMethodChoices`; absent: 一括払い).
 */
export type JpPayInput = (
  | { card: TokenizeInput; saveCard?: boolean; tokenizeOptions?: Omit<TokenizeOptions, "saveCard"> }
  | { savedCardId: string }
  | { hostedPage: true; saveCard?: boolean }
) & { paymentMethod?: PaymentMethod }

const fail = (code: string, message: string, gateway?: string): { ok: false; error: JpCheckoutError } => ({
  ok: false,
  error: gateway ? { code, message, gateway } : { code, message },
})

function errorOf(e: unknown): { ok: false; error: JpCheckoutError } {
  if (e instanceof JpPaymentError) return fail(String(e.code), e.message, e.gateway)
  return fail("UNEXPECTED", e instanceof Error ? e.message : String(e))
}

function httpError(r: { status: number; body: any }): { ok: false; error: JpCheckoutError } {
  return fail(`HTTP_${r.status}`, typeof r.body?.message === "string" ? r.body.message : `the store answered ${r.status}`)
}

/** The gateway's error recorded on the session (`data.jp.error`), preferring its Japanese message when asked. */
function sessionError(session: PaymentSessionLike | undefined, lang: "ja" | "en"): JpCheckoutError | null {
  const jp = (session?.data as any)?.jp
  const e = jp?.error
  if (!e || typeof e.message !== "string") return null
  const message = lang === "ja" && typeof e.message_ja === "string" && e.message_ja ? e.message_ja : e.message
  return { code: String(e.code ?? "DECLINED"), message, ...(typeof jp.gateway === "string" ? { gateway: jp.gateway } : {}) }
}

async function collectionOf(client: JpStoreClient, cartId: string): Promise<JpResult<{ collectionId: string; sessions: JpSession[] }>> {
  const r = await client.request("GET", `/store/carts/${cartId}?fields=*payment_collection,*payment_collection.payment_sessions`)
  if (r.status !== 200) return httpError(r)
  let pc = r.body.cart?.payment_collection
  if (!pc) {
    const c = await client.request("POST", "/store/payment-collections", { cart_id: cartId })
    if (c.status !== 200) return httpError(c)
    pc = c.body.payment_collection
  }
  return { ok: true, collectionId: pc.id, sessions: pc.payment_sessions ?? [] }
}

/** Does this session's gateway take a token typed into its fields (else: its own page takes the card)? */
export function takesCardFields(session: PaymentSessionLike): boolean {
  const g = gatewayNamed(browserConfigOf(session).gateway)
  return Boolean(g?.tokenize)
}

/**
 * Creates the cart's payment session with `providerId` (no data): the session's `data.jp.browser`
 * then tells the card step which gateway fields to show.
 */
export async function startJpSession(client: JpStoreClient, cartId: string, providerId: string): Promise<JpResult<{ session: JpSession }>> {
  try {
    const pc = await collectionOf(client, cartId)
    if (!pc.ok) return pc
    const r = await client.request("POST", `/store/payment-collections/${pc.collectionId}/payment-sessions`, { provider_id: providerId })
    if (r.status !== 200) return httpError(r)
    const session = (r.body.payment_collection.payment_sessions as JpSession[]).find((s) => s.provider_id === providerId)
    if (!session) return fail("NO_SESSION", `the store made no payment session for ${providerId}`)
    browserConfigOf(session) // a provider that is not medusa-payment-jp's is said now, not at payment
    return { ok: true, session }
  } catch (e) {
    return errorOf(e)
  }
}

/**
 * Pays: tokenizes in the gateway's fields (or takes a saved card, or asks for the gateway's page),
 * sends the session data, completes the cart. Answers the order, or the redirect the shopper must
 * follow (`followRedirect(session)`); on the way back, `resumeJpCheckout`.
 */
export async function payJp(
  client: JpStoreClient,
  args: { cartId: string; session: JpSession; input: JpPayInput; lang?: "ja" | "en" }
): Promise<JpResult<JpPayment>> {
  const { cartId, session, input } = args
  const lang = args.lang ?? "ja"
  try {
    // The 支払方法 is checked against the session's choices before the card is tokenized.
    const method = withPaymentMethod({}, input.paymentMethod, session).payment_method
    let data: Record<string, unknown>
    if ("savedCardId" in input) data = savedCardSessionData(input.savedCardId)
    else if ("hostedPage" in input) data = hostedPageSessionData(session, { saveCard: input.saveCard })
    else data = (await tokenize(session, input.card, { ...input.tokenizeOptions, saveCard: input.saveCard })).sessionData as Record<string, unknown>
    if (method) data = { ...data, payment_method: method }

    const pc = await collectionOf(client, cartId)
    if (!pc.ok) return pc
    const s = await client.request("POST", `/store/payment-collections/${pc.collectionId}/payment-sessions`, { provider_id: session.provider_id, data })
    if (s.status !== 200) return httpError(s)
    // 3-D Secure (or the gateway's page) starts with the session: follow it now, complete once on return.
    const made = (s.body?.payment_collection?.payment_sessions as JpSession[] | undefined)?.find((x) => x.provider_id === session.provider_id)
    const redirect = redirectOf(made)
    if (made && redirect) return { ok: true, next: "redirect", session: made, redirect }
    return await complete(client, cartId, session.provider_id, lang)
  } catch (e) {
    return errorOf(e)
  }
}

async function complete(client: JpStoreClient, cartId: string, providerId: string, lang: "ja" | "en"): Promise<JpResult<JpPayment>> {
  const done = await client.request("POST", `/store/carts/${cartId}/complete`, {})
  if (done.status === 200 && done.body.type === "order") return { ok: true, next: "order", order: done.body.order }
  // Not an order: the session says whether the gateway waits on the shopper, or why it refused.
  const pc = await collectionOf(client, cartId)
  if (!pc.ok) return pc
  const session = pc.sessions.find((x) => x.provider_id === providerId)
  const redirect = redirectOf(session)
  if (session && redirect) return { ok: true, next: "redirect", session, redirect }
  const declined = sessionError(session, lang)
  if (declined) return { ok: false, error: declined, ...(session ? { session } : {}) }
  if (done.status === 200) return fail("NOT_COMPLETED", done.body.error?.message ?? "the cart was not completed")
  return httpError(done)
}

/**
 * On the page the gateway sent the shopper back to: null when the URL is no return; otherwise
 * completes the cart (on `ok`) or answers the gateway's refusal (on `failed`).
 */
export async function resumeJpCheckout(
  client: JpStoreClient,
  args: { cartId: string; search: string; lang?: "ja" | "en" }
): Promise<JpResult<JpPayment> | null> {
  const back = returnedFrom(args.search)
  if (!back) return null
  const lang = args.lang ?? "ja"
  try {
    const pc = await collectionOf(client, args.cartId)
    if (!pc.ok) return pc
    const session = pc.sessions.find((s) => s.id === back.paymentSessionId)
    if (!session) return fail("NO_SESSION", "the payment session the gateway returned for is not this cart's")
    if (back.result === "failed") {
      const error = sessionError(session, lang) ?? { code: "FAILED", message: lang === "ja" ? "カードの認証に失敗しました" : "the card was not authenticated" }
      return { ok: false, error, session }
    }
    return await complete(client, args.cartId, session.provider_id, lang)
  } catch (e) {
    return errorOf(e)
  }
}
