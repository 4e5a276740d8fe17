// The shopper's browser at the PAYGENT simulator, over HTTP, for tests, benchmarks and demos: what
// PaygentToken.js and the out_acs_html page do — tokenize a card, submit the ACS form, answer a
// challenge with the simulator's password, follow the redirect to term_url. Against the simulator's
// browser origin (plain HTTP); over HTTPS its CA (`caFile`) is trusted.
import { readFileSync } from "node:fs"
import { Agent, request } from "undici"

export interface PaygentTestCard {
  card_number: string
  expire_year?: string
  expire_month?: string
  cvc?: string
  name?: string
}

export interface Tokenized {
  token: string
  masked_card_number: string
  valid_until: string
  fingerprint: string
  hc: string
}

const agents = new Map<string, Agent>()
function browserAgent(caFile: string): Agent {
  let a = agents.get(caFile)
  if (!a) {
    a = new Agent({ connect: { ca: readFileSync(caFile) } })
    agents.set(caFile, a)
  }
  return a
}

/** PaygentToken.createToken, as its script posts it. */
export async function createPaygentToken(simUrl: string, caFile: string, merchantId: string, tokenKey: string, card: PaygentTestCard): Promise<Tokenized> {
  const body = new URLSearchParams({
    merchant_id: merchantId,
    token_generate_key: tokenKey,
    card_number: card.card_number,
    card_expire_year: card.expire_year ?? "30",
    card_expire_month: card.expire_month ?? "12",
    ...(card.cvc ? { card_cvc: card.cvc } : {}),
    ...(card.name ? { card_name: card.name } : {}),
  }).toString()
  const res = await request(`${simUrl}/n/token/request`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded; charset=UTF-8" },
    body,
    dispatcher: browserAgent(caFile),
  })
  const r = (await res.body.json()) as { result: string; tokenizedCardObject?: Omit<Tokenized, "hc">; hc?: string }
  if (r.result !== "0000" || !r.tokenizedCardObject) throw new Error(`PaygentToken.createToken failed: ${r.result}`)
  return { ...r.tokenizedCardObject, hc: r.hc ?? "" }
}

function formOf(html: string): { action: string; fields: Record<string, string> } {
  const action = html.match(/<form[^>]*action="([^"]+)"/i)?.[1]
  if (!action) throw new Error("no form in the 3-D Secure HTML")
  const fields: Record<string, string> = {}
  for (const m of html.matchAll(/<input[^>]*type="hidden"[^>]*name="([^"]+)"[^>]*value="([^"]*)"/gi)) fields[m[1]] = m[2]
  return { action, fields }
}

/**
 * Shows out_acs_html the way a browser would: submits its form to the ACS; on a challenge page,
 * submits `password`. Returns the term_url the browser is sent to (with PAYGENT's query).
 */
export async function runAcs(html: string, caFile: string, opts: { simUrl: string; password?: string }): Promise<{ termUrl: string; challenged: boolean }> {
  const dispatcher = browserAgent(caFile)
  const { action, fields } = formOf(html)
  let res = await request(action, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(fields).toString(), dispatcher })
  let challenged = false
  if (res.statusCode === 200) {
    const page = await res.body.text()
    if (!/id="challenge"/.test(page)) throw new Error(`unexpected ACS page: ${page.slice(0, 200)}`)
    if (!opts.password) throw new Error("the ACS asks for a challenge password")
    challenged = true
    const ch = formOf(page)
    res = await request(new URL(ch.action, opts.simUrl).toString(), {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ ...ch.fields, password: opts.password }).toString(),
      dispatcher,
    })
  }
  await res.body.dump()
  const location = res.headers.location
  if (res.statusCode !== 303 || typeof location !== "string") throw new Error(`the ACS answered ${res.statusCode} without a redirect`)
  return { termUrl: location, challenged }
}
