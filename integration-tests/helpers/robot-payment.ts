// The ROBOT PAYMENT simulator for a Medusa test app: started before the app boots, since
// medusa-config.ts reads its URL from ROBOT_PAYMENT_BASE_URL. Call at the top level of a spec file,
// before medusaIntegrationTestRunner, so that its beforeAll runs first.
import { startRobotPaymentSimulator, type RobotPaymentSimulator, type StoreConfig } from "../../src/simulator/robot-payment"

export const AID = "123456"

/** `store`: more of the store's settings (its card contract's `paymentMethods` …). */
export function useRobotPaymentSimulator(store: Omit<StoreConfig, "aid"> = {}): { readonly sim: RobotPaymentSimulator } {
  const ref = {} as { sim: RobotPaymentSimulator }
  beforeAll(async () => {
    ref.sim = await startRobotPaymentSimulator({ stores: [{ aid: AID, ...store }] })
    process.env.ROBOT_PAYMENT_BASE_URL = ref.sim.url
  })
  afterAll(async () => {
    await ref.sim?.close()
  })
  return ref
}
