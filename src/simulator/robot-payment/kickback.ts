/**
 * Kickback (決済結果通知) delivery: an HTTP GET to the store's 決済結果通知URL
 * with the result as percent-encoded UTF-8 query parameters.
 *
 * Success rule (vendor): HTTP 200 with a non-empty body
 * (「通知先ではContentLengthが0以上が出力されるよう実装してください」).
 * Retry policy (the SIMULATOR's assumption; the real policy is undocumented):
 * up to `maxRetries` (3) more attempts, `retryIntervalMs` (1 s) apart.
 */

export interface KickbackAttempt {
  /** Full URL requested (kickbackUrl + query). */
  url: string
  query: Record<string, string>
  /** HTTP status, absent when the request failed (connection refused, timeout). */
  status?: number
  body?: string
  /** 1 for the first attempt, 2.. for retries. */
  attempt: number
  /** Which logical notification this attempt belongs to (1, 2, ...). */
  notification: number
  /** 1, or 2 for the second copy sent by the duplicate-kickback fault. */
  copy: number
  ok: boolean
  error?: string
  /** Wall-clock time of the attempt (ISO). */
  at: string
}

export interface KickbackOptions {
  delayMs: number
  retryIntervalMs: number
  maxRetries: number
  timeoutMs: number
  log: (line: string) => void
}

export class KickbackSender {
  private readonly attempts: KickbackAttempt[] = []
  private readonly timers = new Set<NodeJS.Timeout>()
  private readonly controllers = new Set<AbortController>()
  private closed = false
  private notificationSeq = 0

  constructor(private readonly opts: KickbackOptions) {}

  /** Queue one notification (sent twice when `duplicate`). */
  send(baseUrl: string, fields: Array<[string, string]>, duplicate: boolean): void {
    if (this.closed) return
    const notification = ++this.notificationSeq
    const qs = fields.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join("&")
    const url = baseUrl + (baseUrl.includes("?") ? (baseUrl.endsWith("?") || baseUrl.endsWith("&") ? "" : "&") : "?") + qs
    const query: Record<string, string> = {}
    for (const [k, v] of fields) query[k] = v
    this.schedule(this.opts.delayMs, () => this.attempt(url, query, notification, 1, 1))
    if (duplicate) this.schedule(this.opts.delayMs + 20, () => this.attempt(url, query, notification, 2, 1))
  }

  list(): KickbackAttempt[] {
    return this.attempts.map((a) => ({ ...a, query: { ...a.query } }))
  }

  /** Number of notifications still being delivered (timers or requests in flight). */
  pending(): number {
    return this.timers.size + this.controllers.size
  }

  close(): void {
    this.closed = true
    for (const t of this.timers) clearTimeout(t)
    this.timers.clear()
    for (const c of this.controllers) c.abort()
    this.controllers.clear()
  }

  private schedule(ms: number, fn: () => Promise<void>): void {
    const t = setTimeout(() => {
      this.timers.delete(t)
      void fn()
    }, ms)
    this.timers.add(t)
  }

  private async attempt(url: string, query: Record<string, string>, notification: number, copy: number, attempt: number): Promise<void> {
    if (this.closed) return
    const ctrl = new AbortController()
    this.controllers.add(ctrl)
    const timer = setTimeout(() => ctrl.abort(), this.opts.timeoutMs)
    const rec: KickbackAttempt = { url, query, attempt, notification, copy, ok: false, at: new Date().toISOString() }
    try {
      const res = await fetch(url, { method: "GET", signal: ctrl.signal, redirect: "manual" })
      rec.status = res.status
      rec.body = await res.text()
      rec.ok = res.status === 200 && Buffer.byteLength(rec.body) > 0
      if (!rec.ok) rec.error = res.status === 200 ? "empty body" : `HTTP ${res.status}`
    } catch (e) {
      rec.error = ctrl.signal.aborted ? (this.closed ? "simulator closed" : "timeout") : e instanceof Error ? e.message : String(e)
    } finally {
      clearTimeout(timer)
      this.controllers.delete(ctrl)
    }
    if (this.closed && rec.error === "simulator closed") return
    this.attempts.push(rec)
    this.opts.log(`kickback #${notification}${copy > 1 ? " (duplicate)" : ""} attempt ${attempt} → ${rec.ok ? "OK" : rec.error}`)
    if (!rec.ok && attempt <= this.opts.maxRetries && !this.closed) {
      this.schedule(this.opts.retryIntervalMs, () => this.attempt(url, query, notification, copy, attempt + 1))
    }
  }
}
