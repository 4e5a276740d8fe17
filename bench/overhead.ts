// P1: the plugin's own cost per gateway call. Arm "provider": authorize, capture and refund through
// the built provider class. Arm "bare": the very requests the provider sent (captured from undici's
// diagnostics channel, with the token, order code and gateway reference swapped for fresh ones),
// sent with a plain undici keep-alive pool to the same simulator. Only the calls are timed; the
// shopper's browser steps (tokenizing, 3-D Secure) happen before the clock starts in both arms.
import diagnostics from "node:diagnostics_channel"
import { performance } from "node:perf_hooks"
import { Agent, Pool } from "undici"
import { percentile, ratioInterval, runInterleaved, summarize, type Row } from "./stats"

export interface Captured {
  origin: string
  method: string
  path: string
  headers: string[]
  body: string
}

let recording: Captured[] | null = null
// The time each request spends on the wire: from undici's making it to the last byte of its answer.
// Summed per operation in both arms, it splits an operation into the wire and what runs outside it.
const wireStart = new WeakMap<object, number>()
let wire = 0
diagnostics.channel("undici:request:trailers").subscribe((msg: unknown) => {
  const t = wireStart.get((msg as { request: object }).request)
  if (t !== undefined) wire += performance.now() - t
})
diagnostics.channel("undici:request:create").subscribe((msg: unknown) => {
  const r = (msg as { request: { origin: string; method: string; path: string; headers: unknown; body: unknown } }).request
  wireStart.set(r, performance.now())
  if (!recording) return
  const headers = Array.isArray(r.headers) ? (r.headers as string[]).map(String) : []
  const body = r.body == null ? "" : Buffer.isBuffer(r.body) ? r.body.toString("latin1") : typeof r.body === "string" ? r.body : ""
  recording.push({ origin: String(r.origin), method: r.method, path: r.path, headers, body })
})

