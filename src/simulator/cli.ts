/**
 * medusa-payment-jp CLI.
 *
 *   medusa-payment-jp simulate <gateway> [options]
 *
 * Each gateway simulator is one entry of SIMULATORS: adding sbps, paygent
 * or payment-options is a new entry (name, help text, option parser, start).
 */
import { startRobotPaymentSimulator, TEST_CARDS, type StoreConfig } from "./robot-payment"
import { DEFAULT_MERCHANT as PAYGENT_MERCHANT, startPaygentSimulator, TEST_CARDS as PAYGENT_CARDS } from "./paygent"
import { startSbpsSimulator, SANDBOX_MERCHANT, TEST_CARDS as SBPS_TEST_CARDS, type MerchantConfig } from "./sbps"
import { startPaymentOptionsSimulator, TEST_CARDS as PO_TEST_CARDS, type SimMerchant } from "./payment-options"

export interface CliIo {
  out: (line: string) => void
  err: (line: string) => void
  /** Install SIGINT/SIGTERM handlers that close the simulator (default true). */
  handleSignals?: boolean
}

export interface CliResult {
  exitCode: number
  /** Present while a simulator is running. */
  running?: { name: string; url: string; close(): Promise<void> }
}

class UsageError extends Error {}

/** Parsed `--name value` / `--name=value` options; repeated options accumulate. */
type Options = Map<string, string[]>

function parseOptions(args: string[], allowed: Record<string, "value" | "flag">): Options {
  const opts: Options = new Map()
  for (let i = 0; i < args.length; i++) {
    const a = args[i]
    if (!a.startsWith("--")) throw new UsageError(`unexpected argument: ${a}`)
    const eq = a.indexOf("=")
    const name = a.slice(2, eq < 0 ? undefined : eq)
    const kind = allowed[name]
    if (!kind) throw new UsageError(`unknown option --${name}`)
    let value: string
    if (kind === "flag") value = "true"
    else if (eq >= 0) value = a.slice(eq + 1)
    else {
      const next = args[i + 1]
      if (next === undefined || next.startsWith("--")) throw new UsageError(`--${name} needs a value`)
      value = next
      i++
    }
    opts.set(name, [...(opts.get(name) ?? []), value])
  }
  return opts
}

const one = (o: Options, name: string): string | undefined => {
  const v = o.get(name)
  if (v && v.length > 1) throw new UsageError(`--${name} given more than once`)
  return v?.[0]
}

function intOption(o: Options, name: string, min: number, max: number): number | undefined {
  const v = one(o, name)
  if (v === undefined) return undefined
  if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) throw new UsageError(`--${name} must be an integer ${min}–${max}`)
  return Number(v)
}

interface SimulatorEntry {
  description: string
  usage: string
  options: Record<string, "value" | "flag">
  start(opts: Options, io: CliIo): Promise<{ url: string; close(): Promise<void> }>
}

const COMMON_OPTIONS = { port: "value", host: "value", help: "flag", verbose: "flag" } as const

