// The client and the simulator were written apart, from the same PAYGENT documents: every telegram of the
// client must be understood by the simulator over mutual TLS, and every answer read by the client.
import { GatewayError } from "../../../core/gateway"
import { startPaygentSimulator, DEFAULT_MERCHANT, type PaygentSimulator } from "../../../simulator/paygent"
import { createPaygentToken, runAcs } from "../../../simulator/paygent/shopper"
import { PaygentClient, PaygentError, type PaygentClientConfig } from "../client"
import { hashMatches, threeDSResultHash, tokenHash } from "../codec"
import { PaygentGateway } from "../gateway"
import { parseOptions } from "../../../core/options"
import { paygent } from ".."

const M = DEFAULT_MERCHANT

describe("PaygentClient against the simulator (mutual TLS)", () => {
  let sim: PaygentSimulator
  let client: PaygentClient
  let config: PaygentClientConfig
  const lines: string[] = []
  let seq = 0
  const tid = () => `T${Date.now()}_${++seq}`

  beforeAll(async () => {
    sim = await startPaygentSimulator({ certDir: require("node:os").tmpdir() + "/medusa-payment-jp-paygent-certs" })
    const c = sim.certificates
    const log = (m: string) => lines.push(m)
    config = {
      merchantId: M.merchantId,
      connectId: M.connectId,
      connectPassword: M.connectPassword,
      telegramVersion: "1.0",
      baseUrl: sim.url,
      clientCertificate: c.clientBundleFile,
      clientKeyPassphrase: c.clientKeyPassphrase,
      caCertificate: c.caFile,
      timeoutMs: 3000,
      logger: { debug: log, info: log, warn: log, error: log },
    }
    client = new PaygentClient(config)
  })
  afterAll(async () => {
    await client.close()
    await sim.close()
  })

  const token = (card_number = "4000000000000002", name?: string) =>
    createPaygentToken(sim.url, sim.certificates.caFile, M.merchantId, M.tokenGenerationKey, { card_number, name })

  async function authenticated(amount: number, name?: string, password?: string) {
    const t = await token(undefined, name)
    const tradingId = tid()
    const r = await client.threeDSAuthenticate({ tradingId, termUrl: "https://shop.example/jp-payments/return/X", merchantName: "Test Shop", amount, card: { token: t.token }, email: "a@example.jp" })
    const back = await runAcs(r.out_acs_html, sim.certificates.caFile, { simUrl: sim.url, password })
    const q = Object.fromEntries(new URL(back.termUrl).searchParams)
    return { t, tradingId, authId: r["3ds_auth_id"], q, challenged: back.challenged }
  }

  it("token hc verifies with the トークン受取ハッシュ鍵", async () => {
    const t = await token()
    expect(hashMatches(tokenHash({ token: t.token, masked: t.masked_card_number, validUntil: t.valid_until, fingerprint: t.fingerprint }, M.tokenReceiptHashKey), t.hc)).toBe(true)
  })

  it("450 → challenge → term_url with a verifiable hc → 020 (3dsecure_use_type=2) → 022 → 029 (new payment_id) → 094", async () => {
    const { t, tradingId, authId, q, challenged } = await authenticated(5000, "BAVCA", "14012")
    expect(challenged).toBe(true)
    expect(q).toMatchObject({ result: "0", "3ds_auth_id": authId })
    expect(hashMatches(threeDSResultHash({ result: q.result, authId, attemptKbn: q.attempt_kbn }, M.threeDSResultHashKey!), q.hc)).toBe(true)
    const auth = await client.authorize({ tradingId, amount: 5000, capture: false, card: { token: t.token }, threeDS: { authId } })
    expect(auth.payment_id).toMatch(/^\d{18}$/)
    const sent = sim.requests().filter((r) => r.kind === "020").at(-1)!
    expect(sent.params).toMatchObject({ "3dsecure_use_type": "2", "3ds_auth_id": authId, sales_mode: "0", payment_amount: "5000" })
    expect(sent.params["3dsecure_ryaku"]).toBeUndefined()
    await client.capture(auth.payment_id)
    const refund = await client.correct({ kind: "029", paymentId: auth.payment_id, reduction: 1200 })
    expect(refund.payment_id).not.toBe(auth.payment_id)
    expect(refund.base_payment_id).toBe(auth.payment_id)
    const now = await client.reference({ paymentId: refund.payment_id })
    expect(now).toMatchObject({ payment_status: "40", payment_amount: "3800", trading_id: tradingId })
    expect((await client.reference({ paymentId: auth.payment_id })).payment_status).toBe("60")
    // the token was used by the 020: a second use is 2022
    await expect(client.authorize({ tradingId: tid(), amount: 100, capture: false, card: { token: t.token }, threeDS: { ryaku: true } })).rejects.toMatchObject({ code: "2022" })
    expect(lines.join("\n")).not.toContain(M.connectPassword)
    expect(lines.join("\n")).not.toContain(t.token)
  })

  it("amount corrections only go down (2013); 028 then 022 captures less; 021 voids", async () => {
    const a = await authenticated(3000)
    const auth = await client.authorize({ tradingId: a.tradingId, amount: 3000, capture: false, card: { token: a.t.token }, threeDS: { authId: a.authId } })
    await expect(client.correct({ kind: "028", paymentId: auth.payment_id, reduction: 3000 })).rejects.toMatchObject({ code: "2013", kind: "invalid" })
    const less = await client.correct({ kind: "028", paymentId: auth.payment_id, reduction: 500 })
    await expect(client.capture(auth.payment_id)).rejects.toMatchObject({ code: "2004" })
    await client.capture(less.payment_id)
    expect((await client.reference({ paymentId: less.payment_id })).payment_amount).toBe("2500")
    const b = await authenticated(1000)
    const auth2 = await client.authorize({ tradingId: b.tradingId, amount: 1000, capture: false, card: { token: b.t.token }, threeDS: { authId: b.authId } })
    await client.voidAuthorization(auth2.payment_id)
    await expect(client.voidAuthorization(auth2.payment_id)).rejects.toMatchObject({ code: "2004" })
  })

  it("a failed authentication (31007) and its 3ds_auth_id cannot authorize; an attempt carries attempt_kbn", async () => {
    const failed = await authenticated(3000, "BAVNA")
    expect(failed.q).toMatchObject({ result: "1", response_code: "31007" })
    expect(hashMatches(threeDSResultHash({ result: "1", authId: failed.authId }, M.threeDSResultHashKey!), failed.q.hc)).toBe(true)
    await expect(client.authorize({ tradingId: failed.tradingId, amount: 3000, capture: false, card: { token: failed.t.token }, threeDS: { authId: failed.authId } })).rejects.toMatchObject({ code: "31011" })
    const attempt = await authenticated(3000, "BAVUA")
    expect(attempt.q).toMatchObject({ result: "0", attempt_kbn: "1" })
  })

  it("31012 for a brand without 3-D Secure; 020 with 3dsecure_ryaku=1 then authorizes", async () => {
    const t = await token("6011000000000004")
    const tradingId = tid()
    await expect(client.threeDSAuthenticate({ tradingId, termUrl: "https://shop.example/r", merchantName: "Test Shop", amount: 800, card: { token: t.token } })).rejects.toMatchObject({ code: "31012" })
    const auth = await client.authorize({ tradingId, amount: 800, capture: true, card: { token: t.token }, threeDS: { ryaku: true } })
    expect((await client.reference({ paymentId: auth.payment_id })).payment_status).toBe("40")
  })

  it("saved cards: 025, 027 (CSV), 450 with card_set_method=customer, 020 with stock_card_mode=1, 026", async () => {
    const customerId = `cus_${Date.now()}`
    expect(await client.listCards({ customerId })).toEqual([])
    const saved = await client.saveCard({ customerId, token: (await token("5120790000000000", "TARO YAMADA")).token })
    const cards = await client.listCards({ customerId })
    expect(cards).toHaveLength(1)
    expect(cards[0]).toMatchObject({ customer_card_id: saved.customer_card_id, card_number: "************0000", cardholder_name: "TARO YAMADA" })
    const tradingId = tid()
    const r = await client.threeDSAuthenticate({ tradingId, termUrl: "https://shop.example/r", merchantName: "Test Shop", amount: 1500, card: { customerId, customerCardId: saved.customer_card_id } })
    await runAcs(r.out_acs_html, sim.certificates.caFile, { simUrl: sim.url })
    const auth = await client.authorize({ tradingId, amount: 1500, capture: false, card: { customerId, customerCardId: saved.customer_card_id }, threeDS: { authId: r["3ds_auth_id"] } })
    expect(sim.requests().filter((x) => x.kind === "020").at(-1)!.params).toMatchObject({ stock_card_mode: "1", customer_id: customerId })
    expect(auth.payment_id).toBeTruthy()
    await client.deleteCard({ customerId, customerCardId: saved.customer_card_id })
    expect(await client.listCards({ customerId })).toEqual([])
  })

  it("2003 keeps the payment_id for a retry; 2008 is an unknown outcome that 094 resolves", async () => {
    const t = await token("4000000000008344")
    const e = (await client.authorize({ tradingId: tid(), amount: 700, capture: false, card: { token: t.token }, threeDS: { ryaku: true } }).catch((x) => x)) as PaygentError
    expect(e).toBeInstanceOf(PaygentError)
    expect(e.code).toBe("2003")
    expect(e.paymentId).toMatch(/^\d{18}$/)
    expect(e.message).toContain("1G44")
    const tradingId = tid()
    const t2 = await token("4000000000008408")
    const timeout = (await client.authorize({ tradingId, amount: 900, capture: false, card: { token: t2.token }, threeDS: { ryaku: true } }).catch((x) => x)) as GatewayError
    expect(timeout).toMatchObject({ code: "2008", kind: "unknown_outcome" })
    expect(await client.reference({ tradingId })).toMatchObject({ payment_status: "20", payment_amount: "900" })
  })

  it("a 2003 is retried by payment_id (the payment stays 申込済); the third retry is answered 2001 (the simulator's reading)", async () => {
    const t = await token("4000000000008344")
    const tradingId = tid()
    const first = (await client.authorize({ tradingId, amount: 700, capture: false, card: { token: t.token }, threeDS: { ryaku: true } }).catch((x) => x)) as PaygentError
    const codes: string[] = []
    for (let i = 0; i < 3; i++) {
      const e = (await client.authorize({ tradingId, paymentId: first.paymentId, amount: 700, capture: false, card: { token: t.token }, threeDS: { ryaku: true } }).catch((x) => x)) as PaygentError
      codes.push(e.code)
    }
    expect(codes).toEqual(["2003", "2003", "2001"])
    expect(sim.payments().filter((p) => p.tradingId === tradingId)).toHaveLength(1)
  })

  it("a 2003 retry must name the payment's own trading_id (2006 otherwise); a corrected card authorizes the same payment_id", async () => {
    const tradingId = tid()
    const first = (await client.authorize({ tradingId, amount: 700, capture: false, card: { token: (await token("4000000000008344")).token }, threeDS: { ryaku: true } }).catch((x) => x)) as PaygentError
    expect(first.code).toBe("2003")
    const good = await token()
    const other = (await client.authorize({ tradingId: tid(), paymentId: first.paymentId, amount: 700, capture: false, card: { token: good.token }, threeDS: { ryaku: true } }).catch((x) => x)) as PaygentError
    expect(other.code).toBe("2006")
    const ok = await client.authorize({ tradingId, paymentId: first.paymentId, amount: 700, capture: false, card: { token: good.token }, threeDS: { ryaku: true } })
    expect(ok.payment_id).toBe(first.paymentId)
    expect(sim.payments().filter((p) => p.tradingId === tradingId)).toEqual([expect.objectContaining({ paymentId: first.paymentId, status: "20" })])
  })

  it("the gateway adapter hands a 2003's payment_id on, retries it with the next card, and pays anew once PAYGENT takes no more retries", async () => {
    const { logger: _logger, ...wire } = config
    const gateway = new PaygentGateway(
      parseOptions(paygent, { ...wire, merchantName: "Test Shop", threeDSResultHashKey: M.threeDSResultHashKey, tokenGenerationKey: M.tokenGenerationKey, backendUrl: "https://api.shop.jp", threeDSecure: false })
    )
    const pay = async (orderCode: string, pan: string, retryOf?: Record<string, string>) =>
      gateway.pay({ paymentMethod: { type: "lump" }, orderCode, amount: 800, currency: "jpy", capture: false, source: { type: "token", token: (await token(pan)).token, saveCard: false }, payer: { email: "a@b.jp", phone: "0312345678" }, ...(retryOf ? { retryOf } : {}) })
    const bad = "4000000000008344"
    const e1 = (await pay(tid(), bad).catch((x) => x)) as GatewayError
    expect(e1).toBeInstanceOf(GatewayError)
    expect(e1.code).toBe("2003")
    expect(e1.retry).toEqual({ payment_id: expect.stringMatching(/^\d{18}$/), trading_id: expect.any(String), count: "0" })
    const e2 = (await pay(tid(), bad, e1.retry).catch((x) => x)) as GatewayError
    expect(e2.retry).toEqual({ ...e1.retry, count: "1" })
    const e3 = (await pay(tid(), bad, e2.retry).catch((x) => x)) as GatewayError
    // The third retry is PAYGENT's last: a 2003 to it would leave nothing to retry.
    expect(e3.retry).toEqual({ ...e1.retry, count: "2" })
    const r = (await pay(tid(), "4000000000000002", e3.retry)) as Extract<Awaited<ReturnType<PaygentGateway["pay"]>>, { type: "charge" }>
    expect(r.charge).toMatchObject({ reference: e1.retry!.payment_id, state: "authorized", references: { trading_id: e1.retry!.trading_id } })
    expect(sim.payments().filter((p) => p.tradingId === e1.retry!.trading_id)).toHaveLength(1)
    // Retries used up (count 3): a new payment under the session's own trading_id.
    const fresh = tid()
    const r2 = (await pay(fresh, "4000000000000002", { ...e1.retry!, count: "3" })) as Extract<Awaited<ReturnType<PaygentGateway["pay"]>>, { type: "charge" }>
    expect(r2.charge.reference).not.toBe(e1.retry!.payment_id)
    expect(r2.charge.references.trading_id).toBe(fresh)
    await gateway.close()
  })

  it("the gateway adapter reads PAYGENT's status (094) for retrieve and for a payment sent without an answer", async () => {
    const { logger: _logger, ...wire } = config
    const gateway = new PaygentGateway(
      parseOptions(paygent, { ...wire, merchantName: "Test Shop", threeDSResultHashKey: M.threeDSResultHashKey, tokenGenerationKey: M.tokenGenerationKey, backendUrl: "https://api.shop.jp" })
    )
    expect(await gateway.findCharge({ orderCode: tid(), amount: 100 })).toBeNull()
    const t = await token()
    const tradingId = tid()
    const auth = await client.authorize({ tradingId, amount: 2500, capture: false, card: { token: t.token }, threeDS: { ryaku: true } })
    expect(await gateway.findCharge({ orderCode: tradingId, amount: 2500 })).toMatchObject({ reference: auth.payment_id, state: "authorized", amount: 2500 })
    await expect(gateway.findCharge({ orderCode: tradingId, amount: 2400 })).rejects.toMatchObject({ code: "AMOUNT_MISMATCH" })
    await client.capture(auth.payment_id)
    const rec = { reference: auth.payment_id, references: {}, state: "authorized" as const, authorizedAmount: 2500, amount: 2500, refundedAmount: 0, orderCode: tradingId, capture: false }
    expect(await gateway.retrieve(rec)).toMatchObject({ state: "captured", amount: 2500, references: { payment_status: "40" }, card: { masked: "************0002", expiry: "12/30" } })
    // A 029 (answer lost to the caller) cancels the payment and puts a new payment_id in its place:
    // retrieve finds it by the trading_id, and says what is left.
    const sold = { ...rec, state: "captured" as const, references: { trading_id: tradingId } }
    const corrected = await client.correct({ kind: "029", paymentId: auth.payment_id, reduction: 1000 })
    expect(await gateway.retrieve(sold)).toMatchObject({
      reference: corrected.payment_id,
      state: "partially_refunded",
      amount: 1500,
      references: { payment_id: corrected.payment_id, [`payment_id_replaced_${auth.payment_id}`]: auth.payment_id, payment_status: "40" },
      threeDS: { liability: "merchant" },
    })
    // a payment cancelled whole has no replacement: refunded, nothing left
    await client.cancelSale(corrected.payment_id)
    expect(await gateway.retrieve({ ...sold, reference: corrected.payment_id, amount: 1500, state: "partially_refunded" })).toMatchObject({ reference: corrected.payment_id, state: "refunded", amount: 0 })
    await gateway.close()
  })

  it("091 pulls the notifications one per call until success_code 1", async () => {
    const ids: string[] = []
    for (;;) {
      const n = await client.pullNotice()
      if (n.success_code === "1") break
      expect(n.success_code).toBe("0")
      expect(n.payment_type).toBe("02")
      ids.push(n.payment_notice_id)
    }
    expect(ids.length).toBe(sim.notices().length)
    expect(new Set(ids).size).toBe(ids.length)
    const again = await client.pullNotice(ids[0])
    expect(again).toMatchObject({ success_code: "0", payment_notice_id: ids[0] })
  })

  it("refuses a telegram without a client certificate (P016) and one from another CA; PKCS#12 works", async () => {
    const noCert = new PaygentClient({ ...config, clientCertificate: sim.certificates.rogueBundleFile, clientKeyPassphrase: undefined })
    const e = (await noCert.reference({ tradingId: "X" }).catch((x) => x)) as GatewayError
    expect(e).toMatchObject({ code: "P016", kind: "merchant" })
    expect(e.message).toMatch(/client certificate/i)
    await noCert.close()
    const pfx = new PaygentClient({ ...config, clientCertificate: sim.certificates.clientPfxFile })
    await expect(pfx.reference({ tradingId: "nothing_here" })).rejects.toMatchObject({ code: "13001" })
    await pfx.close()
    const badPass = new PaygentClient({ ...config, clientKeyPassphrase: "wrong" })
    await expect(badPass.reference({ tradingId: "X" })).rejects.toMatchObject({ code: "TLS", kind: "merchant" })
    await badPass.close()
    const noFile = new PaygentClient({ ...config, clientCertificate: "/nonexistent/client.pem" })
    await expect(noFile.reference({ tradingId: "X" })).rejects.toMatchObject({ code: "E02004", kind: "merchant" })
  })

  it("a wrong connect password is P002; an unreadable answer is a clear error", async () => {
    const wrong = new PaygentClient({ ...config, connectPassword: "nope" })
    await expect(wrong.reference({ tradingId: "X" })).rejects.toMatchObject({ code: "P002", kind: "merchant" })
    await wrong.close()
    sim.inject({ kind: "malformed", telegram: "094" })
    await expect(client.reference({ tradingId: "X" })).rejects.toMatchObject({ code: "MALFORMED", kind: "retry" })
    sim.inject({ kind: "status", status: 503, telegram: "022" })
    await expect(client.capture("100000000000000001")).rejects.toMatchObject({ code: "HTTP_503", kind: "unknown_outcome" })
  })
})
