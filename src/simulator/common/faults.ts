/**
 * The fault queue every simulator uses. Faults are kept in injection order; a request takes the
 * first fault that matches it and uses up one of its `times` (default 1); a used-up fault leaves
 * the queue. What a fault looks like, how it is checked and what matches what stay with each
 * gateway (its own faults.ts): this is only the bookkeeping.
 *
 * Like the simulators themselves, it imports nothing from src/core or src/gateways.
 */
/** A fault the gateway's check refuses; the /__sim router answers it 400. */
export class InvalidFault extends TypeError {
  constructor(reason: string) {
    super(`invalid fault: ${reason}`)
  }
}

export class FaultQueue<F extends { times?: number }> {
  private active: Array<{ fault: F; remaining: number }> = []

  /** `check` gives the error message for a fault that is not valid, or null. */
  constructor(private readonly check: (f: unknown) => string | null) {}

  /** Throws an InvalidFault for a fault `check` refuses. */
  add(f: F): void {
    const err = this.check(f)
    if (err) throw new InvalidFault(err)
    this.active.push({ fault: { ...f }, remaining: f.times ?? 1 })
  }

  clear(): void {
    this.active = []
  }

  list(): Array<F & { remaining: number }> {
    return this.active.map((a) => ({ ...a.fault, remaining: a.remaining }))
  }

  /** The first fault `pred` matches, with one of its uses taken. */
  protected take<T extends F>(pred: (f: F) => f is T): T | undefined
  protected take(pred: (f: F) => boolean): F | undefined
  protected take(pred: (f: F) => boolean): F | undefined {
    const i = this.active.findIndex((a) => pred(a.fault))
    if (i < 0) return undefined
    const a = this.active[i]
    if (--a.remaining <= 0) this.active.splice(i, 1)
    return a.fault
  }
}

/**
 * A gateway's fault check: `f` must be an object with a positive integer `times` (if any); then
 * `own` checks the gateway's target fields (path, telegram, 機能ID) and its own kinds — an error, null
 * for a valid fault of its own kind, undefined to go on; then the kinds every simulator has (delay,
 * reset, status, malformed) are checked here. Gives the error, or null.
 */
export function checkFault(f: unknown, own: (o: Record<string, unknown>) => string | null | undefined, ownKinds: string[]): string | null {
  if (f === null || typeof f !== "object" || Array.isArray(f)) return "fault must be an object"
  const o = f as Record<string, unknown>
  const times = o.times
  if (times !== undefined && (typeof times !== "number" || !Number.isInteger(times) || times < 1)) return "times must be a positive integer"
  const ownError = own(o)
  if (ownError !== undefined) return ownError
  switch (o.kind) {
    case "delay":
      if (o.after !== undefined && typeof o.after !== "boolean") return "after must be a boolean"
      return typeof o.ms === "number" && Number.isFinite(o.ms) && o.ms >= 0 ? null : "delay needs ms >= 0"
    case "reset":
      return o.after === undefined || typeof o.after === "boolean" ? null : "after must be a boolean"
    case "status":
      return typeof o.status === "number" && Number.isInteger(o.status) && o.status >= 100 && o.status <= 599 ? null : "status needs an HTTP status 100–599"
    case "malformed":
      return null
    default:
      return `kind must be one of ${["delay", "reset", "status", "malformed", ...ownKinds].join(", ")}`
  }
}

/** The check of a fault's `path`: absent, or a path. */
export const pathError = (o: Record<string, unknown>): string | undefined =>
  o.path !== undefined && (typeof o.path !== "string" || !o.path.startsWith("/")) ? "path must be a string starting with /" : undefined

/** For `delay` faults. */
export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))
