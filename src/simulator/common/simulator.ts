/**
 * The interface every started simulator implements, with the same meaning in each: its URL, close,
 * faults, the log of server-to-server requests, and the simulated clock. Fault shapes stay each
 * gateway's own typed union; each simulator adds its own accessors (transactions, notices …).
 *
 * Like the simulators themselves, it imports nothing from src/core or src/gateways.
 */
import type { SimClock } from "./clock"
import type { FaultQueue } from "./faults"

/**
 * One entry of requests(): every server-to-server request a simulator received, in arrival order,
 * faulted ones included (a request cut off by a fault still reached the gateway). Browser requests
 * and /__sim are not logged. Each gateway adds what it decoded (parameters, telegram kind, 機能ID …).
 */
export interface SimRequest {
  /** When it arrived, on the simulated clock (ISO 8601). */
  at: string
  method: string
  /** The path, without the query. */
  path: string
}

export interface Simulator<F = unknown, R extends SimRequest = SimRequest> {
  /** The origin a provider's `baseUrl` points at, e.g. "http://127.0.0.1:8900" (no trailing slash). */
  readonly url: string
  /** Stops outgoing calls (notifications), stops listening and drops open connections. */
  close(): Promise<void>
  /** Queues a fault; throws an InvalidFault (a TypeError "invalid fault: …") for a fault this gateway does not know. */
  inject(fault: F): void
  clearFaults(): void
  /** The faults still queued, each with the uses it has left. */
  faults(): Array<F & { remaining: number }>
  /** Every server-to-server request received, oldest first (copies). */
  requests(): R[]
  /** Moves the simulated clock by `ms` (negative: back); resolves once what fell due (e.g. timeout calls) has run. */
  advanceClock(ms: number): Promise<void>
  /** The simulated time. */
  now(): Date
}

/** The request log behind requests(). */
export class RequestLog<R extends SimRequest> {
  private readonly entries: R[] = []

  constructor(private readonly clock: SimClock) {}

  /** Records a request as it arrives; the caller fills in the returned entry as it learns more (e.g. the answer's code). */
  add(method: string, path: string, detail: Omit<R, keyof SimRequest>): R {
    const entry = { at: this.clock.iso(), method, path, ...detail } as R
    this.entries.push(entry)
    return entry
  }

  list(): R[] {
    return structuredClone(this.entries)
  }
}

/** The Simulator methods every simulator implements the same way, from its clock, fault queue and request log. */
export function simulatorBasics<F extends { times?: number }, R extends SimRequest>(parts: {
  clock: SimClock
  faults: FaultQueue<F>
  requests: RequestLog<R>
  /** What advancing the clock sets off (PAYGENT's 3-D Secure timeout calls). */
  onAdvance?: () => Promise<void>
}): Omit<Simulator<F, R>, "url" | "close"> {
  const { clock, faults, requests, onAdvance } = parts
  return {
    inject: (f) => faults.add(f),
    clearFaults: () => faults.clear(),
    faults: () => faults.list(),
    requests: () => requests.list(),
    advanceClock: (ms) => {
      clock.advance(ms)
      return onAdvance ? onAdvance() : Promise.resolve()
    },
    now: () => new Date(clock.now()),
  }
}
