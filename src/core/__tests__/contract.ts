// One contract every gateway passes, with the same test names (Active Merchant's idea): the gateway's
// provider (cardProviderFor(definition)) against the gateway's simulator over real HTTP, no Medusa
// app. Each gateway's src/gateways/<gw>/__tests__/contract.spec.ts runs it with a fixture that knows
// only what differs: how the shopper's browser makes a card and passes a redirect, and which
// simulator calls are which operation. A case is skipped only where the definition's capabilities say
// the gateway cannot do it.
import { randomBytes } from "node:crypto"
import { cardProviderFor, type CardProvider } from "../card-provider"
import type { GatewayDefinition } from "../definition"
import type { IncomingNotification, Redirect } from "../gateway"
import { recordReturn } from "../machine"
import type { JpPaymentState, JpSessionState } from "../state"
import { Transport } from "../http"

/** Outside a Medusa app there is no http.cookieSecret: the providers seal the card token with this. */
const SEAL_KEY = "contract-test-seal-key-of-32-characters"
/** The key after a rotation (previousSealKeys: [SEAL_KEY]). */
const NEXT_SEAL_KEY = "contract-test-next-seal-key-of-32-chars"

/** The calls the contract counts at the simulator. */
export type ContractOp = "authorize" | "capture" | "cancel" | "refund" | "query"

export interface ContractHarness {
  /** The provider's options, pointing at the started simulator. */
  options: Record<string, unknown>
  /** The session data a storefront sends for a card, after what its browser does first (a token, ROBOT PAYMENT's 3-D Secure …). */
  cardData(browser: Record<string, unknown>, amount: number): Promise<Record<string, unknown>>
  /** What the provider's container holds besides a logger (Medusa's payment service, for a gateway that reads its own payments). */
  cradle?: Record<string, unknown>
  /** A logged-in customer's account holder data, when the fixture's card is a saved one. */
  accountHolder?: { ref: string }
  /** The shopper's browser through a redirect and back: the request the plugin's return route gets. */
  follow(redirect: Redirect): Promise<IncomingNotification>
  /** The gateway acts on the next call of `op`, and its answer is lost on the way back. */
  loseAnswer(op: ContractOp): void
  /** The next answer to `op` is a body the gateway's format cannot carry. */
  garble(op: ContractOp): void
  /** How many calls of `op` reached the simulator. */
  calls(op: ContractOp): number
  /**
   * Closes the simulator and starts it again on its state file (a new port): the provider's options
   * for the new one. The harness's other functions then act on the new simulator.
   */
  restart(): Promise<Record<string, unknown>>
  /** Values that must never reach a log line: the configured credentials and keys. */
  secrets: string[]
  close(): Promise<void>
}

export interface ContractFixture {
  definition: GatewayDefinition<any>
  /** Starts the simulator; `backendUrl` is where returns are addressed (nothing listens there). */
  start(backendUrl: string): Promise<ContractHarness>
}

const BACKEND = "https://api.shop.test"
const PAYER = { email: "buyer@example.jp", phone: "09012345678" }

/** A payment session id as Medusa makes them: `payses_` + a ULID. */
function sessionId(): string {
  const alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
  let time = Date.now()
  let t = ""
  for (let i = 0; i < 10; i++) {
    t = alphabet[time % 32] + t
    time = Math.floor(time / 32)
  }
  return "payses_" + t + Array.from(randomBytes(16), (b) => alphabet[b % 32]).join("")
}

/** A run of 13–19 digits that passes the Luhn check: a card number. */
function luhnNumbers(text: string): string[] {
  const out: string[] = []
  for (const m of text.matchAll(/\d{13,19}/g)) {
    const digits = m[0]
    let sum = 0
    for (let i = 0; i < digits.length; i++) {
      let d = Number(digits[digits.length - 1 - i])
      if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2
      sum += d
    }
    if (sum % 10 === 0) out.push(digits)
  }
  return out
}

