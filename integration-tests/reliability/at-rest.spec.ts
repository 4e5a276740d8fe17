// R3 no card data or secret at rest or in logs. One Medusa app at LOG_LEVEL debug runs a flow through
// every gateway that stores or logs something (ROBOT PAYMENT token + 3-D Secure challenge, capture,
// refund, cancel, kickback, a saved card and a one-touch payment with it, a token replaced by
// another; SBPS token with 3DES; PAYGENT token + 3-D Secure + capture + refund + 差分通知; 請求管理ロボ
// card registration, webhook and 即時決済; PaymentOptions hosted page + 3-D Secure challenge + return,
// webhook, smaller capture, refund). Every line the app and the simulators wrote is kept, every
// table of the database is read (`SELECT t::text` of every row: pg_dump on this machine may be older
// than the server), and both are scanned for card numbers, security codes, the tokens the simulators
// issued and every configured secret. The providers run mid-rotation of the seal key (a sealKey, and
// old keys in previousSealKeys, one of them a short old cookieSecret that is warned about at boot):
// every string in an option is looked for, in lists and objects too. The rules are written at `scan` below.
import { previousLogLevel } from "./debug-logs"
import fs from "node:fs"
import os from "node:os"
import path from "node:path"
import { medusaIntegrationTestRunner } from "../helpers/medusa-runner"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type { AxiosInstance } from "axios"
import { startRobotPaymentSimulator, type RobotPaymentSimulator } from "../../src/simulator/robot-payment"
import { startSbpsSimulator, SANDBOX_MERCHANT, type SbpsSimulator } from "../../src/simulator/sbps"
import { startPaygentSimulator, type PaygentSimulator } from "../../src/simulator/paygent"
import { startBillingRoboSimulator, type BillingRoboSimulator } from "../../src/simulator/billing-robo"
import { startPaymentOptionsSimulator, type PaymentOptionsSimulator } from "../../src/simulator/payment-options"
import { payInBrowser, PO_MERCHANTS } from "../helpers/payment-options"
import { authenticate, createToken } from "../../src/simulator/robot-payment/shopper"
import { sbpsTokens } from "../../src/simulator/sbps/shopper"
import { createPaygentToken, runAcs } from "../../src/simulator/paygent/shopper"
import { cartWithCollection, logInCustomer, orderPayment, paymentSession, responseOf, setUpStore, waitFor, type Store } from "../helpers/store"
import { SBPS_SECOND_MERCHANT } from "../helpers/sbps"
import { reportFigure } from "./figures"
import { freePort } from "../helpers/free-port"

jest.setTimeout(900_000)

const RP = "pp_robot-payment_rp"
const SBPSN = "pp_sbps_sbpsn"
const PG = "pp_paygent_pg"
const BR = "pp_billing-robo_br"
const PO = "pp_payment-options_po"
const AID = "123456"
const BR_SIGNATURE_KEY = "billing-robo-test-signature-key"

/** The card numbers and security codes the shoppers typed in this run. */
const PANS = { rpChallenge: "4111111111111111", rpGood: "4444333322221111", sbps: "5555555555554444", paygent: "5120790000000000", billingRobo: "4111111111111111", paymentOptions: "5200000000001096" }
const SECURITY_CODES = ["123"]
/** A rotation under way: the current key, an old sealKey and an old http.cookieSecret (short, as Medusa allows). */
const SEAL_ROTATION = {
  sealKey: "gbfhlOayqZPYWw8DABKdj/lVH9kuRTTTa1o4RUZzEzE=",
  previousSealKeys: ["keamO7O1st1rtxz3Xoe1J9jwefDiYr7mFFzXmBkc020=", "shop-cookie-2025"],
}

// ---- what the app and the simulators write ------------------------------------------------------

