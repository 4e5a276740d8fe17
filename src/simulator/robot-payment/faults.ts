/**
 * Fault injection. Faults are kept in injection order; each request takes
 * the first matching fault (one per request) and uses up one of its `times`.
 * A fault without `path` matches the server-to-server endpoints only
 * (/gateway/*.aspx); with `path` it matches that exact path (browser
 * endpoints included). /__sim/* control endpoints are never faulted.
 */
import { checkFault, FaultQueue as SharedFaultQueue, pathError } from "../common/faults"

export type Fault =
  /** `after`: the request is processed first and the answer held back `ms` (else it waits before processing). */
  | { kind: "delay"; ms: number; path?: string; times?: number; after?: boolean }
  | { kind: "reset"; path?: string; times?: number; after?: boolean }
  | { kind: "status"; status: number; path?: string; times?: number }
  | { kind: "malformed"; path?: string; times?: number }
  /** The answer in Shift_JIS bytes under its usual `charset=utf-8` label. */
  | { kind: "wrong-encoding"; path?: string; times?: number }
  | { kind: "duplicate-kickback"; times?: number }

type RequestFault = Exclude<Fault, { kind: "duplicate-kickback" }>

/** Checks a fault coming from JSON (HTTP control endpoint) or code; returns an error message or null. */
export const faultError = (f: unknown): string | null =>
  checkFault(
    f,
    (o) =>
      pathError(o) ??
      (o.kind === "duplicate-kickback" ? (o.path === undefined ? null : "duplicate-kickback takes no path") : o.kind === "wrong-encoding" ? null : undefined),
    ["duplicate-kickback", "wrong-encoding"]
  )

export class FaultQueue extends SharedFaultQueue<Fault> {
  constructor() {
    super(faultError)
  }

  /** The fault to apply to a request on `path`, if any. */
  takeForRequest(path: string, isServerToServer: boolean): RequestFault | undefined {
    return this.take((f): f is RequestFault => {
      if (f.kind === "duplicate-kickback") return false
      return f.path === undefined ? isServerToServer : f.path === path
    })
  }

  /** True when the next kickback must be sent twice. */
  takeDuplicateKickback(): boolean {
    return this.take((f): f is Extract<Fault, { kind: "duplicate-kickback" }> => f.kind === "duplicate-kickback") !== undefined
  }
}
