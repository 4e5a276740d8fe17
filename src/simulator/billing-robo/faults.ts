/**
 * Fault injection for the 請求管理ロボ simulator. A fault without `path` matches the API (/api/…);
 * with `path` that exact path. "maintenance" answers 503 with the documented code 19;
 * "duplicate-webhook" sends the next webhook twice.
 */
import { checkFault, FaultQueue as SharedFaultQueue, pathError } from "../common/faults"

export type Fault =
  /** `after`: the request is processed first and the answer held back `ms` (else it waits before processing). */
  | { kind: "delay"; ms: number; path?: string; times?: number; after?: boolean }
  | { kind: "reset"; path?: string; times?: number; after?: boolean }
  | { kind: "status"; status: number; path?: string; times?: number }
  | { kind: "malformed"; path?: string; times?: number }
  | { kind: "maintenance"; path?: string; times?: number }
  /** The answer in Shift_JIS bytes under its usual `charset=utf-8` label. */
  | { kind: "wrong-encoding"; path?: string; times?: number }
  | { kind: "duplicate-webhook"; times?: number }

export type RequestFault = Exclude<Fault, { kind: "duplicate-webhook" }>

export const faultError = (f: unknown): string | null =>
  checkFault(
    f,
    (o) =>
      pathError(o) ??
      (o.kind === "duplicate-webhook" ? (o.path === undefined ? null : "duplicate-webhook takes no path") : o.kind === "maintenance" || o.kind === "wrong-encoding" ? null : undefined),
    ["duplicate-webhook", "maintenance", "wrong-encoding"]
  )

export class FaultQueue extends SharedFaultQueue<Fault> {
  constructor() {
    super(faultError)
  }

  takeForRequest(path: string, isApi: boolean): RequestFault | undefined {
    return this.take((f): f is RequestFault => f.kind !== "duplicate-webhook" && (f.path === undefined ? isApi : f.path === path))
  }

  takeDuplicateWebhook(): boolean {
    return this.take((f): f is Extract<Fault, { kind: "duplicate-webhook" }> => f.kind === "duplicate-webhook") !== undefined
  }
}
