// P1: the plugin's own cost per gateway call. Arm "provider": authorize, capture and refund through
// the built provider class. Arm "bare": the very requests the provider sent (captured from undici's
// diagnostics channel, with the token, order code and gateway reference swapped for fresh ones),
// sent with a plain undici keep-alive pool to the same simulator. Only the calls are timed; the
// shopper's browser steps (tokenizing, 3-D Secure) happen before the clock starts in both arms.
import diagnostics from "node:diagnostics_channel"
import { performance } from "node:perf_hooks"
import { Pool } from "undici"
import { runInterleaved, summarize, type Row } from "./stats"

export interface Captured {
  origin: string
  method: string
  path: string
  headers: string[]
  body: string
}

let recording: Captured[] | null = null
diagnostics.channel("undici:request:create").subscribe((msg: unknown) => {
  const r = (msg as { request: { origin: string; method: string; path: string; headers: unknown; body: unknown } }).request
  if (!recording) return
  const headers = Array.isArray(r.headers) ? (r.headers as string[]).map(String) : []
  const body = r.body == null ? "" : Buffer.isBuffer(r.body) ? r.body.toString("latin1") : typeof r.body === "string" ? r.body : ""
  recording.push({ origin: String(r.origin), method: r.method, path: r.path, headers, body })
})

async function record<T>(f: () => Promise<T>): Promise<{ value: T; ms: number; requests: Captured[] }> {
  recording = []
  const t = performance.now()
  try {
    const value = await f()
    return { value, ms: performance.now() - t, requests: recording }
  } finally {
    recording = null
  }
}

/** What a gateway's P1 run needs; the provider is the one `npm run build` ships (src/providers/<gw>). */
export interface Scenario {
  gateway: string
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  provider: any
  amount: number
  /**
   * The shopper's browser between the storefront's two sessions (the first, without a card, gives the
   * browser its config; the second carries the token): returns the token fields for the second.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  browser(i: number, session: Record<string, any>): Promise<Record<string, string>>
  /** The gateway's reference for the charge in an authorize answer (the bare arm needs it for capture and refund). */
  referenceOf(answer: string): string
  /** The reference the provider recorded, as it appears on the wire. */
  providerReference(data: Record<string, unknown>): string
  /** Whether the answer to an operation's last request says it succeeded (a refusal would be less work than the provider's call). */
  answerOk(answer: string): boolean
  /** TLS and other connect options of the bare pool (PAYGENT's client certificate). */
  connect?: Record<string, unknown>
  /** Anything a request needs redone after the swap (SBPS's sps_hashcode over the body). */
  fixup?(req: Captured): Captured
}

const swap = (s: string, pairs: Array<[string, string]>) => {
  for (const [a, b] of pairs) {
    if (!a || a === b) continue
    s = s.split(a).join(b)
    const ea = encodeURIComponent(a)
    if (ea !== a) s = s.split(ea).join(encodeURIComponent(b))
  }
  return s
}

function sessionId(i: number, arm: string) {
  // Medusa's session ids: "payses_" + a ULID (26 Crockford base32); the order code is derived from it.
  const time = Date.now().toString(32).toUpperCase().slice(-6).replace(/[ILOU]/g, "X")
  return `payses_01JB${arm === "p" ? "P" : "B"}${time}${String(i).padStart(15, "0")}`
}

interface Template {
  auth: Captured[]
  capture: Captured[]
  refund: Captured[]
  orderCode: string
  tokens: Record<string, string>
  reference: string
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  session: Record<string, any>
}