export const SIMULATORS: Record<string, SimulatorEntry> = {
  "robot-payment": {
    description: "ROBOT PAYMENT card gateway (CPToken.js, EMV3DSAdapter.js, gateway_token/gateway/onetouch/carduser)",
    usage: [
      "medusa-payment-jp simulate robot-payment --port <n> [options]",
      "",
      "  --port <n>             port to listen on (0 = any free port; default 0)",
      "  --host <addr>          address to bind (default 127.0.0.1)",
      "  --aid <6 digits>       store id; repeat for several stores (default 123456)",
      "  --kickback-url <url>   決済結果通知URL for every store given",
      "  --allow-ip <ip>        決済データ送信元IP; repeatable (default: loopback only)",
      "  --allow-referer <url>  決済データ送信元URL prefix for CPToken.js; repeatable (default: no check)",
      "  --token-ttl-ms <n>     token life (default 900000 = 15 minutes)",
      "  --kickback-delay-ms <n>  delay before a kickback (default 50)",
      "  --verbose              log every request and kickback",
    ].join("\n"),
    options: {
      ...COMMON_OPTIONS,
      aid: "value",
      "kickback-url": "value",
      "allow-ip": "value",
      "allow-referer": "value",
      "token-ttl-ms": "value",
      "kickback-delay-ms": "value",
    },
    async start(o, io) {
      const aids = o.get("aid") ?? ["123456"]
      for (const a of aids) if (!/^\d{6}$/.test(a)) throw new UsageError(`--aid must be 6 digits: ${a}`)
      const kickbackUrl = one(o, "kickback-url")
      if (kickbackUrl !== undefined && !/^https?:\/\//.test(kickbackUrl)) throw new UsageError("--kickback-url must be an http(s) URL")
      const stores: StoreConfig[] = aids.map((aid) => ({
        aid,
        ...(kickbackUrl ? { kickbackUrl } : {}),
        ...(o.has("allow-ip") ? { allowedIps: o.get("allow-ip") } : {}),
        ...(o.has("allow-referer") ? { allowedReferers: o.get("allow-referer") } : {}),
      }))
      const sim = await startRobotPaymentSimulator({
        port: intOption(o, "port", 0, 65535) ?? 0,
        host: one(o, "host") ?? "127.0.0.1",
        stores,
        tokenTtlMs: intOption(o, "token-ttl-ms", 1, 2 ** 31 - 1),
        kickbackDelayMs: intOption(o, "kickback-delay-ms", 0, 600_000),
        ...(o.has("verbose") ? { log: (l: string) => io.out(`[robot-payment] ${l}`) } : {}),
      })
      io.out(`ROBOT PAYMENT simulator listening on ${sim.url}`)
      io.out(`  stores: ${aids.join(", ")}${kickbackUrl ? `  kickback → ${kickbackUrl}` : ""}`)
      io.out(`  scripts: ${sim.url}/gateway/js/CPToken.js  ${sim.url}/gateway/js/EMV3DSAdapter.js`)
      io.out(`  demo page: ${sim.url}/__sim/demo   test card: ${TEST_CARDS[0].pan}`)
      return sim
    },
  },
  sbps: {
    description: "SBPS API型 (xmlapi.do, com_sbps_system_token.js, com_sbps_system_tds2infotoken.js, 3-D Secure page)",
    usage: [
      "medusa-payment-jp simulate sbps --port <n> [options]",
      "",
      "  --port <n>             port to listen on (0 = any free port; default 0)",
      "  --host <addr>          address to bind (default 127.0.0.1)",
      "  --merchant-id <5 digits>  マーチャントID (default 30132, the public sandbox id)",
      "  --service-id <3 digits>   サービスID (default 002)",
      "  --hash-key <key>       ハッシュキー (default the public sandbox key)",
      "  --des-key <24 chars>   3DES key; with --des-iv, requests may use encrypted_flg=1",
      "  --des-iv <8 chars>     3DES IV",
      "  --auto-sales           自動売上: refuse sales requests (type 37)",
      "  --token-ttl-ms <n>     one-time token life (default 600000 = 10 minutes)",
      "  --verbose              log every request",
    ].join("\n"),
    options: {
      ...COMMON_OPTIONS,
      "merchant-id": "value",
      "service-id": "value",
      "hash-key": "value",
      "des-key": "value",
      "des-iv": "value",
      "auto-sales": "flag",
      "token-ttl-ms": "value",
    },
    async start(o, io) {
      const merchantId = one(o, "merchant-id") ?? SANDBOX_MERCHANT.merchantId
      const serviceId = one(o, "service-id") ?? SANDBOX_MERCHANT.serviceId
      if (!/^\d{5}$/.test(merchantId)) throw new UsageError("--merchant-id must be 5 digits")
      if (!/^\d{3}$/.test(serviceId)) throw new UsageError("--service-id must be 3 digits")
      const desKey = one(o, "des-key")
      const desIv = one(o, "des-iv")
      if ((desKey === undefined) !== (desIv === undefined)) throw new UsageError("--des-key and --des-iv go together")
      if (desKey !== undefined && desKey.length !== 24) throw new UsageError("--des-key must be 24 characters")
      if (desIv !== undefined && desIv.length !== 8) throw new UsageError("--des-iv must be 8 characters")
      const merchant: MerchantConfig = {
        merchantId,
        serviceId,
        hashKey: one(o, "hash-key") ?? SANDBOX_MERCHANT.hashKey,
        ...(desKey ? { desKey, desIv } : {}),
        ...(o.has("auto-sales") ? { autoSales: true } : {}),
      }
      const sim = await startSbpsSimulator({
        port: intOption(o, "port", 0, 65535) ?? 0,
        host: one(o, "host") ?? "127.0.0.1",
        merchants: [merchant],
        tokenTtlMs: intOption(o, "token-ttl-ms", 1, 2 ** 31 - 1),
        ...(o.has("verbose") ? { log: (l: string) => io.out(`[sbps] ${l}`) } : {}),
      })
      io.out(`SBPS simulator listening on ${sim.url}`)
      io.out(`  API: ${sim.url}/api/xmlapi.do  merchant ${merchantId} service ${serviceId}`)
      io.out(`  scripts: ${sim.url}/sbpstoken/com_sbps_system_token.js  ${sim.url}/sbpstoken/com_sbps_system_tds2infotoken.js`)
      io.out(`  test card: ${SBPS_TEST_CARDS[0].pan}`)
      return sim
    },
  },
  "payment-options": {
    description: "PaymentOptions (DAS Gateway) S2S JSON API, hosted payment page, 3-D Secure page, webhooks",
    usage: [
      "medusa-payment-jp simulate payment-options --port <n> [options]",
      "",
      "  --port <n>               port to listen on (0 = any free port; default 0)",
      "  --host <addr>            address to bind (default 127.0.0.1)",
      "  --merchant-id <DASMID>   merchant id (default JP00000472)",
      "  --api-key <key>          Secret API Key: requests send Authorization: Basic base64(key) (default sim-api-key)",
      "  --x-api-key <value>      x-api-key header value (default sim-x-api-key)",
      "  --hpp <PRE_AUTH|CAPTURE> what a hosted-page payment makes (default CAPTURE)",
      "  --verbose                log every request and webhook",
    ].join("\n"),
    options: { ...COMMON_OPTIONS, "merchant-id": "value", "api-key": "value", "x-api-key": "value", hpp: "value" },
    async start(o, io) {
      const merchantId = one(o, "merchant-id") ?? "JP00000472"
      if (!/^[A-Za-z0-9]{1,10}$/.test(merchantId)) throw new UsageError("--merchant-id must be at most 10 letters and digits")
      const hpp = one(o, "hpp") ?? "CAPTURE"
      if (hpp !== "PRE_AUTH" && hpp !== "CAPTURE") throw new UsageError("--hpp must be PRE_AUTH or CAPTURE")
      const merchant: SimMerchant = {
        merchantId,
        apiKey: one(o, "api-key") ?? "sim-api-key",
        xApiKey: one(o, "x-api-key") ?? "sim-x-api-key",
        hppTransactionType: hpp,
      }
      const sim = await startPaymentOptionsSimulator({
        port: intOption(o, "port", 0, 65535) ?? 0,
        host: one(o, "host") ?? "127.0.0.1",
        merchants: [merchant],
        ...(o.has("verbose") ? { log: (l: string) => io.out(`[payment-options] ${l}`) } : {}),
      })
      io.out(`PaymentOptions simulator listening on ${sim.url}`)
      io.out(`  merchant ${merchantId}: baseUrl ${sim.url}  apiKey ${merchant.apiKey}  xApiKey ${merchant.xApiKey}  hosted page makes ${hpp}`)
      io.out(`  test cards: ${PO_TEST_CARDS.filter((c) => c.brand === "VISA").map((c) => `${c.pan} (${c.scenario})`).join(", ")}`)
      return sim
    },
  },
  paygent: {
    description: "PAYGENT module type over mutual TLS (450 EMV 3DS, 020–029, 094, 091, PaygentToken.js, ACS, 差分通知)",
    usage: [
      "medusa-payment-jp simulate paygent --port <n> [options]",
      "",
      "  --port <n>             port to listen on (0 = any free port; default 0)",
      "  --host <addr>          address to bind (default 127.0.0.1)",
      "  --cert-dir <dir>       where the test CA, server and client certificates are made or reused",
      "                         (default: a folder under the OS temp dir)",
      "  --notice-url <url>     差分通知先URL (決済情報差分通知 is POSTed there)",
      "  --verbose              log every telegram, notice and timeout call",
      "",
      `  merchant: merchant_id ${PAYGENT_MERCHANT.merchantId}, connect_id ${PAYGENT_MERCHANT.connectId}, connect_password ${PAYGENT_MERCHANT.connectPassword}`,
      `  3Dセキュア結果受付ハッシュ鍵 ${PAYGENT_MERCHANT.threeDSResultHashKey}, 差分通知 key ${PAYGENT_MERCHANT.noticeHashKey}`,
      `  トークン生成鍵 ${PAYGENT_MERCHANT.tokenGenerationKey}, トークン受取ハッシュ鍵 ${PAYGENT_MERCHANT.tokenReceiptHashKey}`,
    ].join("\n"),
    options: { ...COMMON_OPTIONS, "cert-dir": "value", "notice-url": "value" },
    async start(o, io) {
      const noticeUrl = one(o, "notice-url")
      if (noticeUrl !== undefined && !/^https?:\/\//.test(noticeUrl)) throw new UsageError("--notice-url must be an http(s) URL")
      const certDir = one(o, "cert-dir")
      const sim = await startPaygentSimulator({
        port: intOption(o, "port", 0, 65535) ?? 0,
        host: one(o, "host") ?? "127.0.0.1",
        merchants: [{ ...PAYGENT_MERCHANT, ...(noticeUrl ? { noticeUrl } : {}) }],
        ...(certDir ? { certDir } : {}),
        ...(o.has("verbose") ? { log: (l: string) => io.out(`[paygent] ${l}`) } : {}),
      })
      const c = sim.certificates
      io.out(`PAYGENT simulator listening on ${sim.url}`)
      io.out(`  client certificate (PEM bundle, key passphrase ${c.clientKeyPassphrase}): ${c.clientBundleFile}`)
      io.out(`  client certificate (PKCS#12): ${c.clientPfxFile}   CA: ${c.caFile}`)
      io.out(`  script: ${sim.url}/js/PaygentToken.js   test card: ${PAYGENT_CARDS[0].pan}${noticeUrl ? `   notices → ${noticeUrl}` : ""}`)
      return sim
    },
  },
}

function mainUsage(): string {
  const names = Object.keys(SIMULATORS)
  return [
    "usage: medusa-payment-jp simulate <gateway> [options]",
    "",
    "gateways:",
    ...names.map((n) => `  ${n.padEnd(16)} ${SIMULATORS[n].description}`),
    "",
    "medusa-payment-jp simulate <gateway> --help   shows the gateway's options",
  ].join("\n")
}

const defaultIo: CliIo = {
  out: (l) => process.stdout.write(`${l}\n`),
  err: (l) => process.stderr.write(`${l}\n`),
}

export async function runCli(argv: string[], io: CliIo = defaultIo): Promise<CliResult> {
  const [command, gateway, ...rest] = argv
  if (command === undefined || command === "--help" || command === "-h" || command === "help") {
    io.out(mainUsage())
    return { exitCode: command === undefined ? 2 : 0 }
  }
  if (command !== "simulate") {
    io.err(`unknown command: ${command}\n\n${mainUsage()}`)
    return { exitCode: 2 }
  }
  const entry = gateway === undefined ? undefined : Object.prototype.hasOwnProperty.call(SIMULATORS, gateway) ? SIMULATORS[gateway] : undefined
  if (!entry || gateway === undefined) {
    io.err(
      `${gateway === undefined ? "missing gateway" : `unknown gateway: ${gateway}`}. Available: ${Object.keys(SIMULATORS).join(", ")}\n\n${mainUsage()}`,
    )
    return { exitCode: 2 }
  }
  try {
    const opts = parseOptions(rest, entry.options)
    if (opts.has("help")) {
      io.out(entry.usage)
      return { exitCode: 0 }
    }
    const sim = await entry.start(opts, io)
    const running = { name: gateway, url: sim.url, close: () => sim.close() }
    if (io.handleSignals !== false) {
      const stop = (signal: NodeJS.Signals) => {
        io.out(`${signal}: stopping the ${gateway} simulator`)
        void sim.close().then(() => process.exit(0))
      }
      process.once("SIGINT", stop)
      process.once("SIGTERM", stop)
    }
    return { exitCode: 0, running }
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`${e.message}\n\n${entry.usage}`)
      return { exitCode: 2 }
    }
    io.err(e instanceof Error ? e.message : String(e))
    return { exitCode: 1 }
  }
}
