// The 請求管理ロボ gateway against its simulator over real HTTP: registration (upsert, CPToken.js +
// 3-D Secure with amounts 0 as the shopper's browser runs them, the token), replacing the card, an
// order charged through 即時決済, and the API's refusals (credentials, IP, 429, 503, garbled answers).
import { createServer, type Server } from "node:http"
import type { AddressInfo } from "node:net"
import { GatewayError } from "../../../core/gateway"
import { startBillingRoboSimulator, PATHS, type BillingRoboSimulator } from "../../../simulator/billing-robo"
import { authenticate, createToken } from "../../../simulator/robot-payment/shopper"
import { BillingRoboGateway, type RegistrationCustomer } from "../gateway"
import { billingRoboOptionsSchema } from "../options"

const CUSTOMER: RegistrationCustomer = {
  id: "cus_01JBILLINGROBO0000000000001",
  email: "hanako@example.jp",
  name: "山田 花子",
  phone: "090-1234-5678",
  postal_code: "150-0001",
  province: "東京都",
  city: "渋谷区",
  address_1: "神宮前1-2-3",
}

let sim: BillingRoboSimulator
let hooks: Server
const received: Array<Record<string, any>> = []

function gatewayFor(overrides: Record<string, unknown> = {}) {
  return new BillingRoboGateway(
    billingRoboOptionsSchema.parse({
      userId: sim.credentials.userId,
      accessKey: sim.credentials.accessKey,
      aid: sim.credentials.aid,
      baseUrl: sim.url,
      scriptBaseUrl: sim.url,
      signatureKey: sim.signatureKey,
      retryDelayMs: 1,
      ...overrides,
    })
  )
}

async function browserToken(three_ds: Record<string, string | number>, cn = "4444333322221111") {
  const tkn = await createToken(sim.url, sim.credentials.aid, { cn })
  await authenticate(sim.url, sim.credentials.aid, tkn, three_ds)
  return tkn
}

const pay = (g: BillingRoboGateway, customerRef: string | undefined, amount = 3300) =>
  g.pay({ paymentMethod: { type: "lump" }, orderCode: "ORD" + Math.random().toString(36).slice(2, 10), amount, currency: "jpy", capture: true, source: { type: "hosted", saveCard: false }, payer: { customerRef } })

beforeAll(async () => {
  hooks = createServer((req, res) => {
    let body = ""
    req.on("data", (c) => (body += c))
    req.on("end", () => {
      received.push(JSON.parse(body))
      res.end("ok")
    })
  })
  await new Promise<void>((r) => hooks.listen(0, "127.0.0.1", r))
  sim = await startBillingRoboSimulator({ webhookUrl: `http://127.0.0.1:${(hooks.address() as AddressInfo).port}/` })
})
afterAll(async () => {
  await sim.close()
  await new Promise((r) => hooks.close(r))
})
afterEach(() => sim.clearFaults())

