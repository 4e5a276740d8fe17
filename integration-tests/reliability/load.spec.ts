// R5 load: 200 checkouts at once against one Medusa app and the simulators (loopback only): every
// one becomes an order, each order was authorized at its gateway exactly once, and the checkout
// times' p50/p99 are printed. The mix is the checkouts that need no browser redirect: ROBOT PAYMENT
// (CPToken + frictionless EMV 3-D Secure, run server to server as the shopper helper does) and SBPS
// (one-time token, a merchant without 3-D Secure).
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import type { AxiosInstance } from "axios"
import type { RobotPaymentSimulator } from "../../src/simulator/robot-payment"
import type { SbpsSimulator } from "../../src/simulator/sbps"
import { cartWithCollection, paymentSession, responseOf, setUpStore, type Store } from "../helpers/store"
import { authenticate, createToken } from "../../src/simulator/robot-payment/shopper"
import { AID, useRobotPaymentSimulator } from "../helpers/robot-payment"
import { sbpsTokens, useSbpsSimulator } from "../helpers/sbps"
import { reportFigure } from "./figures"

jest.setTimeout(600_000)

const CHECKOUTS = Number(process.env.JP_LOAD_CHECKOUTS || 200)
const RP = "pp_robot-payment_rp"
const SBPSN = "pp_sbps_sbpsn"
const RP_CARD = { cn: "4444333322221111" } // frictionless 3-D Secure
const SBPS_CARD = "5555555555554444"

const rpSim = useRobotPaymentSimulator()
const sbpsSim = useSbpsSimulator()

interface Outcome {
  provider: string
  steps: string[]
  orderCode?: string
  orderId?: string
  ms: number
  error?: string
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]

