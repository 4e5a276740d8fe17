/**
 * A simulator's optional state file: what the simulated gateway keeps (payments, saved cards,
 * notices, its counters) outlives a restart, as a real gateway's does. `npm run demo` gives each
 * simulator one in its data folder, so an order authorized before a restart can still be captured
 * or refunded after it.
 *
 * Each simulator says what it keeps (a Durable); this module reads the file at start and writes it
 * after every request that changed it (and on close): a temporary file, then a rename, so a crash
 * leaves the old file or the new one, never half of one. Maps and bigints are kept as such. A
 * security code (cvv, cvc, security_code …) is never written, whatever a simulator hands over; the
 * simulators keep no one-time card tokens in it either (they are minutes-long and carry one).
 *
 * Like the simulators themselves, it imports nothing from src/core or src/gateways.
 */
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs"
import { dirname } from "node:path"

/** What a simulator keeps across a restart. */
export interface Durable {
  /** A plain snapshot (objects, arrays, Maps, bigints); the file writes a copy of it. */
  save(): Record<string, unknown>
  /** Puts back what save() gave, once the simulator is set up from its options (before it listens). */
  load(saved: Record<string, unknown>): void
}

const FORMAT = 1
const SECURITY_CODE = /^(cvv|cvc|cvv2|security_?code|securityCode)$/i

/** The file's text: JSON with Maps and bigints tagged, security codes left out. */
export function encodeState(data: unknown): string {
  return JSON.stringify(
    data,
    function (key, value: unknown) {
      if (SECURITY_CODE.test(key)) return undefined
      if (value instanceof Map) return { $map: [...value.entries()] }
      if (typeof value === "bigint") return { $bigint: value.toString() }
      return value
    },
    1
  )
}

export function decodeState(text: string): unknown {
  return JSON.parse(text, (_key, value: unknown) => {
    if (value && typeof value === "object" && !Array.isArray(value)) {
      const v = value as Record<string, unknown>
      if (Array.isArray(v.$map) && Object.keys(v).length === 1) return new Map(v.$map as Array<[unknown, unknown]>)
      if (typeof v.$bigint === "string" && Object.keys(v).length === 1) return BigInt(v.$bigint)
    }
    return value
  })
}

/** Replaces a readonly Map's or array's content with a saved one (absent: left empty). */
export function refill<K, V>(into: Map<K, V>, from: unknown): void
export function refill<T>(into: T[], from: unknown): void
export function refill(into: Map<unknown, unknown> | unknown[], from: unknown): void {
  if (into instanceof Map) {
    into.clear()
    if (from instanceof Map) for (const [k, v] of from) into.set(k, v)
  } else {
    into.length = 0
    if (Array.isArray(from)) into.push(...from)
  }
}

export class StateFile {
  private last: string | undefined

  constructor(
    readonly path: string,
    private readonly durable: Durable,
    private readonly name: string
  ) {}

  /** Puts back what the file holds; no file: a fresh start. A file that cannot be read as a state throws (never silently started over). */
  load(): boolean {
    let text: string
    try {
      text = readFileSync(this.path, "utf8")
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return false
      throw e
    }
    const doc = decodeState(text) as { format?: number; simulator?: string; state?: Record<string, unknown> }
    if (doc?.format !== FORMAT || doc.simulator !== this.name || !doc.state || typeof doc.state !== "object") {
      throw new Error(`${this.path} is not a ${this.name} simulator state file (format ${FORMAT})`)
    }
    this.durable.load(doc.state)
    this.last = encodeState(doc.state)
    return true
  }

  /** Writes what the simulator keeps when it changed since the last write: temporary file + rename. */
  write(): void {
    const state = this.durable.save()
    const text = encodeState(state)
    if (text === this.last) return
    mkdirSync(dirname(this.path), { recursive: true })
    const tmp = `${this.path}.${process.pid}.tmp`
    try {
      writeFileSync(tmp, encodeState({ format: FORMAT, simulator: this.name, state }))
      renameSync(tmp, this.path)
    } catch (e) {
      rmSync(tmp, { force: true })
      throw e
    }
    this.last = text
  }
}

/** The state file of a simulator started with `path` (none: undefined), already loaded. */
export function openStateFile(path: string | undefined, name: string, durable: Durable): StateFile | undefined {
  if (!path) return undefined
  const file = new StateFile(path, durable, name)
  file.load()
  return file
}
