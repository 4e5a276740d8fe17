// The shopper's browser at the SBPS simulator, over HTTP, for tests, benchmarks and demos: what
// com_sbps_system_token.js and com_sbps_system_tds2infotoken.js post, then the 3-D Secure page
// redirect_url shows (a challenge card is answered with the simulator's code).
import { CHALLENGE_CODE } from "./cards"

/** What com_sbps_system.generateToken and com_sbps_system_tds2.generateToken give the storefront. */
export async function sbpsTokens(simUrl: string, browser: { merchant_id: string; service_id: string; three_ds?: boolean }, pan: string): Promise<Record<string, string>> {
  const post = async (path: string, body: object) => {
    const res = await fetch(`${simUrl}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) })
    const r = (await res.json()) as { result: string; errorCode?: string; tokenResponse: Record<string, string> }
    if (r.result !== "OK") throw new Error(`token script answered NG ${r.errorCode}`)
    return r.tokenResponse
  }
  const card = await post("/sbpstoken/token", { merchantId: browser.merchant_id, serviceId: browser.service_id, ccNumber: pan, ccExpiration: "203012", securityCode: "123" })
  const tokens = { token: card.token, token_key: card.tokenKey }
  if (!browser.three_ds) return tokens
  const tds = await post("/sbpstoken/tds2infotoken", { merchantId: browser.merchant_id, serviceId: browser.service_id, email: "buyer@example.jp" })
  return { ...tokens, tds2info_token: tds.tds2infoToken, tds2info_token_key: tds.tds2infoTokenKey }
}

/**
 * The browser at SBPS's redirect_url: a frictionless card goes straight on, a challenge card enters
 * `code`. Returns the ok/ng URL the page sends the browser to.
 */
export async function runThreeDS(redirectUrl: string, code = CHALLENGE_CODE): Promise<string> {
  let html = await (await fetch(redirectUrl)).text()
  if (html.includes('name="otp"')) {
    html = await (await fetch(redirectUrl, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: `otp=${encodeURIComponent(code)}` })).text()
  }
  const m = /location\.replace\(("[^"]*")\)/.exec(html)
  if (!m) throw new Error(`the 3-D Secure page sent the browser nowhere: ${html.slice(0, 200)}`)
  return JSON.parse(m[1]) as string
}