export async function measureOverhead(sc: Scenario, opts: { warmup: number; rounds: number }): Promise<Row[]> {
  const quietData = (d: Record<string, unknown>) => d
  const p = sc.provider
  let tpl: Template | null = null
  const pool = new Pool(new URL((await firstOrigin(sc)) as string).origin, { connections: 16, keepAliveTimeout: 10_000, connect: sc.connect })
  const times = { p: { authorize: [] as number[], capture: [] as number[], refund: [] as number[] }, b: { authorize: [] as number[], capture: [] as number[], refund: [] as number[] } }

  const providerArm = async (i: number) => {
    const { tokens, session: s } = await checkoutSession(sc, sessionId(i, "p"), i)
    const a = await record<any>(() => p.authorizePayment({ data: { ...tokens, ...s.data } }))
    if (a.value.status !== "authorized") throw new Error(`${sc.gateway} authorize: ${JSON.stringify(a.value.data?.jp?.error ?? a.value.status)}`)
    const c = await record<any>(() => p.capturePayment({ data: a.value.data }))
    const r = await record<any>(() => p.refundPayment({ data: c.value.data, amount: sc.amount }))
    if (!tpl) tpl = { auth: a.requests, capture: c.requests, refund: r.requests, orderCode: s.data.jp.order_code, tokens, reference: sc.providerReference(quietData(a.value.data)), session: s.data }
    return { authorize: a.ms, capture: c.ms, refund: r.ms }
  }

  const send = async (req: Captured) => {
    const fixed = sc.fixup ? sc.fixup(req) : req
    const t = performance.now()
    const res = await pool.request({ method: fixed.method as "POST", path: fixed.path, headers: fixed.headers, body: fixed.body ? Buffer.from(fixed.body, "latin1") : undefined })
    const buf = Buffer.from(await res.body.arrayBuffer())
    const ms = performance.now() - t
    if (res.statusCode >= 400) throw new Error(`${sc.gateway} bare ${fixed.path}: HTTP ${res.statusCode} ${buf.toString().slice(0, 200)}`)
    return { ms, text: buf.toString("latin1") }
  }

  const bareArm = async (i: number) => {
    if (!tpl) throw new Error("the provider arm runs first")
    const t = tpl as Template
    // the browser step for the template's session: same amount and payer, so the same 3-D Secure binding
    const tokens = await sc.browser(i, t.session)
    const { toOrderCode } = await import("../src/core/order-code")
    const orderCode = toOrderCode(sessionId(i, "b"))
    const pairs: Array<[string, string]> = [[t.orderCode, orderCode], ...Object.keys(t.tokens).map((k) => [t.tokens[k], tokens[k]] as [string, string])]
    const op = async (name: string, reqs: Captured[], swaps: Array<[string, string]>) => {
      let ms = 0
      let answer = ""
      for (const req of reqs) {
        const r = await send({ ...req, path: swap(req.path, swaps), body: swap(req.body, swaps) })
        ms += r.ms
        answer = r.text
        // A later request of the same operation may name the charge the first one made (SBPS 確定 after 与信).
        const made = name === "authorize" ? sc.referenceOf(answer) : ""
        if (made && !swaps.some(([from]) => from === t.reference)) swaps = [...swaps, [t.reference, made]]
      }
      if (!sc.answerOk(answer)) throw new Error(`${sc.gateway} bare ${name} was refused: ${answer.slice(0, 400)}`)
      return { ms, answer, swaps }
    }
    const a = await op("authorize", t.auth, pairs)
    const ref = a.swaps.filter(([from]) => from === t.reference)
    if (!ref.length) throw new Error(`${sc.gateway} bare authorize: no reference in the answer: ${a.answer.slice(0, 300)}`)
    const c = await op("capture", t.capture, ref)
    const r = await op("refund", t.refund, ref)
    return { authorize: a.ms, capture: c.ms, refund: r.ms }
  }

  const keep = (arm: "p" | "b", f: (i: number) => Promise<{ authorize: number; capture: number; refund: number }>) => async (i: number) => {
    const r = await f(i)
    if (i >= opts.warmup) for (const k of ["authorize", "capture", "refund"] as const) times[arm][k].push(r[k])
    return r.authorize + r.capture + r.refund
  }
  await runInterleaved([keep("p", providerArm), keep("b", bareArm)], opts)
  await pool.close()

  const rows: Row[] = []
  for (const op of ["authorize", "capture", "refund"] as const) {
    const pr = summarize(times.p[op])
    const br = summarize(times.b[op])
    const note = `${pr.p50.toFixed(2)} vs ${br.p50.toFixed(2)} ms p50, n=${pr.n}`
    rows.push({ name: `P1 ${sc.gateway} ${op}: provider ÷ bare, p50`, value: pr.p50 / br.p50, direction: "max", goal: 1.1, note })
    rows.push({ name: `P1 ${sc.gateway} ${op}: provider ÷ bare, p99`, value: pr.p99 / br.p99, direction: "max", goal: 1.1, note: `${pr.p99.toFixed(2)} vs ${br.p99.toFixed(2)} ms p99` })
  }
  return rows
}

/**
 * The storefront's two sessions, as Medusa makes them: one without a card (the browser's config),
 * the browser's step, then the session with the token (3-D Secure, where the gateway starts it there).
 */
export async function checkoutSession(sc: Scenario, sessionId: string, i: number) {
  const init = (data: Record<string, unknown>) =>
    sc.provider.initiatePayment({ amount: sc.amount, currency_code: "jpy", data: { session_id: sessionId, ...data }, context: { customer: { email: "bench@example.jp" } } })
  const first = await init({})
  const tokens = await sc.browser(i, first.data)
  const session = await init(tokens)
  return { tokens, session }
}

async function firstOrigin(sc: Scenario): Promise<string> {
  return String((sc.provider.options as { baseUrl: string }).baseUrl)
}
