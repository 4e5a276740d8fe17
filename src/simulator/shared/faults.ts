/**
 * The fault queue every simulator uses. Faults are kept in injection order; a request takes the
 * first fault that matches it and uses up one of its `times` (default 1); a used-up fault leaves
 * the queue. What a fault looks like, how it is checked and what matches what stay with each
 * gateway (its own faults.ts): this is only the bookkeeping.
 *
 * Like the simulators themselves, it imports nothing from src/core or src/gateways.
 */
export class FaultQueue<F extends { times?: number }> {
  private active: Array<{ fault: F; remaining: number }> = []

  /** `check` gives the error message for a fault that is not valid, or null. */
  constructor(private readonly check: (f: unknown) => string | null) {}

  /** Throws a TypeError "invalid fault: …" for a fault `check` refuses. */
  add(f: F): void {
    const err = this.check(f)
    if (err) throw new TypeError(`invalid fault: ${err}`)
    this.active.push({ fault: { ...f }, remaining: f.times ?? 1 })
  }

  /** Adds `f` (as from a control endpoint's JSON) if it passes the check; else gives the check's error. */
  addChecked(f: unknown): string | null {
    const err = this.check(f)
    if (!err) this.add(f as F)
    return err
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

/** The check of `times` every gateway's faultError starts with. */
export function timesError(o: Record<string, unknown>): string | null {
  const times = o.times
  return times !== undefined && (typeof times !== "number" || !Number.isInteger(times) || times < 1) ? "times must be a positive integer" : null
}

/** For `delay` faults. */
export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))