describe("billing-robo client ↔ simulator", () => {
  jest.setTimeout(30_000)

  it("registers a card: upsert, CPToken + 3-D Secure (am 0, the 部署's em/pn), token; then charges an order", async () => {
    const g = gatewayFor()
    const { state, browser } = await g.prepareRegistration(CUSTOMER)
    expect(state).toMatchObject({ customer_ref: g.customerRefOf(CUSTOMER.id), register_status: 1, registered: false })
    expect(state.customer_ref).toHaveLength(18)
    expect(browser).toMatchObject({ aid: "123456", three_ds: { am: 0, tx: 0, sf: 0, em: "hanako@example.jp", pn: "09012345678" } })
    expect(browser.scripts.cptoken).toBe(`${sim.url}/gateway/js/CPToken.js`)
    const tkn = await browserToken(browser.three_ds)
    const after = await g.registerCard(CUSTOMER.id, tkn, { email: CUSTOMER.email, phone: CUSTOMER.phone })
    expect(after).toMatchObject({ registered: true, register_status: 5 })
    // The same 請求先 again is an update, not a second one.
    await g.prepareRegistration(CUSTOMER)
    expect(sim.billings().filter((b) => b.code === state.customer_ref)).toHaveLength(1)

    const result = await pay(g, CUSTOMER.id, 3300)
    expect(result.type).toBe("charge")
    const charge = (result as { charge: any }).charge
    expect(charge).toMatchObject({ state: "captured", amount: 3300, references: { billing_code: state.customer_ref } })
    const bill = sim.bills().at(-1)!
    expect(bill).toMatchObject({ billing_code: state.customer_ref, total: 3300 })
    expect(charge.reference).toBe(String(bill.number))
    // Webhooks: the card 決済情報 created, then registered (no billing_id for the token API).
    await new Promise((r) => setTimeout(r, 200))
    const mine = received.filter((w) => w.event_detail.billing_code === state.customer_ref)
    expect(mine.map((w) => [w.event_detail.payment_status, w.event_detail.credit_status])).toEqual([
      ["1", "0"],
      ["5", "2"],
    ])
    expect(mine[1].event_detail.billing_id).toBe("")
    const event = g.parseWebhook(JSON.stringify(mine[1]))
    expect(event).toMatchObject({ customerRef: state.customer_ref, paymentStatus: 5, creditStatus: 2 })
    // the signature key is checked here and goes no further
    expect(JSON.stringify(event)).not.toContain(sim.signatureKey)
  })

  it("replaces the registered card with another", async () => {
    const g = gatewayFor()
    const c = { ...CUSTOMER, id: "cus_replace" }
    const { browser } = await g.prepareRegistration(c)
    await g.registerCard(c.id, await browserToken(browser.three_ds, "4444333322221111"), c)
    const first = sim.billings().find((b) => b.code === g.customerRefOf(c.id))!.payments[0].card
    await g.registerCard(c.id, await browserToken(browser.three_ds, "5555555555554444"), c)
    const second = sim.billings().find((b) => b.code === g.customerRefOf(c.id))!.payments[0].card
    expect(first!.masked.slice(-4)).toBe("1111")
    expect(second!.masked.slice(-4)).toBe("4444")
  })

  it("passes a 3-D Secure challenge", async () => {
    const g = gatewayFor()
    const c = { ...CUSTOMER, id: "cus_challenge" }
    const { browser } = await g.prepareRegistration(c)
    await expect(g.registerCard(c.id, await browserToken(browser.three_ds, "4111111111111111"), c)).resolves.toMatchObject({ registered: true })
  })

  it("refuses a registration whose 3-D Secure ran with an amount (the vendor sample's am 1000) or another em/pn", async () => {
    const g = gatewayFor()
    const c = { ...CUSTOMER, id: "cus_refused" }
    const { browser } = await g.prepareRegistration(c)
    await expect(g.registerCard(c.id, await browserToken({ ...browser.three_ds, am: 1000 }), c)).rejects.toMatchObject({ code: "ER061" })
    await expect(g.registerCard(c.id, await browserToken({ ...browser.three_ds, em: "other@example.jp" }), c)).rejects.toMatchObject({ code: "ER059" })
    await expect(g.registerCard(c.id, await browserToken({ ...browser.three_ds, pn: "0311112222" }), c)).rejects.toMatchObject({ code: "ER060" })
    // email/tel sent to the API must be the 部署's too.
    await expect(g.registerCard(c.id, await browserToken(browser.three_ds), { email: "x@example.jp", phone: c.phone })).rejects.toMatchObject({ code: "3406" })
    expect(await g.registration(c.id)).toMatchObject({ registered: false, register_status: 6 })
    // A used token is refused (3405) and says to enter the card again.
    const tkn = await browserToken(browser.three_ds)
    await g.registerCard(c.id, tkn, c)
    await expect(g.registerCard(c.id, tkn, c)).rejects.toMatchObject({ code: "3405", kind: "declined" })
  })

  it("tells a customer without a registered card how to register one, and sends no charge", async () => {
    const g = gatewayFor()
    const before = sim.requests().filter((r) => r.path === PATHS.register).length
    await expect(pay(g, "cus_nobody")).rejects.toThrow(/Register a card first \(POST \/store\/jp-payments\/card-registration\)/)
    await expect(pay(g, undefined)).rejects.toMatchObject({ code: "NO_REGISTERED_CARD" })
    expect(sim.requests().filter((r) => r.path === PATHS.register).length).toBe(before)
  })

  it("names wrong credentials and an unregistered IP as the merchant's to fix", async () => {
    await expect(gatewayFor({ accessKey: "wrongkey" }).registration("cus_x")).rejects.toMatchObject({ code: "12", kind: "merchant" })
    await expect(gatewayFor({ userId: "nobody@example.jp" }).registration("cus_x")).rejects.toMatchObject({ code: "11", kind: "merchant" })
    const strict = await startBillingRoboSimulator({ allowedIps: ["192.0.2.1"] })
    try {
      const g = new BillingRoboGateway(billingRoboOptionsSchema.parse({ userId: strict.credentials.userId, accessKey: strict.credentials.accessKey, aid: "123456", baseUrl: strict.url }))
      await expect(g.registration("cus_x")).rejects.toMatchObject({ code: "13", kind: "merchant", message: expect.stringMatching(/IP address is not registered/) })
    } finally {
      await strict.close()
    }
  })

  it("backs off and asks again after 429 on a read, but never resends a charge", async () => {
    const limited = await startBillingRoboSimulator({ requestLimit: 3, requestWindowMs: 60_000 })
    try {
      const waits: number[] = []
      const g = new BillingRoboGateway(
        billingRoboOptionsSchema.parse({ userId: limited.credentials.userId, accessKey: limited.credentials.accessKey, aid: "123456", baseUrl: limited.url, scriptBaseUrl: limited.url, retryDelayMs: 500 })
      )
      ;(g.client as any).config.sleep = async (ms: number) => {
        waits.push(ms)
        await limited.advanceClock(61_000)
      }
      const c = { ...CUSTOMER, id: "cus_429" }
      const { browser } = await g.prepareRegistration(c)
      const tkn = await createToken(limited.url, "123456", { cn: "4444333322221111" })
      await authenticate(limited.url, "123456", tkn, browser.three_ds)
      await g.registerCard(c.id, tkn, c) // 3 calls: upsert, token, search
      expect(await g.registration(c.id)).toMatchObject({ registered: true }) // 4th: 429, wait, again
      expect(waits).toEqual([500])
      // A charge: 2 of 3 calls used, the search passes, the charge is the 4th: 429, and not sent again.
      ;(g.client as any).config.sleep = async () => {
        throw new Error("a charge must never wait and resend")
      }
      await limited.advanceClock(61_000)
      await g.registration(c.id)
      await g.registration(c.id)
      const err = await pay(g, c.id).catch((e) => e)
      expect(err).toBeInstanceOf(GatewayError)
      expect(err).toMatchObject({ code: "HTTP_429", kind: "retry", message: expect.stringMatching(/nothing was processed/) })
      expect(limited.requests().filter((r) => r.path === PATHS.register)).toHaveLength(1)
    } finally {
      await limited.close()
    }
  })

  it("calls maintenance (503) a retry, and a garbled or lost answer to a charge an unknown outcome", async () => {
    const g = gatewayFor()
    const c = { ...CUSTOMER, id: "cus_faults" }
    const { browser } = await g.prepareRegistration(c)
    await g.registerCard(c.id, await browserToken(browser.three_ds), c)
    sim.inject({ kind: "maintenance", path: PATHS.register })
    await expect(pay(g, c.id)).rejects.toMatchObject({ code: "19", kind: "retry" })
    sim.inject({ kind: "malformed", path: PATHS.register })
    await expect(pay(g, c.id)).rejects.toMatchObject({ code: "MALFORMED", kind: "unknown_outcome" })
    sim.inject({ kind: "reset", path: PATHS.register, after: true })
    await expect(pay(g, c.id)).rejects.toMatchObject({ kind: "unknown_outcome" })
    sim.inject({ kind: "status", status: 503, path: PATHS.register })
    await expect(pay(g, c.id)).rejects.toMatchObject({ code: "HTTP_503", kind: "unknown_outcome" })
  })

  it("refuses a forged webhook", () => {
    const g = gatewayFor()
    const body = { BillingRoboSignaturekey: "forged-key-123", event_name: "credit_status_issue", event_detail: { billing_code: "MD-x", payment_status: "5", credit_status: "2" } }
    expect(() => g.parseWebhook(JSON.stringify(body))).toThrow(/does not match/)
    expect(() => gatewayFor({ signatureKey: undefined }).parseWebhook(JSON.stringify(body))).toThrow(/signatureKey/)
    expect(() => g.parseWebhook("not json")).toThrow(/not a 請求管理ロボ webhook/)
  })
})
