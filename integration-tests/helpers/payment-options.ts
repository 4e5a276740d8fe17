// The PaymentOptions simulator for a Medusa test app; the shopper's side is
// src/simulator/payment-options/shopper.ts.
// Call usePaymentOptionsSimulator at the top level of a spec file, before medusaIntegrationTestRunner:
// medusa-config.ts reads the simulator's URL and the app's own URL from the environment at boot.
import { startPaymentOptionsSimulator, type PaymentOptionsSimulator } from "../../src/simulator/payment-options"
import { freePort } from "./free-port"
export { payInBrowser, type BrowserRun, type Card } from "../../src/simulator/payment-options/shopper"

export const PO_MERCHANTS = [
  // provider "po" (captureMode authorize): the hosted page authorises
  { merchantId: "JP00000472", apiKey: "sim-api-key", xApiKey: "sim-x-api-key", hppTransactionType: "PRE_AUTH" as const },
  // provider "poc" (captureMode purchase): the hosted page purchases
  { merchantId: "JP00000328", apiKey: "sim-api-key-2", xApiKey: "sim-x-api-key", hppTransactionType: "CAPTURE" as const },
]

export function usePaymentOptionsSimulator(): { readonly sim: PaymentOptionsSimulator } {
  const ref = {} as { sim: PaymentOptionsSimulator }
  const saved = process.env.PORT
  beforeAll(async () => {
    ref.sim = await startPaymentOptionsSimulator({ merchants: PO_MERCHANTS })
    // The app's port is chosen here (test-utils reads PORT) so that webhook and return URLs reach it.
    const port = await freePort()
    process.env.PORT = String(port)
    process.env.PAYMENT_OPTIONS_BASE_URL = ref.sim.url
    process.env.PAYMENT_OPTIONS_BACKEND_URL = `http://localhost:${port}`
    process.env.PAYMENT_OPTIONS_STOREFRONT_URL = "http://storefront.test"
  })
  afterAll(async () => {
    if (saved === undefined) delete process.env.PORT
    else process.env.PORT = saved
    await ref.sim?.close()
  })
  return ref
}