const logLines: string[] = []
const simLines: string[] = []
const keep = (into: string[]) => (chunk: unknown) => {
  for (const l of String(chunk).split("\n")) if (l.trim()) into.push(l)
}
const restore: Array<() => void> = []
function capture() {
  const app = keep(logLines)
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream)
    stream.write = ((chunk: unknown, ...rest: unknown[]) => (app(chunk), (write as (...a: unknown[]) => boolean)(chunk, ...rest))) as typeof stream.write
    restore.push(() => (stream.write = write as typeof stream.write))
  }
  // jest's console does not go through process.stdout: Medusa's logger (winston's Console transport) and any console call
  for (const m of ["log", "info", "warn", "error", "debug"] as const) {
    const orig = console[m]
    console[m] = (...args: unknown[]) => (app(args.map((a) => (typeof a === "string" ? a : JSON.stringify(a))).join(" ")), orig.apply(console, args))
    restore.push(() => (console[m] = orig))
  }
}

const sims = {} as { rp: RobotPaymentSimulator; sb: SbpsSimulator; pg: PaygentSimulator; br: BillingRoboSimulator; po: PaymentOptionsSimulator; appUrl: string }
const ENV = ["PORT", "ROBOT_PAYMENT_BASE_URL", "SBPS_BASE_URL", "PAYGENT_BASE_URL", "PAYGENT_TOKEN_SCRIPT_URL", "PAYGENT_CERT_DIR", "PAYGENT_BACKEND_URL", "BILLING_ROBO_BASE_URL", "PAYMENT_OPTIONS_BASE_URL", "PAYMENT_OPTIONS_BACKEND_URL", "PAYMENT_OPTIONS_STOREFRONT_URL", "JP_TEST_SEAL_ROTATION"]
const saved = { ...process.env }
beforeAll(async () => {
  capture()
  const log = keep(simLines)
  const port = await freePort()
  sims.appUrl = `http://localhost:${port}`
  const certDir = path.join(os.tmpdir(), "medusa-payment-jp-paygent-certs")
  sims.rp = await startRobotPaymentSimulator({ stores: [{ aid: AID }], log })
  sims.sb = await startSbpsSimulator({ merchants: [SANDBOX_MERCHANT, SBPS_SECOND_MERCHANT], log })
  sims.pg = await startPaygentSimulator({ certDir, noticeRetryMs: 200, log })
  sims.br = await startBillingRoboSimulator({ signatureKey: BR_SIGNATURE_KEY, webhookUrl: `${sims.appUrl}/jp-payments/card-registration/${BR}/webhook`, log })
  sims.po = await startPaymentOptionsSimulator({ merchants: PO_MERCHANTS, log })
  Object.assign(process.env, {
    PORT: String(port),
    ROBOT_PAYMENT_BASE_URL: sims.rp.url,
    SBPS_BASE_URL: sims.sb.url,
    PAYGENT_BASE_URL: sims.pg.url,
    PAYGENT_TOKEN_SCRIPT_URL: `${sims.pg.browserUrl}/js/PaygentToken.js`,
    PAYGENT_CERT_DIR: certDir,
    PAYGENT_BACKEND_URL: sims.appUrl,
    BILLING_ROBO_BASE_URL: sims.br.url,
    PAYMENT_OPTIONS_BASE_URL: sims.po.url,
    PAYMENT_OPTIONS_BACKEND_URL: sims.appUrl,
    PAYMENT_OPTIONS_STOREFRONT_URL: "http://storefront.test",
    JP_TEST_SEAL_ROTATION: JSON.stringify(SEAL_ROTATION),
  })
})
afterAll(async () => {
  for (const r of restore.reverse()) r()
  if (previousLogLevel === undefined) delete process.env.LOG_LEVEL
  else process.env.LOG_LEVEL = previousLogLevel
  for (const k of ENV) {
    if (saved[k] === undefined) delete process.env[k]
    else process.env[k] = saved[k]
  }
  await Promise.all([sims.rp?.close(), sims.sb?.close(), sims.pg?.close(), sims.br?.close(), sims.po?.close()])
})

// ---- the scan -------------------------------------------------------------------------------------

function luhn(d: string): boolean {
  let sum = 0
  for (let i = 0; i < d.length; i++) {
    let x = d.charCodeAt(d.length - 1 - i) - 48
    if (i % 2 === 1) x = x * 2 > 9 ? x * 2 - 9 : x * 2
    sum += x
  }
  return sum % 10 === 0
}

/** YYYYMMDDhhmmss (a migration's name, a gateway's request date): a date, not a card number. */
function isDateTime(run: string): boolean {
  const m = run.match(/^(19[7-9]\d|20\d\d)(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])([01]\d|2[0-3])([0-5]\d)([0-5]\d)$/)
  return m !== null
}

