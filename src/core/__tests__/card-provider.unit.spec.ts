// The Medusa adapter over a scripted in-memory Gateway (redirects, returns, status queries, smaller
// captures): what core asks the gateway and what it answers Medusa. The pure transitions have their own
// tests (machine.unit.spec.ts); the gateways are tested against their simulators.
import { MedusaError, PaymentSessionStatus } from "@medusajs/framework/utils"
import { z } from "@medusajs/framework/zod"
import { CardProvider } from "../card-provider"
import type { GatewayDefinition } from "../definition"
import {
  GatewayError,
  type ChargeRecord,
  type CompleteRedirectInput,
  type Gateway,
  type GatewayCharge,
  type PayRequest,
  type PayResult,
  type ReturnResult,
} from "../gateway"
import { confirmPending, recordNotification, recordReturn } from "../machine"
import { toOrderCode } from "../order-code"

const SESSION = "payses_01JABCDEFGHJKMNPQRSTVWXYZ0"
const ORDER = toOrderCode(SESSION)
const quiet = { logger: { warn() {}, info() {}, error() {} } }
const SEAL_KEY = "a-test-seal-key-of-at-least-32-characters"

function charge(amount: number, state: GatewayCharge["state"] = "authorized", reference = "T1"): GatewayCharge {
  return { reference, state, amount, references: { tracking_id: reference }, operations: [{ op: "authorize", reference, amount, at: "2026-12-01T00:00:00Z" }] }
}

/** A gateway whose answers each test scripts, recording every call core makes. */
class ScriptedGateway implements Gateway {
  readonly captureOnAuthorize = false
  calls: Array<{ op: string; arg: unknown }> = []
  payResult: () => Promise<PayResult> = async () => ({ type: "redirect", redirect: { url: "https://acs.example/1" }, state: { auth_id: "A1" } })
  completeResult: (i: CompleteRedirectInput) => Promise<PayResult> = async (i) =>
    i.returned ? { type: "charge", charge: charge(i.amount) } : { type: "redirect", redirect: i.redirect, state: i.state }
  found: GatewayCharge | null = null

  parseSessionInput(data: Record<string, unknown>) {
    return typeof data.token === "string" ? { source: { type: "token" as const, token: data.token, saveCard: false } } : {}
  }
  browserConfig() {
    return {}
  }
  async pay(req: PayRequest) {
    this.calls.push({ op: "pay", arg: req })
    return this.payResult()
  }
  async completeRedirect(input: CompleteRedirectInput) {
    this.calls.push({ op: "complete", arg: input })
    return this.completeResult(input)
  }
  parseReturn(_n: unknown, pending: { state: Record<string, string> }): ReturnResult {
    if (pending.state.auth_id !== "A1") throw new GatewayError({ code: "FORGED", kind: "invalid", message: "not ours" })
    return { outcome: "ok", values: { result: "Y" }, threeDS: { status: "challenge", liability: "issuer" } }
  }
  async findCharge(input: unknown) {
    this.calls.push({ op: "find", arg: input })
    return this.found
  }
  async capture(rec: ChargeRecord, amount?: number): Promise<GatewayCharge> {
    this.calls.push({ op: "capture", arg: amount })
    return { ...charge(amount ?? rec.amount, "captured", rec.reference), operations: [] }
  }
  async cancel(rec: ChargeRecord) {
    return { ...charge(rec.amount, "canceled", rec.reference), operations: [] }
  }
  refundResult: (rec: ChargeRecord, amount: number) => Promise<GatewayCharge> = async (rec, amount) => ({ ...charge(rec.amount - amount, "partially_refunded", rec.reference), operations: [] })
  async refund(rec: ChargeRecord, amount: number) {
    this.calls.push({ op: "refund", arg: amount })
    return this.refundResult(rec, amount)
  }
}

type ScriptedOptions = { backendUrl?: string; storefrontUrl?: string }

function scripted(extra: Partial<GatewayDefinition<ScriptedOptions>> = {}): GatewayDefinition<ScriptedOptions> {
  return {
    name: "scripted",
    displayName: { en: "Scripted", ja: "スクリプト" },
    currencies: ["jpy"],
    options: z.object({ backendUrl: z.string().url().optional(), storefrontUrl: z.string().url().optional() }),
    secretFields: [],
    tokenFields: ["token"],
    capabilities: { partialCapture: true, partialRefund: true, statusQuery: true, savedCards: false, installments: false, redirect: true, notifications: true },
    create: () => new ScriptedGateway(),
    ...extra,
  }
}

class ScriptedProvider extends CardProvider<ScriptedOptions> {
  static identifier = "scripted"
  declare readonly gateway: ScriptedGateway
  constructor(options: Record<string, unknown> = {}, definition = scripted()) {
    super(quiet, { backendUrl: "https://api.shop.example/", storefrontUrl: "https://shop.example/checkout", sealKey: SEAL_KEY, ...options }, definition)
  }
}

