// machine.pendingVerdict: after a lost answer, what the gateway's status query proves. A refund is
// never called "not done" from an unchanged look (a query that does not follow refunds would let it
// through twice); a capture or cancel may be, since every gateway refuses a second one itself.
import type { GatewayCharge } from "../gateway"
import { pendingVerdict } from "../machine"
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