interface Finding {
  where: string
  what: string
  excerpt: string
}

interface Stats {
  luhnRuns: number
  judgedReference: number
  judgedTimestamp: number
  judgedHex: number
}

/** Whether the digits at [i, i+len) are part of a hex value of 32+ characters with a letter in it (a random key, a digest). */
function inLongHex(text: string, i: number, len: number): boolean {
  let a = i
  let b = i + len
  while (a > 0 && /[0-9a-fA-F]/.test(text[a - 1])) a--
  while (b < text.length && /[0-9a-fA-F]/.test(text[b])) b++
  return b - a >= 32 && /[a-fA-F]/.test(text.slice(a, b))
}

interface Needles {
  pans: Set<string>
  /** Digit runs the gateways issued as references (gid, tracking_id, payment_id …): Luhn-valid by chance. */
  references: Set<string>
  tokens: Set<string>
  secrets: Map<string, string>
  since: number
}

/**
 * The rules, for one text (a table row or a log line):
 * - a 13–19-digit run (not inside a longer one) is a finding when it is a card number typed in this
 *   run, or when it is Luhn-valid and neither a reference a gateway issued, nor a millisecond timestamp
 *   of this run, nor a 14-digit date-time YYYYMMDDhhmmss (migration names), nor a part of a hex value
 *   of 32+ characters (a key or digest Medusa or a gateway made at random: pk_…, a hash); every
 *   Luhn-valid run is counted and judged;
 * - a security code: a 3–4-digit value right after a card-code field name (cvv, cvc, security_code,
 *   securityCode, card_conf_number) — a code nobody may keep, whatever its value;
 * - any token a simulator issued in this run, anywhere;
 * - any configured secret (hash keys, passwords, access keys, the DES key, seal keys current and previous,
 *   the client certificate's private key), anywhere.
 */