/** The same provider in a Medusa app: its cradle holds Medusa's config (no sealKey option). */
class MedusaScriptedProvider extends CardProvider<ScriptedOptions> {
  static identifier = "scripted"
  declare readonly gateway: ScriptedGateway
  constructor(cookieSecret: string, options: Record<string, unknown> = {}) {
    super({ ...quiet, configModule: { projectConfig: { http: { cookieSecret } } } }, { backendUrl: "https://api.shop.example/", storefrontUrl: "https://shop.example/checkout", ...options }, scripted())
  }
}

async function session(p: ScriptedProvider, data: Record<string, unknown> = {}) {
  const out = await p.initiatePayment({ amount: 3000, currency_code: "jpy", data: { session_id: SESSION, ...data } })
  return { ...data, ...(out.data as Record<string, unknown>) }
}

const incoming = { method: "POST", query: {}, rawBody: Buffer.alloc(0), headers: {} }

describe("CardProvider receiving a notification", () => {
  const ack = { status: 200, contentType: "text/plain", body: "OK" }
  function withNotifications(options: Record<string, unknown>) {
    const p = new ScriptedProvider(options)
    const seen: Array<string | undefined> = []
    ;(p.gateway as any).parseNotification = (n: { remoteAddress?: string }) => {
      seen.push(n.remoteAddress)
      return { ack }
    }
    return { p, seen }
  }
  // what the route hands over: req.ip (X-Forwarded-For under Medusa's trust proxy 1) and the TCP peer
  const forwarded = { ...incoming, remoteAddress: "192.0.2.10", peerAddress: "::ffff:198.51.100.7" }

  it("checks notificationIps against the TCP peer, not a header any caller can write", () => {
    const { p, seen } = withNotifications({ notificationIps: ["192.0.2.10"] })
    expect(() => p.receiveNotification(forwarded)).toThrow(/198\.51\.100\.7 is not in notificationIps/)
    expect(seen).toEqual([])
    expect(withNotifications({ notificationIps: ["198.51.100.7"] }).p.receiveNotification(forwarded).ack).toEqual(ack)
  })

  it("with trustProxy, checks the address the proxy forwarded, and hands the gateway the address it checked", () => {
    const { p, seen } = withNotifications({ notificationIps: ["192.0.2.10"], trustProxy: true })
    expect(p.receiveNotification(forwarded).ack).toEqual(ack)
    expect(seen).toEqual(["192.0.2.10"])
    const open = withNotifications({})
    open.p.receiveNotification(forwarded)
    expect(open.seen).toEqual(["::ffff:198.51.100.7"])
  })
})

