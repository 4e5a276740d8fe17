// The ROBOT PAYMENT simulator for a Medusa test app: started before the app boots, since
// medusa-config.ts reads its URL from ROBOT_PAYMENT_BASE_URL. Call at the top level of a spec file,
// before medusaIntegrationTestRunner, so that its beforeAll runs first.
import { startRobotPaymentSimulator, type RobotPaymentSimulator } from "../../src/simulator/robot-payment"

export const AID = "123456"

export function useRobotPaymentSimulator(): { readonly sim: RobotPaymentSimulator } {
  const ref = {} as { sim: RobotPaymentSimulator }
  beforeAll(async () => {
    ref.sim = await startRobotPaymentSimulator({ stores: [{ aid: AID }] })
    process.env.ROBOT_PAYMENT_BASE_URL = ref.sim.url
  })
  afterAll(async () => {
    await ref.sim?.close()
  })
  return ref
}
