// The kit's checkout core (medusa-payment-jp/react → checkout.ts) against a scripted Store API: the
// JpStoreClient is the kit's own seam (a storefront passes fetch, the JS SDK or a server action), so
// these tests give it the answers Medusa 2.21 gives and check what the kit makes of them.
import { payJp, resumeJpCheckout, startJpSession, type JpStoreClient } from "../react/checkout"

type Call = { method: string; path: string; body?: unknown }
const PO = "pp_payment-options_po"
const browser = { gateway: "payment-options", card_entry: "hosted_page", three_ds: "redirect" }

function session(extra: Record<string, unknown> = {}) {
  return { id: "payses_1", provider_id: PO, status: "pending", amount: 3000, data: { jp: { v: 1, gateway: "payment-options", browser, ...extra } } }
}

/** A Store API that answers from a script of handlers, recording every call. */
function storeApi(answers: Record<string, (c: Call) => { status: number; body: any }>) {
  const calls: Call[] = []
  const client: JpStoreClient = {
    async request(method, path, body) {
      calls.push({ method, path, body })
      const key = Object.keys(answers).find((k) => `${method} ${path}`.startsWith(k))
      if (!key) throw new Error(`unexpected ${method} ${path}`)
      return answers[key]({ method, path, body })
    },
  }
  return { client, calls }
}

const cartWith = (sessions: unknown[]) => ({ status: 200, body: { cart: { id: "cart_1", payment_collection: { id: "paycol_1", payment_sessions: sessions } } } })

