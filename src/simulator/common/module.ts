/**
 * What a simulator tells the command line about itself: one module object per simulator folder,
 * listed in ../registry.ts. The CLI (../cli.ts) knows nothing of any gateway: it parses the options
 * a module declares, prints its help, starts it and prints its banner.
 */
import type { Simulator } from "./simulator"

/** A bad command line: the CLI prints the message and the module's help, and exits 2. */
export class UsageError extends Error {}

export interface CliOption {
  /** `--name` */
  name: string
  /** The value's placeholder, e.g. "<6 digits>"; absent for a flag. */
  value?: string
  help: string
}

/** The options a command line gave, by name; a repeated option keeps every value in order. */
export class CliOptions {
  constructor(private readonly values: ReadonlyMap<string, readonly string[]> = new Map()) {}

  has(name: string): boolean {
    return this.values.has(name)
  }

  /** Every value of a repeatable option (none: []). */
  all(name: string): string[] {
    return [...(this.values.get(name) ?? [])]
  }

  /** The value of an option given at most once. */
  one(name: string): string | undefined {
    const v = this.values.get(name)
    if (v && v.length > 1) throw new UsageError(`--${name} given more than once`)
    return v?.[0]
  }

  int(name: string, min: number, max: number): number | undefined {
    const v = this.one(name)
    if (v === undefined) return undefined
    if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) throw new UsageError(`--${name} must be an integer ${min}–${max}`)
    return Number(v)
  }

  /** An http(s) URL (a notification target). */
  httpUrl(name: string): string | undefined {
    const v = this.one(name)
    if (v !== undefined && !/^https?:\/\//.test(v)) throw new UsageError(`--${name} must be an http(s) URL`)
    return v
  }
}

/** What every simulator's start is given by the CLI besides its own options. */
export interface StartBasics {
  port: number
  host: string
  /** Set with --verbose: one line per request, notification … */
  log?: (line: string) => void
  /** Set with --state-file: what the gateway holds outlives a restart (./state-file.ts). */
  stateFile?: string
}

export interface Started {
  simulator: Simulator
  /** Where things are once it listens (scripts, pages, certificate files …), printed after the "listening on" line. */
  banner: string[]
}

export interface SimulatorModule {
  /** The word after `simulate`, and the folder name: "robot-payment". */
  name: string
  /** The gateway as its vendor writes it: "ROBOT PAYMENT". */
  title: string
  /** One line for the list of simulators. */
  description: string
  /** Documented default port of `simulate <name>` (programmatic starts default to 0, any free port). */
  defaultPort: number
  /** Options beyond --port, --host, --verbose and --help. */
  options: CliOption[]
  /** What the machine must have, e.g. "openssl (apt-get install openssl)". */
  needs?: string[]
  /**
   * The test credentials (the values the provider's options need), test cards and 3-D Secure codes
   * for these options: printed by --help (for the defaults) and in the banner. Throws UsageError.
   */
  credentials(o: CliOptions): string[]
  /** Throws UsageError for a bad option. */
  start(o: CliOptions, basics: StartBasics): Promise<Started>
}

/** The credentials block every simulator prints the same way (--help and banner). */
export function credentialLines(c: {
  /** Provider option → value, e.g. { merchantId: "30132", hashKey: "…" }. */
  options: Record<string, string>
  cards: Array<[pan: string, what: string]>
  /** How to pass a 3-D Secure challenge. */
  challenge: string
  /** Anything else a tester must know (other keys, how outcomes are chosen). */
  notes?: string[]
}): string[] {
  const keyWidth = Math.max(...Object.keys(c.options).map((k) => k.length))
  const panWidth = Math.max(...c.cards.map(([pan]) => pan.length))
  return [
    "test credentials (the provider's options):",
    ...Object.entries(c.options).map(([k, v]) => `  ${k.padEnd(keyWidth)}  ${v}`),
    ...(c.notes ?? []).map((n) => `  ${n}`),
    "test cards (any future expiry):",
    ...c.cards.map(([pan, what]) => `  ${pan.padEnd(panWidth)}  ${what}`),
    `3-D Secure challenge: ${c.challenge}`,
  ]
}
