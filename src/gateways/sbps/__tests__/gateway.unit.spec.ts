// The adapter's pure parts: options at boot, what the storefront may send, and the 3-D Secure return.
import { createHmac } from "node:crypto"
import { GatewayError } from "../../../core/gateway"
import { SbpsGateway } from "../gateway"
import { parseOptions } from "../../../core/options"
import { sbps } from ".."

const base = { merchantId: "30132", serviceId: "002", hashKey: "k", backendUrl: "https://api.shop.jp" }

describe("SBPS options", () => {
  it("defaults to production, 3-D Secure on, and refuses malformed ids without echoing secrets", () => {
    expect(parseOptions(sbps, base)).toMatchObject({ baseUrl: "https://api.sps-system.com", threeDSecure: true, captureOnAuthorize: false, environment: "production" })
    expect(() => parseOptions(sbps, { ...base, merchantId: "1234" })).toThrow(/merchantId must be the 5-digit/)
    expect(() => parseOptions(sbps, { ...base, serviceId: "1" })).toThrow(/serviceId/)
    expect(() => parseOptions(sbps, { ...base, desKey: "x".repeat(24) })).toThrow(/desKey and desIv go together/)
    expect(() => parseOptions(sbps, { ...base, hashKey: "secret-value", unknown: 1 })).toThrow(/Unrecognized key/)
    try {
      parseOptions(sbps, { ...base, hashKey: "secret-value", merchantId: "x" })
    } catch (e) {
      expect((e as Error).message).not.toContain("secret-value")
    }
  })

  it("points the browser at SBPS's scripts, or the simulator's when baseUrl is one", () => {
    const prod = new SbpsGateway(parseOptions(sbps, base))
    expect(prod.browserConfig({ orderCode: "MJx", amount: 100 }).scripts).toEqual([
      "https://token.sps-system.com/sbpstoken/com_sbps_system_token.js",
      "https://token.sps-system.com/sbpstoken/com_sbps_system_tds2infotoken.js",
    ])
    const sandbox = new SbpsGateway(parseOptions(sbps, { ...base, environment: "sandbox", threeDSecure: false }))
    expect(sandbox.browserConfig({ orderCode: "MJx", amount: 100 }).scripts).toEqual(["https://stbtoken.sps-system.com/sbpstoken/com_sbps_system_token.js"])
    const sim = new SbpsGateway(parseOptions(sbps, { ...base, baseUrl: "http://127.0.0.1:4000" }))
    expect(sim.scriptUrls().token).toBe("http://127.0.0.1:4000/sbpstoken/com_sbps_system_token.js")
  })
})

describe("SBPS session input", () => {
  const g = new SbpsGateway(parseOptions(sbps, base))
  const T = "A".repeat(40)
  it("takes token + token_key (+ the 3-D Secure cardholder token) or a saved card", () => {
    expect(g.parseSessionInput({ token: T, token_key: T })).toEqual({ source: { type: "token", token: T, saveCard: false } })
    expect(g.parseSessionInput({ token: T, token_key: T, tds2info_token: T, tds2info_token_key: T, save_card: true }).source).toMatchObject({ saveCard: true })
    expect(g.parseSessionInput({ payment_method_id: "cus_01" })).toEqual({ source: { type: "saved", cardRef: "cus_01" } })
    expect(sbps.tokenFields).toEqual(["token", "token_key", "tds2info_token", "tds2info_token_key"])
  })
  it("refuses half a token, both sources, or a bad value", () => {
    expect(() => g.parseSessionInput({ token: T })).toThrow(/token_key/)
    expect(() => g.parseSessionInput({ token: T, token_key: T, tds2info_token: T })).toThrow(/go together/)
    expect(() => g.parseSessionInput({ token: T, token_key: T, payment_method_id: "x" })).toThrow(/either/)
    expect(() => g.parseSessionInput({ token: "short", token_key: T })).toThrow(GatewayError)
    expect(() => g.parseSessionInput({ token: T, token_key: T, save_card: "yes" })).toThrow(/save_card/)
  })
})

describe("SBPS 3-D Secure return", () => {
  const g = new SbpsGateway(parseOptions(sbps, base))
  const pending = { orderCode: "MJx", amount: 100, currency: "jpy", state: { tds_authentication_id: "ABC", cust_code: "c", save_card: "0", sps_transaction_id: "" } }
  const incoming = (query: Record<string, string>) => ({ method: "GET", query, rawBody: Buffer.alloc(0), headers: {} })
  // our signature of the URL given to SBPS: HMAC-SHA256 with the hash key, 128 bits in hex
  const sig = (result: string, code = "MJx", key = "k") => createHmac("sha256", key).update(`sbps:3ds-return:${code}:${result}`).digest("hex").slice(0, 32)
  it("reads ok and ng from the signed URL we gave SBPS", () => {
    expect(g.parseReturn(incoming({ sbps_result: "ok", sig: sig("ok") }), pending)).toEqual({ outcome: "ok", values: { sbps_result: "ok" } })
    expect(g.parseReturn(incoming({ sbps_result: "ng", sig: sig("ng") }), pending)).toMatchObject({ outcome: "failed", error: { code: "TDS_NG" } })
  })
  it("refuses anything else, and a session that is not waiting on SBPS", () => {
    expect(() => g.parseReturn(incoming({}), pending)).toThrow(/sbps_result/)
    expect(() => g.parseReturn(incoming({ sbps_result: "ok", sig: sig("ok") }), { ...pending, state: {} })).toThrow(/not waiting/)
  })
  it("refuses a return that is not signed for this order and result (SBPS signs nothing there)", () => {
    expect(() => g.parseReturn(incoming({ sbps_result: "ok" }), pending)).toThrow(/signature/)
    expect(() => g.parseReturn(incoming({ sbps_result: "ng" }), pending)).toThrow(/signature/)
    expect(() => g.parseReturn(incoming({ sbps_result: "ok", sig: sig("ng") }), pending)).toThrow(/signature/)
    expect(() => g.parseReturn(incoming({ sbps_result: "ok", sig: sig("ok", "MJother") }), pending)).toThrow(/signature/)
    expect(() => g.parseReturn(incoming({ sbps_result: "ok", sig: sig("ok", "MJx", "another-key") }), pending)).toThrow(/signature/)
    expect(() => g.parseReturn(incoming({ sbps_result: "ok", sig: sig("ok").toUpperCase() }), pending)).toThrow(/signature/)
  })
  it("keeps the same redirect while the shopper has not come back", async () => {
    const r = await g.completeRedirect({ paymentMethod: { type: "lump" }, orderCode: "MJx", amount: 100, currency: "jpy", capture: false, payer: {}, source: null, state: pending.state, returned: null, redirect: { url: "https://acs" } })
    expect(r).toEqual({ type: "redirect", redirect: { url: "https://acs" }, state: pending.state })
  })
})
