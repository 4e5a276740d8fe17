// The four gateways' P1 scenarios: each provider built from src/providers/<gw> with the options a
// merchant would give, pointed at the bench's simulators.
import type { Scenario } from "./overhead"
import type { SimUrls } from "./sims"

export const quiet = { info() {}, warn() {}, error() {}, debug() {} }

export async function robotPayment(urls: SimUrls): Promise<Scenario> {
  const { RobotPaymentProviderService } = await import("../src/providers/robot-payment/service")
  const { createToken, authenticate } = await import("../src/simulator/robot-payment/shopper")
  const sim = urls["robot-payment"]
  const amount = 3000
  return {
    gateway: "ROBOT PAYMENT",
    provider: new RobotPaymentProviderService({ logger: quiet }, { aid: "123456", baseUrl: sim, jobType: "AUTH", timeoutMs: 5000 }),
    amount,
    async browser() {
      const token = await createToken(sim, "123456", { cn: "4444333322221111" })
      await authenticate(sim, "123456", token, { am: amount, tx: 0, sf: 0 })
      return { token }
    },
    referenceOf: (answer) => answer.split(",")[0],
    providerReference: (data) => String((data.jp as { reference: string }).reference),
  }
}