export function describeGatewayContract(fixture: ContractFixture): void {
  const def = fixture.definition
  const caps = def.capabilities
  // A gateway whose authorization is a sale with nothing after it skips what needs capture, cancel or refund.
  const adjusts = caps.adjustments !== false
  const ifAdjusts = adjusts ? it : it.skip

  describe(`${def.name}: the gateway contract`, () => {
    jest.setTimeout(60_000)
    let h: ContractHarness
    let provider: CardProvider<any>
    /** The options pointing at the simulator running now (it gets a new port when it restarts). */
    let options: Record<string, unknown>
    const lines: string[] = []
    const used: string[] = [] // every card token the storefront sent
    const log = (line: string) => lines.push(line)
    const logger = { debug: log, info: log, warn: log, error: log }

    beforeAll(async () => {
      h = await fixture.start(BACKEND)
      const Provider = cardProviderFor(def)
      // outside Medusa there is no http.cookieSecret: the card token is sealed with the option
      options = h.options
      provider = new Provider({ ...h.cradle, logger }, { ...options, backendUrl: BACKEND, sealKey: SEAL_KEY })
    })
    afterAll(async () => {
      await h?.close()
    })

    /** Cart → session → card → authorization (→ redirect → return → authorization): the payment data. */
    async function authorized(amount = 3000): Promise<Record<string, unknown>> {
      const { status, data } = await authorize(amount)
      // A sale at authorization is answered captured (Medusa records the capture at once).
      expect(status).toBe(adjusts ? "authorized" : "captured")
      return data
    }

    /** As `authorized`; `payer` (another provider of the same gateway) authorizes what `provider` sealed. */
    async function authorize(amount: number, payer: CardProvider<any> = provider): Promise<{ status: string; data: Record<string, unknown> }> {
      const context = { customer: { id: "cus_contract", ...PAYER }, ...(h.accountHolder ? { account_holder: { data: h.accountHolder } } : {}) } as never
      const id = sessionId()
      const first = await provider.initiatePayment({ amount, currency_code: def.currencies[0], data: { session_id: id }, context })
      const card = await h.cardData((first.data!.jp as JpSessionState).browser, amount)
      // A masked number the token step gives (e.g. "************0002") is display data, not a secret: it
      // may appear, and would match a masked 18-digit payment_id by chance.
      for (const f of def.tokenFields) if (typeof card[f] === "string" && !(card[f] as string).includes("*")) used.push(card[f] as string)
      const session = await provider.initiatePayment({ amount, currency_code: def.currencies[0], data: { session_id: id, ...card }, context })
      // Medusa keeps what the storefront sent beside what the provider returned.
      let data: Record<string, unknown> = { session_id: id, ...card, ...session.data }
      // …and so the card token is not in it: sealed until authorization spends it
      if (typeof card.token === "string") expect(JSON.stringify(data)).not.toContain(card.token)
      let out = await payer.authorizePayment({ data })
      for (let hops = 0; out.status === "requires_more" && hops < 3; hops++) {
        const jp = (out.data as { jp: JpSessionState }).jp
        const incoming = await h.follow(jp.redirect!)
        data = recordReturn(out.data!, payer.receiveReturn(incoming, jp), new Date()) ?? out.data!
        out = await payer.authorizePayment({ data })
      }
      return { status: out.status, data: out.data! }
    }

    const jpOf = (data: Record<string, unknown>) => data.jp as JpPaymentState

    it("checks its options at boot and names what is wrong", () => {
      const Provider = cardProviderFor(def)
      expect(Provider.identifier).toBe(def.name)
      expect(() => Provider.validateOptions({ ...h.options, backendUrl: BACKEND })).not.toThrow()
      expect(() => Provider.validateOptions({ ...h.options, unknownOption: 1 })).toThrow(new RegExp(`${def.name} options are invalid: .*unknownOption`))
      expect(() => Provider.validateOptions({ ...h.options, backendUrl: "not a url" })).toThrow(/backendUrl/)
    })

    ifAdjusts("authorizes, captures and refunds", async () => {
      const data = await authorized()
      expect(jpOf(data)).toMatchObject({ state: "authorized", amount: 3000, gateway: def.name })
      const captured = (await provider.capturePayment({ data })).data!
      expect(jpOf(captured)).toMatchObject({ state: "captured", amount: 3000 })
      const refunded = (await provider.refundPayment({ data: captured, amount: 3000 })).data!
      expect(jpOf(refunded)).toMatchObject({ state: "refunded", refunded_amount: 3000 })
      expect(jpOf(refunded).history.map((o) => o.op)).toEqual(expect.arrayContaining(["capture", "refund"]))
    })

    ifAdjusts("captures and refunds a payment authorized before its simulator restarted on its state file", async () => {
      const data = await authorized()
      options = await h.restart()
      const Provider = cardProviderFor(def)
      provider = new Provider({ ...h.cradle, logger }, { ...options, backendUrl: BACKEND, sealKey: SEAL_KEY })
      const before = h.calls("capture")
      const captured = (await provider.capturePayment({ data })).data!
      expect(h.calls("capture")).toBe(before + 1)
      expect(jpOf(captured)).toMatchObject({ state: "captured", amount: 3000 })
      const refunded = (await provider.refundPayment({ data: captured, amount: 3000 })).data!
      expect(jpOf(refunded)).toMatchObject({ state: "refunded", refunded_amount: 3000 })
    })

    it("authorizes a card sealed before the seal key was rotated (previousSealKeys), at the gateway", async () => {
      const Provider = cardProviderFor(def)
      const rotated = new Provider({ ...h.cradle, logger }, { ...options, backendUrl: BACKEND, sealKey: NEXT_SEAL_KEY, previousSealKeys: [SEAL_KEY] })
      const before = h.calls("authorize")
      const { status, data } = await authorize(3000, rotated)
      expect(status).toBe(adjusts ? "authorized" : "captured")
      expect(h.calls("authorize")).toBeGreaterThan(before)
      expect(jpOf(data)).toMatchObject({ amount: 3000, gateway: def.name })
      expect(jpOf(data)).not.toHaveProperty("card_seal")
    })

    ifAdjusts("captures twice and acts once", async () => {
      const data = await authorized()
      const before = h.calls("capture")
      const once = (await provider.capturePayment({ data })).data!
      const twice = (await provider.capturePayment({ data: once })).data!
      expect(h.calls("capture")).toBe(before + 1)
      expect(jpOf(twice)).toMatchObject({ state: "captured" })
    })

    it("offers the 支払方法 it allows and refuses another before the gateway is called", async () => {
      const context = { customer: { id: "cus_contract", ...PAYER }, ...(h.accountHolder ? { account_holder: { data: h.accountHolder } } : {}) } as never
      const first = await provider.initiatePayment({ amount: 3000, currency_code: def.currencies[0], data: { session_id: sessionId() }, context })
      const offered = (first.data!.jp as JpSessionState).payment_methods
      expect(offered?.[0]).toEqual({ type: "lump" })
      if (!def.paymentMethods) expect(offered).toEqual([{ type: "lump" }])
      const before = h.calls("authorize")
      const refused = provider.initiatePayment({ amount: 3000, currency_code: def.currencies[0], data: { session_id: sessionId(), payment_method: { type: "installments", count: 99 } }, context })
      await expect(refused).rejects.toThrow(/payment_method installments:99 is not allowed/)
      expect(h.calls("authorize")).toBe(before)
    })

    it("refuses a refund above what is left before the gateway is called", async () => {
      const captured = (await provider.capturePayment({ data: await authorized() })).data!
      const before = h.calls("refund")
      await expect(provider.refundPayment({ data: captured, amount: 3001 })).rejects.toThrow(/more than the 3000 still charged/)
      expect(h.calls("refund")).toBe(before)
    })

    ifAdjusts("cancels an authorization", async () => {
      const data = await authorized()
      const canceled = (await provider.cancelPayment({ data })).data!
      expect(jpOf(canceled)).toMatchObject({ state: "canceled", amount: 0 })
      expect((await provider.getPaymentStatus({ data: canceled })).status).toBe("canceled")
    })

    ifAdjusts("turns a cancel after a sale into a refund", async () => {
      const captured = (await provider.capturePayment({ data: await authorized() })).data!
      const canceled = (await provider.cancelPayment({ data: captured })).data!
      expect(jpOf(canceled)).toMatchObject({ state: "refunded", amount: 0 })
    })

    ;(adjusts ? it.skip : it)("sells at authorization, and refuses cancel and refund before the gateway is called", async () => {
      const data = await authorized()
      expect(jpOf(data)).toMatchObject({ state: "captured", amount: 3000, gateway: def.name })
      const captured = (await provider.capturePayment({ data })).data!
      expect(jpOf(captured)).toMatchObject({ state: "captured", amount: 3000 })
      await expect(provider.cancelPayment({ data: captured })).rejects.toThrow(/control panel/)
      await expect(provider.refundPayment({ data: captured, amount: 3000 })).rejects.toThrow(/control panel/)
    })

    ;(caps.partialRefund === true ? it : it.skip)("refunds part of a sale, then the rest", async () => {
      const captured = (await provider.capturePayment({ data: await authorized() })).data!
      const part = (await provider.refundPayment({ data: captured, amount: 1000 })).data!
      expect(jpOf(part)).toMatchObject({ state: "partially_refunded", amount: 2000, refunded_amount: 1000 })
      const rest = (await provider.refundPayment({ data: part, amount: 2000 })).data!
      expect(jpOf(rest)).toMatchObject({ state: "refunded", refunded_amount: 3000 })
    })

    ;(caps.partialCapture ? it : it.skip)("captures less than it authorized, and never the released rest", async () => {
      const sold = await provider.captureAmount(await authorized(), 1200)
      expect(jpOf(sold)).toMatchObject({ state: "captured", amount: 1200, authorized_amount: 3000, sold_amount: 1200 })
      await expect(provider.capturePayment({ data: sold })).rejects.toThrow(/the rest was released/)
    })

    it("never resends a payment whose answer was lost, and asks findCharge where the gateway has one", async () => {
      const gateway = (provider as unknown as { gateway: { findCharge?: (...a: unknown[]) => unknown } }).gateway
      const find = gateway.findCharge ? jest.spyOn(gateway, "findCharge") : null
      const before = h.calls("authorize")
      h.loseAnswer("authorize")
      const lost = await authorize(3000)
      expect(lost.status).toBe("pending")
      expect((lost.data.jp as JpSessionState).attempt).toBe("unknown")
      expect(h.calls("authorize")).toBe(before + 1)
      const again = await provider.authorizePayment({ data: lost.data })
      expect(h.calls("authorize")).toBe(before + 1)
      expect(["authorized", "pending"]).toContain(again.status)
      if (find) expect(find).toHaveBeenCalledTimes(1)
      find?.mockRestore()
    })

    ifAdjusts("calls a garbled answer to a capture an unknown outcome, never a success", async () => {
      const data = await authorized()
      h.garble("capture")
      await expect(provider.capturePayment({ data })).rejects.toThrow(/MALFORMED.*outcome is unknown/)
    })

    ;(caps.statusQuery ? it : it.skip)("calls a garbled answer to a status query something to ask again", async () => {
      const data = await authorized()
      h.garble("query")
      await expect(provider.retrievePayment({ data })).rejects.toThrow(/MALFORMED.*try again later/)
      expect(jpOf((await provider.retrievePayment({ data })).data!)).toMatchObject({ reference: jpOf(data).reference })
    })

    it("redacts every secret field its definition names", async () => {
      const seen: string[] = []
      const t = new Transport(def.name, def.secretFields, { baseUrl: "http://127.0.0.1:9", logger: { info() {}, warn: (l) => seen.push(l), error() {}, debug: (l) => seen.push(l) }, connectTimeoutMs: 200 })
      const form = Object.fromEntries(def.secretFields.map((f, i) => [f, `secret-value-${i}`]))
      await t.request({ method: "POST", path: "/", form, effect: "reads" }).catch(() => undefined)
      await t.close()
      expect(seen.join("\n")).not.toMatch(/secret-value-/)
      expect(seen.join("\n")).toContain("[redacted]")
    })

    it("writes no secret, token or card number into any log line", () => {
      const text = lines.join("\n")
      expect(lines.length).toBeGreaterThan(0)
      for (const s of [...h.secrets, ...used, SEAL_KEY, NEXT_SEAL_KEY]) expect(text).not.toContain(s)
      expect(luhnNumbers(text)).toEqual([])
    })
  })
}
