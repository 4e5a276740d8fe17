// The adapter against the simulator over HTTP (no Medusa): a saved card paid, an unclear answer settled
// by the status call (never a second payment), no answer at all left open, and a redirect finished
// from the webhook's transaction id.
import { startPaymentOptionsSimulator, type PaymentOptionsSimulator } from "../../../simulator/payment-options"
import { PaymentOptionsGateway } from "../gateway"
import { parseOptions } from "../../../core/options"
import { paymentOptions } from ".."
import type { PaymentLedger } from "../../../core/definition"

jest.setTimeout(20_000)

describe("PaymentOptionsGateway against the simulator", () => {
  let sim: PaymentOptionsSimulator
  let g: PaymentOptionsGateway
  const payer = { email: "buyer@example.jp", customerRef: "cus_1" }
  const urls = { returnUrl: "https://api.shop.jp/jp-payments/return/CODE", notifyUrl: "http://127.0.0.1:9/jp-payments/notify/CODE" }
  let storedId: string
  const options = () =>
    parseOptions(paymentOptions, { merchantId: "JP00000472", apiKey: "k", xApiKey: "x", baseUrl: sim.url, webhookSecret: "0123456789abcdef", backendUrl: "https://api.shop.jp", storefrontUrl: "https://shop.jp", merchantEmail: "shop@example.jp", timeoutMs: 500 })
  // What Medusa keeps of the earlier payment that stored the card for cus_1 (core/ledger.ts reads it from Medusa's payments).
  const payments: PaymentLedger = {
    withSavedCard: async (customerRef) =>
      customerRef === "cus_1" ? [{ savedCard: { customerRef, cardRef: storedId }, references: { mid: "JP00000472" }, card: null }] : [],
  }

  beforeAll(async () => {
    sim = await startPaymentOptionsSimulator({ merchants: [{ merchantId: "JP00000472", apiKey: "k", xApiKey: "x", hppTransactionType: "PRE_AUTH" }], webhookTimeoutMs: 200 })
    g = new PaymentOptionsGateway(options(), { payments })
    // a stored card, made by a payment with store_payment_method (card data only ever enters the simulator here)
    const res = await fetch(`${sim.url}/api/v1/server-to-server-interface/payment`, {
      method: "POST",
      headers: { authorization: `Basic ${Buffer.from("k").toString("base64")}`, "x-api-key": "x", "content-type": "application/json" },
      body: JSON.stringify({
        amount: "100",
        currency: "JPY",
        merchant_id: "JP00000472",
        card: { number: "4000000000001000", expiry_month: "12", expiry_year: "30", cvc: "123", name: "TARO" },
        payment_method: { type: "scheme", store_payment_method: true },
        billing_address: { country: "JP", email: "buyer@example.jp" },
      }),
    })
    storedId = (await res.json()).transaction_details.stored_payment_method_id
  })
  afterAll(async () => {
    await g.client.close()
    await sim.close()
  })
  beforeEach(() => sim.clearFaults())

  const paid = (code: string) => sim.requests().filter((r) => r.method === "POST" && (r.body as { merchant_txn_ref?: string })?.merchant_txn_ref === code)

  it("pays with a stored card: authorizationv2 without card data, an authorized charge with the saved card", async () => {
    const r = await g.pay({ paymentMethod: { type: "lump" }, orderCode: "MJ1", amount: 1500, currency: "jpy", capture: false, source: { type: "saved", cardRef: storedId }, payer, ...urls })
    expect(r.type).toBe("charge")
    if (r.type !== "charge") return
    expect(r.charge).toMatchObject({ state: "authorized", amount: 1500, savedCard: { customerRef: "cus_1", cardRef: storedId }, references: { currency: "JPY", mid: "JP00000472" } })
    const body = paid("MJ1")[0].body as Record<string, any>
    expect(body.card).toBeUndefined()
    expect(body.payment_method).toEqual({ type: "scheme", stored_payment_method_id: storedId })
    expect(body.return_url.webhook_url).toMatch(/\/jp-payments\/notify\/CODE\?ref=MJ1&sig=[0-9a-f]{64}$/)
    const cap = await g.capture({ reference: r.charge.reference, references: r.charge.references, state: "authorized", authorizedAmount: 1500, amount: 1500, refundedAmount: 0, orderCode: "MJ1", capture: false }, 1000)
    expect(cap).toMatchObject({ state: "captured", amount: 1000, references: { capture_id: cap.reference } })
  })

  it("sends the shopper's IP address and the cart's billing and shipping addresses, as the payer carries them", async () => {
    const address = { postal_code: "1600022", province: "Tokyo", city: "Shinjuku-ku", address_1: "1-2-3 Shinjuku", address_2: "Room 4", phone: "03-1234-5678", country_code: "jp" }
    const shipping = { ...address, name: "山田 花子", city: "大阪市北区", province: "大阪府", postal_code: "5300001", address_1: "梅田1-1", address_2: "", phone: "" }
    const r = await g.pay({ paymentMethod: { type: "lump" }, orderCode: "MJ8", amount: 1500, currency: "jpy", capture: false, source: { type: "saved", cardRef: storedId }, payer: { ...payer, phone: "090-1111-2222", ip: "203.0.113.7", billing: address, shipping }, ...urls })
    expect(r.type).toBe("charge")
    const body = paid("MJ8")[0].body as Record<string, any>
    expect(body.customer_ip).toBe("203.0.113.7")
    expect(body.billing_address).toEqual({ country: "JP", email: "buyer@example.jp", phone_number: "0312345678", address1: "1-2-3 Shinjuku Room 4", city: "Shinjuku-ku", state: "Tokyo", postal_code: "1600022" })
    // the shipping address has no phone of its own: the payer's
    expect(body.shipping_address).toEqual({ country: "JP", email: "buyer@example.jp", phone_number: "09011112222", address1: "梅田1-1", city: "大阪市北区", state: "大阪府", postal_code: "5300001" })
  })

  it("refuses a stored card it cannot check is the customer's (no payment ledger), and sends nothing", async () => {
    const blind = new PaymentOptionsGateway(options())
    try {
      const before = sim.requests().length
      await expect(blind.pay({ paymentMethod: { type: "lump" }, orderCode: "MJ6", amount: 1500, currency: "jpy", capture: false, source: { type: "saved", cardRef: storedId }, payer, ...urls })).rejects.toMatchObject({
        kind: "merchant",
        message: expect.stringMatching(/cannot check/),
      })
      expect(sim.requests().length).toBe(before)
    } finally {
      await blind.client.close()
    }
  })

  it("refuses a stored card of another customer, and sends nothing", async () => {
    const before = sim.requests().length
    await expect(g.pay({ paymentMethod: { type: "lump" }, orderCode: "MJ7", amount: 1500, currency: "jpy", capture: false, source: { type: "saved", cardRef: storedId }, payer: { ...payer, customerRef: "cus_2" }, ...urls })).rejects.toThrow(/not one of the customer's/)
    expect(sim.requests().length).toBe(before)
  })

  it("an unclear answer (676) is settled by the status call, never by a second payment", async () => {
    sim.inject({ kind: "response-code", code: 676 })
    const r = await g.pay({ paymentMethod: { type: "lump" }, orderCode: "MJ2", amount: 1500, currency: "jpy", capture: true, source: { type: "saved", cardRef: storedId }, payer, ...urls })
    expect(r).toMatchObject({ type: "charge", charge: { state: "captured", amount: 1500 } })
    expect(paid("MJ2")).toHaveLength(1)
    expect(sim.requests().filter((q) => q.method === "GET" && q.path.includes("/transaction/status/"))).not.toHaveLength(0)
  })

  it("no answer at all: unknown outcome, one request only; findCharge waits for the webhook's transaction id", async () => {
    sim.inject({ kind: "reset", after: true })
    await expect(g.pay({ paymentMethod: { type: "lump" }, orderCode: "MJ3", amount: 1500, currency: "jpy", capture: false, source: { type: "saved", cardRef: storedId }, payer, ...urls })).rejects.toMatchObject({ kind: "unknown_outcome" })
    expect(paid("MJ3")).toHaveLength(1)
    await expect(g.findCharge({ orderCode: "MJ3", amount: 1500, currency: "jpy", state: null })).rejects.toMatchObject({ code: "OUTCOME_UNKNOWN" })
    const tx = sim.transactions().find((t) => t.merchantTxnRef === "MJ3")!
    const hint = { succeeded: true, error: null, charge: { reference: tx.id, state: "authorized" as const, amount: 1500, references: {}, operations: [] } }
    expect(await g.findCharge({ orderCode: "MJ3", amount: 1500, currency: "jpy", state: null, notification: hint })).toMatchObject({ reference: tx.id, state: "authorized" })
    // a hint about another order's transaction is refused by the status call's answer
    await expect(g.findCharge({ orderCode: "MJ9", amount: 1500, currency: "jpy", state: null, notification: hint })).rejects.toThrow(/belongs to MJ3/)
  })

  it("the hosted page: a redirect whose state names the transaction; completion waits while it is pending", async () => {
    const r = await g.pay({ paymentMethod: { type: "lump" }, orderCode: "MJ4", amount: 2000, currency: "jpy", capture: false, source: { type: "hosted", saveCard: false }, payer, ...urls })
    expect(r.type).toBe("redirect")
    if (r.type !== "redirect") return
    expect(r.state.transaction_id).toMatch(/^[0-9a-f-]{36}$/)
    const input = { paymentMethod: { type: "lump" as const }, orderCode: "MJ4", amount: 2000, currency: "jpy", capture: false, payer, source: null, state: r.state, returned: null, redirect: r.redirect }
    expect(await g.completeRedirect(input)).toEqual({ type: "redirect", redirect: r.redirect, state: r.state })
    // the shopper pays on the page
    const page = await fetch(r.redirect.url!, { method: "POST", redirect: "manual", body: new URLSearchParams({ card_number: "4000000000001000", expiry_month: "12", expiry_year: "30", cvc: "123", card_name: "TARO" }) })
    expect(page.status).toBe(303)
    expect(await g.completeRedirect(input)).toMatchObject({ type: "charge", charge: { state: "authorized", amount: 2000, reference: r.state.transaction_id } })
    // an amount that does not match the session is refused
    await expect(g.completeRedirect({ ...input, amount: 1999 })).rejects.toThrow(/the order is 1999/)
  })
})
