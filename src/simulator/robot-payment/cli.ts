/** `medusa-payment-jp simulate robot-payment`: this simulator's entry in the CLI (see ../registry.ts). */
import { credentialLines, UsageError, type CliOptions, type SimulatorModule } from "../common/module"
import { CHALLENGE_OTP, TEST_CARDS } from "./cards"
import { startRobotPaymentSimulator } from "./index"
import type { StoreConfig } from "./state"

function storesOf(o: CliOptions): StoreConfig[] {
  const aids = o.has("aid") ? o.all("aid") : ["123456"]
  for (const a of aids) if (!/^\d{6}$/.test(a)) throw new UsageError(`--aid must be 6 digits: ${a}`)
  const kickbackUrl = o.httpUrl("kickback-url")
  const installments = o.has("installments") ? o.all("installments").flatMap((v) => v.split(",")).map((v) => Number(v.trim())) : []
  if (installments.some((n) => !Number.isInteger(n) || n <= 0)) throw new UsageError("--installments takes 回数 such as 3,6,12")
  const revolving = o.has("revolving")
  const paymentMethods = installments.length > 0 || revolving ? { ...(installments.length > 0 ? { installments } : {}), ...(revolving ? { revolving } : {}) } : undefined
  return aids.map((aid) => ({
    aid,
    ...(kickbackUrl ? { kickbackUrl } : {}),
    ...(o.has("allow-ip") ? { allowedIps: o.all("allow-ip") } : {}),
    ...(o.has("allow-referer") ? { allowedReferers: o.all("allow-referer") } : {}),
    ...(paymentMethods ? { paymentMethods } : {}),
  }))
}

export const simulator: SimulatorModule = {
  name: "robot-payment",
  title: "ROBOT PAYMENT",
  description: "card gateway (CPToken.js, EMV3DSAdapter.js, gateway_token/gateway/onetouch/carduser)",
  defaultPort: 8900,
  options: [
    { name: "aid", value: "<6 digits>", help: "店舗ID; repeat for several stores (default 123456)" },
    { name: "kickback-url", value: "<url>", help: "決済結果通知URL for every store given" },
    { name: "allow-ip", value: "<ip>", help: "決済データ送信元IP; repeatable (default: loopback only)" },
    { name: "allow-referer", value: "<url>", help: "決済データ送信元URL prefix for CPToken.js; repeatable (default: no check)" },
    { name: "installments", value: "<n,n,…>", help: "分割回数 the card contract allows (md=61), e.g. 3,6,12 (default: none)" },
    { name: "revolving", help: "the card contract allows リボ払い (md=80) (default: no)" },
    { name: "token-ttl-ms", value: "<n>", help: "token life (default 900000 = 15 minutes)" },
    { name: "kickback-delay-ms", value: "<n>", help: "delay before a kickback (default 50)" },
  ],
  credentials: (o) =>
    credentialLines({
      options: { aid: storesOf(o).map((s) => s.aid).join(", ") },
      cards: TEST_CARDS.map((c) => [c.pan, c.label]),
      challenge: `one-time code ${CHALLENGE_OTP}`,
    }),
  async start(o, basics) {
    const stores = storesOf(o)
    const sim = await startRobotPaymentSimulator({
      ...basics,
      stores,
      tokenTtlMs: o.int("token-ttl-ms", 1, 2 ** 31 - 1),
      kickbackDelayMs: o.int("kickback-delay-ms", 0, 600_000),
    })
    const kickbackUrl = stores[0].kickbackUrl
    return {
      simulator: sim,
      banner: [
        `  baseUrl: ${sim.url}   stores: ${stores.map((s) => s.aid).join(", ")}${kickbackUrl ? `   kickbacks → ${kickbackUrl}` : ""}`,
        `  scripts: ${sim.url}/gateway/js/CPToken.js  ${sim.url}/gateway/js/EMV3DSAdapter.js`,
        `  demo page: ${sim.url}/__sim/demo`,
      ],
    }
  },
}
