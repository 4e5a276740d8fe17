/**
 * Fault injection. Each request takes the first matching fault and uses up one of its `times`.
 * A fault without `path` matches the server-to-server API (/api/v1/...); with `path` it matches
 * that path prefix (hosted pages included). /__sim/* control endpoints are never faulted.
 */
import { FaultQueue as SharedFaultQueue, timesError } from "../shared/faults"

export type Fault =
  | { kind: "delay"; ms: number; path?: string; times?: number }
  | { kind: "reset"; path?: string; times?: number; after?: boolean }
  | { kind: "status"; status: number; path?: string; times?: number }
  | { kind: "malformed"; path?: string; times?: number }
  /** An answer with this payment_details.response_code (e.g. 676 "result is unclear"); the transaction is still made. */
  | { kind: "response-code"; code: number; path?: string; times?: number }
  | { kind: "duplicate-webhook"; times?: number }
  | { kind: "drop-webhook"; times?: number }

export function faultError(f: unknown): string | null {
  if (f === null || typeof f !== "object") return "fault must be an object"
  const o = f as Record<string, unknown>
  const times = timesError(o)
  if (times) return times
  if (o.path !== undefined && (typeof o.path !== "string" || !o.path.startsWith("/"))) return "path must start with /"
  switch (o.kind) {
    case "delay":
      return typeof o.ms === "number" && o.ms >= 0 ? null : "delay needs ms >= 0"
    case "reset":
      return o.after === undefined || typeof o.after === "boolean" ? null : "after must be a boolean"
    case "status":
      return typeof o.status === "number" && Number.isInteger(o.status) && o.status >= 100 && o.status <= 599 ? null : "status needs 100–599"
    case "response-code":
      return typeof o.code === "number" && Number.isInteger(o.code) ? null : "response-code needs an integer code"
    case "malformed":
      return null
    case "duplicate-webhook":
    case "drop-webhook":
      return o.path === undefined ? null : `${o.kind} takes no path`
    default:
      return "kind must be one of delay, reset, status, malformed, response-code, duplicate-webhook, drop-webhook"
  }
}

export class FaultQueue extends SharedFaultQueue<Fault> {
  constructor() {
    super(faultError)
  }

  forRequest(path: string, isApi: boolean): Fault | undefined {
    return this.take((f) => {
      if (f.kind === "duplicate-webhook" || f.kind === "drop-webhook" || f.kind === "response-code") return false
      return f.path === undefined ? isApi : path.startsWith(f.path)
    })
  }

  responseCode(path: string): number | undefined {
    const f = this.take((x) => x.kind === "response-code" && (x.path === undefined || path.startsWith(x.path)))
    return f?.kind === "response-code" ? f.code : undefined
  }

  webhook(): "duplicate" | "drop" | undefined {
    const f = this.take((x) => x.kind === "duplicate-webhook" || x.kind === "drop-webhook")
    return f?.kind === "duplicate-webhook" ? "duplicate" : f?.kind === "drop-webhook" ? "drop" : undefined
  }
}
