/**
 * Fault injection. Faults are kept in injection order; each request takes
 * the first matching fault (one per request) and uses up one of its `times`.
 * A fault without `path` matches the server-to-server endpoints only
 * (/gateway/*.aspx); with `path` it matches that exact path (browser
 * endpoints included). /__sim/* control endpoints are never faulted.
 */
import { FaultQueue as SharedFaultQueue, timesError } from "../shared/faults"

export type Fault =
  | { kind: "delay"; ms: number; path?: string; times?: number }
  | { kind: "reset"; path?: string; times?: number; after?: boolean }
  | { kind: "status"; status: number; path?: string; times?: number }
  | { kind: "malformed"; path?: string; times?: number }
  | { kind: "duplicate-kickback"; times?: number }

type RequestFault = Exclude<Fault, { kind: "duplicate-kickback" }>

/** Checks a fault coming from JSON (HTTP control endpoint) or code; returns an error message or null. */
export function faultError(f: unknown): string | null {
  if (f === null || typeof f !== "object") return "fault must be an object"
  const o = f as Record<string, unknown>
  const times = timesError(o)
  if (times) return times
  if (o.path !== undefined && (typeof o.path !== "string" || !o.path.startsWith("/"))) return "path must be a string starting with /"
  switch (o.kind) {
    case "delay":
      return typeof o.ms === "number" && Number.isFinite(o.ms) && o.ms >= 0 ? null : "delay needs ms >= 0"
    case "reset":
      return o.after === undefined || typeof o.after === "boolean" ? null : "after must be a boolean"
    case "status":
      return typeof o.status === "number" && Number.isInteger(o.status) && o.status >= 100 && o.status <= 599 ? null : "status needs an HTTP status 100–599"
    case "malformed":
      return null
    case "duplicate-kickback":
      return o.path === undefined ? null : "duplicate-kickback takes no path"
    default:
      return "kind must be one of delay, reset, status, malformed, duplicate-kickback"
  }
}

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
