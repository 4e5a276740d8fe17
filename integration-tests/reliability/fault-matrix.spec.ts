// R1, the fault matrix: every gateway × {authorize, capture, refund, cancel} × six faults, injected
// with the simulators' own faults into the call that does the operation, through one real Medusa
// app. A case passes when the simulator shows no double charge (one live authorization per order
// code, a capture applied once, never more refunded than asked) and the merchant got either the
// operation done with Medusa's record matching the gateway, or an error that says what to do — and
// when the same operation sent again (as Medusa's admin sends it: a new request) still does not act twice.
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { reportFigure } from "./figures"
import { setUpStore, type Store } from "../helpers/store"
import {
  billingRoboCustomer,
  CLEAR,
  drivers,
  FAULTS,
  FAULT_WORDS,
  faultFor,
  medusaState,
  perform,
  PROVIDERS,
  sleep,
  SLOW_MS,
  useAllSimulators,
  type Answer,
  type Driver,
  type FaultName,
  type GatewayTruth,
  type Op,
  type Order,
} from "./harness"
import { orderPayment } from "../helpers/store"

jest.setTimeout(600_000)

const sims = useAllSimulators()
const results: { name: string; ok: boolean; why: string }[] = []
const excluded: string[] = []
const started = Date.now()

/** Medusa's record and the gateway agree (ROBOT PAYMENT's CANCEL is both a void and a whole refund). */
function agrees(medusa: string, gw: GatewayTruth["state"]): boolean {
  if (medusa === gw) return true
  return (medusa === "refunded" && gw === "canceled") || (medusa === "canceled" && gw === "refunded")
}

