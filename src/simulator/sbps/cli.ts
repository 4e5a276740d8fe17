/** `medusa-payment-jp simulate sbps`: this simulator's entry in the CLI (see ../registry.ts). */
import { credentialLines, UsageError, type CliOptions, type SimulatorModule } from "../common/module"
import { CHALLENGE_CODE, TEST_CARDS } from "./cards"
import type { MerchantConfig } from "./gateway"
import { DIVIDE_TIMES, SANDBOX_MERCHANT, startSbpsSimulator } from "./index"

function merchantOf(o: CliOptions): MerchantConfig {
  const merchantId = o.one("merchant-id") ?? SANDBOX_MERCHANT.merchantId
  const serviceId = o.one("service-id") ?? SANDBOX_MERCHANT.serviceId
  if (!/^\d{5}$/.test(merchantId)) throw new UsageError("--merchant-id must be 5 digits")
  if (!/^\d{3}$/.test(serviceId)) throw new UsageError("--service-id must be 3 digits")
  const desKey = o.one("des-key")
  const desIv = o.one("des-iv")
  if ((desKey === undefined) !== (desIv === undefined)) throw new UsageError("--des-key and --des-iv go together")
  if (desKey !== undefined && desKey.length !== 24) throw new UsageError("--des-key must be 24 characters")
  if (desIv !== undefined && desIv.length !== 8) throw new UsageError("--des-iv must be 8 characters")
  return {
    merchantId,
    serviceId,
    hashKey: o.one("hash-key") ?? SANDBOX_MERCHANT.hashKey,
    ...(desKey ? { desKey, desIv } : {}),
    ...(o.has("auto-sales") ? { autoSales: true } : {}),
    ...paymentMethodsOf(o),
  }
}

/** --installments 3,6,10 --bonus --revolving: the 支払方法 the merchant's contract takes besides 一括. */
function paymentMethodsOf(o: CliOptions): Pick<MerchantConfig, "paymentMethods"> {
  const list = o.one("installments")
  const installments = list === undefined ? [] : list.split(",").map(Number)
  if (installments.some((n) => !DIVIDE_TIMES.includes(n))) throw new UsageError(`--installments takes counts from ${DIVIDE_TIMES.join(",")}`)
  if (!installments.length && !o.has("bonus") && !o.has("revolving")) return {}
  return { paymentMethods: { installments, bonus: o.has("bonus"), revolving: o.has("revolving") } }
}

export const simulator: SimulatorModule = {
  name: "sbps",
  title: "SBPS",
  description: "API型 (xmlapi.do, com_sbps_system_token.js, com_sbps_system_tds2infotoken.js, 3-D Secure page)",
  defaultPort: 8901,
  options: [
    { name: "merchant-id", value: "<5 digits>", help: "マーチャントID (default 30132, the public sandbox id)" },
    { name: "service-id", value: "<3 digits>", help: "サービスID (default 002)" },
    { name: "hash-key", value: "<key>", help: "ハッシュキー (default the public sandbox key)" },
    { name: "des-key", value: "<24 chars>", help: "3DES key; with --des-iv, requests may use encrypted_flg=1" },
    { name: "des-iv", value: "<8 chars>", help: "3DES IV" },
    { name: "auto-sales", help: "自動売上: refuse sales requests (type 37)" },
    { name: "installments", value: "<n,n,…>", help: "分割 counts (divide_times) the contract takes; default none (一括 only)" },
    { name: "bonus", help: "the contract takes ボーナス一括 (dealings_type 21)" },
    { name: "revolving", help: "the contract takes リボ (dealings_type 80)" },
    { name: "token-ttl-ms", value: "<n>", help: "one-time token life (default 600000 = 10 minutes)" },
  ],
  credentials(o) {
    const m = merchantOf(o)
    return credentialLines({
      options: {
        merchantId: m.merchantId,
        serviceId: m.serviceId,
        hashKey: m.hashKey,
        ...(m.desKey && m.desIv ? { desKey: m.desKey, desIv: m.desIv } : {}),
      },
      notes: [`Basic auth: ${m.merchantId}${m.serviceId} / the hash key (the provider's default)${m.autoSales ? "; 自動売上" : ""}`],
      cards: TEST_CARDS.map((c) => [c.pan, c.label]),
      challenge: `code ${CHALLENGE_CODE}`,
    })
  },
  async start(o, basics) {
    const sim = await startSbpsSimulator({ ...basics, merchants: [merchantOf(o)], tokenTtlMs: o.int("token-ttl-ms", 1, 2 ** 31 - 1) })
    return {
      simulator: sim,
      banner: [
        `  baseUrl: ${sim.url}   API: ${sim.url}/api/xmlapi.do`,
        `  scripts: ${sim.url}/sbpstoken/com_sbps_system_token.js  ${sim.url}/sbpstoken/com_sbps_system_tds2infotoken.js`,
      ],
    }
  },
}
