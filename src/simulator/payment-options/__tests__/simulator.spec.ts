// The PaymentOptions simulator on its own, over HTTP: authentication, request validation, the answer
// envelopes (and their documented inconsistencies), the hosted page and 3-D Secure page, webhooks,
// capture/refund balance rules, faults and the CLI.
import http from "node:http"
import type { AddressInfo } from "node:net"
import { runCli } from "../../cli"
import { CHALLENGE_OTP, startPaymentOptionsSimulator, type PaymentOptionsSimulator } from ".."

jest.setTimeout(20_000)

const P = "/api/v1/server-to-server-interface"
const MID = "JP00000472"
const AUTH = { authorization: `Basic ${Buffer.from("sim-api-key").toString("base64")}`, "x-api-key": "sim-x-api-key" }

describe("PaymentOptions simulator", () => {
  let sim: PaymentOptionsSimulator
  let hooks: http.Server
  let hookUrl: string
  const received: Array<{ url: string; body: any }> = []

  beforeAll(async () => {
    sim = await startPaymentOptionsSimulator({ merchants: [{ merchantId: MID, apiKey: "sim-api-key", xApiKey: "sim-x-api-key", hppTransactionType: "PRE_AUTH" }] })
    hooks = http.createServer((req, res) => {
      let b = ""
      req.on("data", (c) => (b += c))
      req.on("end", () => {
        received.push({ url: req.url ?? "", body: JSON.parse(b) })
        res.writeHead(200).end("ok")
      })
    })
    await new Promise<void>((r) => hooks.listen(0, "127.0.0.1", r))
    hookUrl = `http://127.0.0.1:${(hooks.address() as AddressInfo).port}`
  })
  afterAll(async () => {
    await sim.close()
    hooks.closeAllConnections()
    await new Promise((r) => hooks.close(r))
  })
  beforeEach(() => sim.clearFaults())

  async function call(path: string, body?: unknown, headers: Record<string, string> = AUTH) {
    const res = await fetch(sim.url + P + path, {
      method: body === undefined ? "GET" : "POST",
      headers: { ...headers, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    const text = await res.text()
    let json: any
    try {
      json = JSON.parse(text)
    } catch {
      json = text
    }
    return { status: res.status, body: json }
  }

  const returnUrl = (ref: string) => ({
    webhook_url: `${hookUrl}/hook?ref=${ref}`,
    success_url: `${hookUrl}/ok?ref=${ref}`,
    decline_url: `${hookUrl}/ng?ref=${ref}`,
    cancel_url: `${hookUrl}/cancel?ref=${ref}`,
  })
  const billing = { country: "JP", email: "buyer@example.jp" }
  const card = (number: string, extra: Record<string, string> = {}) => ({ number, expiry_month: "12", expiry_year: "2030", cvc: "123", name: "TARO YAMADA", ...extra })

  it("refuses a request without the right Authorization and x-api-key", async () => {
    expect((await call("/transaction/status/x", undefined, {})).status).toBe(401)
    expect((await call("/transaction/status/x", undefined, { ...AUTH, "x-api-key": "wrong" })).status).toBe(401)
    expect((await call("/transaction/status/x", undefined, { ...AUTH, authorization: "Basic c2ltLWFwaS1rZXk6" })).body).toEqual({ message: "Unauthorized", statusCode: 401 })
  })

  it("validates as the OpenAPI schemas say", async () => {
    const r = await call("/paymentv2", { amount: 1000, currency: "EUR", merchant_id: "JP00000999", card: card("4000000000001001") })
    expect(r.status).toBe(400)
    expect(r.body.error).toBe("Bad Request")
    expect(r.body.message).toEqual(
      expect.arrayContaining([
        "merchant_id does not match the API key",
        "currency must be one of JPY, USD",
        "amount must be a string",
        "card.number is not a valid card number",
        "billing_address should not be empty",
      ])
    )
    const yen = await call("/payment", { amount: "10.5", currency: "JPY", merchant_id: MID, card: card("4000000000001000"), billing_address: billing })
    expect(yen.body.message).toEqual(["amount must be a whole number of JPY (no decimals)"])
    const typo = await call("/payment", { amount: "100", currency: "JPY", merchant_id: MID, payment_method: { type: "scheme", store_payment_method_id: "x" } })
    expect(typo.body.message).toContain("payment_method.store_payment_method_id is not a field (the JP page's typo): use stored_payment_method_id")
    const long = await call("/capture", { transactionId: "x", amount: 1, merchant_id: "JP000004720" })
    expect(long.body.message).toContain("merchant_id must be shorter than or equal to 10 characters")
  })

  it("a frictionless purchase answers 201 with the envelope; the status call has risk_details and billing details", async () => {
    const r = await call("/paymentv2", { amount: "1000", currency: "JPY", merchant_id: MID, merchant_txn_ref: "A1", card: card("4000000000001000"), billing_address: billing, return_url: returnUrl("A1") })
    expect(r.status).toBe(201)
    expect(r.body).toMatchObject({
      success: true,
      status_code: 201,
      transaction_type: "CAPTURE",
      gateway_response: { code: "INFO0000", message: "Payment Successful.", type: "INFO" },
      payment_details: { amount: 1000, response_code: 0, currency: "JPY", scheme: "VISA", card: { number: "400000******1000" } },
      transaction_details: { merchant_txn_ref: "A1", stored_payment_method_id: null },
      "risk-details": { risk_score: null },
    })
    const st = await call(`/transaction/status/${r.body.transaction_details.id}`)
    expect(st.status).toBe(200)
    expect(st.body.risk_details).toEqual({ risk_score: null })
    expect(st.body["risk-details"]).toBeUndefined()
    expect(st.body.payment_details.responseDescription).toBe("Payment Successful.")
    expect(st.body.transaction_details.billing_details.billing_address).toEqual(billing)
    expect((await call("/transaction/status/00000000-0000-0000-0000-000000000000")).status).toBe(404)
  })

  it("refused, expired and frictionless-failed cards are declined with their response codes", async () => {
    const base = { amount: "1000", currency: "JPY", merchant_id: MID, billing_address: billing }
    const refused = await call("/paymentv2", { ...base, card: card("4000000000001042") })
    expect(refused.status).toBe(400)
    expect(refused.body).toMatchObject({ success: false, payment_details: { response_code: 5 }, gateway_response: { type: "ERROR" } })
    expect((await call("/paymentv2", { ...base, card: card("4000000000001000", { expiry_month: "01", expiry_year: "20" }) })).body.payment_details.response_code).toBe(54)
    expect((await call("/paymentv2", { ...base, card: card("5200000000001013") })).body.payment_details.response_code).toBe(937)
  })

  it("a challenge card answers the 3-D Secure redirect (statusCode, no transaction); the page sends the webhook, then the browser on", async () => {
    const missing = await call("/authorizationv2", { amount: "2000", currency: "JPY", merchant_id: MID, card: card("4000000000001091"), billing_address: billing })
    expect(missing.body.message).toEqual(expect.arrayContaining(["merchant_txn_ref should not be empty", "customer_ip should not be empty", "return_url.webhook_url should not be empty"]))

    const r = await call("/authorizationv2", {
      amount: "2000",
      currency: "JPY",
      merchant_id: MID,
      merchant_txn_ref: "B1",
      customer_ip: "127.0.0.1",
      card: card("4000000000001091"),
      payment_method: { type: "scheme", store_payment_method: true },
      billing_address: billing,
      return_url: returnUrl("B1"),
    })
    expect(r.status).toBe(200)
    expect(Object.keys(r.body).sort()).toEqual(["redirect_url", "statusCode", "success", "url"])
    expect(r.body.url).toBe(r.body.redirect_url)
    const page = await fetch(r.body.url)
    const html = await page.text()
    expect(html).toContain('id="challenge"')
    const token = html.match(/name="_token" value="([^"]+)"/)![1]
    const wrong = await fetch(`${sim.url}/integration/3ds`, { method: "POST", body: new URLSearchParams({ _token: token, otp: "000000", action: "submit" }) })
    expect(await wrong.text()).toContain("Wrong code")
    const before = received.length
    const ok = await fetch(`${sim.url}/integration/3ds`, { method: "POST", redirect: "manual", body: new URLSearchParams({ _token: token, otp: CHALLENGE_OTP, action: "submit" }) })
    expect(ok.status).toBe(303)
    expect(ok.headers.get("location")).toBe(`${hookUrl}/ok?ref=B1`)
    // the webhook came first: the envelope, status_code 200, to the URL given
    expect(received.length).toBe(before + 1)
    const hook = received[received.length - 1]
    expect(hook.url).toBe("/hook?ref=B1")
    expect(hook.body).toMatchObject({ success: true, status_code: 200, transaction_type: "PRE_AUTH", transaction_details: { merchant_txn_ref: "B1" } })
    const storedId = hook.body.transaction_details.stored_payment_method_id
    expect(sim.storedCards().map((c) => c.id)).toContain(storedId)
    // the token pays again without a card (the vendor's use-token request), billing_address optional
    const again = await call("/payment", { amount: "500", currency: "JPY", merchant_id: MID, payment_method: { type: "scheme", store_payment_method: true, stored_payment_method_id: storedId }, merchant_txn_ref: "B2", customer_ip: "127.0.0.1", return_url: returnUrl("B2") })
    expect(again.status).toBe(200) // a challenge card: 3-D Secure again
    const unknown = await call("/payment", { amount: "500", currency: "JPY", merchant_id: MID, payment_method: { type: "scheme", stored_payment_method_id: "nope-nope" } })
    expect(unknown.body.message).toEqual(["payment_method.stored_payment_method_id is not a stored payment method of this merchant"])
  })

  it("on the simulated clock, the 3-D Secure page expires after 30 minutes and a card's expiry passes", async () => {
    const body = { amount: "2000", currency: "JPY", merchant_id: MID, merchant_txn_ref: "C1", customer_ip: "127.0.0.1", card: card("4000000000001091"), billing_address: billing, return_url: returnUrl("C1") }
    const r = await call("/authorizationv2", body)
    await sim.advanceClock(31 * 60_000)
    try {
      const page = await fetch(r.body.url)
      expect(page.status).toBe(400)
      expect(await page.text()).toContain("This authentication has expired or does not exist.")
    } finally {
      await sim.advanceClock(-31 * 60_000)
    }
    const now = sim.now()
    const thisMonth = { expiry_month: String(now.getUTCMonth() + 1).padStart(2, "0"), expiry_year: String(now.getUTCFullYear()) }
    const frictionless = { ...body, merchant_txn_ref: "C2", card: card("4000000000001000", thisMonth) }
    expect((await call("/authorizationv2", frictionless)).body.payment_details.response_code).toBe(0)
    await sim.advanceClock(62 * 24 * 3600_000)
    try {
      expect((await call("/authorizationv2", { ...frictionless, merchant_txn_ref: "C3" })).body.payment_details).toMatchObject({ response_code: 54 })
    } finally {
      await sim.advanceClock(-62 * 24 * 3600_000)
    }
  })

  it("one capture, of the whole or less; refunds up to the balance (ERR0204); void only before capture", async () => {
    const auth = await call("/authorizationv2", { amount: "3000", currency: "JPY", merchant_id: MID, card: card("4000000000001000"), billing_address: billing })
    const id = auth.body.transaction_details.id
    expect(auth.body.transaction_type).toBe("PRE_AUTH")
    expect((await call("/capture", { transactionId: id, amount: 3001, merchant_id: MID })).body.success).toBe(false)
    expect((await call("/capture", { transactionId: id, amount: "2000", merchant_id: MID })).body.message).toEqual(["amount must be a number"])
    const cap = await call("/capture", { transactionId: id, amount: 2000, merchant_id: MID, notes: "partial" })
    expect(cap.body).toMatchObject({ success: true, transaction_type: "CAPTURE", gateway_response: { code: "INFO0001" }, payment_details: { amount: 2000 } })
    const capId = cap.body.transaction_details.id
    expect(capId).not.toBe(id)
    expect((await call("/capture", { transactionId: id, amount: 1000, merchant_id: MID })).body.gateway_response.message).toBe("The authorisation is already captured")
    expect((await call("/void", { transactionId: id, merchant_id: MID })).body.success).toBe(false)
    expect((await call("/refund", { transactionId: id, amount: 100, merchant_id: MID })).body.gateway_response.message).toMatch(/Refund the capture/)
    const r1 = await call("/refund", { transactionId: capId, amount: 1500, merchant_id: MID })
    expect(r1.body).toMatchObject({ success: true, transaction_type: "REFUND", gateway_response: { code: "INFO0002" } })
    const over = await call("/refund", { transactionId: capId, amount: 501, merchant_id: MID })
    expect(over.status).toBe(400)
    expect(over.body).toMatchObject({ success: false, gateway_response: { code: "ERR0204", message: "You don't have balance amount for refund." }, payment_details: { response_code: -1 } })
    expect((await call("/refund", { transactionId: capId, amount: 500, merchant_id: MID })).body.success).toBe(true)

    const auth2 = await call("/authorizationv2", { amount: "100", currency: "JPY", merchant_id: MID, card: card("4000000000001000"), billing_address: billing })
    const v = await call("/void", { transactionId: auth2.body.transaction_details.id, merchant_id: MID })
    expect(v.body).toMatchObject({ success: true, transaction_type: "VOID", gateway_response: { code: "INFO0003", message: "Authorization Successfully Cancelled." } })
  })

  it("the hosted page: link (200), card form, pay, webhook, success URL; the link's id is the transaction; cancel goes to cancel_url", async () => {
    const bad = await call("/hpp/generate/link", { amount: "1000", currency: "JPY", merchant_id: MID, return_url: { success_url: "x" } })
    expect(bad.body.message).toEqual(expect.arrayContaining(["amount must be a number", "merchant_email should not be empty", "billing_address should not be empty", "return_url.webhook_url should not be empty", "return_url.success_url must be a URL address"]))
    const link = await call("/hpp/generate/link", { amount: 1200, currency: "JPY", merchant_id: MID, merchant_email: "shop@example.jp", merchant_txn_ref: "H1", billing_address: billing, return_url: returnUrl("H1") })
    expect(link.status).toBe(200)
    expect(link.body).toMatchObject({ amount: 1200, currency: "JPY", merchant_txn_ref: "H1", merchant_id: MID })
    expect(link.body.url).toMatch(new RegExp(`^${sim.url}/jp/HostedPaymentPage/[A-Za-z0-9_-]+$`))
    const pending = await call(`/transaction/status/${link.body.id}`)
    expect(pending.body).toMatchObject({ success: false, payment_details: { response_code: 578 } })
    const page = await (await fetch(link.body.url)).text()
    expect(page).toContain('id="hpp"')
    const invalidCard = await fetch(link.body.url, { method: "POST", body: new URLSearchParams({ card_number: "1234", expiry_month: "13", expiry_year: "30", cvc: "1", card_name: "X" }) })
    expect(invalidCard.status).toBe(400)
    const paid = await fetch(link.body.url, { method: "POST", redirect: "manual", body: new URLSearchParams({ card_number: "5200000000001005", expiry_month: "12", expiry_year: "30", cvc: "123", card_name: "TARO" }) })
    expect(paid.status).toBe(303)
    expect(paid.headers.get("location")).toBe(`${hookUrl}/ok?ref=H1`)
    const done = await call(`/transaction/status/${link.body.id}`)
    expect(done.body).toMatchObject({ success: true, transaction_type: "PRE_AUTH", payment_details: { amount: 1200, scheme: "MASTERCARD" } })
    expect((await fetch(link.body.url)).status).toBe(410)

    const link2 = await call("/hpp/generate/link", { amount: 100, currency: "JPY", merchant_id: MID, merchant_email: "shop@example.jp", merchant_txn_ref: "H2", billing_address: billing, return_url: returnUrl("H2") })
    const cancel = await fetch(`${link2.body.url}/cancel`, { redirect: "manual" })
    expect(cancel.headers.get("location")).toBe(`${hookUrl}/cancel?ref=H2`)
  })

  it("faults: a duplicated webhook, an unclear response code, a 502, a malformed body", async () => {
    sim.inject({ kind: "duplicate-webhook" })
    const before = received.length
    await call("/paymentv2", { amount: "100", currency: "JPY", merchant_id: MID, merchant_txn_ref: "F1", card: card("4000000000001000"), billing_address: billing, return_url: returnUrl("F1") })
    await new Promise((r) => setTimeout(r, 300))
    expect(received.slice(before).filter((h) => h.url === "/hook?ref=F1")).toHaveLength(2)

    sim.inject({ kind: "response-code", code: 676, path: `${P}/paymentv2` })
    const unclear = await call("/paymentv2", { amount: "100", currency: "JPY", merchant_id: MID, card: card("4000000000001000"), billing_address: billing })
    expect(unclear.body).toMatchObject({ success: false, payment_details: { response_code: 676 } })
    // the transaction still happened: the status call tells
    expect((await call(`/transaction/status/${unclear.body.transaction_details.id}`)).body.success).toBe(true)

    sim.inject({ kind: "status", status: 502 })
    expect((await call("/transaction/status/x")).status).toBe(502)
    sim.inject({ kind: "malformed" })
    expect(typeof (await call("/transaction/status/x")).body).toBe("string")
    const f = await fetch(`${sim.url}/__sim/faults`, { method: "POST", body: JSON.stringify({ kind: "nope" }) })
    expect(f.status).toBe(400)
  })

  it("starts from the CLI", async () => {
    const out: string[] = []
    const r = await runCli(["simulate", "payment-options", "--port", "0", "--merchant-id", "JP00000001", "--hpp", "PRE_AUTH"], { out: (l) => out.push(l), err: () => undefined, handleSignals: false })
    expect(r.exitCode).toBe(0)
    try {
      expect(out[0]).toMatch(/^PaymentOptions simulator listening on http:\/\/127\.0\.0\.1:\d+$/)
      const res = await fetch(`${r.running!.url}${P}/transaction/status/x`, { headers: AUTH })
      expect(res.status).toBe(404) // known merchant key, unknown transaction
    } finally {
      await r.running?.close()
    }
    expect((await runCli(["simulate", "payment-options", "--hpp", "SALE"], { out: () => undefined, err: () => undefined })).exitCode).toBe(2)
  })
})
