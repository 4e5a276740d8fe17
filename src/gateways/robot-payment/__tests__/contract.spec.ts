// ROBOT PAYMENT passes the gateway contract against its simulator. Its browser runs 3-D Secure on the
// token before the session is sent, so nothing redirects; the store's AUTH job is captured later.
import { mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describeGatewayContract, type ContractOp } from "../../../core/__tests__/contract"
import { startRobotPaymentSimulator } from "../../../simulator/robot-payment"
import { authenticate, createToken } from "../../../simulator/robot-payment/shopper"
import { robotPayment } from ".."

const AID = "123456"
const PATHS: Record<ContractOp, { path: string; jb?: string }> = {
  authorize: { path: "/gateway/gateway_token.aspx" },
  capture: { path: "/gateway/gateway.aspx", jb: "SALES" },
  cancel: { path: "/gateway/gateway.aspx", jb: "CANCEL" },
  refund: { path: "/gateway/gateway.aspx", jb: "CANCEL" },
  query: { path: "/gateway/carduser.aspx" },
}

describeGatewayContract({
  definition: robotPayment,
  async start() {
    const stateFile = join(mkdtempSync(join(tmpdir(), "medusa-payment-jp-contract-")), "robot-payment.json")
    let sim = await startRobotPaymentSimulator({ stores: [{ aid: AID }], stateFile })
    const options = () => ({ aid: AID, baseUrl: sim.url, jobType: "AUTH", timeoutMs: 3000 })
    const calls = (op: ContractOp) => sim.requests().filter((r) => r.path === PATHS[op].path && (!PATHS[op].jb || r.params.jb === PATHS[op].jb)).length
    return {
      options: options(),
      async cardData(browser) {
        const tkn = await createToken(sim.url, AID, { cn: "4444333322221111" })
        await authenticate(sim.url, AID, tkn, browser.three_ds as Record<string, number>)
        return { token: tkn }
      },
      follow: async () => {
        throw new Error("ROBOT PAYMENT sends no browser away: 3-D Secure ran before the session")
      },
      loseAnswer: (op) => sim.inject({ kind: "reset", path: PATHS[op].path, after: true }),
      garble: (op) => sim.inject({ kind: "malformed", path: PATHS[op].path }),
      calls,
      async restart() {
        await sim.close()
        sim = await startRobotPaymentSimulator({ stores: [{ aid: AID }], stateFile })
        return options()
      },
      secrets: [],
      close: () => sim.close(),
    }
  },
})
