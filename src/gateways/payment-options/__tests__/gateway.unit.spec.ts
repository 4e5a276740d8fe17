// The adapter's verification without a network: webhook URL signatures, return signatures, the
// session input rules. (Payments, captures and refunds run against the simulator elsewhere.)
import { GatewayError } from "../../../core/gateway"
import { returnSignature, webhookSignature } from "../codec"
import { PaymentOptionsGateway } from "../gateway"
import { parseOptions } from "../../../core/options"
import { paymentOptions } from ".."

const options = parseOptions(paymentOptions, {
  merchantId: "JP00000472",
  apiKey: "k",
  xApiKey: "x",
  webhookSecret: "0123456789abcdef-secret",
  backendUrl: "https://api.shop.jp",
  storefrontUrl: "https://shop.jp", merchantEmail: "shop@example.jp",
})
const g = new PaymentOptionsGateway(options)
const CODE = "MJ0000000000000000000001"
const incoming = (query: Record<string, string>, body: unknown = {}) => ({ method: "POST", query, rawBody: Buffer.from(JSON.stringify(body)), headers: {} })
const envelope = (over: Record<string, unknown> = {}) => ({
  success: true,
  status_code: 200,
  transaction_type: "PRE_AUTH",
  gateway_response: { code: "INFO0000" },
  payment_details: { amount: "1500", currency: "JPY", response_code: 0 },
  transaction_details: { id: "ab8444e7-fec0-40dd-994d-0ad813785f74", merchant_txn_ref: CODE },
  ...over,
})

describe("PaymentOptions webhook verification", () => {
  const sig = webhookSignature(options.webhookSecret, CODE)

  it("accepts a webhook whose URL carries our signature of the order code: verified, a hint with the transaction id", () => {
    const p = g.parseNotification(incoming({ ref: CODE, sig }, envelope()))
    expect(p.verified).toBe(true)
    expect(p.ack.status).toBe(200)
    expect(p.event).toMatchObject({
      orderCode: CODE,
      succeeded: true,
      amount: 1500,
      dedupeKey: "ab8444e7-fec0-40dd-994d-0ad813785f74:PRE_AUTH:1",
      charge: { reference: "ab8444e7-fec0-40dd-994d-0ad813785f74", state: "authorized" },
    })
  })

  it("refuses a forged or missing signature, another order's signature, and a body about another order", () => {
    expect(() => g.parseNotification(incoming({ ref: CODE }, envelope()))).toThrow(GatewayError)
    expect(() => g.parseNotification(incoming({ ref: CODE, sig: "0".repeat(64) }, envelope()))).toThrow(/signature/)
    expect(() => g.parseNotification(incoming({ ref: "MJ0000000000000000000002", sig }, envelope()))).toThrow(/signature/)
    const other = envelope({ transaction_details: { id: "x1234567", merchant_txn_ref: "MJ0000000000000000000002" } })
    expect(() => g.parseNotification(incoming({ ref: CODE, sig }, other))).toThrow(/sent to the URL of/)
    expect(() => g.parseNotification({ ...incoming({ ref: CODE, sig }), rawBody: Buffer.from("not json") })).toThrow(/not a PaymentOptions webhook/)
  })

  it("a failed payment is an event that says so; a refund webhook concerns no session", () => {
    const failed = g.parseNotification(incoming({ ref: CODE, sig }, envelope({ success: false, payment_details: { amount: 1500, response_code: 5 } })))
    expect(failed.event).toMatchObject({ succeeded: false, error: { code: "5" } })
    expect(g.parseNotification(incoming({ ref: CODE, sig }, envelope({ transaction_type: "REFUND" }))).event).toBeUndefined()
  })
})

describe("PaymentOptions return verification", () => {
  const pending = { orderCode: CODE, amount: 1500, currency: "jpy", state: { via: "hosted_page", transaction_id: "t" } }
  const q = (po: string, code = CODE) => ({ po, sig: returnSignature(options.webhookSecret, `${code}:${po}`) })

  it("ok and decline, each signed for its own outcome", () => {
    expect(g.parseReturn(incoming(q("ok")), pending)).toEqual({ outcome: "ok", values: {} })
    expect(g.parseReturn(incoming(q("ng")), pending)).toMatchObject({ outcome: "failed", error: { code: "DECLINED" } })
    expect(g.parseReturn(incoming(q("cancel")), pending)).toMatchObject({ outcome: "failed", error: { code: "CANCELED" } })
  })

  it("a decline URL turned into a success URL, another order's URL, or no signature: refused", () => {
    expect(() => g.parseReturn(incoming({ po: "ok", sig: q("ng").sig }), pending)).toThrow(/signature/)
    expect(() => g.parseReturn(incoming(q("ok", "MJ0000000000000000000002")), pending)).toThrow(/signature/)
    expect(() => g.parseReturn(incoming({ po: "ok" }), pending)).toThrow(GatewayError)
    expect(() => g.parseReturn(incoming({}), pending)).toThrow(/not a PaymentOptions return/)
  })
})

describe("PaymentOptions session input", () => {
  it("a new card goes to the hosted page; a saved card by its stored id; a browser token is refused", () => {
    expect(g.parseSessionInput({})).toEqual({ source: { type: "hosted", saveCard: false } })
    expect(g.parseSessionInput({ save_card: true })).toEqual({ source: { type: "hosted", saveCard: true } })
    expect(g.parseSessionInput({ payment_method_id: "094db781-fabc-4c6d-8fcd-18bee06a527a" })).toEqual({ source: { type: "saved", cardRef: "094db781-fabc-4c6d-8fcd-18bee06a527a" } })
    expect(() => g.parseSessionInput({ token: "abc" })).toThrow(/no browser card token/)
    expect(() => g.parseSessionInput({ payment_method_id: "../x" })).toThrow(/payment_method_id/)
    expect(() => g.parseSessionInput({ save_card: "yes" })).toThrow(/save_card/)
  })
})
