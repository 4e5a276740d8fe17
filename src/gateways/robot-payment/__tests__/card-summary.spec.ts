// Issue 10 point 11: what the order page can show of a ROBOT PAYMENT card. The gateway answers a token
// payment with no card data at all (gid, rst, ap, ec, god, cod, am, tx, sf, ta); a registered card is
// read back (carduser: cn as "*****1111", ed YYMM), never with its brand.
import { startRobotPaymentSimulator, type RobotPaymentSimulator } from "../../../simulator/robot-payment"
import { authenticate, createToken } from "../../../simulator/robot-payment/shopper"
import { parseOptions } from "../../../core/options"
import { RobotPaymentGateway } from "../gateway"
import { robotPayment } from ".."

describe("the card a ROBOT PAYMENT payment shows", () => {
  let sim: RobotPaymentSimulator
  let g: RobotPaymentGateway
  beforeAll(async () => {
    sim = await startRobotPaymentSimulator({ stores: [{ aid: "123456" }] })
    g = new RobotPaymentGateway(parseOptions(robotPayment, { aid: "123456", baseUrl: sim.url, timeoutMs: 2000 }))
  })
  afterAll(async () => {
    await g.client.close()
    await sim.close()
  })

  const payer = { email: "buyer@example.jp" }

  it("a token payment: the gateway returns no card, and the charge says so instead of leaving it blank", async () => {
    const tkn = await createToken(sim.url, "123456", { cn: "4444333322221111", ed: "3012" })
    await authenticate(sim.url, "123456", tkn, { am: 1500, tx: 0, sf: 0, em: payer.email })
    const r = await g.pay({ paymentMethod: { type: "lump" }, orderCode: "MJcard1", amount: 1500, currency: "jpy", capture: false, source: { type: "token", token: tkn, saveCard: false }, payer })
    if (r.type !== "charge") throw new Error("expected a charge")
    expect(r.charge.card).toEqual({ unavailable: true })
  })

  it("a card registered at checkout: masked number and expiry as the gateway reads them back, no brand", async () => {
    const tkn = await createToken(sim.url, "123456", { cn: "4444333322221111", ed: "3012" })
    await authenticate(sim.url, "123456", tkn, { uid: "cuscard2" })
    const r = await g.pay({ paymentMethod: { type: "lump" }, orderCode: "MJcard2", amount: 1500, currency: "jpy", capture: false, source: { type: "token", token: tkn, saveCard: true }, payer: { ...payer, customerRef: "cuscard2" } })
    if (r.type !== "charge") throw new Error("expected a charge")
    expect(r.charge.card).toEqual({ masked: expect.stringMatching(/^\*+1111$/), expiry: "12/30" })
  })

  it("a 支払方法 ROBOT PAYMENT does not document never reaches the wire (defence in depth)", async () => {
    const n = sim.requests().length
    const req = { orderCode: "MJbonus", amount: 1500, currency: "jpy", capture: false, source: { type: "token" as const, token: "x".repeat(20), saveCard: false }, payer }
    await expect(g.pay({ ...req, paymentMethod: { type: "bonus" } })).rejects.toThrow(/payment_method bonus is not one ROBOT PAYMENT documents/)
    await expect(g.pay({ ...req, paymentMethod: { type: "installments", count: 7 } })).rejects.toThrow(/installments:7/)
    expect(sim.requests().length).toBe(n)
  })
})
