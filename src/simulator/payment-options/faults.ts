/**
 * Fault injection. Each request takes the first matching fault and uses up one of its `times`.
 * A fault without `path` matches the server-to-server API (/api/v1/...); with `path` it matches
 * that path prefix (hosted pages included). /__sim/* control endpoints are never faulted.
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
  /** An answer with this payment_details.response_code (e.g. 676 "result is unclear"); the transaction is still made. */
  | { kind: "response-code"; code: number; path?: string; times?: number }
  | { kind: "duplicate-webhook"; times?: number }
  | { kind: "drop-webhook"; times?: number }

export const faultError = (f: unknown): string | null =>
  checkFault(
    f,
    (o) => {
      const path = pathError(o)
      if (path) return path
      switch (o.kind) {
        case "response-code":
          return typeof o.code === "number" && Number.isInteger(o.code) ? null : "response-code needs an integer code"
        case "wrong-encoding":
          return null
        case "duplicate-webhook":
        case "drop-webhook":
          return o.path === undefined ? null : `${o.kind} takes no path`
      }
      return undefined
    },
    ["response-code", "duplicate-webhook", "drop-webhook", "wrong-encoding"]
  )

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
