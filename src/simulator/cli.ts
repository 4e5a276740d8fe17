/**
 * medusa-payment-jp CLI.
 *
 *   medusa-payment-jp simulate <gateway> [options]
 *
 * Generic: the simulators and what they accept come from the registry (one module per simulator).
 */
import * as registry from "./registry"
import { CliOptions, UsageError, type CliOption, type SimulatorModule } from "./common/module"

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

/** Every simulator, by name. */
export const SIMULATORS: ReadonlyMap<string, SimulatorModule> = new Map(
  Object.values(registry as Record<string, SimulatorModule>)
    .sort((a, b) => a.defaultPort - b.defaultPort)
    .map((m) => [m.name, m])
)

const COMMON_OPTIONS = (m: SimulatorModule): CliOption[] => [
  { name: "port", value: "<n>", help: `port to listen on (default ${m.defaultPort}; 0 = any free port)` },
  { name: "host", value: "<addr>", help: "address to bind (default 127.0.0.1)" },
  { name: "state-file", value: "<path>", help: "keep payments, saved cards … in this file across restarts (default: memory only)" },
]
const TRAILING_OPTIONS: CliOption[] = [
  { name: "verbose", help: "log every request and notification" },
  { name: "help", help: "this help" },
]

function optionsOf(m: SimulatorModule): CliOption[] {
  return [...COMMON_OPTIONS(m), ...m.options, ...TRAILING_OPTIONS]
}

function parseArgs(args: string[], allowed: CliOption[]): CliOptions {
  const kinds = new Map(allowed.map((o) => [o.name, o.value === undefined ? "flag" : "value"]))
  const values = new Map<string, string[]>()
  for (let i = 0; i < args.length; i++) {
    const a = args[i]
    if (!a.startsWith("--")) throw new UsageError(`unexpected argument: ${a}`)
    const eq = a.indexOf("=")
    const name = a.slice(2, eq < 0 ? undefined : eq)
    const kind = kinds.get(name)
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
    values.set(name, [...(values.get(name) ?? []), value])
  }
  return new CliOptions(values)
}

function helpOf(m: SimulatorModule): string {
  const opts = optionsOf(m).map((o) => [`--${o.name}${o.value ? ` ${o.value}` : ""}`, o.help])
  const width = Math.max(...opts.map(([flag]) => flag.length)) + 2
  return [
    `usage: medusa-payment-jp simulate ${m.name} [options]`,
    "",
    `${m.title} simulator: ${m.description}`,
    "",
    "options:",
    ...opts.map(([flag, help]) => `  ${flag.padEnd(width)}${help}`),
    ...(m.needs?.length ? ["", "needs:", ...m.needs.map((n) => `  ${n}`)] : []),
    "",
    ...m.credentials(new CliOptions()),
  ].join("\n")
}

function mainUsage(): string {
  return [
    "usage: medusa-payment-jp simulate <gateway> [options]",
    "",
    "gateways:",
    ...[...SIMULATORS.values()].map((m) => `  ${m.name.padEnd(16)} ${m.description} (port ${m.defaultPort})`),
    "",
    "medusa-payment-jp simulate <gateway> --help   shows the gateway's options, test credentials and test cards",
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
  const m = gateway === undefined ? undefined : SIMULATORS.get(gateway)
  if (!m) {
    io.err(`${gateway === undefined ? "missing gateway" : `unknown gateway: ${gateway}`}. Available: ${[...SIMULATORS.keys()].join(", ")}\n\n${mainUsage()}`)
    return { exitCode: 2 }
  }
  try {
    const o = parseArgs(rest, optionsOf(m))
    if (o.has("help")) {
      io.out(helpOf(m))
      return { exitCode: 0 }
    }
    const credentials = m.credentials(o)
    const { simulator: sim, banner } = await m.start(o, {
      port: o.int("port", 0, 65535) ?? m.defaultPort,
      host: o.one("host") ?? "127.0.0.1",
      ...(o.one("state-file") ? { stateFile: o.one("state-file") } : {}),
      ...(o.has("verbose") ? { log: (l: string) => io.out(`[${m.name}] ${l}`) } : {}),
    })
    io.out(`${m.title} simulator listening on ${sim.url}`)
    for (const line of [...banner, `  control: ${sim.url}/__sim/requests, /__sim/faults, /__sim/clock`, ...credentials]) io.out(line)
    const running = { name: m.name, url: sim.url, close: () => sim.close() }
    if (io.handleSignals !== false) {
      const stop = (signal: NodeJS.Signals) => {
        io.out(`${signal}: stopping the ${m.name} simulator`)
        void sim.close().then(() => process.exit(0))
      }
      process.once("SIGINT", stop)
      process.once("SIGTERM", stop)
    }
    return { exitCode: 0, running }
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`${e.message}\n\n${helpOf(m)}`)
      return { exitCode: 2 }
    }
    io.err(e instanceof Error ? e.message : String(e))
    return { exitCode: 1 }
  }
}
