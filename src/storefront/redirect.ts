// A payment session that waits on the gateway (status requires_more: 3-D Secure or the gateway's own
// payment page, started when the session was made with the card, or by an older flow's completion):
// where the shopper must go and, once the plugin's return route has sent them back, what it said.
// Same for every gateway.
import { isRecord, type PaymentSessionLike } from "./config"
import { JpPaymentError } from "./errors"

/** A URL to go to, or a whole HTML page (PAYGENT's out_acs_html) to show in place of the current one. */
export type GatewayRedirect = { url: string } | { html: string }

/** The redirect a payment session waits on, or null when it waits on none. */
export function redirectOf(session: PaymentSessionLike | null | undefined): GatewayRedirect | null {
  const jp = isRecord(session?.data) ? session!.data!.jp : undefined
  if (!isRecord(jp) || jp.attempt !== "redirect" || !isRecord(jp.redirect)) return null
  const r = jp.redirect
  if (typeof r.url === "string" && /^https?:\/\//.test(r.url)) return { url: r.url }
  if (typeof r.html === "string" && r.html !== "") return { html: r.html }
  return null
}

/**
 * Sends the shopper to the gateway: navigates to the URL, or replaces the page with the gateway's
 * HTML (its form posts itself to the card issuer). Throws when the session waits on nothing.
 */
export function followRedirect(session: PaymentSessionLike, win: Window = window): void {
  const r = redirectOf(session)
  if (!r) throw new JpPaymentError("NO_REDIRECT", "this payment session does not wait on 3-D Secure or a gateway page", { stage: "3ds" })
  if ("url" in r) {
    win.location.assign(r.url)
    return
  }
  win.document.open()
  win.document.write(r.html)
  win.document.close()
}

/**
 * What the plugin's return route appended to the storefront URL it sent the shopper back to
 * (`?payment_session_id=…&jp_result=ok|failed`), or null on any other page. On `ok`, complete the
 * cart; on `failed`, ask for another card (a new payment session).
 */
export function returnedFrom(search: string): { paymentSessionId: string; result: "ok" | "failed" } | null {
  const q = new URLSearchParams(search)
  const id = q.get("payment_session_id")
  const result = q.get("jp_result")
  if (!id || (result !== "ok" && result !== "failed")) return null
  return { paymentSessionId: id, result }
}
