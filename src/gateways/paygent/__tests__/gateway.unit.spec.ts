// The adapter's own decisions, without the network: what a storefront may send, what a term_url
// return and a notification must prove, and what each outcome means for the shop.
import { GatewayError, type IncomingNotification } from "../../../core/gateway"
import { PaygentGateway } from "../gateway"
import { noticeHash, threeDSResultHash, tokenHash } from "../codec"
import { parseOptions } from "../../../core/options"
import { paygent } from ".."

const base = {
  merchantId: "100000001",
  connectId: "conn",
  connectPassword: "pass1",
  clientCertificate: "/kit/client.pem",
  clientKeyPassphrase: "x",
  merchantName: "Shop",
  threeDSResultHashKey: "k3ds",
  noticeHashKey: "knotice",
  tokenGenerationKey: "test_gen",
  tokenReceiptHashKey: "ktoken",
  backendUrl: "https://api.shop.jp",
}
const gw = (o: Record<string, unknown> = {}) => new PaygentGateway(parseOptions(paygent, { ...base, ...o }))
const AUTH = "11111111-2222-3333-4444-555555555555"
const pending = { orderCode: "MJ1", amount: 1500, currency: "jpy", state: { "3ds_auth_id": AUTH } }
const incoming = (query: Record<string, string>, body = "", contentType = "application/x-www-form-urlencoded"): IncomingNotification => ({
  method: body ? "POST" : "GET",
  query,
  rawBody: Buffer.from(body, "latin1"),
  headers: { "content-type": contentType },
})

describe("PAYGENT options", () => {
  it("boot with defaults, and name every bad field", () => {
    const o = parseOptions(paygent, base)
    expect(o).toMatchObject({ telegramVersion: "1.0", baseUrl: "https://module.paygent.co.jp", salesMode: "auth", threeDSecure: true, acceptMerchantLiability: false, allowWithout3DS: false })
    expect(() => parseOptions(paygent, { ...base, merchantId: "abc", merchantName: "店舗" })).toThrow(/merchantId.*merchantName/)
    expect(() => parseOptions(paygent, { ...base, clientCertificate: "-----BEGIN CERTIFICATE-----" })).toThrow(/clientCertificate/)
    expect(() => parseOptions(paygent, { ...base, extra: 1 })).toThrow(/extra|Unrecognized/)
  })

  it("the browser gets the token script and the public トークン生成鍵, never a secret", () => {
    const c = gw().browserConfig({ orderCode: "MJ1", amount: 1500 })
    expect(c).toEqual({ merchant_id: "100000001", token_generation_key: "test_gen", scripts: ["https://token.paygent.co.jp/js/PaygentToken.js"], amount: 1500, three_d_secure: true })
    expect(gw({ baseUrl: "https://sandbox.paygent.co.jp" }).browserConfig({ orderCode: "MJ1", amount: 1 }).scripts).toEqual(["https://sandbox.paygent.co.jp/js/PaygentToken.js"])
  })
})

describe("PAYGENT session input", () => {
  const tok = { token: "tok_abcdefghij", masked_card_number: "************1111", valid_until: "20301231235959", fingerprint: "fp" }
  it("takes PaygentToken.js's object when its hc verifies", () => {
    const hc = tokenHash({ token: tok.token, masked: tok.masked_card_number, validUntil: tok.valid_until, fingerprint: tok.fingerprint }, "ktoken")
    expect(gw().parseSessionInput({ ...tok, hc }).source).toEqual({ type: "token", token: tok.token, saveCard: false })
    expect(() => gw().parseSessionInput({ ...tok, hc: hc.replace(/.$/, "0") })).toThrow(/hc does not verify/)
    expect(() => gw().parseSessionInput({ ...tok })).toThrow(/hc does not verify/)
    // without the トークン受取ハッシュ鍵 the hash cannot be checked
    expect(gw({ tokenReceiptHashKey: undefined }).parseSessionInput({ token: tok.token }).source).toMatchObject({ type: "token" })
  })
  it("takes a saved card id, and refuses both or garbage", () => {
    expect(gw().parseSessionInput({ payment_method_id: "100000000000000001" }).source).toEqual({ type: "saved", cardRef: "100000000000000001" })
    expect(() => gw().parseSessionInput({ payment_method_id: "1", token: "tok_abcdefghij" })).toThrow(/either/)
    expect(() => gw().parseSessionInput({ token: "<script>" })).toThrow(GatewayError)
  })
})

