/** `medusa-payment-jp simulate payment-options`: this simulator's entry in the CLI (see ../registry.ts). */
import { credentialLines, UsageError, type CliOptions, type SimulatorModule } from "../common/module"
import { CHALLENGE_OTP, TEST_CARDS } from "./cards"
import { startPaymentOptionsSimulator, type SimMerchant } from "./index"

function merchantOf(o: CliOptions): SimMerchant {
  const merchantId = o.one("merchant-id") ?? "JP00000472"
  if (!/^[A-Za-z0-9]{1,10}$/.test(merchantId)) throw new UsageError("--merchant-id must be at most 10 letters and digits")
  const hpp = o.one("hpp") ?? "CAPTURE"
  if (hpp !== "PRE_AUTH" && hpp !== "CAPTURE") throw new UsageError("--hpp must be PRE_AUTH or CAPTURE")
  return { merchantId, apiKey: o.one("api-key") ?? "sim-api-key", xApiKey: o.one("x-api-key") ?? "sim-x-api-key", hppTransactionType: hpp }
}

export const simulator: SimulatorModule = {
  name: "payment-options",
  title: "PaymentOptions",
  description: "DAS Gateway: S2S JSON API, hosted payment page, 3-D Secure page, webhooks",
  defaultPort: 8903,
  options: [
    { name: "merchant-id", value: "<DASMID>", help: "merchant id (default JP00000472)" },
    { name: "api-key", value: "<key>", help: "Secret API Key: requests send Authorization: Basic base64(key) (default sim-api-key)" },
    { name: "x-api-key", value: "<value>", help: "x-api-key header value (default sim-x-api-key)" },
    { name: "hpp", value: "<PRE_AUTH|CAPTURE>", help: "what a hosted-page payment makes (default CAPTURE)" },
  ],
  credentials(o) {
    const m = merchantOf(o)
    return credentialLines({
      options: { merchantId: m.merchantId, apiKey: m.apiKey, xApiKey: m.xApiKey },
      notes: [`the hosted payment page makes a ${m.hppTransactionType}`],
      cards: TEST_CARDS.map((c) => [c.pan, `${c.brand} — ${c.scenario.replace("_", " ")}`]),
      challenge: `code ${CHALLENGE_OTP}`,
    })
  },
  async start(o, basics) {
    const sim = await startPaymentOptionsSimulator({ ...basics, merchants: [merchantOf(o)] })
    return { simulator: sim, banner: [`  baseUrl: ${sim.url}   API: ${sim.url}/api/v1/server-to-server-interface/…`] }
  },
}
