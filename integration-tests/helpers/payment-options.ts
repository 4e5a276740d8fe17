// The PaymentOptions simulator for a Medusa test app, and the shopper's browser on its hosted payment
// page and 3-D Secure page, done over plain HTTP (post the form, follow the redirects by hand).
// Call usePaymentOptionsSimulator at the top level of a spec file, before medusaIntegrationTestRunner:
// medusa-config.ts reads the simulator's URL and the app's own URL from the environment at boot.
import net from "node:net"
import { CHALLENGE_OTP, startPaymentOptionsSimulator, type PaymentOptionsSimulator } from "../../src/simulator/payment-options"

export const PO_MERCHANTS = [
  // provider "po" (captureMode authorize): the hosted page authorises
  { merchantId: "JP00000472", apiKey: "sim-api-key", xApiKey: "sim-x-api-key", hppTransactionType: "PRE_AUTH" as const },
  // provider "poc" (captureMode purchase): the hosted page purchases
  { merchantId: "JP00000328", apiKey: "sim-api-key-2", xApiKey: "sim-x-api-key", hppTransactionType: "CAPTURE" as const },
]

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer()
    srv.on("error", reject)
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo
      srv.close(() => resolve(port))
    })
  })
}

export function usePaymentOptionsSimulator(): { readonly sim: PaymentOptionsSimulator } {
  const ref = {} as { sim: PaymentOptionsSimulator }
  const saved = process.env.PORT
  beforeAll(async () => {
    ref.sim = await startPaymentOptionsSimulator({ merchants: PO_MERCHANTS })
    // The app's port is chosen here (test-utils reads PORT) so that webhook and return URLs reach it.
    const port = await freePort()
    process.env.PORT = String(port)
    process.env.PAYMENT_OPTIONS_BASE_URL = ref.sim.url
    process.env.PAYMENT_OPTIONS_BACKEND_URL = `http://localhost:${port}`
    process.env.PAYMENT_OPTIONS_STOREFRONT_URL = "http://storefront.test"
  })
  afterAll(async () => {
    if (saved === undefined) delete process.env.PORT
    else process.env.PORT = saved
    await ref.sim?.close()
  })
  return ref
}

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
 * redirect — through the plugin's return route — until the storefront.
 */
export async function payInBrowser(startUrl: string, card: Card | null, challenge: "submit" | "cancel" = "submit"): Promise<BrowserRun> {
  const visited: string[] = []
  let res = await go(startUrl)
  visited.push(startUrl)
  for (let hops = 0; hops < 10; hops++) {
    const url = new URL(res.url || visited[visited.length - 1])
    if (res.status === 303 || res.status === 302) {
      const next = new URL(res.headers.get("location")!, visited[visited.length - 1]).toString()
      visited.push(next)
      if (new URL(next).hostname === "storefront.test") return { visited, end: new URL(next) }
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
