// The PAYGENT simulator for a Medusa test app, started before the app boots: medusa-config.ts reads
// its URL (PAYGENT_BASE_URL), where the browser loads PaygentToken.js (PAYGENT_TOKEN_SCRIPT_URL, the
// simulator's plain-HTTP browser origin), its certificate folder (PAYGENT_CERT_DIR) and the app's public URL
// (PAYGENT_BACKEND_URL, PAYGENT's term_url) from the environment. The app's port is chosen here (PORT,
// which the test runner honours) so that term_url and the notice URL point at the app.
import { tmpdir } from "node:os"
import { join } from "node:path"
import { DEFAULT_MERCHANT, startPaygentSimulator, type PaygentSimulator, type PaymentMethodContract } from "../../src/simulator/paygent"
import { freePort } from "./free-port"

export const PAYGENT_MERCHANT = DEFAULT_MERCHANT

/**
 * The simulated merchant's contract unless a spec says otherwise: 分割 3 and 6 回 and ボーナス1回 beside
 * 1回払い (the provider pgi of medusa-config.ts also allows 10 回 and リボ, which PAYGENT refuses: P030).
 */
export const PAYGENT_CONTRACT: PaymentMethodContract = { installments: [3, 6], bonus: true }

export function usePaygentSimulator(contract: PaymentMethodContract | undefined = PAYGENT_CONTRACT): { readonly sim: PaygentSimulator; readonly appUrl: string } {
  const ref = {} as { sim: PaygentSimulator; appUrl: string }
  const saved = { PORT: process.env.PORT }
  beforeAll(async () => {
    const certDir = join(tmpdir(), "medusa-payment-jp-paygent-certs")
    ref.sim = await startPaygentSimulator({ certDir, noticeRetryMs: 200, merchants: [{ ...DEFAULT_MERCHANT, ...(contract ? { paymentMethods: contract } : {}) }] })
    const port = await freePort()
    ref.appUrl = `http://localhost:${port}`
    process.env.PORT = String(port)
    process.env.PAYGENT_BASE_URL = ref.sim.url
    process.env.PAYGENT_TOKEN_SCRIPT_URL = `${ref.sim.browserUrl}/js/PaygentToken.js`
    process.env.PAYGENT_CERT_DIR = certDir
    process.env.PAYGENT_BACKEND_URL = ref.appUrl
  })
  afterAll(async () => {
    if (saved.PORT === undefined) delete process.env.PORT
    else process.env.PORT = saved.PORT
    await ref.sim?.close()
  })
  return ref
}
