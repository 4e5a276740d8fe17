// The shopper's browser at the ROBOT PAYMENT simulator, over HTTP, for tests, benchmarks and demos:
// what CPToken.js and EMV3DSAdapter.js do — tokenize a card, then run 3-D Secure on the token (a
// challenge is answered with the simulator's one-time code). The real scripts run in Chromium in the
// browser tests.
import { CHALLENGE_OTP } from "./cards"

export interface TestCard {
  cn: string
  ed?: string
  fn?: string
  ln?: string
  cvv?: string
}

async function postJson(url: string, body: Record<string, unknown>) {
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) })
  return (await res.json()) as { resultCode: string; errMsg: string; token?: string; challengeId?: string; challengeUrl?: string }
}

export async function createToken(simUrl: string, aid: string, card: TestCard): Promise<string> {
  const r = await postJson(`${simUrl}/gateway/token/create`, {
    aid,
    cn: card.cn,
    ed: card.ed ?? "3012",
    fn: card.fn ?? "TARO",
    ln: card.ln ?? "YAMADA",
    ...(card.cvv ? { cvv: card.cvv } : {}),
  })
  if (r.resultCode !== "Success" || !r.token) throw new Error(`token creation failed: ${r.resultCode} ${r.errMsg}`)
  return r.token
}

/** ThreeDSAdapter.authenticate: `params` is {am, tx, sf} for a payment or {uid} to register the card. */
export async function authenticate(
  simUrl: string,
  aid: string,
  tkn: string,
  params: Record<string, string | number>,
  challenge: "submit" | "cancel" = "submit"
): Promise<void> {
  const body: Record<string, string> = { aid, tkn }
  for (const [k, v] of Object.entries(params)) body[k] = String(v)
  const r = await postJson(`${simUrl}/gateway/3ds/authenticate`, body)
  if (r.resultCode !== "Success") throw new Error(`3-D Secure call failed: ${r.resultCode} ${r.errMsg}`)
  if (r.challengeId) {
    const form = new URLSearchParams({ id: r.challengeId, otp: CHALLENGE_OTP, action: challenge })
    const res = await fetch(`${simUrl}/gateway/3ds/challenge`, { method: "POST", body: form })
    if (res.status !== 200) throw new Error(`challenge page answered ${res.status}`)
  }
}

/** Token + 3-D Secure with the values the payment session gave the browser. */
export async function tokenFor(simUrl: string, browser: { aid: string; three_ds: Record<string, number>; uid?: string | null }, card: TestCard, opts: { saveCard?: boolean } = {}) {
  const tkn = await createToken(simUrl, browser.aid, card)
  await authenticate(simUrl, browser.aid, tkn, opts.saveCard ? { uid: browser.uid! } : browser.three_ds)
  return tkn
}
