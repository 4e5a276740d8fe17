// PaymentOptions passes the gateway contract against its simulator. A new card is entered on the
// hosted page, where the money moves in the shopper's browser; the contract's payments therefore use a
// stored card (stored_payment_method_id), whose authorization the server sends itself.
import { mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describeGatewayContract, type ContractOp } from "../../../core/__tests__/contract"
import { startPaymentOptionsSimulator } from "../../../simulator/payment-options"
import { payInBrowser } from "../../../simulator/payment-options/shopper"
import { PATHS } from "../client"
import { paymentOptions } from ".."

const MERCHANT = { merchantId: "JP00000472", apiKey: "contract-api-key", xApiKey: "contract-x-api-key", hppTransactionType: "PRE_AUTH" as const }
const OPS: Record<ContractOp, { method: string; path: string }> = {
  authorize: { method: "POST", path: PATHS.authorizationv2 },
  capture: { method: "POST", path: PATHS.capture },
  cancel: { method: "POST", path: PATHS.void },
  refund: { method: "POST", path: PATHS.refund },
  query: { method: "GET", path: PATHS.status },
}
const WEBHOOK_SECRET = "contract-webhook-secret-0123456789"

describeGatewayContract({
  definition: paymentOptions,
  async start(backendUrl) {
    const stateFile = join(mkdtempSync(join(tmpdir(), "medusa-payment-jp-contract-")), "payment-options.json")
    let sim = await startPaymentOptionsSimulator({ merchants: [MERCHANT], webhookTimeoutMs: 200, stateFile })
    const authorization = `Basic ${Buffer.from(MERCHANT.apiKey).toString("base64")}`
    // A card stored by an earlier payment (card data only ever enters the simulator).
    const res = await fetch(sim.url + PATHS.payment, {
      method: "POST",
      headers: { authorization, "x-api-key": MERCHANT.xApiKey, "content-type": "application/json" },
      body: JSON.stringify({
        amount: "100",
        currency: "JPY",
        merchant_id: MERCHANT.merchantId,
        card: { number: "4000000000001000", expiry_month: "12", expiry_year: "30", cvc: "123", name: "TARO" },
        payment_method: { type: "scheme", store_payment_method: true },
        billing_address: { country: "JP", email: "buyer@example.jp" },
      }),
    })
    const stored = ((await res.json()) as { transaction_details: { stored_payment_method_id: string } }).transaction_details.stored_payment_method_id
    const options = () => ({
      merchantId: MERCHANT.merchantId,
      apiKey: MERCHANT.apiKey,
      xApiKey: MERCHANT.xApiKey,
      baseUrl: sim.url,
      webhookSecret: WEBHOOK_SECRET,
      merchantEmail: "shop@example.jp",
      storefrontUrl: "https://shop.test",
      captureMode: "authorize",
      timeoutMs: 3000,
    })
    return {
      options: options(),
      async restart() {
        await sim.close()
        sim = await startPaymentOptionsSimulator({ merchants: [MERCHANT], webhookTimeoutMs: 200, stateFile })
        return options()
      },
      accountHolder: { ref: "cus_contract" },
      // Medusa's payments, as core/ledger.ts reads them: the earlier payment that stored the card for this customer.
      cradle: {
        paymentService: {
          list: async () => [{ data: { jp: { gateway: "payment-options", saved_card: { customerRef: "cus_contract", cardRef: stored }, references: { mid: MERCHANT.merchantId } } } }],
        },
      },
      cardData: async () => ({ payment_method_id: stored }),
      async follow(redirect) {
        const { end } = await payInBrowser(redirect.url!, null, "submit", (u) => u.origin === new URL(backendUrl).origin)
        return { method: "GET", query: Object.fromEntries(end.searchParams), rawBody: Buffer.alloc(0), headers: {} }
      },
      loseAnswer: (op) => sim.inject({ kind: "reset", path: OPS[op].path, after: true }),
      garble: (op) => sim.inject({ kind: "malformed", path: OPS[op].path }),
      calls: (op) => sim.requests().filter((r) => r.method === OPS[op].method && r.path.startsWith(OPS[op].path)).length,
      secrets: [MERCHANT.apiKey, MERCHANT.xApiKey, WEBHOOK_SECRET, Buffer.from(MERCHANT.apiKey).toString("base64")],
      close: () => sim.close(),
    }
  },
})