function scan(where: string, text: string, n: Needles, out: Finding[], stats: Stats) {
  const excerpt = (i: number) => text.slice(Math.max(0, i - 60), i + 80)
  for (const t of n.tokens) if (text.includes(t)) out.push({ where, what: "a gateway token issued in this run", excerpt: excerpt(text.indexOf(t)) })
  // a digit run inside an issued token (hex) is that token, found above: not a card number of its own
  let digits = text
  for (const t of n.tokens) digits = digits.split(t).join("<token>")
  for (const m of digits.matchAll(/(?<!\d)\d{13,19}(?!\d)/g)) {
    const run = m[0]
    if (n.pans.has(run)) {
      out.push({ where, what: "a card number typed in this run", excerpt: digits.slice(Math.max(0, m.index! - 60), m.index! + 80) })
      continue
    }
    if (!luhn(run)) continue
    stats.luhnRuns++
    if (n.references.has(run)) stats.judgedReference++
    else if (run.length === 13 && Number(run) >= n.since && Number(run) <= Date.now()) stats.judgedTimestamp++
    else if (run.length === 14 && isDateTime(run)) stats.judgedTimestamp++
    else if (inLongHex(digits, m.index!, run.length)) stats.judgedHex++
    else out.push({ where, what: `a Luhn-valid ${run.length}-digit number`, excerpt: digits.slice(Math.max(0, m.index! - 60), m.index! + 80) })
  }
  for (const m of text.matchAll(/(cvv|cvc|security_?code|securityCode|card_conf_number)["'\\]*\s*[:=]\s*["'\\]*(\d{3,4})(?!\d)/gi)) {
    out.push({ where, what: `a security code (${m[1]})`, excerpt: excerpt(m.index!) })
  }
  for (const [name, v] of n.secrets) if (text.includes(v)) out.push({ where, what: `the configured secret ${name}`, excerpt: excerpt(text.indexOf(v)).replace(v, "<secret>") })
}

/** An option value's strings by path (`previousSealKeys.1`, `a.b`): a secret in a list or an object is one too. */
function strings(v: unknown, at: string): Array<[string, string]> {
  if (typeof v === "string") return [[at, v]]
  if (Array.isArray(v)) return v.flatMap((x, i) => strings(x, `${at}.${i}`))
  if (v && typeof v === "object") return Object.entries(v).flatMap(([k, x]) => strings(x, `${at}.${k}`))
  return []
}

/** One provider's secrets: every string (of 8+ characters) under an option whose name says secret, at any depth. */
function secretsOf(id: string, options: Record<string, unknown>, out = new Map<string, string>()): Map<string, string> {
  for (const [k, v] of Object.entries(options)) {
    // tokenGenerationKey is PAYGENT's public browser key (PaygentToken.js takes it in the page); desIv is an IV, not a key.
    if (k === "tokenGenerationKey" || k === "desIv") continue
    for (const [at, s] of strings(v, k)) {
      if (s.length >= 8 && at.split(".").some((name) => /(password|passphrase|secret|keys?|authorization)$/i.test(name))) out.set(`${id}.${at}`, s)
    }
  }
  return out
}

/** Every configured secret of the payment providers (medusa-config.ts), by option name. */
function configuredSecrets(): Map<string, string> {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  type Mod = { resolve: string; options?: { providers?: Array<{ id: string; options: Record<string, unknown> }> } }
  const config = require("../../medusa-config") as { modules: Mod[] | Record<string, Mod> }
  const out = new Map<string, string>()
  // defineConfig keeps the modules by key; the file writes them as a list
  const modules = Array.isArray(config.modules) ? config.modules : Object.values(config.modules)
  const payment = modules.find((m) => m && m.resolve === "@medusajs/medusa/payment")!
  for (const p of payment.options!.providers!) secretsOf(p.id, p.options, out)
  // the PAYGENT client certificate's private key (plain and encrypted): every line of its base64 body
  for (const file of ["client-plain.key", "client-key.pem"]) {
    const pem = fs.readFileSync(path.join(sims.pg.certificates.dir, file), "utf8")
    pem
      .split("\n")
      .filter((l) => /^[A-Za-z0-9+/=]{40,}$/.test(l.trim()))
      .forEach((l, i) => out.set(`paygent ${file} line ${i + 1}`, l.trim()))
  }
  return out
}

describe("R3 scan rules", () => {
  it("finds what it looks for and lets masked numbers, references and dates be", () => {
    const n: Needles = { pans: new Set(["4111111111111111"]), references: new Set(["4539578763621486"]), tokens: new Set(["tok_abc123"]), secrets: new Map([["x.hashKey", "s3cret-hash-key"]]), since: Date.now() - 60_000 }
    const found = (text: string) => {
      const out: Finding[] = []
      scan("t", text, n, out, { luhnRuns: 0, judgedReference: 0, judgedTimestamp: 0, judgedHex: 0 })
      return out.map((f) => f.what)
    }
    expect(found('{"cn":"4111111111111111"}')).toEqual(["a card number typed in this run"])
    expect(found("pan 5500005555555559 here")).toEqual(["a Luhn-valid 16-digit number"])
    expect(found('{"masked":"411111******1111","gid":"4539578763621486","at":20241210073813,"ms":' + Date.now() + "}")).toEqual([])
    // a Luhn-valid run inside a random key (Medusa's publishable key) is that key; a typed card number is found anywhere
    expect(found("pk_7cb4fc602c78b7f206573132190487ce1747002b1c152f96cc16ec89fbb83cba")).toEqual([])
    expect(found("ab5500005555555559cd")).toEqual(["a Luhn-valid 16-digit number"])
    expect(found("7cb4fc602c78b7fe4111111111111111ce1747002b1c152f96cc16ec89fbb83cba")).toEqual(["a card number typed in this run"])
    expect(found('{"security_code":"123"}')).toEqual(["a security code (security_code)"])
    expect(found("cvv=4321")).toEqual(["a security code (cvv)"])
    expect(found('"cvv":"[redacted]"')).toEqual([])
    expect(found("token tok_abc123 and s3cret-hash-key")).toEqual(["a gateway token issued in this run", "the configured secret x.hashKey"])
  })

  it("takes every string under a secret option as a secret, in lists and objects too", () => {
    const options = {
      sealKey: "current-seal-key",
      previousSealKeys: ["old-seal-key-one", "old-cookie"],
      nested: { apiKey: "nested-api-key", url: "http://x.test/path" },
      kickbackAllowedIps: ["192.0.2.10"],
      paymentMethods: { installments: [3, 6] },
      tokenGenerationKey: "public-browser-key",
      desIv: "12345678",
      baseUrl: "http://127.0.0.1:9",
    }
    expect([...secretsOf("p", options)]).toEqual([
      ["p.sealKey", "current-seal-key"],
      ["p.previousSealKeys.0", "old-seal-key-one"],
      ["p.previousSealKeys.1", "old-cookie"],
      ["p.nested.apiKey", "nested-api-key"],
    ])
  })
})

medusaIntegrationTestRunner({
  inApp: true,
  env: {},
  testSuite: ({ api, getContainer }) => {
    let s: Store
    const tokens = new Set<string>()
    const since = Date.now()

    beforeAll(async () => {
      s = await setUpStore(api, getContainer(), [RP, SBPSN, PG, BR, PO])
      sims.rp.setKickbackUrl(AID, `${api.defaults.baseURL}/jp-payments/robot-payment_rp/notify`)
      sims.pg.setNoticeUrl("100000001", `${sims.appUrl}/jp-payments/paygent_pg/notify`)
    })

    const complete = async (a: AxiosInstance, cartId: string, headers: Record<string, string>) => (await a.post(`/store/carts/${cartId}/complete`, {}, { headers }).catch(responseOf)).data

    async function rpCheckout(cn: string, opts: { replaceToken?: boolean } = {}) {
      const { cart, collectionId, headers } = await cartWithCollection(api, s)
      const first = await paymentSession(api, collectionId, RP, headers)
      const token = async () => {
        const t = await createToken(sims.rp.url, first.data.jp.browser.aid, { cn })
        tokens.add(t)
        await authenticate(sims.rp.url, AID, t, first.data.jp.browser.three_ds)
        return t
      }
      // a shopper who enters a card, then another: the first token's session is replaced
      if (opts.replaceToken) await paymentSession(api, collectionId, RP, headers, { token: await token() })
      await paymentSession(api, collectionId, RP, headers, { token: await token() })
      return complete(api, cart.id, headers)
    }

    /** The flows, in the same test as the scan: the test runner empties the database after each test. */
    async function runFlows() {
      // ROBOT PAYMENT: token + 3-D Secure challenge → order → capture → refund; the kickback arrives
      const a = await rpCheckout(PANS.rpChallenge)
      expect(a.type).toBe("order")
      let p = await orderPayment(api, s, a.order.id)
      await api.post(`/admin/payments/${p.id}/capture`, {}, s.admin)
      await api.post(`/admin/payments/${p.id}/refund`, {}, s.admin)
      p = await orderPayment(api, s, a.order.id)
      expect(p.data.jp.state).toBe("refunded")
      // … another order canceled; a third whose first token was replaced by a second
      const b = await rpCheckout(PANS.rpGood)
      await api.post(`/admin/orders/${b.order.id}/cancel`, {}, s.admin)
      expect((await orderPayment(api, s, b.order.id)).data.jp.state).toBe("canceled")
      expect((await rpCheckout(PANS.rpGood, { replaceToken: true })).type).toBe("order")
      await waitFor(async () => sims.rp.kickbacks().length >= 3 || null)

      // ROBOT PAYMENT saved card: saved outside checkout, then a one-touch payment with it
      const customer = await logInCustomer(api, s, "at-rest@example.jp")
      const holder = (await api.get(`/store/jp-payments/payment-methods?provider_id=${RP}`, { headers: customer.headers })).data.account_holder
      const saveToken = await createToken(sims.rp.url, AID, { cn: PANS.rpGood, ed: "3012" })
      tokens.add(saveToken)
      await authenticate(sims.rp.url, AID, saveToken, { uid: holder.ref })
      const savedCard = (await api.post(`/store/jp-payments/payment-methods`, { provider_id: RP, data: { token: saveToken } }, { headers: customer.headers })).data.payment_method
      const oneTouch = await cartWithCollection(api, s, { headers: customer.headers, email: "at-rest@example.jp" })
      await paymentSession(api, oneTouch.collectionId, RP, customer.headers)
      await paymentSession(api, oneTouch.collectionId, RP, customer.headers, { payment_method_id: savedCard.id })
      expect((await complete(api, oneTouch.cart.id, customer.headers)).type).toBe("order")

      // SBPS (3DES merchant): token → order (sold at once) → refund
      {
        const { cart, collectionId, headers } = await cartWithCollection(api, s)
        const first = await paymentSession(api, collectionId, SBPSN, headers)
        const t = await sbpsTokens(sims.sb.url, first.data.jp.browser, PANS.sbps)
        Object.values(t).forEach((v) => tokens.add(v))
        await paymentSession(api, collectionId, SBPSN, headers, t)
        const c = await complete(api, cart.id, headers)
        expect(c.type).toBe("order")
        const sp = await orderPayment(api, s, c.order.id)
        await api.post(`/admin/payments/${sp.id}/refund`, { amount: 1000 }, s.admin)
      }

      // PAYGENT: token → 3-D Secure (ACS) → order → capture → refund; 差分通知 to the notify route
      {
        const { cart, collectionId, headers } = await cartWithCollection(api, s)
        const first = await paymentSession(api, collectionId, PG, headers)
        const b = first.data.jp.browser
        const t = await createPaygentToken(sims.pg.browserUrl, sims.pg.certificates.caFile, b.merchant_id, b.token_generation_key, { card_number: PANS.paygent, cvc: SECURITY_CODES[0] })
        tokens.add(t.token)
        await paymentSession(api, collectionId, PG, headers, { ...t })
        expect((await complete(api, cart.id, headers)).type).toBe("cart") // REDIRECT_PENDING
        const waiting = (await api.get(`/store/carts/${cart.id}?fields=*payment_collection.payment_sessions`, { headers })).data.cart.payment_collection.payment_sessions[0]
        const { termUrl } = await runAcs(waiting.data.jp.redirect.html, sims.pg.certificates.caFile, { simUrl: sims.pg.browserUrl })
        await api.get(termUrl.slice(sims.appUrl.length), { maxRedirects: 0, validateStatus: () => true })
        const c = await complete(api, cart.id, headers)
        expect(c.type).toBe("order")
        const pp = await orderPayment(api, s, c.order.id)
        await api.post(`/admin/payments/${pp.id}/capture`, {}, s.admin)
        await api.post(`/admin/payments/${pp.id}/refund`, { amount: 1000 }, s.admin)
        await sims.pg.settle()
      }

      // 請求管理ロボ: a customer registers a card (CPToken + 3-D Secure), the webhook arrives, an order is charged
      {
        const c = await logInCustomer(api, s, "hanako@example.jp")
        await api.post(
          "/store/customers/me/addresses",
          { first_name: "花子", last_name: "山田", phone: "090-1234-5678", postal_code: "150-0001", province: "東京都", city: "渋谷区", address_1: "神宮前1-2-3", country_code: "jp", is_default_billing: true },
          { headers: c.headers }
        )
        const prep = (await api.post("/store/jp-payments/card-registration", { provider_id: BR }, { headers: c.headers })).data
        const t = await createToken(sims.br.url, prep.browser.aid, { cn: PANS.billingRobo })
        tokens.add(t)
        await authenticate(sims.br.url, prep.browser.aid, t, prep.browser.three_ds)
        const done = (await api.post("/store/jp-payments/card-registration/token", { provider_id: BR, token: t }, { headers: c.headers })).data
        expect(done.registration.registered).toBe(true)
        const meta = async () => (await api.get(`/admin/customers/${c.id}?fields=+metadata`, s.admin)).data.customer.metadata?.jp_card_registration?.[BR]
        await waitFor(async () => ((await meta())?.credit_status === 2 ? true : null))
        const { cart, collectionId } = await cartWithCollection(api, s, { headers: c.headers, email: "hanako@example.jp" })
        await paymentSession(api, collectionId, BR, c.headers)
        expect((await complete(api, cart.id, c.headers)).type).toBe("order")
      }

      // PaymentOptions: the hosted page (a card with a 3-D Secure challenge) → return → order; its
      // webhook arrives; a smaller capture and a refund
      {
        const { cart, collectionId, headers } = await cartWithCollection(api, s)
        await paymentSession(api, collectionId, PO, headers)
        await complete(api, cart.id, headers) // requires_more: the hosted page
        const waiting = (await api.get(`/store/carts/${cart.id}?fields=*payment_collection.payment_sessions`, { headers })).data.cart.payment_collection.payment_sessions[0]
        const browser = await payInBrowser(waiting.data.jp.redirect.url, { number: PANS.paymentOptions, cvc: SECURITY_CODES[0] })
        expect(browser.end.searchParams.get("jp_result")).toBe("ok")
        const c = await complete(api, cart.id, headers)
        expect(c.type).toBe("order")
        const pp = await orderPayment(api, s, c.order.id)
        await api.post(`/admin/jp-payments/payments/${pp.id}/capture`, { amount: 2000 }, s.admin)
        await api.post(`/admin/payments/${pp.id}/refund`, { amount: 500 }, s.admin)
        expect((await orderPayment(api, s, c.order.id)).data.jp).toMatchObject({ gateway: "payment-options", state: "partially_refunded" })
        await waitFor(async () => sims.po.webhooks().some((w) => w.status === 200) || null)
      }
    }

    it("runs a flow through every gateway, then leaves no card number, security code, gateway token or configured secret in the database or the logs", async () => {
      // The app's own logger at debug: LOG_LEVEL (debug-logs.ts) is read once, when Medusa's logger is
      // first loaded, and in a jest worker that may have happened before this file (CI saw 0 debug lines).
      const appLogger = getContainer().resolve(ContainerRegistrationKeys.LOGGER) as unknown as Record<string, unknown> & { setLogLevel?(l: string): void; unsetLogLevel?(): void }
      appLogger.setLogLevel?.("debug")
      restore.push(() => appLogger.unsetLogLevel?.())
      // …and every line given to it, read at the logger itself: what reaches stdout differs with jest's
      // console (a worker's buffered one, or in-band), and CI's workers wrote nothing the hooks above saw.
      const app = keep(logLines)
      const text = (x: unknown) => {
        if (typeof x === "string") return x
        if (x instanceof Error) return `${x.message}\n${x.stack ?? ""}`
        try {
          return JSON.stringify(x)
        } catch {
          return String(x)
        }
      }
      for (const m of ["debug", "info", "warn", "error", "log", "http", "verbose", "activity", "success", "failure", "progress"]) {
        const f = appLogger[m]
        if (typeof f !== "function") continue
        appLogger[m] = (...a: unknown[]) => (app(a.map(text).join(" ")), (f as (...x: unknown[]) => unknown).apply(appLogger, a))
        restore.push(() => (appLogger[m] = f))
      }
      await runFlows()
      // the users' keys of ROBOT PAYMENT saved cards are secrets too (never logged, never stored)
      for (const u of sims.rp.users()) tokens.add(u.key)
      const secrets = configuredSecrets()
      const references = new Set<string>()
      const json = JSON.stringify([sims.rp.transactions(), sims.sb.transactions(), sims.pg.payments(), sims.br.bills(), sims.po.transactions()])
      for (const m of json.matchAll(/(?<!\d)\d{13,19}(?!\d)/g)) references.add(m[0])
      for (const pan of Object.values(PANS)) references.delete(pan)
      const needles: Needles = { pans: new Set(Object.values(PANS)), references, tokens, secrets, since }

      // every table of the test database, every row as text
      const pg = getContainer().resolve(ContainerRegistrationKeys.PG_CONNECTION) as { raw: (sql: string) => Promise<{ rows: Array<Record<string, string>> }> }
      const tables = (await pg.raw("select table_schema, table_name from information_schema.tables where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema') order by 1, 2")).rows
      const findings: Finding[] = []
      const stats: Stats = { luhnRuns: 0, judgedReference: 0, judgedTimestamp: 0, judgedHex: 0 }
      let rows = 0
      let nonEmpty = 0
      let sealedAtRest = 0
      for (const t of tables) {
        const got = (await pg.raw(`select t::text as row from "${t.table_schema}"."${t.table_name}" t`)).rows
        rows += got.length
        if (got.length) nonEmpty++
        for (const r of got) {
          scan(`table ${t.table_name}`, r.row, needles, findings, stats)
          sealedAtRest += r.row.match(/card_seal[^,]{0,8}s1\./g)?.length ?? 0
        }
      }
      const appLines = logLines.length
      for (const l of logLines) scan("app log", l, needles, findings, stats)
      for (const l of simLines) scan("simulator log", l, needles, findings, stats)

      // The scan saw what it must: the flows wrote payments, the app logged gateway calls at debug,
      // the simulators logged, and the needles are there to find (a scan of nothing cannot fail).
      const gatewayDebugLines = logLines.filter((l) => /robot-payment|sbps|paygent|billing-robo|payment-options|ROBOT PAYMENT|PAYGENT|SBPS|請求管理ロボ|PaymentOptions/i.test(l) && / -> \d{3} in \d+ ms/.test(l)).length
      const stored = (await pg.raw('select (select count(*) from "order")::int as o, (select count(*) from payment)::int as p, (select count(*) from payment_session)::int as ps')).rows[0] as unknown as { o: number; p: number; ps: number }
      // Medusa's complete-cart workflow is stored (store: true, kept 3 days) with the cart it read,
      // payment sessions and their data included: the card token there is sealed (src/core/seal.ts), and
      // any token in any table is a finding like the rest.
      const inTables = findings.filter((f) => f.where.startsWith("table "))
      const inLogs = findings.filter((f) => !f.where.startsWith("table "))
      const checks = [
        { name: "tables read", ok: tables.length > 50 && rows > 0 },
        { name: "orders and payments stored", ok: stored.o >= 8 && stored.p >= 1 },
        { name: "gateway calls logged at debug", ok: gatewayDebugLines > 10 },
        { name: "simulators logged", ok: simLines.length > 10 },
        { name: "tokens to look for", ok: tokens.size >= 8 },
        { name: "secrets to look for", ok: secrets.size >= 10 },
        // the rotation's keys are among them (medusa-config.ts read JP_TEST_SEAL_ROTATION), every old key on every provider of the flows
        {
          name: "previous seal keys to look for",
          ok: [RP, SBPSN, PG, BR, PO].every((id) =>
            SEAL_ROTATION.previousSealKeys.every((k, i) => secrets.get(`${id.replace(/^pp_[^_]+_/, "")}.previousSealKeys.${i}`) === k)
          ),
        },
        // the tokens are absent because they were sealed, not because no flow kept a session to read
        { name: "sealed card tokens at rest (none in the clear)", ok: sealedAtRest > 0 },
        { name: "nothing found in any table", ok: inTables.length === 0 },
        { name: "nothing found in any log", ok: inLogs.length === 0 },
      ]
      const detail =
        `${findings.length} findings (${inTables.length} in tables, ${inLogs.length} in logs; ${sealedAtRest} card tokens sealed at rest) in ${rows} rows of ${tables.length} tables (${nonEmpty} non-empty; ${stored.o} orders, ${stored.p} payments, ${stored.ps} payment sessions) and ${appLines} app + ${simLines.length} simulator log lines (${gatewayDebugLines} gateway calls at debug); ` +
        `looked for ${needles.pans.size} card numbers, security codes, ${tokens.size} tokens/keys, ${secrets.size} secrets; ` +
        `${stats.luhnRuns} Luhn-valid 13–19-digit runs judged: ${stats.judgedReference} gateway references, ${stats.judgedTimestamp} timestamps, ${stats.judgedHex} inside random hex keys`
      const groups = new Map<string, Finding[]>()
      for (const f of findings) groups.set(`${f.where}: ${f.what}`, [...(groups.get(`${f.where}: ${f.what}`) ?? []), f])
      console.log(`R3 ${detail}${[...groups].map(([k, fs]) => `\n  ${fs.length} × ${k}, e.g. …${fs[0].excerpt}…`).join("")}`)
      if (process.env.JP_R3_DUMP) fs.writeFileSync(process.env.JP_R3_DUMP, JSON.stringify({ findings, logLines, simLines, tokens: [...tokens], pans: [...needles.pans] }))
      reportFigure({ id: "R3", title: "no card data or secret at rest or in logs", passed: checks.filter((c) => c.ok).length, total: checks.length, detail })
      expect(findings).toEqual([])
      expect(checks.filter((c) => !c.ok).map((c) => c.name)).toEqual([])
    })
  },
})
