import { MedusaError } from "@medusajs/framework/utils"
import { RobotPaymentProviderService } from "../service"
import robotPayment from "../index"

describe("the robot-payment provider", () => {
  it("is a Medusa payment provider with the identifier robot-payment", () => {
    expect(RobotPaymentProviderService.identifier).toBe("robot-payment")
    expect((robotPayment as unknown as { services: unknown[] }).services).toContain(RobotPaymentProviderService)
  })

  it("checks its options at boot and names what is wrong", () => {
    expect(() => RobotPaymentProviderService.validateOptions({ aid: "123456" })).not.toThrow()
    const bad = (o: Record<string, unknown>) => {
      try {
        RobotPaymentProviderService.validateOptions(o)
      } catch (e) {
        expect(e).toBeInstanceOf(MedusaError)
        return (e as Error).message
      }
      throw new Error("no error")
    }
    expect(bad({})).toMatch(/aid/)
    expect(bad({ aid: "12345" })).toMatch(/6-digit 店舗ID/)
    expect(bad({ aid: "123456", jobType: "SALES" })).toMatch(/jobType/)
    expect(bad({ aid: "123456", partialRefund: "yes" })).toMatch(/partialRefund/)
    expect(bad({ aid: "123456", baseUrl: "not a url" })).toMatch(/baseUrl/)
    expect(bad({ aid: "123456", apiKey: "x" })).toMatch(/apiKey|Unrecognized/i)
  })

  it("refuses another currency than JPY when the session is created", async () => {
    const p = new RobotPaymentProviderService({ logger: { warn() {}, info() {}, error() {} } }, { aid: "123456", baseUrl: "http://127.0.0.1:9" })
    await expect(
      p.initiatePayment({ amount: 10, currency_code: "usd", data: { session_id: "payses_01JABCDEFGHJKMNPQRSTVWXYZ0" } })
    ).rejects.toThrow(/JPY only; this cart is in USD/)
    const ok = await p.initiatePayment({ amount: "1500.4", currency_code: "jpy", data: { session_id: "payses_01JABCDEFGHJKMNPQRSTVWXYZ0" } })
    expect(ok.data?.jp).toMatchObject({ amount: 1500, currency: "jpy", source: null, capture: false })
  })
})
