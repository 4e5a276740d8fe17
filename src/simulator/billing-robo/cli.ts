/** `medusa-payment-jp simulate billing-robo`: this simulator's entry in the CLI (see ../registry.ts). */
import { credentialLines, UsageError, type CliOptions, type SimulatorModule } from "../common/module"
import { CHALLENGE_OTP, TEST_CARDS, startBillingRoboSimulator } from "./index"

const DEFAULTS = { userId: "api@shop.example.jp", accessKey: "simaccesskey0123", aid: "123456" }

function settings(o: CliOptions) {
  const aid = o.one("aid") ?? DEFAULTS.aid
  if (!/^\d{6}$/.test(aid)) throw new UsageError(`--aid must be 6 digits: ${aid}`)
  return { userId: o.one("user-id") ?? DEFAULTS.userId, accessKey: o.one("access-key") ?? DEFAULTS.accessKey, aid }
}

export const simulator: SimulatorModule = {
  name: "billing-robo",
  title: "請求管理ロボ",
  description: "請求管理ロボ API (bulk_upsert, credit_card_token, payment method search, 即時決済) + CPToken.js",
  defaultPort: 8940,
  options: [
    { name: "user-id", value: "<email>", help: `API user_id (default ${DEFAULTS.userId})` },
    { name: "access-key", value: "<key>", help: `API access_key (default ${DEFAULTS.accessKey})` },
    { name: "aid", value: "<6 digits>", help: `店舗ID for CPToken.js (default ${DEFAULTS.aid})` },
    { name: "webhook-url", value: "<url>", help: "where credit_status_issue webhooks go" },
    { name: "signature-key", value: "<key>", help: "BillingRoboSignaturekey of the webhooks" },
    { name: "allow-ip", value: "<ip>", help: "API source IP; repeatable (default: loopback only)" },
    { name: "request-limit", value: "<n>", help: "requests per 5 minutes per IP before 429 (default 300)" },
  ],
  credentials: (o) => {
    const s = settings(o)
    return credentialLines({
      options: { userId: s.userId, accessKey: s.accessKey, aid: s.aid },
      cards: TEST_CARDS.map((c) => [c.pan, c.label]),
      challenge: `one-time code ${CHALLENGE_OTP}`,
      notes: ["baseUrl and scriptBaseUrl: this simulator's URL"],
    })
  },
  async start(o, basics) {
    const s = settings(o)
    const sim = await startBillingRoboSimulator({
      ...basics,
      ...s,
      ...(o.httpUrl("webhook-url") ? { webhookUrl: o.httpUrl("webhook-url") } : {}),
      ...(o.one("signature-key") ? { signatureKey: o.one("signature-key") } : {}),
      ...(o.has("allow-ip") ? { allowedIps: o.all("allow-ip") } : {}),
      requestLimit: o.int("request-limit", 1, 1_000_000),
    })
    return {
      simulator: sim,
      banner: [`  baseUrl: ${sim.url}   signatureKey: ${sim.signatureKey}`, `  scripts: ${sim.url}/gateway/js/CPToken.js  ${sim.url}/gateway/js/EMV3DSAdapter.js`],
    }
  },
}
