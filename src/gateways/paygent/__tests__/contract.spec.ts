// PAYGENT passes the gateway contract against its simulator, over mutual TLS: PaygentToken.js in the
// browser, 450 and the ACS page (a redirect), 020 once the shopper is back.
import { mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describeGatewayContract, type ContractOp } from "../../../core/__tests__/contract"
import { DEFAULT_MERCHANT as M, startPaygentSimulator } from "../../../simulator/paygent"
import { createPaygentToken, runAcs } from "../../../simulator/paygent/shopper"
import { paygent } from ".."

const TELEGRAMS: Record<ContractOp, string[]> = {
  authorize: ["020"],
  capture: ["022"],
  cancel: ["021", "023"],
  refund: ["023", "029"],
  query: ["094"],
}

describeGatewayContract({
  definition: paygent,
  async start() {
    const certDir = join(tmpdir(), "medusa-payment-jp-paygent-certs")
    const stateFile = join(mkdtempSync(join(tmpdir(), "medusa-payment-jp-contract-")), "paygent.json")
    let sim = await startPaygentSimulator({ certDir, stateFile })
    const c = sim.certificates
    const options = () => ({
      merchantId: M.merchantId,
      connectId: M.connectId,
      connectPassword: M.connectPassword,
      clientCertificate: c.clientBundleFile,
      clientKeyPassphrase: c.clientKeyPassphrase,
      caCertificate: c.caFile,
      baseUrl: sim.url,
      tokenScriptUrl: `${sim.browserUrl}/js/PaygentToken.js`,
      merchantName: "Contract Shop",
      threeDSResultHashKey: M.threeDSResultHashKey,
      noticeHashKey: M.noticeHashKey,
      tokenGenerationKey: M.tokenGenerationKey,
      tokenReceiptHashKey: M.tokenReceiptHashKey,
      timeoutMs: 3000,
    })
    return {
      options: options(),
      async restart() {
        await sim.close()
        sim = await startPaygentSimulator({ certDir, stateFile })
        return options()
      },
      async cardData(browser) {
        const t = await createPaygentToken(sim.browserUrl, c.caFile, M.merchantId, String(browser.token_generation_key), { card_number: "4000000000000002" })
        return { ...t }
      },
      async follow(redirect) {
        const { termUrl } = await runAcs(redirect.html!, c.caFile, { simUrl: sim.browserUrl })
        const url = new URL(termUrl)
        return { method: "GET", query: Object.fromEntries(url.searchParams), rawBody: Buffer.alloc(0), headers: {} }
      },
      loseAnswer: (op) => sim.inject({ kind: "reset", telegram: TELEGRAMS[op][0], after: true }),
      garble: (op) => sim.inject({ kind: "malformed", telegram: TELEGRAMS[op][0] }),
      calls: (op) => sim.requests().filter((r) => TELEGRAMS[op].includes(r.kind)).length,
      secrets: [M.connectPassword, M.threeDSResultHashKey!, M.noticeHashKey!, M.tokenReceiptHashKey!, c.clientKeyPassphrase],
      close: () => sim.close(),
    }
  },
})
