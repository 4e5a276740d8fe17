/**
 * PAYGENT's calls to the merchant: 決済情報差分通知 (a form POST per status change, answered with
 * exactly `result=0`, resent otherwise) and the 3-D Secure timeout call (a server-to-server GET to
 * term_url 30 minutes after a 450 with no result, resent after 60 minutes up to 3 times).
 */
import { createHash } from "node:crypto"
import iconv from "iconv-lite"
import { resultQuery, withQuery } from "./browser"
import { THREEDS_TIMEOUT_MS } from "./telegrams"
import { jstStamp, type SimNotice, type SimPayment, type SimState } from "./state"

const sha256 = (s: string) => createHash("sha256").update(s, "utf8").digest("hex")

export interface NoticeOptions {
  retryMs: number
  maxRetries: number
  timeoutMs: number
  log: (line: string) => void
}

function encodeSjis(fields: Record<string, string>): string {
  const enc = (s: string) =>
    [...iconv.encode(s, "cp932")].map((b) => (/[A-Za-z0-9\-_.~]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : "%" + b.toString(16).toUpperCase().padStart(2, "0"))).join("")
  return Object.entries(fields)
    .map(([k, v]) => `${enc(k)}=${enc(v)}`)
    .join("&")
}

export class NoticeSender {
  private pending = new Set<Promise<void>>()
  private closed = false

  constructor(
    private readonly state: SimState,
    private readonly opts: NoticeOptions
  ) {}

  /** Records a notice for a payment's new status and pushes it (twice, or not at all, under a fault). */
  record(pay: SimPayment, fault?: "duplicate" | "drop"): SimNotice {
    const merchant = this.state.merchants.get(pay.merchantId)!
    const id = this.state.newNoticeId()
    const fields: Record<string, string> = {
      payment_notice_id: id,
      change_date: jstStamp(this.state.clock.now()),
      payment_id: pay.paymentId,
      trading_id: pay.tradingId,
      payment_type: "02",
      payment_status: pay.status,
      payment_amount: String(pay.amount),
      payment_init_date: jstStamp(pay.initAt),
      early_notice_date: "",
      cancel_date: jstStamp(pay.canceledAt),
      payment_date: jstStamp(pay.capturedAt),
      attempt_kbn: pay.attemptKbn,
      "3dsecure_ryaku": pay.ryaku ? "1" : "",
      fingerprint: pay.card.fingerprint,
    }
    if (merchant.noticeHashKey) fields.hc = sha256(id + pay.paymentId + pay.tradingId + "02" + String(pay.amount) + merchant.noticeHashKey)
    const notice: SimNotice = { paymentNoticeId: id, merchantId: pay.merchantId, fields, deliveries: [] }
    this.state.notices.push(notice)
    if (merchant.noticeUrl && fault !== "drop") {
      this.track(this.push(merchant.noticeUrl, notice, 0))
      if (fault === "duplicate") this.track(this.push(merchant.noticeUrl, notice, 0))
    }
    return notice
  }

  /** Waits until every push and call under way has finished (retries included). */
  async settle(): Promise<void> {
    while (this.pending.size) await Promise.all([...this.pending])
  }

  close(): void {
    this.closed = true
  }

  /** The 31013 timeout call for every 450 left without a result, and its resends; awaited. */
  async runTimeoutCalls(): Promise<void> {
    const now = this.state.clock.now()
    const calls: Promise<void>[] = []
    for (const auth of this.state.auths.values()) {
      if (auth.state === "done") continue
      if (now - auth.createdAt < THREEDS_TIMEOUT_MS) continue
      const last = auth.timeoutCalls.at(-1)
      if (last && last.status !== null && last.status >= 200 && last.status < 400) continue
      if (last && (auth.timeoutCalls.length > 3 || now - last.at < 60 * 60_000)) continue
      auth.state = "timed_out"
      const url = withQuery(auth.termUrl, resultQuery(this.state, auth, "timeout"))
      const entry: { at: number; status: number | null } = { at: now, status: null }
      auth.timeoutCalls.push(entry)
      calls.push(
        fetch(url, { method: "GET", redirect: "manual", signal: AbortSignal.timeout(this.opts.timeoutMs) })
          .then(async (res) => {
            entry.status = res.status
            await res.arrayBuffer().catch(() => undefined)
          })
          .catch((e: Error) => this.opts.log(`timeout call for ${auth.authId} failed: ${e.message}`))
          .then(() => this.opts.log(`timeout call ${auth.authId} → ${entry.status ?? "no answer"}`))
      )
    }
    await Promise.all(calls)
  }

  private track(p: Promise<void>): void {
    this.pending.add(p)
    void p.finally(() => this.pending.delete(p))
  }

  private async push(url: string, notice: SimNotice, attempt: number): Promise<void> {
    if (this.closed) return
    let status: number | null = null
    let body = ""
    try {
      const res = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded; charset=Windows-31J" },
        body: encodeSjis(notice.fields),
        signal: AbortSignal.timeout(this.opts.timeoutMs),
      })
      status = res.status
      body = await res.text()
    } catch (e) {
      body = (e as Error).message
    }
    notice.deliveries.push({ at: new Date().toISOString(), status, body })
    this.opts.log(`notice ${notice.paymentNoticeId} → ${url}: ${status ?? "no answer"} ${JSON.stringify(body.slice(0, 40))}`)
    // Anything but exactly result=0 is a failure, and PAYGENT sends again.
    if (body !== "result=0" && attempt < this.opts.maxRetries && !this.closed) {
      await new Promise((r) => setTimeout(r, this.opts.retryMs))
      await this.push(url, notice, attempt + 1)
    }
  }
}
