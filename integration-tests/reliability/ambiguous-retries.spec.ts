// R6, ambiguous retries: Medusa sends a new idempotency key on each retry of a capture or refund
// (Medusa issues #16292 and #16681), so nothing in Medusa stops a retried operation from acting twice.
// After an ambiguous failure — the gateway acted, its answer was lost — the merchant retries through
// Medusa's admin API (a new request); the simulator must have applied the operation once. Where the
// gateway has a status query that sees the operation (SBPS MG01, PAYGENT 094 — a partial refund by 029
// found through the trading_id, the new payment_id recorded) the plugin asks it first and records what
// was done. Where it has none (ROBOT PAYMENT), or its status call cannot see the operation
// (PaymentOptions: it answers for the one transaction it names, and a capture or refund is a new
// transaction whose id was in the lost answer), the retry is refused with an error that sends the
// merchant to the gateway's control panel, nothing is resent, and the payment is listed on the admin's
// "card payments that need you".
import { medusaIntegrationTestRunner } from "../helpers/medusa-runner"
import { reportFigure } from "./figures"
import { orderPayment, setUpStore, type Store } from "../helpers/store"
import { billingRoboCustomer, drivers, faultFor, medusaState, perform, PROVIDERS, sleep, SLOW_MS, useAllSimulators, type Driver, type Order } from "./harness"

jest.setTimeout(600_000)

const sims = useAllSimulators()
const results: { name: string; ok: boolean }[] = []

/** The lost answer: the gateway acted, then the connection was reset; or its answer came after the timeout. */
const LOST = [
  ["reset after the gateway acted", faultFor("reset")],
  ["answer held past the timeout", faultFor("timeout")],
] as const

