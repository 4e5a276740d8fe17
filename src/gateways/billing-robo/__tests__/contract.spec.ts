// 請求管理ロボ passes the gateway contract against its simulator where it applies: an order is a sale
// (即時決済) on the card the customer registered beforehand, with no capture, cancel or refund call.
import { mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describeGatewayContract, type ContractOp } from "../../../core/__tests__/contract"
import { startBillingRoboSimulator, PATHS } from "../../../simulator/billing-robo"
import { authenticate, createToken } from "../../../simulator/robot-payment/shopper"
import { billingRobo, BillingRoboGateway } from ".."
import { billingRoboOptionsSchema } from "../options"

const CUSTOMER = "cus_contract"
const OPS: Record<ContractOp, string | null> = { authorize: PATHS.register, capture: null, cancel: null, refund: null, query: PATHS.search }

describeGatewayContract({
  definition: billingRobo,
  async start() {
    const stateFile = join(mkdtempSync(join(tmpdir(), "medusa-payment-jp-contract-")), "billing-robo.json")
    let sim = await startBillingRoboSimulator({ signatureKey: "contract-signature-key-0123", stateFile })
    const optionsOf = () => ({
      userId: sim.credentials.userId,
      accessKey: sim.credentials.accessKey,
      aid: sim.credentials.aid,
      baseUrl: sim.url,
      scriptBaseUrl: sim.url,
      signatureKey: sim.signatureKey,
      timeoutMs: 3000,
    })
    const options = optionsOf()
    // The customer registered a card beforehand, as the storefront's registration does.
    const g = new BillingRoboGateway(billingRoboOptionsSchema.parse(options))
    const customer = { id: CUSTOMER, email: "buyer@example.jp", name: "山田 太郎", phone: "09012345678", postal_code: "1500001", province: "東京都", city: "渋谷区", address_1: "神宮前1-1" }
    const { browser } = await g.prepareRegistration(customer)
    const tkn = await createToken(sim.url, sim.credentials.aid, { cn: "4444333322221111" })
    await authenticate(sim.url, sim.credentials.aid, tkn, browser.three_ds)
    await g.registerCard(CUSTOMER, tkn, customer)
    await g.client.close()
    return {
      options,
      accountHolder: { ref: CUSTOMER },
      cardData: async () => ({}),
      follow: async () => {
        throw new Error("請求管理ロボ has no redirect")
      },
      loseAnswer: (op) => sim.inject({ kind: "reset", path: OPS[op] ?? "/none", after: true }),
      garble: (op) => sim.inject({ kind: "malformed", path: OPS[op] ?? "/none" }),
      calls: (op) => (OPS[op] ? sim.requests().filter((r) => r.path === OPS[op]).length : 0),
      async restart() {
        await sim.close()
        sim = await startBillingRoboSimulator({ signatureKey: "contract-signature-key-0123", stateFile })
        return optionsOf()
      },
      secrets: [sim.credentials.accessKey, sim.signatureKey],
      close: () => sim.close(),
    }
  },
})
