/**
 * Fault injection on /api/xmlapi.do (or `path`): one fault per request, `times` uses (default 1).
 * `id` limits it to requests for that 機能ID (e.g. the commit ST02-00101-101).
 * Faults are taken as they come, unchecked (the other simulators check theirs; this one never did).
 */
import { FaultQueue as SharedFaultQueue } from "../shared/faults"

export type Fault = ({ path?: string; times?: number; id?: string }) &
  (
    | { kind: "delay"; ms: number }
    | { kind: "reset"; after?: boolean }
    | { kind: "status"; status: number }
    | { kind: "malformed" }
    | { kind: "wrong-encoding" }
  )

export class FaultQueue extends SharedFaultQueue<Fault> {
  constructor(private readonly apiPath: string) {
    super(() => null)
  }

  /** The fault for a request on `path` whose body is `body` (its 機能ID is read from it), if any. */
  forRequest(path: string, body: Buffer): Fault | undefined {
    const id = /<sps-api-request\s+id="([^"]*)"/.exec(body.toString("latin1"))?.[1]
    return this.take((f) => (f.path ?? this.apiPath) === path && (f.id === undefined || f.id === id))
  }
}
