// The SBPS simulator for a Medusa test app, started before the app boots: medusa-config.ts reads
// SBPS_BASE_URL. The shopper's side is src/simulator/sbps/shopper.ts.
import { startSbpsSimulator, SANDBOX_MERCHANT, type SbpsSimulator } from "../../src/simulator/sbps"
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

export function useSbpsSimulator(): { readonly sim: SbpsSimulator } {
  const ref = {} as { sim: SbpsSimulator }
  beforeAll(async () => {
    ref.sim = await startSbpsSimulator({ merchants: [SANDBOX_MERCHANT, SBPS_SECOND_MERCHANT] })
    process.env.SBPS_BASE_URL = ref.sim.url
  })
  afterAll(async () => {
    await ref.sim?.close()
  })
  return ref
}
