// R5 load: 200 checkouts at once against one Medusa app and the simulators (loopback only): every
// one becomes an order, each order was authorized at its gateway exactly once, and the checkout
// times' p50/p99 are printed. The mix is the checkouts that need no browser redirect: ROBOT PAYMENT
// (CPToken + frictionless EMV 3-D Secure, run server to server as the shopper helper does) and SBPS
// (one-time token, a merchant without 3-D Secure).
import { medusaIntegrationTestRunner } from "../helpers/medusa-runner"
import type { AxiosInstance } from "axios"
import type { RobotPaymentSimulator } from "../../src/simulator/robot-payment"
import type { SbpsSimulator } from "../../src/simulator/sbps"
import { cartWithCollection, paymentSession, responseOf, setUpStore, type Store } from "../helpers/store"
import { authenticate, createToken } from "../../src/simulator/robot-payment/shopper"
import { AID, useRobotPaymentSimulator } from "../helpers/robot-payment"
import { sbpsTokens, useSbpsSimulator } from "../helpers/sbps"
import fc from "fast-check"
import { reportFigure } from "./figures"

jest.setTimeout(900_000)

const CHECKOUTS = Number(process.env.JP_LOAD_CHECKOUTS || 200)
/** HTTP fuzzing of the routes that read storefront or gateway input (R4's pure properties run 10 000 cases each in fuzz.spec.ts). */
const HTTP_RUNS = Number(process.env.JP_HTTP_FUZZ_RUNS || 100)
/** How long the 200 may take together: a checkout still running then counts as an error (a hang), and the figure is still printed. */
const BUDGET_MS = Number(process.env.JP_LOAD_BUDGET_MS || 540_000)
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
      let timer: NodeJS.Timeout | undefined
      const budget = new Promise<"over">((resolve) => (timer = setTimeout(() => resolve("over"), BUDGET_MS)))
      const outcomes = await Promise.all(
        Array.from({ length: CHECKOUTS }, async (_, i): Promise<Outcome> => {
          const provider = i % 2 === 0 ? RP : SBPSN
          const r = await Promise.race([checkout(api, i), budget])
          return r === "over" ? { provider, ms: BUDGET_MS, steps: [], error: `still running after the ${BUDGET_MS / 1000} s budget` } : r
        })
      )
      clearTimeout(timer)
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

    it(`HTTP fuzz: ${HTTP_RUNS} cases per route, a bad request gets 4xx, never 5xx`, async () => {
      const text = fc.oneof(fc.string({ maxLength: 40 }), fc.string({ unit: "binary", maxLength: 40 }), fc.constantFrom("", "0", "1", "%", "%zz", "__proto__", "x".repeat(300)))
      const keys = (known: string[]) => fc.oneof(fc.constantFrom(...known), fc.constantFrom("__proto__", "constructor", "toString"), fc.string({ maxLength: 8 }))
      const value = fc.oneof(text, fc.integer(), fc.boolean(), fc.constant(null), fc.array(text, { maxLength: 3 }), fc.dictionary(keys(["postal_code", "country_code", "phone"]), text, { maxKeys: 4 }))
      const { collectionId, headers } = await cartWithCollection(api, s)
      const statuses = new Map<string, number[]>()
      const seen = (route: string, status: number) => statuses.set(route, [...(statuses.get(route) ?? []), status])
      const server5xx: string[] = []
      const check = (route: string, input: unknown, status: number, body: unknown) => {
        seen(route, status)
        if (status >= 500) server5xx.push(`${route} ${status} for ${fc.stringify(input)}: ${JSON.stringify(body).slice(0, 200)}`)
      }
      const t0 = performance.now()
      const sessionKeys = keys(["token", "token_key", "payment_method_id", "save_card", "email", "phone", "billing_address", "shipping_address", "retry_of", "customer_ip"])
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(RP, SBPSN), fc.dictionary(sessionKeys, value, { maxKeys: 5 }), async (provider, data) => {
          const r = await api.post(`/store/payment-collections/${collectionId}/payment-sessions`, { provider_id: provider, data }, { headers, validateStatus: () => true })
          check("POST /store/payment-collections/:id/payment-sessions", data, r.status, r.data)
        }),
        { numRuns: HTTP_RUNS }
      )
      const kickKeys = keys(["gid", "rst", "ap", "ec", "god", "cod", "am", "tx", "sf", "ta", "uid", "num"])
      await fc.assert(
        fc.asyncProperty(fc.dictionary(kickKeys, text, { maxKeys: 8 }), async (q) => {
          const r = await api.get(`/jp-payments/robot-payment_rp/notify?${new URLSearchParams(q)}`, { validateStatus: () => true })
          check("GET /jp-payments/robot-payment_rp/notify", q, r.status, r.data)
        }),
        { numRuns: HTTP_RUNS }
      )
      await fc.assert(
        fc.asyncProperty(text, fc.dictionary(keys(["sbps_result", "po", "sig", "result", "hc", "3ds_auth_id"]), text, { maxKeys: 5 }), async (code, q) => {
          const r = await api.get(`/jp-payments/return/${encodeURIComponent(code) || "x"}?${new URLSearchParams(q)}`, { maxRedirects: 0, validateStatus: () => true })
          check("GET /jp-payments/return/:code", { code, q }, r.status, r.data)
        }),
        { numRuns: HTTP_RUNS }
      )
      await fc.assert(
        fc.asyncProperty(fc.oneof(text, fc.jsonValue().map((v) => JSON.stringify(v))), async (body) => {
          const r = await api.post(`/jp-payments/card-registration/pp_billing-robo_br/webhook`, body, { headers: { "content-type": "application/json" }, validateStatus: () => true, transformRequest: [(d: unknown) => d] })
          check("POST /jp-payments/card-registration/:provider/webhook", body, r.status, r.data)
        }),
        { numRuns: HTTP_RUNS }
      )
      const ms = performance.now() - t0
      const routes = [...statuses.entries()].map(([route, st]) => `${route}: ${st.length} (${[...new Set(st)].sort().join("/")})`)
      console.log(`R4 HTTP ${routes.join("; ")}; ${(ms / 1000).toFixed(1)} s`)
      reportFigure({ id: "R4-http", title: "fuzzing the routes over HTTP", passed: [...statuses.values()].flat().length - server5xx.length, total: [...statuses.values()].flat().length, detail: `${routes.join("; ")}; ${server5xx.length} answers 5xx; ${(ms / 1000).toFixed(1)} s` })
      expect(server5xx).toEqual([])
      expect(statuses.size).toBe(4)
    })
  },
})
