/**
 * Fault injection. Each request takes the first matching fault and uses up one of its `times`. A
 * fault without `kind` of telegram matches every module telegram; with `telegram` only that kind.
 */
import { FaultQueue as SharedFaultQueue, timesError } from "../shared/faults"

export type Fault =
  | { kind: "delay"; ms: number; telegram?: string; times?: number }
  | { kind: "reset"; telegram?: string; times?: number; after?: boolean }
  | { kind: "status"; status: number; telegram?: string; times?: number }
  | { kind: "malformed"; telegram?: string; times?: number }
  | { kind: "duplicate-notice"; times?: number }
  | { kind: "drop-notice"; times?: number }

type TelegramFault = Extract<Fault, { telegram?: string }>

export function faultError(f: unknown): string | null {
  if (f === null || typeof f !== "object") return "fault must be an object"
  const o = f as Record<string, unknown>
  const times = timesError(o)
  if (times) return times
  if (o.telegram !== undefined && (typeof o.telegram !== "string" || !/^\d{3}$/.test(o.telegram))) return "telegram must be a 3-digit kind"
  switch (o.kind) {
    case "delay":
      return typeof o.ms === "number" && o.ms >= 0 ? null : "delay needs ms >= 0"
    case "reset":
    case "malformed":
      return null
    case "status":
      return typeof o.status === "number" && o.status >= 100 && o.status <= 599 ? null : "status needs an HTTP status"
    case "duplicate-notice":
    case "drop-notice":
      return o.telegram === undefined ? null : `${o.kind} takes no telegram`
    default:
      return "kind must be one of delay, reset, status, malformed, duplicate-notice, drop-notice"
  }
}

export class FaultQueue extends SharedFaultQueue<Fault> {
  constructor() {
    super(faultError)
  }
  forTelegram(kind: string): TelegramFault | undefined {
    return this.take((f) => f.kind !== "duplicate-notice" && f.kind !== "drop-notice" && (f.telegram === undefined || f.telegram === kind)) as TelegramFault | undefined
  }
  forNotice(): "duplicate" | "drop" | undefined {
    const f = this.take((x) => x.kind === "duplicate-notice" || x.kind === "drop-notice")
    return f?.kind === "duplicate-notice" ? "duplicate" : f?.kind === "drop-notice" ? "drop" : undefined
  }
}
