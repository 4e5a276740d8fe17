/**
 * Fault injection on /api/xmlapi.do (or `path`): one fault per request, `times` uses (default 1).
 * `id` limits it to requests for that 機能ID (e.g. the commit ST02-00101-101).
 */
import { checkFault, FaultQueue as SharedFaultQueue, pathError } from "../common/faults"

export type Fault = ({ path?: string; times?: number; id?: string }) &
  (
    /** `after`: the request is processed first and the answer held back `ms` (else it waits before processing). */
    | { kind: "delay"; ms: number; after?: boolean }
    | { kind: "reset"; after?: boolean }
    | { kind: "status"; status: number }
    | { kind: "malformed" }
    | { kind: "wrong-encoding" }
  )

export const faultError = (f: unknown): string | null =>
  checkFault(
    f,
    (o) => {
      const path = pathError(o)
      if (path) return path
      if (o.id !== undefined && (typeof o.id !== "string" || !/^[A-Z]{2}\d{2}-\d{5}-\d{3}$/.test(o.id))) return "id must be a 機能ID such as ST02-00101-101"
      return o.kind === "wrong-encoding" ? null : undefined
    },
    ["wrong-encoding"]
  )

export class FaultQueue extends SharedFaultQueue<Fault> {
  constructor(private readonly apiPath: string) {
    super(faultError)
  }

  /** The fault for a request on `path` whose 機能ID is `id`, if any. */
  forRequest(path: string, id: string | undefined): Fault | undefined {
    return this.take((f) => (f.path ?? this.apiPath) === path && (f.id === undefined || f.id === id))
  }
}

/** The 機能ID of a request document, as read before parsing it (for faults and the request log). */
export const functionIdOf = (body: Buffer): string | undefined => /<sps-api-request\s+id="([^"]*)"/.exec(body.toString("latin1"))?.[1]