/** Times `f`; `capture`: also keeps the requests it sends (the first round only: copying them costs the provider arm's clock). */
async function record<T>(f: () => Promise<T>, capture: boolean): Promise<{ value: T; ms: number; wire: number; requests: Captured[] }> {
  const requests: Captured[] = []
  recording = capture ? requests : null
  wire = 0
  const t = performance.now()
  try {
    const value = await f()
    return { value, ms: performance.now() - t, wire, requests }
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

type Op = "authorize" | "capture" | "refund"
const OPS: readonly Op[] = ["authorize", "capture", "refund"]
/** One operation of one round: its time, and the part of it its requests spent on the wire. */
type Timed = Record<Op, { ms: number; wire: number }>

export async function measureOverhead(sc: Scenario, opts: { warmup: number; rounds: number; hotRounds?: number }): Promise<Row[]> {
  const p = sc.provider
  let tpl: Template | null = null
  const pool = new Pool(new URL(firstOrigin(sc)).origin, { connections: 16, keepAliveTimeout: 10_000, connect: sc.connect })
  const times = { p: [] as Timed[], b: [] as Timed[] }

  const providerArm = async (i: number): Promise<Timed> => {
    const { tokens, session: s } = await checkoutSession(sc, sessionId(i, "p"), i)
    const a = await record<any>(() => p.authorizePayment({ data: { ...tokens, ...s.data } }), !tpl)
    if (a.value.status !== "authorized") throw new Error(`${sc.gateway} authorize: ${JSON.stringify(a.value.data?.jp?.error ?? a.value.status)}`)
    const c = await record<any>(() => p.capturePayment({ data: a.value.data }), !tpl)
    const r = await record<any>(() => p.refundPayment({ data: c.value.data, amount: sc.amount }), !tpl)
    if (!tpl) tpl = { auth: a.requests, capture: c.requests, refund: r.requests, orderCode: s.data.jp.order_code, tokens, reference: sc.providerReference(a.value.data), session: s.data }
    return { authorize: a, capture: c, refund: r }
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

  const bareArm = async (i: number): Promise<Timed> => {
    if (!tpl) throw new Error("the provider arm runs first")
    const t = tpl as Template
    // the browser step for the template's session: same amount and payer, so the same 3-D Secure binding
    const tokens = await sc.browser(i, t.session)
    const { toOrderCode } = await import("../src/core/order-code")
    const orderCode = toOrderCode(sessionId(i, "b"))
    const pairs: Array<[string, string]> = [[t.orderCode, orderCode], ...Object.keys(t.tokens).map((k) => [t.tokens[k], tokens[k]] as [string, string])]
    const op = async (name: string, reqs: Captured[], swaps: Array<[string, string]>) => {
      let ms = 0
      let onWire = 0
      let answer = ""
      for (const req of reqs) {
        const next = { ...req, path: swap(req.path, swaps), body: swap(req.body, swaps) }
        wire = 0
        const r = await send(next)
        ms += r.ms
        onWire += wire
        answer = r.text
        // A later request of the same operation may name the charge the first one made (SBPS 確定 after 与信).
        const made = name === "authorize" ? sc.referenceOf(answer) : ""
        if (made && !swaps.some(([from]) => from === t.reference)) swaps = [...swaps, [t.reference, made]]
      }
      if (!sc.answerOk(answer)) throw new Error(`${sc.gateway} bare ${name} was refused: ${answer.slice(0, 400)}`)
      return { ms, wire: onWire, answer, swaps }
    }
    const a = await op("authorize", t.auth, pairs)
    const ref = a.swaps.filter(([from]) => from === t.reference)
    if (!ref.length) throw new Error(`${sc.gateway} bare authorize: no reference in the answer: ${a.answer.slice(0, 300)}`)
    const c = await op("capture", t.capture, ref)
    const r = await op("refund", t.refund, ref)
    return { authorize: a, capture: c, refund: r }
  }

  const keep = (arm: "p" | "b", f: (i: number) => Promise<Timed>) => async (i: number) => {
    const r = await f(i)
    if (i >= opts.warmup) times[arm].push(r)
    return r.authorize.ms + r.capture.ms + r.refund.ms
  }
  await runInterleaved([keep("p", providerArm), keep("b", bareArm)], opts)
  await pool.close()
  const own = await ownWork(sc, tpl!, opts.hotRounds ?? 2000)

  const rows: Row[] = []
  const us = (ms: number) => `${Math.round(ms * 1000)} µs`
  for (const op of OPS) {
    const pms = times.p.map((t) => t[op].ms)
    const bms = times.b.map((t) => t[op].ms)
    const pr = summarize(pms)
    const br = summarize(bms)
    // how far each ratio moves with the rounds drawn (bootstrap): a wide p99 interval is not settled
    const within = (p: number) => ratioInterval(pms, bms, p).map((v) => v.toFixed(2)).join("–")
    // Where the difference lies: the wire (the same requests, so about equal) or outside it (the
    // provider's own work, run after every round trip), and that work with the wire replaced: back to
    // back, and by a process just woken from an idle wait, as after a round trip.
    const pw = summarize(times.p.map((t) => t[op].wire)).p50
    const bw = summarize(times.b.map((t) => t[op].wire)).p50
    const po = summarize(times.p.map((t) => t[op].ms - t[op].wire)).p50
    const bo = summarize(times.b.map((t) => t[op].ms - t[op].wire)).p50
    const note =
      `${pr.p50.toFixed(2)} vs ${br.p50.toFixed(2)} ms p50, n=${pr.n}, ratio 95 % interval ${within(50)}; on the wire ${pw.toFixed(2)} vs ${bw.toFixed(2)} ms, ` +
      `outside it ${us(po)} vs ${us(bo)}; the provider's own work with the wire replaced: ${us(own.hot[op])} back to back, ${us(own.woken[op])} just woken from 1 ms idle`
    rows.push({ name: `P1 ${sc.gateway} ${op}: provider ÷ bare, p50`, value: pr.p50 / br.p50, direction: "max", goal: 1.1, note })
    rows.push({ name: `P1 ${sc.gateway} ${op}: provider ÷ bare, p99`, value: pr.p99 / br.p99, direction: "max", goal: 1.1, note: `${pr.p99.toFixed(2)} vs ${br.p99.toFixed(2)} ms p99, ratio 95 % interval ${within(99)}` })
  }
  return rows
}

/**
 * The provider's own work per operation with the wire replaced: undici's Agent answers with the
 * answers the simulator gave (the provider's transport still encodes, sends to the Agent, decodes and
 * parses). Sessions are made before, on the real wire. Measured twice, as median ms per operation:
 * - `hot`: the operations back to back, the process never idle;
 * - `woken`: each operation, and each of its answers, after 1 ms with the process idle (a timer), as
 *   after a real round trip. The waits are subtracted; what stays is the same work, run by a process
 *   that has just woken up. On a machine whose idle CPU is slow to come back (a VM's vCPU), this is
 *   several times `hot`, and it is what the timed rounds' "outside the wire" pays, in both arms.
 */
async function ownWork(sc: Scenario, tpl: Template, rounds: number): Promise<Record<"hot" | "woken", Record<Op, number>>> {
  const sessions: Array<Awaited<ReturnType<typeof checkoutSession>>> = []
  for (let i = 0; i < 20; i++) sessions.push(await checkoutSession(sc, sessionId(100_000 + i, "p"), 100_000 + i))
  type Answer = { statusCode: number; headers: Record<string, string | string[]>; body: Buffer }
  const answers: Record<Op, Answer[]> = { authorize: [], capture: [], refund: [] }
  let queue: Answer[] | null = null
  let recordTo: Answer[] | null = null
  // "woken": each answer comes after an idle wait of this many ms, summed in `waited` to be subtracted
  let idleMs = 0
  let waited = 0
  const idle = async () => {
    const t = performance.now()
    await new Promise((r) => setTimeout(r, idleMs))
    waited += performance.now() - t
  }
  const proto = Agent.prototype as unknown as { request: (opts: unknown) => Promise<unknown> }
  const real = proto.request
  const reply = (a: Answer) => ({ statusCode: a.statusCode, headers: a.headers, body: { arrayBuffer: async () => a.body } })
  proto.request = async function (this: unknown, o: unknown) {
    if (queue) {
      const a = queue.shift()
      if (!a) throw new Error("hot run: more requests than the recorded operation made")
      if (idleMs) await idle()
      return reply(a)
    }
    const res = (await real.call(this, o)) as { statusCode: number; headers: Answer["headers"]; body: { arrayBuffer(): Promise<ArrayBuffer> } }
    const a = { statusCode: res.statusCode, headers: res.headers, body: Buffer.from(await res.body.arrayBuffer()) }
    recordTo?.push(a)
    return reply(a)
  }
  try {
    const run = async (s: (typeof sessions)[number], step: (op: Op, f: () => Promise<any>) => Promise<any>) => {
      const a = await step("authorize", () => sc.provider.authorizePayment({ data: { ...s.tokens, ...s.session.data } }))
      if (a.status !== "authorized") throw new Error(`${sc.gateway} hot authorize: ${JSON.stringify(a.data?.jp?.error ?? a.status)}`)
      const c = await step("capture", () => sc.provider.capturePayment({ data: a.data }))
      await step("refund", () => sc.provider.refundPayment({ data: c.data, amount: sc.amount }))
    }
    // one real round records the answers, in order, per operation
    await run(sessions[0], async (op, f) => {
      recordTo = answers[op]
      try {
        return await f()
      } finally {
        recordTo = null
      }
    })
    for (const op of OPS) if (answers[op].length !== tpl[op === "authorize" ? "auth" : op].length) throw new Error(`${sc.gateway} hot run: ${op} made another number of requests than in the timed rounds`)
    const pass = async (wait: number, n: number): Promise<Record<Op, number>> => {
      idleMs = wait
      const samples: Record<Op, number[]> = { authorize: [], capture: [], refund: [] }
      const warm = Math.floor(n / 5)
      for (let i = 0; i < warm + n; i++) {
        await run(sessions[1 + (i % (sessions.length - 1))], async (op, f) => {
          queue = answers[op].slice()
          if (idleMs) await idle()
          waited = 0
          const t = performance.now()
          try {
            return await f()
          } finally {
            if (i >= warm) samples[op].push(performance.now() - t - waited)
            queue = null
          }
        })
      }
      return { authorize: percentile(samples.authorize, 50), capture: percentile(samples.capture, 50), refund: percentile(samples.refund, 50) }
    }
    const hot = await pass(0, rounds)
    // fewer rounds: each op waits 1 ms or more per request
    const woken = await pass(1, Math.max(100, Math.round(rounds / 4)))
    return { hot, woken }
  } finally {
    proto.request = real
  }
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

function firstOrigin(sc: Scenario): string {
  return String((sc.provider.options as { baseUrl: string }).baseUrl)
}
