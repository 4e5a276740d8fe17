// The shopper's browser at the PaymentOptions simulator, over HTTP, for tests, benchmarks and demos:
// the hosted payment page and the 3-D Secure page, forms posted and redirects followed by hand.
import { CHALLENGE_OTP } from "./cards"

export interface Card {
  number: string
  month?: string
  year?: string
  cvc?: string
  name?: string
}

export interface BrowserRun {
  /** Every URL the browser was sent to, in order. */
  visited: string[]
  /** Where it ended: the storefront URL (with payment_session_id and jp_result). */
  end: URL
}

async function go(url: string, init?: RequestInit): Promise<Response> {
  return fetch(url, { redirect: "manual", ...init })
}

/**
 * The shopper on a PaymentOptions page (hosted page or 3-D Secure page): fills in the card (hosted page),
 * answers a challenge (`challenge`: the right code, a wrong one first, or cancel), and follows every
 * redirect until one leaves for `stopAt` (by default the host storefront.test, behind the plugin's
 * return route).
 */
export async function payInBrowser(
  startUrl: string,
  card: Card | null,
  challenge: "submit" | "cancel" = "submit",
  stopAt: (url: URL) => boolean = (u) => u.hostname === "storefront.test"
): Promise<BrowserRun> {
  const visited: string[] = []
  let res = await go(startUrl)
  visited.push(startUrl)
  for (let hops = 0; hops < 10; hops++) {
    const url = new URL(res.url || visited[visited.length - 1])
    if (res.status === 303 || res.status === 302) {
      const next = new URL(res.headers.get("location")!, visited[visited.length - 1]).toString()
      visited.push(next)
      if (stopAt(new URL(next))) return { visited, end: new URL(next) }
      res = await go(next)
      continue
    }
    const html = await res.text()
    if (res.status !== 200) throw new Error(`${visited[visited.length - 1]} answered ${res.status}: ${html.slice(0, 300)}`)
    const here = visited[visited.length - 1]
    if (/id="hpp"/.test(html)) {
      if (!card) throw new Error("the hosted page asks for a card")
      const action = new URL(html.match(/<form method="post" action="([^"]+)" id="hpp"/)![1], here).toString()
      const form = new URLSearchParams({
        card_number: card.number,
        expiry_month: card.month ?? "12",
        expiry_year: card.year ?? "2030",
        cvc: card.cvc ?? "123",
        card_name: card.name ?? "TARO YAMADA",
      })
      res = await go(action, { method: "POST", body: form })
      continue
    }
    if (/id="challenge"/.test(html)) {
      const token = html.match(/name="_token" value="([^"]+)"/)![1]
      const form = new URLSearchParams({ _token: token, otp: CHALLENGE_OTP, action: challenge })
      res = await go(new URL("/integration/3ds", here).toString(), { method: "POST", body: form })
      continue
    }
    throw new Error(`unexpected page at ${url}: ${html.slice(0, 300)}`)
  }
  throw new Error("too many redirects")
}
