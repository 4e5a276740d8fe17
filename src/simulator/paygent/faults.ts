/**
 * Fault injection. Each request takes the first matching fault and uses up one of its `times`. A
 * fault without `kind` of telegram matches every module telegram; with `telegram` only that kind.
 */
import { checkFault, FaultQueue as SharedFaultQueue } from "../common/faults"

export type Fault =
  /** `after`: the telegram is processed first and the answer held back `ms` (else it waits before processing). */
  | { kind: "delay"; ms: number; telegram?: string; times?: number; after?: boolean }
  | { kind: "reset"; telegram?: string; times?: number; after?: boolean }
  | { kind: "status"; status: number; telegram?: string; times?: number }
  | { kind: "malformed"; telegram?: string; times?: number }
  /** The answer in the other charset (Windows-31J bytes labelled UTF-8, or UTF-8 bytes labelled Windows-31J). */
  | { kind: "wrong-encoding"; telegram?: string; times?: number }
  | { kind: "duplicate-notice"; times?: number }
  | { kind: "drop-notice"; times?: number }

type TelegramFault = Extract<Fault, { telegram?: string }>

export const faultError = (f: unknown): string | null =>
  checkFault(
    f,
    (o) => {
      if (o.telegram !== undefined && (typeof o.telegram !== "string" || !/^\d{3}$/.test(o.telegram))) return "telegram must be a 3-digit kind"
      if (o.kind === "duplicate-notice" || o.kind === "drop-notice") return o.telegram === undefined ? null : `${o.kind} takes no telegram`
      return o.kind === "wrong-encoding" ? null : undefined
    },
    ["duplicate-notice", "drop-notice", "wrong-encoding"]
  )

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