medusaIntegrationTestRunner({
  inApp: true,
  env: {},
  testSuite: ({ api, getContainer }) => {
    let s: Store
    let brHeaders: Record<string, string> | null = null
    beforeEach(async () => {
      for (const sim of [sims.rp, sims.sbps, sims.pg, sims.po, sims.br]) sim.clearFaults()
      s = await setUpStore(api, getContainer(), PROVIDERS)
      brHeaders = null
    })
    let n = 0
    const all = () => drivers(api, () => s, sims, async () => (brHeaders ??= await billingRoboCustomer(api, s, sims.br, `hanako${++n}@example.jp`)))

    /** A fresh order of ¥3,000, authorized (and captured, for a refund), with no fault. */
    async function orderFor(d: Driver, op: Op): Promise<Order> {
      const c = await d.checkout()
      if (!c.first.orderId) throw new Error(`${d.gw}: checkout failed: ${c.first.status} ${c.first.message}`)
      const p = await orderPayment(api, s, c.first.orderId)
      const o = { orderId: c.first.orderId, code: c.code, paymentId: p.id }
      if (op === "refund") {
        const r = await perform(api, s, "capture", o, 0)
        if (r.status >= 400) throw new Error(`${d.gw}: capture before the refund failed: ${r.message}`)
      }
      return o
    }

    /** One case: the fault on the operation's call, the merchant's view, a second try, the simulator's truth. */
    async function runCase(d: Driver, op: Op, fault: FaultName): Promise<string | null> {
      const problems: string[] = []
      const inject = () => d.sim.inject({ ...faultFor(fault), ...(op === "authorize" ? d.authTarget : {}) })
      const settle = async () => {
        d.sim.clearFaults()
        // a gateway answering late acts after the client gave up: let it finish before judging
        if (fault === "timeout" || fault === "slow") await sleep(SLOW_MS - 900)
      }
      if (op === "authorize") {
        const c = await d.checkout(inject)
        await settle()
        const judge = async (a: Answer & { orderId?: string }, when: string) => {
          const t = d.truth(c.code)
          if (t.live > 1) problems.push(`${when}: ${t.live} live authorizations for ${c.code}`)
          if (a.orderId) {
            const m = await medusaState(api, s, a.orderId)
            if (!agrees(m.state, t.state)) problems.push(`${when}: order made, Medusa says ${m.state}, the gateway ${t.state}`)
            if (m.amount !== t.amount) problems.push(`${when}: Medusa holds ${m.amount}, the gateway ${t.amount}`)
          } else if (!CLEAR.test(a.message)) {
            problems.push(`${when}: no order and an unclear error (${a.status}): ${a.message}`)
          }
        }
        await judge(c.first, "first completion")
        if (!c.first.orderId) await judge(await c.complete(), "completion again")
        return problems.length ? problems.join("; ") : null
      }

      const o = await orderFor(d, op)
      const before = d.truth(o.code)
      inject()
      const first = await perform(api, s, op, o, d.refundAmount)
      await settle()
      const judge = async (a: Answer, when: string) => {
        const t = d.truth(o.code)
        const m = await medusaState(api, s, o.orderId)
        if (t.live > 1) problems.push(`${when}: ${t.live} live charges for ${o.code}`)
        if (op === "refund" && t.refunded > d.refundAmount + before.refunded) problems.push(`${when}: ${t.refunded} refunded, ${d.refundAmount} asked`)
        if (t.amount < 0) problems.push(`${when}: negative balance ${t.amount}`)
        if (a.status < 400) {
          if (!agrees(m.state, t.state)) problems.push(`${when}: done, but Medusa says ${m.state} and the gateway ${t.state}`)
          if (m.amount !== t.amount) problems.push(`${when}: done, but Medusa holds ${m.amount} and the gateway ${t.amount}`)
        } else if (!CLEAR.test(a.message)) {
          problems.push(`${when}: unclear error (${a.status}): ${a.message}`)
        }
        return a.status < 400
      }
      const done = await judge(first, "first try")
      if (!done) await judge(await perform(api, s, op, o, d.refundAmount), "second try")
      return problems.length ? problems.join("; ") : null
    }

    const plan: [string, Op][] = []
    for (const gw of ["ROBOT PAYMENT", "SBPS", "PAYGENT", "PaymentOptions", "請求管理ロボ"]) {
      for (const op of ["authorize", "capture", "refund", "cancel"] as Op[]) plan.push([gw, op])
    }

    it.each(plan)("%s %s under every fault", async (gw, op) => {
      const d = all().find((x) => x.gw === gw)!
      if (!d.ops.includes(op)) {
        const why = `${gw} ${op}: excluded — 請求管理ロボ's API has no capture, cancel or refund (capabilities.adjustments: false; the control panel does them)`
        excluded.push(...FAULTS.map((f) => `${why} [${f}]`))
        return
      }
      const failures: string[] = []
      for (const fault of FAULTS) {
        const name = `${gw} ${op} × ${fault}`
        let why: string | null
        try {
          why = await runCase(d, op, fault)
        } catch (e) {
          why = `threw: ${(e as Error).message}`
        }
        results.push({ name, ok: why === null, why: why ?? "" })
        if (why) failures.push(`${name}: ${why}`)
        for (const sim of [sims.rp, sims.sbps, sims.pg, sims.po, sims.br]) sim.clearFaults()
      }
      expect(failures).toEqual([])
    })

    afterAll(() => {
      const passed = results.filter((r) => r.ok).length
      const total = results.length
      const seconds = Math.round((Date.now() - started) / 1000)
      reportFigure({
        id: "R1",
        title: "fault matrix",
        passed,
        total,
        detail:
          `${total} cases = 4 gateways × 4 operations × 6 faults + 請求管理ロボ authorize × 6; ` +
          `excluded ${excluded.length / FAULTS.length / 1} 請求管理ロボ capture/refund/cancel rows × 6 faults (no such API); ` +
          `faults: ${FAULTS.map((f) => `${f} = ${FAULT_WORDS[f]}`).join("; ")}; ${seconds} s` +
          (passed < total ? `; failed: ${results.filter((r) => !r.ok).map((r) => r.name).join(", ")}` : ""),
      })
    })
  },
})
