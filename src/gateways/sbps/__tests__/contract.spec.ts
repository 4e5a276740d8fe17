// SBPS passes the gateway contract against its simulator: one-time tokens in the browser, TA02 and
// the 3-D Secure page (a redirect), then 与信 (ST01-00118) + 確定 once the shopper is back.
import { mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describeGatewayContract, type ContractOp } from "../../../core/__tests__/contract"
import { SANDBOX_MERCHANT, startSbpsSimulator } from "../../../simulator/sbps"
import { runThreeDS, sbpsTokens } from "../../../simulator/sbps/shopper"
import { FUNCTION_IDS } from "../client"
import { sbps } from ".."

const IDS: Record<ContractOp, string[]> = {
  authorize: [FUNCTION_IDS.authorize3ds],
  capture: [FUNCTION_IDS.sales],
  cancel: [FUNCTION_IDS.cancelRefund],
  refund: [FUNCTION_IDS.cancelRefund, FUNCTION_IDS.partialRefund],
  query: [FUNCTION_IDS.inquire],
}

describeGatewayContract({
  definition: sbps,
  async start() {
    const stateFile = join(mkdtempSync(join(tmpdir(), "medusa-payment-jp-contract-")), "sbps.json")
    let sim = await startSbpsSimulator({ merchants: [SANDBOX_MERCHANT], stateFile })
    const options = () => ({ merchantId: SANDBOX_MERCHANT.merchantId, serviceId: SANDBOX_MERCHANT.serviceId, hashKey: SANDBOX_MERCHANT.hashKey, baseUrl: sim.url, timeoutMs: 3000 })
    return {
      options: options(),
      cardData: (browser) => sbpsTokens(sim.url, browser as { merchant_id: string; service_id: string; three_ds?: boolean }, "4111111111111111"),
      async follow(redirect) {
        const url = new URL(await runThreeDS(redirect.url!))
        return { method: "GET", query: Object.fromEntries(url.searchParams), rawBody: Buffer.alloc(0), headers: {} }
      },
      loseAnswer: (op) => sim.inject({ kind: "reset", id: IDS[op][0], after: true }),
      garble: (op) => sim.inject({ kind: "malformed", id: IDS[op][0] }),
      calls: (op) => sim.requests().filter((r) => r.id !== undefined && IDS[op].includes(r.id)).length,
      async restart() {
        await sim.close()
        sim = await startSbpsSimulator({ merchants: [SANDBOX_MERCHANT], stateFile })
        return options()
      },
      secrets: [SANDBOX_MERCHANT.hashKey],
      close: () => sim.close(),
    }
  },
})