medusaIntegrationTestRunner({
  inApp: true,
  env: {},
  testSuite: ({ api, getContainer }) => {
    let s: Store
    let rp: RobotPaymentSimulator
    let sb: SbpsSimulator

    beforeAll(async () => {
      rp = rpSim.sim
      sb = sbpsSim.sim
      s = await setUpStore(api, getContainer(), [RP, SBPSN])
    })

    /** One shopper: cart → payment session → the gateway's token (and 3-D Secure) → session with it → complete. */
    async function checkout(a: AxiosInstance, i: number): Promise<Outcome> {
      const provider = i % 2 === 0 ? RP : SBPSN
      const t0 = performance.now()
      const out: Outcome = { provider, ms: 0, steps: [] }
      const step = (n: string) => out.steps.push(`${n} ${Math.round(performance.now() - t0)}`)
      try {
        const { cart, collectionId, headers } = await cartWithCollection(a, s, { quantity: 1 + (i % 3), email: `load-${i}@example.jp` })
        step("cart")
        const first = await paymentSession(a, collectionId, provider, headers)
        step("session")
        out.orderCode = first.data.jp.order_code
        let data: Record<string, unknown>
        if (provider === RP) {
          const tkn = await createToken(rp.url, first.data.jp.browser.aid, RP_CARD)
          await authenticate(rp.url, AID, tkn, first.data.jp.browser.three_ds)
          data = { token: tkn }
        } else {
          data = await sbpsTokens(sb.url, first.data.jp.browser, SBPS_CARD)
        }
        step("token")
        const session = await paymentSession(a, collectionId, provider, headers, data)
        step("session2")
        out.orderCode = session.data.jp.order_code
        const res = await a.post(`/store/carts/${cart.id}/complete`, {}, { headers }).catch(responseOf)
        step("complete")
        if (res.status !== 200 || res.data.type !== "order") out.error = `complete answered ${res.status}: ${JSON.stringify(res.data).slice(0, 300)}`
        else out.orderId = res.data.order.id
      } catch (e) {
        const r = (e as { response?: { status: number; data: unknown } }).response
        out.error = r ? `HTTP ${r.status}: ${JSON.stringify(r.data).slice(0, 300)}` : String(e)
      }
      out.ms = performance.now() - t0
      return out
    }

    it(`${CHECKOUTS} concurrent checkouts: 0 errors, one gateway authorization per order`, async () => {
      const t0 = performance.now()
      const outcomes = await Promise.all(Array.from({ length: CHECKOUTS }, (_, i) => checkout(api, i)))
      const wall = performance.now() - t0

      const errors = outcomes.filter((o) => o.error)
      // Exactly one authorization per order at its gateway: ROBOT PAYMENT's gateway_token.aspx calls and
      // transactions for the order code, SBPS's 与信 (ST01-00131-101) transactions for it.
      const rpAuths = new Map<string, number>()
      for (const r of rp.requests()) if (r.path === "/gateway/gateway_token.aspx") rpAuths.set(r.params.cod, (rpAuths.get(r.params.cod) ?? 0) + 1)
      const rpTx = new Map<string, number>()
      for (const t of rp.transactions()) if (t.state !== "FAILED") rpTx.set(t.cod, (rpTx.get(t.cod) ?? 0) + 1)
      const sbTx = new Map<string, number>()
      for (const t of sb.transactions()) sbTx.set(t.orderId, (sbTx.get(t.orderId) ?? 0) + 1)
      const sbAuthCalls = sb.requests().filter((r) => r.id === "ST01-00131-101").length
      const sbOrders = outcomes.filter((o) => o.provider === SBPSN).length

      const authorizedOnce = outcomes.filter((o) =>
        o.orderCode && o.provider === RP ? rpAuths.get(o.orderCode) === 1 && rpTx.get(o.orderCode) === 1 : o.orderCode ? sbTx.get(o.orderCode) === 1 : false
      )
      // every order in Medusa holds exactly one payment, authorized
      const orderIds = outcomes.flatMap((o) => (o.orderId ? [o.orderId] : []))
      const onePayment: string[] = []
      for (let i = 0; i < orderIds.length; i += 50) {
        const res = await api.get(`/admin/orders?id[]=${orderIds.slice(i, i + 50).join("&id[]=")}&fields=id,*payment_collections.payments&limit=50`, s.admin)
        for (const o of res.data.orders) if (o.payment_collections.flatMap((pc: { payments: unknown[] }) => pc.payments).length === 1) onePayment.push(o.id)
      }

      const times = outcomes.map((o) => o.ms).sort((a, b) => a - b)
      const detail =
        `${CHECKOUTS} in flight (${CHECKOUTS - sbOrders} ROBOT PAYMENT, ${sbOrders} SBPS), ${errors.length} errors, ` +
        `${authorizedOnce.length} authorized exactly once, ${onePayment.length} orders with one payment; ` +
        `checkout p50 ${(pct(times, 50) / 1000).toFixed(2)} s, p99 ${(pct(times, 99) / 1000).toFixed(2)} s, max ${(times[times.length - 1] / 1000).toFixed(2)} s; ` +
        `all done in ${(wall / 1000).toFixed(1)} s`
      if (process.env.JP_LOAD_STEPS) console.log(outcomes.map((o) => `${o.provider} ${o.steps.join(", ")}`).join("\n"))
      console.log(`R5 ${detail}${errors.length ? `\nfirst errors:\n${errors.slice(0, 5).map((e) => `  ${e.provider} ${e.error}`).join("\n")}` : ""}`)
      reportFigure({ id: "R5", title: "load: concurrent checkouts", passed: Math.min(authorizedOnce.length, CHECKOUTS - errors.length), total: CHECKOUTS, detail })

      expect(errors.map((e) => `${e.provider} ${e.error}`)).toEqual([])
      expect(authorizedOnce).toHaveLength(CHECKOUTS)
      expect(sbAuthCalls).toBe(sbOrders)
      expect(onePayment).toHaveLength(CHECKOUTS)
    })
  },
})
