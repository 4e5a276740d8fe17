/** `medusa-payment-jp simulate paygent`: this simulator's entry in the CLI (see ../registry.ts). */
import { credentialLines, UsageError, type CliOptions, type SimulatorModule } from "../common/module"
import { challengePasswords, TEST_CARDS } from "./cards"
import { TEST_CLIENT_KEY_PASSPHRASE } from "./certs"
import { DEFAULT_MERCHANT, startPaygentSimulator } from "./index"
import { SPLIT_COUNTS, type MerchantConfig } from "./state"

/** The browser listener's port by default: the telegram port + 10 (8912; 8904 is kept for 請求管理ロボ), any free one with --port 0. */
const BROWSER_PORT_OFFSET = 10

function merchantOf(o: CliOptions): MerchantConfig {
  const noticeUrl = o.httpUrl("notice-url")
  return { ...DEFAULT_MERCHANT, ...(noticeUrl ? { noticeUrl } : {}), ...paymentMethodsOf(o) }
}

/** --installments 3,6,10 --bonus --revolving: the 支払区分 the contract takes besides 1回払い. */
function paymentMethodsOf(o: CliOptions): Pick<MerchantConfig, "paymentMethods"> {
  const list = o.one("installments")
  const installments = list === undefined ? [] : list.split(",").map(Number)
  if (installments.some((n) => !SPLIT_COUNTS.includes(n))) throw new UsageError(`--installments takes counts from ${SPLIT_COUNTS.join(",")}`)
  if (!installments.length && !o.has("bonus") && !o.has("revolving")) return {}
  return { paymentMethods: { installments, bonus: o.has("bonus"), revolving: o.has("revolving") } }
}

export const simulator: SimulatorModule = {
  name: "paygent",
  title: "PAYGENT",
  description: "module type over mutual TLS (450 EMV 3DS, 020–029, 094, 091, PaygentToken.js, ACS, 差分通知)",
  defaultPort: 8902,
  options: [
    { name: "browser-port", value: "<n>", help: `plain-HTTP port of what a browser loads: PaygentToken.js, the ACS (default --port + ${BROWSER_PORT_OFFSET}: 8912)` },
    { name: "cert-dir", value: "<dir>", help: "where the test CA, server and client certificates are made or reused (default: a folder under the OS temp dir)" },
    { name: "installments", value: "<n,n,…>", help: "分割 counts (split_count) the contract takes; default none (1回払い only, else P030)" },
    { name: "bonus", help: "the contract takes ボーナス1回 (payment_class 23)" },
    { name: "revolving", help: "the contract takes リボ (payment_class 80)" },
    { name: "notice-url", value: "<url>", help: "差分通知先URL (決済情報差分通知 is POSTed there)" },
  ],
  needs: ["openssl (Debian/Ubuntu: apt-get install openssl): the test CA and certificates are made with it at start"],
  credentials(o) {
    const m = merchantOf(o)
    const pw = challengePasswords("VISA")
    return credentialLines({
      options: {
        merchantId: m.merchantId,
        connectId: m.connectId,
        connectPassword: m.connectPassword,
        threeDSResultHashKey: m.threeDSResultHashKey ?? "",
        noticeHashKey: m.noticeHashKey ?? "",
        tokenGenerationKey: m.tokenGenerationKey,
        tokenReceiptHashKey: m.tokenReceiptHashKey,
        clientKeyPassphrase: TEST_CLIENT_KEY_PASSPHRASE,
      },
      notes: ["clientCertificate and caCertificate: the files printed at start (made in --cert-dir)"],
      cards: TEST_CARDS.map((c) => [c.pan, c.note]),
      challenge: `cardholder name BAVCA (or amount 1, 200000, 400000) → password ${pw.success} success, ${pw.failed} failure, ${pw.attempt} attempt (VISA; JCB 135xx, AMEX 137xx, Mastercard 150xx, Diners 136xx)`,
    })
  },
  async start(o, basics) {
    const certDir = o.one("cert-dir")
    const merchant = merchantOf(o)
    const sim = await startPaygentSimulator({
      ...basics,
      browserPort: o.int("browser-port", 0, 65535) ?? (basics.port === 0 ? 0 : basics.port + BROWSER_PORT_OFFSET),
      merchants: [merchant],
      ...(certDir ? { certDir } : {}),
    })
    const c = sim.certificates
    return {
      simulator: sim,
      banner: [
        `  baseUrl: ${sim.url} (module telegrams, client certificate required)`,
        `  browser: ${sim.browserUrl} (plain HTTP)   tokenScriptUrl: ${sim.browserUrl}/js/PaygentToken.js`,
        `  clientCertificate: ${c.clientBundleFile}   caCertificate: ${c.caFile}   (PKCS#12: ${c.clientPfxFile})`,
        ...(merchant.noticeUrl ? [`  notices → ${merchant.noticeUrl}`] : []),
      ],
    }
  },
}