describe("PAYGENT term_url returns", () => {
  const hc = (result: string, attempt?: string, authId = AUTH) => threeDSResultHash({ result, authId, attemptKbn: attempt }, "k3ds")
  it("accepts a verified success; issuer liable", () => {
    const r = gw().parseReturn(incoming({ result: "0", "3ds_auth_id": AUTH, hc: hc("0"), card_brand: "VISA" }), pending)
    expect(r).toMatchObject({ outcome: "ok", values: { result: "0", "3ds_auth_id": AUTH, card_brand: "VISA" }, threeDS: { liability: "issuer" } })
  })
  it("attempt_kbn=0 is an attempt the issuer bears; attempt_kbn=1 is refused unless acceptMerchantLiability", () => {
    expect(gw().parseReturn(incoming({ result: "0", "3ds_auth_id": AUTH, attempt_kbn: "0", hc: hc("0", "0") }), pending)).toMatchObject({ outcome: "ok", threeDS: { status: "attempt", liability: "issuer" } })
    const q = { result: "0", "3ds_auth_id": AUTH, attempt_kbn: "1", hc: hc("0", "1") }
    expect(gw().parseReturn(incoming(q), pending)).toMatchObject({ outcome: "failed", error: { code: "ATTEMPT_REFUSED" } })
    expect(gw({ acceptMerchantLiability: true }).parseReturn(incoming(q), pending)).toMatchObject({ outcome: "ok", threeDS: { status: "attempt", liability: "merchant" } })
  })
  it("31007 fails; the 31013 timeout call is answered for PAYGENT's server", () => {
    expect(gw().parseReturn(incoming({ result: "1", "3ds_auth_id": AUTH, response_code: "31007", hc: hc("1") }), pending)).toMatchObject({ outcome: "failed", error: { code: "31007" }, threeDS: { status: "failed" } })
    const t = gw().parseReturn(incoming({ result: "1", "3ds_auth_id": AUTH, response_code: "31013", fingerprint: "XXXX", hc: hc("1") }), pending)
    expect(t).toMatchObject({ outcome: "failed", error: { code: "31013" }, respond: { status: 200 } })
  })
  it("refuses a forged hash, a hash moved to another result, and another authentication", () => {
    expect(() => gw().parseReturn(incoming({ result: "0", "3ds_auth_id": AUTH, hc: "0".repeat(64) }), pending)).toThrow(/hc does not verify/)
    expect(() => gw().parseReturn(incoming({ result: "0", "3ds_auth_id": AUTH, hc: hc("1") }), pending)).toThrow(/hc does not verify/)
    expect(() => gw().parseReturn(incoming({ result: "0", "3ds_auth_id": AUTH, attempt_kbn: "1", hc: hc("0") }), pending)).toThrow(/hc does not verify/)
    const other = "99999999-2222-3333-4444-555555555555"
    expect(() => gw().parseReturn(incoming({ result: "0", "3ds_auth_id": other, hc: hc("0", undefined, other) }), pending)).toThrow(/another authentication/)
    expect(() => gw().parseReturn(incoming({}), pending)).toThrow(/no result/)
  })
})

describe("PAYGENT 差分通知", () => {
  const fields = (o: Record<string, string> = {}) => {
    const f = { payment_notice_id: "7", payment_id: "100000000000000001", trading_id: "MJabc", payment_type: "02", payment_status: "20", payment_amount: "1500", ...o }
    return { ...f, hc: noticeHash({ noticeId: f.payment_notice_id, paymentId: f.payment_id, tradingId: f.trading_id, paymentType: f.payment_type, amount: f.payment_amount }, "knotice") }
  }
  const post = (f: Record<string, string>) => incoming({}, new URLSearchParams(f).toString(), "application/x-www-form-urlencoded; charset=Windows-31J")

  it("verifies the hc, answers exactly result=0, keys on payment_notice_id, says it is verified", () => {
    const n = gw().parseNotification(post(fields()))
    expect(n.ack).toEqual({ status: 200, contentType: "text/plain; charset=Windows-31J", body: "result=0" })
    expect(n.verified).toBe(true)
    expect(n.event).toMatchObject({ orderCode: "MJabc", dedupeKey: "7", succeeded: true, amount: 1500, charge: { reference: "100000000000000001", state: "authorized" } })
  })
  it("an オーソリNG is a failed event; a later status change is acknowledged without one", () => {
    expect(gw().parseNotification(post(fields({ payment_status: "11" }))).event).toMatchObject({ succeeded: false })
    expect(gw().parseNotification(post(fields({ payment_status: "60" }))).event).toBeUndefined()
  })
  it("refuses a bad hash, a changed amount, a missing field, or any notification without the key", () => {
    expect(() => gw().parseNotification(post({ ...fields(), hc: "0".repeat(64) }))).toThrow(/hc does not verify/)
    expect(() => gw().parseNotification(post({ ...fields(), payment_amount: "1" }))).toThrow(/hc does not verify/)
    const { trading_id: _t, ...rest } = fields()
    expect(() => gw().parseNotification(post(rest))).toThrow(/no trading_id/)
    expect(() => gw({ noticeHashKey: undefined }).parseNotification(post(fields()))).toThrow(/noticeHashKey/)
  })
})

describe("PAYGENT saved-card customers", () => {
  it("maps a Medusa customer id to a stable customer_id of at most 25 [A-Za-z0-9_]", () => {
    const ref = gw().customers.refFor("cus_01JABCDEFGHJKMNPQRSTVWXYZ0")
    expect(ref).toMatch(/^[A-Za-z0-9_]{1,25}$/)
    expect(gw().customers.refFor("cus_01JABCDEFGHJKMNPQRSTVWXYZ0")).toBe(ref)
    expect(gw().customers.refFor("cus_01JABCDEFGHJKMNPQRSTVWXYZ1")).not.toBe(ref)
  })
})
