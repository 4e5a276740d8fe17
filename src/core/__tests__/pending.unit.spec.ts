// machine.pendingVerdict: after a lost answer, what the gateway's status query proves. A refund is
// never called "not done" from an unchanged look (a query that does not follow refunds would let it
// through twice); a capture or cancel may be, since every gateway refuses a second one itself.
// machine.confirmPending / confirmedDone: the merchant's "done at the gateway" and what it records.
import type { GatewayCharge } from "../gateway"
import { confirmedDone, confirmedRefusal, confirmPending, mergeCharge, afterRefund, pendingVerdict } from "../machine"
import type { JpPaymentState } from "../state"

const payment = (over: Partial<JpPaymentState> = {}): JpPaymentState => ({
  v: 1,
  gateway: "sbps",
  order_code: "jp1",
  currency: "jpy",
  capture: false,
  payer: { email: null, phone: null },
  state: "authorized",
  reference: "t1",
  references: {},
  authorized_amount: 3000,
  amount: 3000,
  refunded_amount: 0,
  card: null,
  three_ds: null,
  saved_card: null,
  history: [],
  ...over,
})
const now = (state: GatewayCharge["state"], amount: number): GatewayCharge => ({ reference: "t1", state, amount, references: {}, operations: [] })
const pending = (op: "capture" | "refund" | "cancel", amount: number) => ({ op, amount, at: "2026-12-03T00:00:00Z", from: "authorized" })

describe("pendingVerdict", () => {
  it("capture: done once the gateway shows a sale, not done when nothing moved, else unknown", () => {
    expect(pendingVerdict(payment(), pending("capture", 3000), now("captured", 3000))).toBe("done")
    expect(pendingVerdict(payment(), pending("capture", 3000), now("authorized", 3000))).toBe("not_done")
    expect(pendingVerdict(payment(), pending("capture", 3000), now("canceled", 0))).toBe("unknown")
  })
  it("cancel: done once voided or refunded", () => {
    expect(pendingVerdict(payment(), pending("cancel", 3000), now("canceled", 0))).toBe("done")
    expect(pendingVerdict(payment({ state: "captured" }), pending("cancel", 3000), now("refunded", 0))).toBe("done")
    expect(pendingVerdict(payment(), pending("cancel", 3000), now("authorized", 3000))).toBe("not_done")
  })
  it("refund: done on proof only — an unchanged payment is unknown, never not done", () => {
    const sold = payment({ state: "captured" })
    expect(pendingVerdict(sold, pending("refund", 1000), now("partially_refunded", 3000))).toBe("done")
    expect(pendingVerdict(sold, pending("refund", 3000), now("refunded", 0))).toBe("done")
    expect(pendingVerdict(sold, pending("refund", 1000), now("captured", 3000))).toBe("unknown")
    // a second partial refund: the state alone cannot tell, the amount can
    const part = payment({ state: "partially_refunded", amount: 2000, refunded_amount: 1000 })
    expect(pendingVerdict(part, pending("refund", 500), now("partially_refunded", 2000))).toBe("unknown")
    expect(pendingVerdict(part, pending("refund", 500), now("partially_refunded", 1500))).toBe("done")
    // a status query that carries the amount must show this very refund taken off
    expect(pendingVerdict(sold, pending("refund", 1000), now("partially_refunded", 2000))).toBe("done")
    expect(pendingVerdict(sold, pending("refund", 1000), now("partially_refunded", 2500))).toBe("unknown")
  })
})

