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
