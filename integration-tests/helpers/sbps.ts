// The SBPS simulator for a Medusa test app (started before the app boots: medusa-config.ts reads
// SBPS_BASE_URL), and what the shopper's browser does with SBPS's scripts and 3-D Secure page,
// over plain HTTP: the token scripts' own endpoints, then the page SBPS's redirect_url shows.
import { startSbpsSimulator, CHALLENGE_CODE, SANDBOX_MERCHANT, type SbpsSimulator } from "../../src/simulator/sbps"

export const SBPS_MERCHANT = { merchantId: "30132", serviceId: "002" }
/** The provider sbpsn of medusa-config.ts: no 3-D Secure, 3DES, sold at once. */
export const SBPS_SECOND_MERCHANT = {
  merchantId: "12345",
  serviceId: "001",
  hashKey: "sbps-second-merchant-hash-key",
  desKey: "abcdefghyjklmn1234567890",
  desIv: "12345678",
}

export function useSbpsSimulator(): { readonly sim: SbpsSimulator } {
  const ref = {} as { sim: SbpsSimulator }
  beforeAll(async () => {
    ref.sim = await startSbpsSimulator({ merchants: [SANDBOX_MERCHANT, SBPS_SECOND_MERCHANT] })
    process.env.SBPS_BASE_URL = ref.sim.url
  })
  afterAll(async () => {
    await ref.sim?.close()
  })
  return ref
}

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
