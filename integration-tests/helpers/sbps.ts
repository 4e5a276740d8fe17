// The SBPS simulator for a Medusa test app, started before the app boots: medusa-config.ts reads
// SBPS_BASE_URL. The shopper's side is src/simulator/sbps/shopper.ts.
import { startSbpsSimulator, SANDBOX_MERCHANT, type PaymentMethodContract, type SbpsSimulator } from "../../src/simulator/sbps"
export { runThreeDS, sbpsTokens } from "../../src/simulator/sbps/shopper"

export const SBPS_MERCHANT = { merchantId: "30132", serviceId: "002" }
/** The provider sbpsn of medusa-config.ts: no 3-D Secure, 3DES, sold at once. */
export const SBPS_SECOND_MERCHANT = {
  merchantId: "12345",
  serviceId: "001",
  hashKey: "sbps-second-merchant-hash-key",
  desKey: "abcdefghyjklmn1234567890",
  desIv: "12345678",
}

/**
 * The contract both simulated merchants have unless a spec says otherwise: 分割 3 and 6 回 and ボーナス一括
 * beside 一括 (the providers sbpsi and sbpsni of medusa-config.ts also allow 10 回, which SBPS refuses).
 */
export const SBPS_CONTRACT: PaymentMethodContract = { installments: [3, 6], bonus: true }

export function useSbpsSimulator(contract: PaymentMethodContract | undefined = SBPS_CONTRACT): { readonly sim: SbpsSimulator } {
  const ref = {} as { sim: SbpsSimulator }
  beforeAll(async () => {
    const paymentMethods = contract ? { paymentMethods: contract } : {}
    ref.sim = await startSbpsSimulator({ merchants: [{ ...SANDBOX_MERCHANT, ...paymentMethods }, { ...SBPS_SECOND_MERCHANT, ...paymentMethods }] })
    process.env.SBPS_BASE_URL = ref.sim.url
  })
  afterAll(async () => {
    await ref.sim?.close()
  })
  return ref
}