describe("CardProvider with a gateway that redirects", () => {
  it("takes the storefront's return_url only on the storefrontUrl origin", async () => {
    const p = new ScriptedProvider()
    expect(((await session(p, { return_url: "https://shop.example/done?x=1" })).jp as any).return_to).toBe("https://shop.example/done?x=1")
    await expect(session(p, { return_url: "https://evil.example/" })).rejects.toThrow(/storefront's origin \(option storefrontUrl = https:\/\/shop.example\)/)
    await expect(session(p, { return_url: "javascript:alert(1)" })).rejects.toThrow(MedusaError)
    await expect(session(new ScriptedProvider({ storefrontUrl: undefined }), { return_url: "https://shop.example/" })).rejects.toThrow(/storefrontUrl is not set/)
  })

  it("answers requires_more with the redirect, hands the gateway our return and notify URLs, and drops the token", async () => {
    const p = new ScriptedProvider()
    const out = await p.authorizePayment({ data: await session(p, { token: "tok-123456" }) })
    expect(out.status).toBe(PaymentSessionStatus.REQUIRES_MORE)
    expect(out.data).toMatchObject({ token: null, jp: { attempt: "redirect", redirect: { url: "https://acs.example/1" }, redirect_state: { auth_id: "A1" }, returned: null } })
    const req = p.gateway.calls[0].arg as PayRequest
    expect(req.returnUrl).toBe(`https://api.shop.example/jp-payments/return/${ORDER}`)
    expect(req.notifyUrl).toBe(`https://api.shop.example/jp-payments/notify/${ORDER}`)
    expect(req.amount).toBe(3000)
  })

  it("keeps asking for the redirect until the shopper came back, then finishes with what came back", async () => {
    const p = new ScriptedProvider()
    const waiting = (await p.authorizePayment({ data: await session(p, { token: "tok-123456" }) })).data!
    const again = await p.authorizePayment({ data: waiting })
    expect(again.status).toBe(PaymentSessionStatus.REQUIRES_MORE)
    expect((p.gateway.calls[1].arg as CompleteRedirectInput).returned).toBeNull()

    const result = p.receiveReturn(incoming, (waiting as any).jp)
    const back = recordReturn(waiting, result, new Date())!
    expect((back.jp as any).returned).toMatchObject({ outcome: "ok", values: { result: "Y" }, threeDS: { status: "challenge" } })
    expect(recordReturn(back, { outcome: "failed", values: {} }, new Date())).toBeNull() // the first outcome stands

    const done = await p.authorizePayment({ data: back })
    expect(done.status).toBe(PaymentSessionStatus.AUTHORIZED)
    expect(done.data).toMatchObject({ jp: { state: "authorized", reference: "T1", amount: 3000 } })
    const input = p.gateway.calls[2].arg as CompleteRedirectInput
    expect(input).toMatchObject({ orderCode: ORDER, amount: 3000, state: { auth_id: "A1" }, returned: { outcome: "ok", values: { result: "Y" } } })
    expect(input.source).toBeNull() // the token was spent on the first call
  })

  it("keeps the token while waiting for a gateway that needs it again (tokenAfterRedirect), and drops it once spent or failed", async () => {
    const p = new ScriptedProvider({}, scripted({ tokenAfterRedirect: true }))
    const waiting = (await p.authorizePayment({ data: await session(p, { token: "tok-123456" }) })).data!
    // kept sealed, never in the clear: Medusa stores this data
    expect(waiting.token).toBeNull()
    expect(JSON.stringify(waiting)).not.toContain("tok-123456")
    expect((waiting as any).jp.card_seal).toMatch(/^s1\./)
    const back = recordReturn(waiting, p.receiveReturn(incoming, (waiting as any).jp), new Date())!
    const done = await p.authorizePayment({ data: back })
    expect((p.gateway.calls[1].arg as CompleteRedirectInput).source).toEqual({ type: "token", token: "tok-123456", saveCard: false })
    expect(done.data).toMatchObject({ token: null, jp: { state: "authorized" } })
    const failed = recordReturn(waiting, { outcome: "failed", values: {} }, new Date())!
    expect((await p.authorizePayment({ data: failed })).data).toMatchObject({ token: null, jp: { attempt: "failed" } })
  })

  it("refuses a return the gateway cannot verify, and fails a session whose return says failed without asking the gateway", async () => {
    const p = new ScriptedProvider()
    const waiting = (await p.authorizePayment({ data: await session(p, { token: "tok-123456" }) })).data as any
    expect(() => p.receiveReturn(incoming, { ...waiting.jp, redirect_state: { auth_id: "A2" } })).toThrow(/not ours/)
    const failed = recordReturn(waiting, { outcome: "failed", values: {}, error: { code: "31007", message: "authentication failed", messageJa: "認証失敗" } }, new Date())!
    const out = await p.authorizePayment({ data: failed })
    expect(out.status).toBe(PaymentSessionStatus.ERROR)
    expect(out.data).toMatchObject({ jp: { attempt: "failed", error: { code: "31007", message: "authentication failed", message_ja: "認証失敗", kind: "declined" } } })
    expect(p.gateway.calls.map((c) => c.op)).toEqual(["pay"])
  })

  it("hands a notification recorded while waiting on a redirect to completeRedirect as a hint", async () => {
    const p = new ScriptedProvider()
    const waiting = (await p.authorizePayment({ data: await session(p, { token: "tok-123456" }) })).data!
    const event = { orderCode: ORDER, dedupeKey: "n1", succeeded: true, amount: 3000, sessionId: SESSION, verified: true, charge: charge(3000, "authorized", "T8") }
    await p.authorizePayment({ data: recordNotification(waiting, event, new Date())! })
    const input = p.gateway.calls.find((c) => c.op === "complete")!.arg as CompleteRedirectInput
    expect(input.returned).toBeNull()
    expect(input.notification).toEqual({ succeeded: true, charge: event.charge, error: null })
  })

  it("lets only a verified notification wake a session that waits on a redirect", async () => {
    const p = new ScriptedProvider()
    const waiting = (await p.authorizePayment({ data: await session(p, { token: "tok-123456" }) })).data!
    const event = { orderCode: ORDER, dedupeKey: "n1", succeeded: true, amount: 3000, sessionId: SESSION }
    expect(recordNotification(waiting, { ...event, verified: false }, new Date())).toBeNull()
    expect((recordNotification(waiting, { ...event, verified: true }, new Date())!.jp as any).notification).toMatchObject({ dedupe_key: "n1" })
  })

  it("keeps a recorded success when a failure for the same order arrives after it (out of order, or forged)", async () => {
    const p = new ScriptedProvider()
    const waiting = (await p.authorizePayment({ data: await session(p, { token: "tok-123456" }) })).data!
    const ok = { orderCode: ORDER, dedupeKey: "n1", succeeded: true, amount: 3000, sessionId: SESSION, verified: true, charge: charge(3000, "authorized", "T8") }
    const noted = recordNotification(waiting, ok, new Date())!
    expect(recordNotification(noted, { ...ok, dedupeKey: "n2", succeeded: false, charge: undefined, error: { code: "11", message: "declined" } }, new Date())).toBeNull()
    // a success after a recorded failure is still taken: a later attempt may have paid
    const failed = recordNotification(waiting, { ...ok, dedupeKey: "n0", succeeded: false, charge: undefined }, new Date())!
    expect((recordNotification(failed, ok, new Date())!.jp as any).notification).toMatchObject({ dedupe_key: "n1", succeeded: true })
  })
})

describe("CardProvider after a payment sent without an answer", () => {
  async function unanswered(p: ScriptedProvider) {
    p.gateway.payResult = async () => {
      throw new GatewayError({ code: "NO_ANSWER", kind: "unknown_outcome", message: "timeout" })
    }
    const out = await p.authorizePayment({ data: await session(p, { token: "tok-123456" }) })
    expect(out.status).toBe(PaymentSessionStatus.PENDING)
    return out.data!
  }

  it("asks the gateway's status query and takes the charge it finds", async () => {
    const p = new ScriptedProvider()
    const data = await unanswered(p)
    p.gateway.found = charge(3000, "authorized", "T9")
    const out = await p.authorizePayment({ data })
    expect(out.status).toBe(PaymentSessionStatus.AUTHORIZED)
    expect(out.data).toMatchObject({ jp: { reference: "T9" } })
    expect(p.gateway.calls.map((c) => c.op)).toEqual(["pay", "find"])
  })

  it("with a status query, a recorded notification is only the hint handed to findCharge, never believed alone", async () => {
    const p = new ScriptedProvider()
    const data = await unanswered(p)
    const event = { orderCode: ORDER, dedupeKey: "n1", succeeded: true, amount: 3000, sessionId: SESSION, verified: true, charge: charge(3000, "authorized", "T7") }
    const noted = recordNotification(data, event, new Date())!
    // the gateway's status query finds nothing under that hint: nothing was charged, whatever the notification said
    const out = await p.authorizePayment({ data: noted })
    expect(out.data).toMatchObject({ jp: { error: { code: "NOT_CHARGED" } } })
    const find = p.gateway.calls.find((c) => c.op === "find")!.arg as { notification: { succeeded: boolean; charge: GatewayCharge } }
    expect(find.notification).toMatchObject({ succeeded: true, charge: { reference: "T7" } })
  })

  it("says nothing was charged when the gateway holds no payment, and never pays again by itself", async () => {
    const p = new ScriptedProvider()
    const data = await unanswered(p)
    const out = await p.authorizePayment({ data })
    expect(out.status).toBe(PaymentSessionStatus.ERROR)
    expect(out.data).toMatchObject({ jp: { attempt: "failed", error: { code: "NOT_CHARGED" } } })
    expect(p.gateway.calls.map((c) => c.op)).toEqual(["pay", "find"])
  })
})

describe("CardProvider capture of a smaller amount", () => {
  async function authorized(p: ScriptedProvider) {
    p.gateway.payResult = async () => ({ type: "charge", charge: charge(3000) })
    return (await p.authorizePayment({ data: await session(p, { token: "tok-123456" }) })).data!
  }

  it("sells the smaller amount, and refuses to capture the released rest afterwards", async () => {
    const p = new ScriptedProvider()
    const data = await authorized(p)
    const sold = await p.captureAmount(data, 1200)
    expect(sold.jp).toMatchObject({ state: "captured", amount: 1200, authorized_amount: 3000, sold_amount: 1200 })
    expect(p.gateway.calls.at(-1)).toEqual({ op: "capture", arg: 1200 })
    await expect(p.capturePayment({ data: sold })).rejects.toThrow(/sold for 1200 of the 3000 authorized/)
    await expect(p.captureAmount(sold, 100)).rejects.toThrow(/is captured, not waiting for capture/)
    await expect(p.refundPayment({ data: sold, amount: 1500 })).rejects.toThrow(/more than the 1200 still charged/)
  })

  it("sends a capture of the whole amount as a plain capture, and refuses nonsense amounts", async () => {
    const p = new ScriptedProvider()
    const data = await authorized(p)
    await expect(p.captureAmount(data, 3001)).rejects.toThrow(/from 1 to the 3000 authorized/)
    await expect(p.captureAmount(data, 10.5)).rejects.toThrow(/whole amount/)
    const whole = await p.captureAmount(data, 3000)
    expect(p.gateway.calls.at(-1)).toEqual({ op: "capture", arg: undefined })
    expect(await p.capturePayment({ data: whole })).toEqual({ data: whole }) // captured again: a no-op
  })
})

describe("CardProvider after a refund whose answer was lost, confirmed done by the merchant", () => {
  /** Medusa's payment records as the provider's step store writes them (paymentService). */
  function withStore() {
    const written: Array<Record<string, unknown>> = []
    const paymentService = { list: async () => [{ id: "pay_1" }], update: async (u: { data: Record<string, unknown> }) => void written.push(u.data) }
    const infos: string[] = []
    const cradle = { logger: { warn() {}, info: (m: string) => infos.push(m), error() {} }, paymentService, paymentSessionService: { update: async () => undefined } }
    const p = new (class extends CardProvider<ScriptedOptions> {
      declare readonly gateway: ScriptedGateway
      constructor() {
        super(cradle, { backendUrl: "https://api.shop.example/", sealKey: SEAL_KEY }, scripted())
      }
    })()
    return { p, written, infos }
  }

  it("keeps the mark; the same refund repeated is recorded from the confirmed mark with no gateway call; another amount is refused", async () => {
    const { p, written, infos } = withStore()
    p.gateway.payResult = async () => ({ type: "charge", charge: charge(3000) })
    const authorized = (await p.authorizePayment({ data: await session(p as unknown as ScriptedProvider, { token: "tok-123456" }) })).data!
    const captured = (await p.capturePayment({ data: authorized })).data!
    p.gateway.refundResult = async () => {
      throw new GatewayError({ code: "TIMEOUT", kind: "unknown_outcome", message: "no answer" })
    }
    await expect(p.refundPayment({ data: captured, amount: 3000 })).rejects.toThrow()
    const marked = written.at(-1)!
    expect((marked.jp as any).pending).toEqual({ op: "refund", amount: 3000, at: expect.any(String), from: "captured", held: 3000 })
    // the scripted gateway has no status query: nobody can tell, nothing is sent
    const refunds = () => p.gateway.calls.filter((c) => c.op === "refund").length
    expect(refunds()).toBe(1)
    await expect(p.refundPayment({ data: marked, amount: 3000 })).rejects.toThrow(/not sent again .* "done at the gateway"/)
    expect(refunds()).toBe(1)

    const c = confirmPending((marked.jp as any), "user_1", new Date("2026-12-03T01:00:00Z"))
    const confirmed = { ...marked, jp: (c as { jp: unknown }).jp }
    await expect(p.refundPayment({ data: confirmed, amount: 1000 })).rejects.toMatchObject({ type: MedusaError.Types.NOT_ALLOWED, message: expect.stringMatching(/only the same refund of 3000 records it, not a refund of 1000/) })
    await expect(p.cancelPayment({ data: confirmed })).rejects.toThrow(/not a cancel of 3000/)
    const out = (await p.refundPayment({ data: confirmed, amount: 3000 })).data!
    expect(refunds()).toBe(1)
    expect(out.jp).toMatchObject({ state: "refunded", amount: 0, refunded_amount: 3000, pending: null, resume: null })
    expect((out.jp as any).history.at(-1)).toEqual({ op: "refund", reference: "T1", amount: 3000, at: expect.any(String), confirmed: { by: "user_1", at: "2026-12-03T01:00:00.000Z" } })
    expect(infos.at(-1)).toMatch(/refund of 3000 on MJ\S+ recorded as done at the gateway on the merchant's word \(confirmed by user_1/)
  })

  it("with a status query that sees the operation, reads it first: its answer is recorded, and one that contradicts the merchant records nothing", async () => {
    const { p, written } = withStore()
    p.gateway.payResult = async () => ({ type: "charge", charge: charge(3000) })
    const authorized = (await p.authorizePayment({ data: await session(p as unknown as ScriptedProvider, { token: "tok-123456" }) })).data!
    const jp = { ...(authorized.jp as any), pending: { op: "capture", amount: 3000, at: "2026-12-03T00:00:00Z", from: "authorized", held: 3000 } }
    const confirmed = { ...authorized, jp: (confirmPending(jp, "user_1", new Date("2026-12-03T01:00:00Z")) as { jp: unknown }).jp }
    let now: GatewayCharge = { ...charge(3000, "authorized"), operations: [] }
    ;(p.gateway as any).retrieve = async () => now
    await expect(p.capturePayment({ data: confirmed })).rejects.toMatchObject({ message: expect.stringMatching(/status query shows the payment as it was before \(authorized, 3000\): nothing is recorded and nothing is sent/) })
    now = { ...charge(3000, "captured", "T9"), operations: [] }
    const out = (await p.capturePayment({ data: confirmed })).data!
    expect(out.jp).toMatchObject({ state: "captured", reference: "T9", pending: null })
    expect(p.gateway.calls.filter((c) => c.op === "capture")).toEqual([])
    expect(written).toHaveLength(0)
  })
})

describe("CardProvider without a payment store (built outside Medusa's payment module)", () => {
  /** pay and capture each record a step before they answer, as SBPS's commit-then-売上 does. */
  class RecordingGateway extends ScriptedGateway {
    async pay(req: PayRequest): Promise<PayResult> {
      await req.record?.(charge(req.amount))
      return { type: "charge", charge: { ...charge(req.amount), operations: [] } }
    }
    async capture(rec: ChargeRecord, amount?: number, record?: (c: GatewayCharge) => Promise<void>): Promise<GatewayCharge> {
      await record?.(charge(rec.amount, "authorized", rec.reference))
      return super.capture(rec, amount)
    }
  }

  it("warns once, for authorization's and capture's steps alike, and the operations still finish", async () => {
    const warnings: string[] = []
    const logger = { warn: (m: string) => warnings.push(m), info() {}, error() {} }
    const def = scripted({ create: () => new RecordingGateway() })
    const p = new (class extends CardProvider<ScriptedOptions> {
      constructor() {
        super({ logger }, { backendUrl: "https://api.shop.example/", sealKey: SEAL_KEY }, def)
      }
    })()
    const one = await p.authorizePayment({ data: await session(p as ScriptedProvider, { token: "tok-123456" }) })
    expect(one.status).toBe(PaymentSessionStatus.AUTHORIZED)
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatch(/no payment store in the container: a step of the authorization of MJ/)
    const two = await p.authorizePayment({ data: await session(p as ScriptedProvider, { token: "tok-654321" }) })
    expect(two.status).toBe(PaymentSessionStatus.AUTHORIZED)
    const captured = await p.capturePayment({ data: one.data! })
    expect((captured.data as any).jp.state).toBe("captured")
    expect(warnings).toHaveLength(1)
  })
})

describe("CardProvider sealing the card token until authorization", () => {
  const stored = async (p: CardProvider<ScriptedOptions>, data: Record<string, unknown>) => {
    // what Medusa stores: what the storefront sent with the provider's answer merged over it
    const out = await p.initiatePayment({ amount: 3000, currency_code: "jpy", data: { session_id: SESSION, ...data } })
    return { ...data, ...(out.data as Record<string, unknown>) }
  }

  it("stores the token nowhere in the clear, and authorization pays with it", async () => {
    const p = new ScriptedProvider()
    const data = await stored(p, { token: "tok-123456" })
    expect(data.token).toBeNull()
    expect(JSON.stringify(data)).not.toContain("tok-123456")
    const out = await p.authorizePayment({ data })
    expect((p.gateway.calls[0].arg as PayRequest).source).toEqual({ type: "token", token: "tok-123456", saveCard: false })
    // spent: neither the token nor its seal stays
    expect(out.data).toMatchObject({ token: null, jp: { card_seal: null, attempt: "redirect" } })
  })

  it("keeps the seal through Medusa's updatePayment (a return recorded, an amount changed) until authorization opens it", async () => {
    const p = new ScriptedProvider()
    const data = await stored(p, { token: "tok-123456" })
    const updated = (await p.updatePayment({ data, amount: 3000, currency_code: "jpy" } as never)).data!
    expect((updated as any).jp.card_seal).toBe((data.jp as any).card_seal)
    await p.authorizePayment({ data: updated })
    expect((p.gateway.calls[0].arg as PayRequest).source).toMatchObject({ token: "tok-123456" })
  })

  it("takes the token sealed by the store route (card_seal_in): Medusa's first write of the session holds no token either", async () => {
    const p = new ScriptedProvider()
    const sent = p.sealIncoming({ token: "tok-123456", save_card: false })
    expect(sent).not.toHaveProperty("token")
    expect(JSON.stringify(sent)).not.toContain("tok-123456")
    const data = await stored(p, sent)
    expect(data).toMatchObject({ card_seal_in: null, token: null })
    expect(JSON.stringify(data)).not.toContain("tok-123456")
    await p.authorizePayment({ data })
    expect((p.gateway.calls[0].arg as PayRequest).source).toMatchObject({ token: "tok-123456" })
    // a value the server did not seal is refused before any gateway call
    await expect(stored(p, { card_seal_in: "s1.AAAA" })).rejects.toThrow(/data.card_seal_in cannot be used .*send the card token itself/)
    await expect(stored(new ScriptedProvider({ sealKey: "another-seal-key-of-at-least-32-characters" }), sent)).rejects.toThrow(MedusaError)
    expect(p.gateway.calls).toHaveLength(1)
  })

  it("opens in another process of the same app: the key comes from Medusa's cookieSecret, not from the process", async () => {
    const data = await stored(new MedusaScriptedProvider("medusa-cookie-secret"), { token: "tok-123456" })
    const other = new MedusaScriptedProvider("medusa-cookie-secret")
    await other.authorizePayment({ data })
    expect((other.gateway.calls[0].arg as PayRequest).source).toMatchObject({ token: "tok-123456" })
  })

  it("refuses a seal that does not open (altered, another key, another session) with a clear error and no gateway call", async () => {
    const data = await stored(new ScriptedProvider(), { token: "tok-123456" })
    const seal = (data.jp as any).card_seal as string
    const altered = { ...data, jp: { ...(data.jp as any), card_seal: seal.slice(0, -4) + (seal.endsWith("AAAA") ? "BBBB" : "AAAA") } }
    const moved = { ...data, jp: { ...(data.jp as any), order_code: toOrderCode("payses_01JZZZZZZZZZZZZZZZZZZZZZZZ") } }
    for (const [p, d] of [
      [new ScriptedProvider(), altered],
      [new ScriptedProvider({ sealKey: "another-seal-key-of-at-least-32-characters" }), data],
      [new MedusaScriptedProvider("medusa-cookie-secret"), data],
      [new ScriptedProvider(), moved],
    ] as const) {
      const out = await p.authorizePayment({ data: d })
      expect(out.status).toBe(PaymentSessionStatus.ERROR)
      expect(out.data).toMatchObject({ token: null, jp: { error: { code: "CARD_SEAL_INVALID", kind: "invalid" } } })
      expect((out.data as any).jp.error.message).toMatch(/nothing was sent to the gateway.*sealKey/)
      expect(p.gateway.calls).toEqual([])
    }
  })

  it("without a key (no sealKey, no Medusa app) refuses to take a token at all, naming the option", async () => {
    class Bare extends CardProvider<ScriptedOptions> {
      constructor() {
        super(quiet, { backendUrl: "https://api.shop.example/", storefrontUrl: "https://shop.example/checkout" }, scripted())
      }
    }
    await expect(stored(new Bare(), { token: "tok-123456" })).rejects.toThrow(/set the provider option sealKey/)
    // a session without a token needs no key
    expect((await stored(new Bare(), {})).jp).toMatchObject({ card_seal: null })
  })

  it("rejects a short sealKey as Medusa boots", () => {
    expect(() => new ScriptedProvider({ sealKey: "short" })).toThrow(/sealKey must be a secret of at least 32 characters/)
  })
})

describe("CardProvider rotating the seal key (previousSealKeys)", () => {
  const OLD = "the-old-seal-key-of-at-least-32-characters"
  const NEW = "the-new-seal-key-of-at-least-32-characters"
  const stored = async (p: CardProvider<ScriptedOptions>, data: Record<string, unknown>) => {
    const out = await p.initiatePayment({ amount: 3000, currency_code: "jpy", data: { session_id: SESSION, ...data } })
    return { ...data, ...(out.data as Record<string, unknown>) }
  }
  const paidWith = (p: ScriptedProvider | MedusaScriptedProvider) => (p.gateway.calls[0]?.arg as PayRequest | undefined)?.source
  const refused = (out: { status: string; data?: unknown }, p: ScriptedProvider | MedusaScriptedProvider) => {
    expect(out.status).toBe(PaymentSessionStatus.ERROR)
    expect(out.data).toMatchObject({ token: null, jp: { error: { code: "CARD_SEAL_INVALID", kind: "invalid" } } })
    expect(p.gateway.calls).toEqual([])
  }

  it("opens a seal made with the old key once the new key is set and the old one listed; the key must be listed", async () => {
    const data = await stored(new ScriptedProvider({ sealKey: OLD }), { token: "tok-123456" })
    const rotated = new ScriptedProvider({ sealKey: NEW, previousSealKeys: [OLD] })
    await rotated.authorizePayment({ data })
    expect(paidWith(rotated)).toEqual({ type: "token", token: "tok-123456", saveCard: false })
    // a key that is not listed still does not open it
    for (const p of [new ScriptedProvider({ sealKey: NEW }), new ScriptedProvider({ sealKey: NEW, previousSealKeys: ["yet-another-seal-key-of-32-characters!!"] })]) {
      refused(await p.authorizePayment({ data }), p)
      expect(JSON.stringify(p.gateway.calls)).not.toContain(OLD)
    }
  })

  it("seals new sessions with the new key only: the old key alone does not open them", async () => {
    const rotated = new ScriptedProvider({ sealKey: NEW, previousSealKeys: [OLD] })
    const data = await stored(rotated, { token: "tok-123456" })
    const oldOnly = new ScriptedProvider({ sealKey: OLD })
    refused(await oldOnly.authorizePayment({ data }), oldOnly)
    // and once the old key is removed, the new one opens it alone
    const after = new ScriptedProvider({ sealKey: NEW })
    await after.authorizePayment({ data })
    expect(paidWith(after)).toMatchObject({ token: "tok-123456" })
  })

  it("opens with a key listed before it seals with it (the two-step rotation of a rolling deploy, as the README says)", async () => {
    // step 1 (some processes still on the old options): the new key only opens
    const step1 = new ScriptedProvider({ sealKey: OLD, previousSealKeys: [NEW] })
    const data = await stored(new ScriptedProvider({ sealKey: NEW, previousSealKeys: [OLD] }), { token: "tok-123456" })
    await step1.authorizePayment({ data })
    expect(paidWith(step1)).toMatchObject({ token: "tok-123456" })
    // ...and still seals with the old one
    const sealed = await stored(step1, { token: "tok-654321" })
    const newOnly = new ScriptedProvider({ sealKey: NEW })
    refused(await newOnly.authorizePayment({ data: sealed }), newOnly)
  })

  it("opens the store route's card_seal_in made by a process still on the old key (a rolling deploy)", async () => {
    const sent = new ScriptedProvider({ sealKey: OLD }).sealIncoming({ token: "tok-123456" })
    const rotated = new ScriptedProvider({ sealKey: NEW, previousSealKeys: [OLD] })
    const data = await stored(rotated, sent)
    expect((data.jp as any).card_seal).toMatch(/^s1\./)
    await new ScriptedProvider({ sealKey: NEW }).authorizePayment({ data }) // sealed again, with the new key
    await expect(stored(new ScriptedProvider({ sealKey: NEW }), sent)).rejects.toThrow(/card_seal_in cannot be used/)
  })

  it("takes Medusa's old cookieSecret as it was (short), to move to a sealKey or to a new cookieSecret, and warns without the key", async () => {
    const warned: string[] = []
    class Logged extends CardProvider<ScriptedOptions> {
      declare readonly gateway: ScriptedGateway
      constructor(options: Record<string, unknown>) {
        super({ logger: { ...quiet.logger, warn: (m: string) => warned.push(m) } }, { backendUrl: "https://api.shop.example/", ...options }, scripted())
      }
    }
    const data = await stored(new MedusaScriptedProvider("supersecret"), { token: "tok-123456" })
    const toSealKey = new Logged({ sealKey: NEW, previousSealKeys: [OLD, "supersecret"] })
    await toSealKey.authorizePayment({ data })
    expect(toSealKey.gateway.calls[0].arg as PayRequest).toMatchObject({ source: { token: "tok-123456" } })
    expect(warned.filter((m) => /previousSealKeys/.test(m))).toEqual([expect.stringMatching(/previousSealKeys\.1 is shorter than 32 characters/)])
    expect(warned.join("\n")).not.toContain("supersecret")
    const toCookie = new MedusaScriptedProvider("a-new-medusa-cookie-secret", { previousSealKeys: ["supersecret"] })
    await toCookie.authorizePayment({ data })
    expect(paidWith(toCookie)).toMatchObject({ token: "tok-123456" })
    // and what it seals now opens with the new cookieSecret alone
    const next = await stored(toCookie, { token: "tok-654321" })
    const plain = new MedusaScriptedProvider("a-new-medusa-cookie-secret")
    await plain.authorizePayment({ data: next })
    expect(paidWith(plain)).toMatchObject({ token: "tok-654321" })
    refused(await new MedusaScriptedProvider("supersecret").authorizePayment({ data: next }), new MedusaScriptedProvider("supersecret"))
  })

  it("checks previousSealKeys as Medusa boots, naming the entry and never a key", () => {
    const bad: Array<[unknown, RegExp]> = [
      ["not-a-list-of-keys-but-one-of-32-chars!!", /previousSealKeys: Invalid input: expected array, received string$/],
      [[OLD, 42], /previousSealKeys\.1: Invalid input: expected string, received number$/],
      [[""], /previousSealKeys\.0: an empty key$/],
      [[OLD, NEW], /previousSealKeys\.1: is the sealKey itself/],
      [[OLD, OLD], /previousSealKeys\.1: the same key as previousSealKeys\.0/],
      [["k1-of-at-least-32-characters-long-aaaa", "k2-of-at-least-32-characters-long-bbbb", "k3-of-at-least-32-characters-long-cccc", "k4-of-at-least-32-characters-long-dddd"], /previousSealKeys: takes at most 3 keys/],
    ]
    for (const [previousSealKeys, message] of bad) {
      let error: Error | undefined
      try {
        new ScriptedProvider({ sealKey: NEW, previousSealKeys })
      } catch (e) {
        error = e as Error
      }
      expect(error?.message).toMatch(/^scripted options are invalid: /)
      expect(error?.message).toMatch(message)
      for (const k of [OLD, NEW]) expect(error?.message).not.toContain(k)
    }
    // both bad at once: both named
    expect(() => new ScriptedProvider({ sealKey: "short", previousSealKeys: [""] })).toThrow(/sealKey must be .*; previousSealKeys\.0/)
    expect(() => new ScriptedProvider({ sealKey: NEW, previousSealKeys: [] })).not.toThrow()
  })
})