describe("the merchant's \"done at the gateway\"", () => {
  const AT = new Date("2026-12-03T01:00:00Z")
  const later = "2026-12-03T02:00:00Z"
  const marked = (over: Partial<JpPaymentState>, op: "capture" | "refund" | "cancel", amount: number, held?: number) =>
    payment({ ...over, pending: { ...pending(op, amount), from: over.state ?? "authorized", ...(held !== undefined ? { held } : {}) } })
  const confirmed = (p: JpPaymentState) => {
    const r = confirmPending(p, "user_1", AT)
    if ("refusal" in r) throw new Error(r.refusal)
    return r.jp
  }

  it("confirmPending records who and when on that very mark, once; refuses a payment without one, or a mark that changed since it was seen", () => {
    const p = marked({ state: "captured" }, "refund", 3000)
    const c = confirmPending(p, "user_1", AT, "2026-12-03T00:00:00Z")
    expect(c).toEqual({ jp: { ...p, pending: { ...p.pending, confirmed: { by: "user_1", at: AT.toISOString() } } } })
    const again = confirmPending((c as { jp: JpPaymentState }).jp, "user_2", new Date(later))
    expect((again as { jp: JpPaymentState }).jp.pending!.confirmed).toEqual({ by: "user_1", at: AT.toISOString() })
    expect(confirmPending(payment(), "user_1", AT)).toEqual({ refusal: expect.stringMatching(/no operation waiting/) })
    expect(confirmPending(p, "user_1", AT, "2026-12-02T00:00:00Z")).toEqual({ refusal: expect.stringMatching(/a refund of 3000 sent at 2026-12-03T00:00:00Z, not the one sent at 2026-12-02/) })
  })

  it("confirmedRefusal: only the confirmed operation, for its amount, takes the confirmation", () => {
    const c = confirmed(marked({ state: "captured" }, "refund", 3000))
    expect(confirmedRefusal(c, "refund", 3000)).toBeNull()
    expect(confirmedRefusal(c, "refund", 1000)).toMatch(/confirmed done at the gateway .* only the same refund of 3000 records it, not a refund of 1000/)
    expect(confirmedRefusal(c, "cancel", 3000)).toMatch(/not a cancel of 3000/)
    // an unconfirmed mark is settlePending's own business
    expect(confirmedRefusal(marked({}, "capture", 3000), "refund", 10)).toBeNull()
  })

  it("records a whole refund as the gateway's answer would: the same merge, the mark gone, the confirmation in the history", () => {
    const p = confirmed(marked({ state: "captured" }, "refund", 3000, 3000))
    const out = confirmedDone(p, later)
    const op = { op: "refund", reference: "t1", amount: 3000, at: later, confirmed: { by: "user_1", at: AT.toISOString() } } as const
    // what a live answer (a gateway's refund of the whole: refunded, nothing held) leaves
    const live = afterRefund(p, { reference: "t1", state: "refunded", amount: 0, references: {}, operations: [op] }, 3000)
    expect(out).toEqual({ ...live, pending: null, resume: null })
    expect(out).toMatchObject({ state: "refunded", amount: 0, refunded_amount: 3000, history: [op] })
  })

  it("records a partial refund from what was held before, also after a recorded step moved the amount (a recharge of the rest)", () => {
    expect(confirmedDone(confirmed(marked({ state: "captured" }, "refund", 1000, 3000)), later)).toMatchObject({ state: "partially_refunded", amount: 2000, refunded_amount: 1000 })
    // the recharge of the rest was recorded (amount 2000, a new reference) before the lost cancel of the old sale
    const stepped = marked({ state: "captured", amount: 2000, reference: "t2", resume: { op: "refund", amount: 1000, values: { cancel: "t1" } } }, "refund", 1000, 3000)
    const out = confirmedDone(confirmed(stepped), later)
    expect(out).toMatchObject({ state: "partially_refunded", reference: "t2", amount: 2000, refunded_amount: 1000, resume: null, pending: null })
    // a mark made before `held` was kept: what was sold less what was refunded
    const old = confirmed(marked({ state: "partially_refunded", amount: 2000, refunded_amount: 1000 }, "refund", 500))
    expect(confirmedDone(old, later)).toMatchObject({ state: "partially_refunded", amount: 1500, refunded_amount: 1500 })
  })

  it("records a capture (whole or smaller, as sold) and a cancel (a void, or a sale's refund)", () => {
    const cap = confirmedDone(confirmed(marked({}, "capture", 3000, 3000)), later)
    expect(cap).toEqual({ ...mergeCharge(confirmed(marked({}, "capture", 3000, 3000)), { reference: "t1", state: "captured", amount: 3000, references: {}, operations: cap.history }), sold_amount: 3000, pending: null, resume: null })
    expect(cap.history.map((h) => h.op)).toEqual(["capture"])
    expect(confirmedDone(confirmed(marked({}, "capture", 1200, 3000)), later)).toMatchObject({ state: "captured", amount: 1200, authorized_amount: 3000, sold_amount: 1200 })
    const voided = confirmedDone(confirmed(marked({}, "cancel", 3000, 3000)), later)
    expect(voided).toMatchObject({ state: "canceled", amount: 0, refunded_amount: 0, pending: null })
    expect(voided.history.map((h) => h.op)).toEqual(["cancel"])
    const sale = confirmedDone(confirmed(marked({ state: "captured" }, "cancel", 3000, 3000)), later)
    expect(sale).toMatchObject({ state: "refunded", amount: 0 })
    expect(sale.history.map((h) => h.op)).toEqual(["refund"])
  })

  it("records nothing for a mark not confirmed", () => {
    const p = marked({ state: "captured" }, "refund", 3000, 3000)
    expect(confirmedDone(p, later)).toBe(p)
  })
})