describe("medusa-payment-jp/react checkout core", () => {
  it("startJpSession creates the session with the provider alone and refuses a non-JP provider's as a value", async () => {
    const { client, calls } = storeApi({
      "GET /store/carts/cart_1": () => cartWith([]),
      "POST /store/payment-collections/paycol_1/payment-sessions": () => ({ status: 200, body: { payment_collection: { payment_sessions: [session()] } } }),
    })
    const r = await startJpSession(client, "cart_1", PO)
    expect(r).toMatchObject({ ok: true, session: { id: "payses_1" } })
    expect(calls[1]).toEqual({ method: "POST", path: "/store/payment-collections/paycol_1/payment-sessions", body: { provider_id: PO } })

    const other = storeApi({
      "GET /store/carts/cart_1": () => cartWith([]),
      "POST /store/payment-collections/paycol_1/payment-sessions": () => ({
        status: 200,
        body: { payment_collection: { payment_sessions: [{ id: "payses_2", provider_id: "pp_system_default", status: "pending", amount: 1, data: {} }] } },
      }),
    })
    expect(await startJpSession(other.client, "cart_1", "pp_system_default")).toMatchObject({ ok: false, error: { code: "NO_BROWSER_CONFIG" } })
  })

  it("payJp: a completion the gateway must finish in the browser answers the redirect, not an error", async () => {
    const waiting = session({ attempt: "redirect", redirect: { url: "https://pay.example/hpp/abc" } })
    const { client, calls } = storeApi({
      "GET /store/carts/cart_1": () => cartWith([waiting]),
      "POST /store/payment-collections/paycol_1/payment-sessions": () => ({ status: 200, body: { payment_collection: { payment_sessions: [session()] } } }),
      "POST /store/carts/cart_1/complete": () => ({ status: 400, body: { type: "not_allowed", message: "Payment sessions were not authorized" } }),
    })
    const r = await payJp(client, { cartId: "cart_1", session: session(), input: { hostedPage: true, saveCard: true } })
    expect(r).toMatchObject({ ok: true, next: "redirect", redirect: { url: "https://pay.example/hpp/abc" } })
    expect(calls.find((c) => c.path.endsWith("/payment-sessions"))!.body).toEqual({ provider_id: PO, data: { hosted_page: true, save_card: true } })
  })

  it("payJp: a session made with its redirect is followed at once, without a completion before the shopper is back", async () => {
    const waiting = session({ attempt: "redirect", redirect: { url: "https://pay.example/hpp/abc" } })
    const { client, calls } = storeApi({
      "GET /store/carts/cart_1": () => cartWith([]),
      "POST /store/payment-collections/paycol_1/payment-sessions": () => ({ status: 200, body: { payment_collection: { payment_sessions: [waiting] } } }),
    })
    const r = await payJp(client, { cartId: "cart_1", session: session(), input: { hostedPage: true } })
    expect(r).toMatchObject({ ok: true, next: "redirect", redirect: { url: "https://pay.example/hpp/abc" } })
    expect(calls.some((c) => c.path.endsWith("/complete"))).toBe(false)
  })

  it("payJp: a decline is the gateway's message (Japanese when asked, English otherwise), never a throw", async () => {
    const declined = session({ error: { code: "G12", message: "The card cannot be used", message_ja: "取扱不可カードです", kind: "declined" } })
    const api = () =>
      storeApi({
        "GET /store/carts/cart_1": () => cartWith([declined]),
        "POST /store/payment-collections/paycol_1/payment-sessions": () => ({ status: 200, body: { payment_collection: { payment_sessions: [session()] } } }),
        "POST /store/carts/cart_1/complete": () => ({ status: 400, body: { message: "Payment sessions were not authorized" } }),
      })
    const ja = await payJp(api().client, { cartId: "cart_1", session: session(), input: { savedCardId: "pm_1" } })
    expect(ja).toMatchObject({ ok: false, error: { code: "G12", message: "取扱不可カードです", gateway: "payment-options" }, session: { id: "payses_1" } })
    const en = await payJp(api().client, { cartId: "cart_1", session: session(), input: { savedCardId: "pm_1" }, lang: "en" })
    expect(en).toMatchObject({ ok: false, error: { message: "The card cannot be used" } })

    const broken: JpStoreClient = { request: () => Promise.reject(new Error("network down")) }
    expect(await payJp(broken, { cartId: "cart_1", session: session(), input: { savedCardId: "pm_1" } })).toEqual({
      ok: false,
      error: { code: "UNEXPECTED", message: "network down" },
    })
  })

  it("resumeJpCheckout: no return in the URL → null; ok → completes to the order; failed → the session's error", async () => {
    const done = storeApi({
      "GET /store/carts/cart_1": () => cartWith([session()]),
      "POST /store/carts/cart_1/complete": () => ({ status: 200, body: { type: "order", order: { id: "order_1", display_id: 7 } } }),
    })
    expect(await resumeJpCheckout(done.client, { cartId: "cart_1", search: "?step=review" })).toBeNull()
    expect(done.calls).toEqual([])
    expect(await resumeJpCheckout(done.client, { cartId: "cart_1", search: "?payment_session_id=payses_1&jp_result=ok" })).toEqual({
      ok: true,
      next: "order",
      order: { id: "order_1", display_id: 7 },
    })

    const failed = storeApi({
      "GET /store/carts/cart_1": () => cartWith([session({ error: { code: "3DS_FAILED", message: "3-D Secure failed", message_ja: "本人認証に失敗しました", kind: "declined" } })]),
    })
    const r = await resumeJpCheckout(failed.client, { cartId: "cart_1", search: "?payment_session_id=payses_1&jp_result=failed" })
    expect(r).toMatchObject({ ok: false, error: { code: "3DS_FAILED", message: "本人認証に失敗しました" }, session: { id: "payses_1" } })
    expect(failed.calls.some((c) => c.path.endsWith("/complete"))).toBe(false) // a failed return completes nothing

    const foreign = await resumeJpCheckout(failed.client, { cartId: "cart_1", search: "?payment_session_id=payses_other&jp_result=ok" })
    expect(foreign).toMatchObject({ ok: false, error: { code: "NO_SESSION" } })
  })

  it("payJp: sends the 支払方法 chosen among the session's, and refuses one it does not offer before any call", async () => {
    const offering = session({ payment_methods: [{ type: "lump" }, { type: "installments", count: 3 }, { type: "revolving" }] })
    const { client, calls } = storeApi({
      "GET /store/carts/cart_1": () => cartWith([offering]),
      "POST /store/payment-collections/paycol_1/payment-sessions": () => ({ status: 200, body: { payment_collection: { payment_sessions: [offering] } } }),
      "POST /store/carts/cart_1/complete": () => ({ status: 200, body: { type: "order", order: { id: "order_1" } } }),
    })
    const r = await payJp(client, { cartId: "cart_1", session: offering, input: { savedCardId: "pm_1", paymentMethod: { type: "installments", count: 3 } } })
    expect(r).toMatchObject({ ok: true, next: "order" })
    expect(calls.find((c) => c.path.endsWith("/payment-sessions"))!.body).toEqual({
      provider_id: PO,
      data: { payment_method_id: "pm_1", payment_method: { type: "installments", count: 3 } },
    })

    const none = storeApi({})
    const refused = await payJp(none.client, { cartId: "cart_1", session: session(), input: { savedCardId: "pm_1", paymentMethod: { type: "installments", count: 3 } } })
    expect(refused).toMatchObject({ ok: false, error: { code: "INVALID_INPUT", message: expect.stringMatching(/does not offer 3 installments/) } })
    expect(none.calls).toEqual([])
  })
})
