// The 請求管理ロボ simulator for a Medusa test app (it also serves CPToken.js / EMV3DSAdapter.js).
// Call useBillingRoboSimulator at the top level of a spec file, before medusaIntegrationTestRunner:
// medusa-config.ts reads the simulator's URL at boot; webhooks go to the app's own port.
import { startBillingRoboSimulator, type BillingRoboSimulator } from "../../src/simulator/billing-robo"
import { freePort } from "./free-port"
export { authenticate, createToken } from "../../src/simulator/robot-payment/shopper"

export const BR = "pp_billing-robo_br"
export const SIGNATURE_KEY = "billing-robo-test-signature-key"

export function useBillingRoboSimulator(): { readonly sim: BillingRoboSimulator } {
  const ref = {} as { sim: BillingRoboSimulator }
  const saved = process.env.PORT
  beforeAll(async () => {
    const port = await freePort()
    process.env.PORT = String(port)
    ref.sim = await startBillingRoboSimulator({
      signatureKey: SIGNATURE_KEY,
      webhookUrl: `http://localhost:${port}/jp-payments/card-registration/${BR}/webhook`,
    })
    process.env.BILLING_ROBO_BASE_URL = ref.sim.url
  })
  afterAll(async () => {
    if (saved === undefined) delete process.env.PORT
    else process.env.PORT = saved
    await ref.sim?.close()
  })
  return ref
}