medusaIntegrationTestRunner({
  inApp: true,
  env: {},
  testSuite: ({ api, getContainer }) => {
    let s: Store
    beforeEach(async () => {
      for (const sim of [sims.rp, sims.sbps, sims.pg, sims.po, sims.br]) sim.clearFaults()
      s = await setUpStore(api, getContainer(), PROVIDERS)
    })
    const all = () => drivers(api, () => s, sims, () => billingRoboCustomer(api, s, sims.br, "r6@example.jp"))

    /** Requests that ask the gateway about a payment (its status query), and those that would move money again. */
    const queries = (gw: string) =>
      gw === "SBPS"
        ? sims.sbps.requests().filter((r) => r.id === "MG01-00101-101").length
        : gw === "PAYGENT"
          ? sims.pg.requests().filter((r) => r.kind === "094").length
          : gw === "PaymentOptions"
            ? sims.po.requests().filter((r) => r.method === "GET" && r.path.includes("/transaction/status/")).length
            : 0
    const rpAdjustments = () => sims.rp.requests().filter((r) => r.path === "/gateway/gateway.aspx").length
    const poMoves = () => sims.po.requests().filter((r) => r.method === "POST" && /\/(capture|refund|void)$/.test(r.path)).length
    /** What the admin's "card payments that need you" lists for this order's payment. */
    const listed = async (o: Order) =>
      ((await api.get("/admin/jp-payments/attention", s.admin)).data.payments as { kind: string; payment_id: string | null; order_id: string | null; pending: unknown }[]).filter(
        (x) => x.payment_id === o.paymentId
      )

    async function order(d: Driver, captured: boolean): Promise<Order> {
      const c = await d.checkout()
      if (!c.first.orderId) throw new Error(`${d.gw}: checkout failed: ${c.first.message}`)
      const o = { orderId: c.first.orderId, code: c.code, paymentId: (await orderPayment(api, s, c.first.orderId)).id }
      if (captured) expect((await perform(api, s, "capture", o, 0)).status).toBeLessThan(400)
      return o
    }

    const cases: [string, "capture" | "refund", string, Record<string, unknown>][] = []
    for (const gw of ["SBPS", "PAYGENT", "PaymentOptions", "ROBOT PAYMENT"]) {
      for (const op of ["capture", "refund"] as const) for (const [fname, fault] of LOST) cases.push([gw, op, fname, fault])
    }

    it.each(cases)("%s %s, %s: the retry never acts twice", async (gw, op, _fname, fault) => {
      const name = `${gw} ${op} × ${_fname}`
      let ok = false
      try {
        const d = all().find((x) => x.gw === gw)!
        const o = await order(d, op === "refund")
        const before = d.truth(o.code)
        d.sim.inject(fault)
        const first = await perform(api, s, op, o, d.refundAmount)
        d.sim.clearFaults()
        await sleep(SLOW_MS - 900)
        const applied = d.truth(o.code)
        // the gateway did act
        if (op === "capture") expect(applied.state).toBe("captured")
        else expect(applied.refunded - before.refunded).toBe(d.refundAmount)

        const asked = queries(gw)
        const adjusted = rpAdjustments()
        const moved = poMoves()
        // the merchant retries the way Medusa's admin does: a new request, a new idempotency key
        const retry = first.status < 400 ? first : await perform(api, s, op, o, d.refundAmount)
        const after = d.truth(o.code)
        // never twice at the gateway
        expect(after.live).toBeLessThanOrEqual(1)
        if (op === "capture") expect(after.state).toBe("captured")
        else expect(after.refunded - before.refunded).toBe(d.refundAmount)
        const m = await medusaState(api, s, o.orderId)

        if (gw === "ROBOT PAYMENT") {
          // no status query: refused, sent to the control panel, nothing resent
          expect(retry.status).toBeGreaterThanOrEqual(400)
          expect(retry.message).toMatch(/check the payment in the gateway's control panel/)
          expect(rpAdjustments()).toBe(adjusted)
          expect(m.pending).toMatchObject({ op, amount: op === "capture" ? 3000 : d.refundAmount })
          // the merchant sees it on "card payments that need you", with the order to open
          expect(await listed(o)).toEqual([expect.objectContaining({ kind: "operation", order_id: o.orderId, pending: expect.objectContaining({ op }) })])
          // Had the merchant wrongly found it not done and cleared the mark, the next try goes out — and
          // ROBOT PAYMENT refuses a second SALES or CANCEL of the same gid itself: still once.
          expect((await api.delete(`/admin/jp-payments/payments/${o.paymentId}/pending`, s.admin)).data.cleared).toMatchObject({ op })
          const resent = await perform(api, s, op, o, d.refundAmount)
          expect(resent.status).toBeGreaterThanOrEqual(400)
          expect(rpAdjustments()).toBe(adjusted + 1)
          expect(d.truth(o.code)).toMatchObject({ live: op === "capture" ? 1 : 0, state: op === "capture" ? "captured" : "canceled" })
        } else if (gw === "PaymentOptions") {
          // its status call answers for the transaction it names, not for a capture or refund made on it:
          // nothing is sent again (not even a capture the gateway would refuse), the mark stays, listed
          expect(retry.status).toBeGreaterThanOrEqual(400)
          expect(retry.message).toMatch(/status query reports only the transaction it is asked about, not a (capture|refund) made on it/)
          expect(retry.message).toMatch(/check the payment in the gateway's control panel/)
          expect(poMoves()).toBe(moved)
          expect(m.pending).toMatchObject({ op, amount: op === "capture" ? 3000 : d.refundAmount })
          expect(await listed(o)).toEqual([expect.objectContaining({ kind: "operation", order_id: o.orderId, pending: expect.objectContaining({ op }) })])
        } else {
          // SBPS and PAYGENT: settled from the gateway — Medusa's record is what the gateway holds, no mark left
          expect(retry.status).toBeLessThan(400)
          expect(m.state).toBe(after.state)
          expect(m.amount).toBe(after.amount)
          expect(m.pending).toBeNull()
          if (first.status >= 400) expect(queries(gw)).toBeGreaterThan(asked)
          expect(await listed(o)).toEqual([])
          if (gw === "PAYGENT" && op === "refund") {
            // the 029 made a new payment_id: it is the one recorded, and the next refund goes to it
            const live = sims.pg.payments().filter((x) => x.tradingId === o.code && x.status === "40")
            expect(live).toHaveLength(1)
            expect((await orderPayment(api, s, o.orderId)).data.jp).toMatchObject({ reference: live[0].paymentId, amount: 2000, refunded_amount: 1000 })
            expect((await perform(api, s, "refund", o, 500)).status).toBeLessThan(400)
            expect(d.truth(o.code)).toMatchObject({ live: 1, state: "partially_refunded", amount: 1500, refunded: 1500 })
          }
        }
        ok = true
      } finally {
        results.push({ name, ok })
      }
    })

    afterAll(() => {
      const passed = results.filter((r) => r.ok).length
      reportFigure({
        id: "R6",
        title: "ambiguous retries",
        passed,
        total: results.length,
        detail:
          "capture and refund × {reset after the gateway acted, answer held past the timeout} × SBPS and PAYGENT (status query asked first, settled; PAYGENT's partial refund by 029 through the trading_id), " +
          "PaymentOptions (its status call cannot see a capture or refund: refused, nothing resent, listed for the merchant) and ROBOT PAYMENT (no status query: refused, nothing resent, listed); " +
          "請求管理ロボ has no capture or refund API" +
          (passed < results.length ? `; failed: ${results.filter((r) => !r.ok).map((r) => r.name).join(", ")}` : ""),
      })
    })
  },
})
