/**
 * The simulated clock every simulator keeps: wall time plus an offset that advanceClock() moves, so
 * a test can let a token expire or an authorization age without waiting.
 */
export class SimClock {
  private offsetMs = 0

  now(): number {
    return Date.now() + this.offsetMs
  }

  /** Moves the clock by `ms` (negative: back, e.g. to undo a move in a test). */
  advance(ms: number): void {
    if (!Number.isFinite(ms)) throw new RangeError("advanceClock: ms must be a finite number")
    this.offsetMs += ms
  }

  iso(): string {
    return new Date(this.now()).toISOString()
  }
}
