// A multi-step operation that stopped after a recorded step: what authorization, capture and refund
// do next (the pure machine; the end-to-end cases are in integration-tests/http/multi-step.spec.ts).
import type { GatewayCharge } from "../gateway"
import * as m from "../machine"
import type { JpPaymentState, JpSessionState } from "../state"

const AT = "2026-12-01T00:00:00.000Z"
const charge = (state: GatewayCharge["state"] = "authorized"): GatewayCharge => ({
  reference: "T1",
  state,
  amount: 3000,
  references: { tracking_id: "T1" },
  threeDS: { status: "not_performed", liability: "merchant" },
  operations: [{ op: "authorize", reference: "T1", amount: 3000, at: AT }],
})

function session(over: Partial<JpSessionState> = {}): JpSessionState {
  return {
    ...m.openSession({
      gateway: "g",
      orderCode: "MJ1",
      amount: 3000,
      currency: "jpy",
      capture: true,
      source: { type: "token", token: "tok", saveCard: false },
      customerRef: null,
      payer: { email: "a@b.jp", phone: null },
      browser: {},
      returnTo: null,
    }),
    ...over,
  }
}

function payment(over: Partial<JpPaymentState> = {}): JpPaymentState {
  const p = m.authorizedBy(session(), { ...charge("captured") }).data.jp as JpPaymentState
  return { ...p, ...over }
}

describe("a recorded step", () => {
  it("authorization finishes a recorded 与信 (sells it) instead of paying again, and keeps its history", () => {
    const jp = session({ recorded: charge(), attempt: "failed" })
    expect(m.nextAuthorizeStep({ jp }, jp, { name: "g", findsCharges: false, tokenFields: ["token"] })).toEqual({ do: "finish_recorded", charge: charge(), capture: true })
    const sold: GatewayCharge = { ...charge("captured"), threeDS: undefined, operations: [{ op: "capture", reference: "T1", amount: 3000, at: AT }] }
    const r = m.withRecorded(jp, { type: "charge", charge: sold })
    expect(r.type === "charge" && r.charge).toMatchObject({ state: "captured", threeDS: { liability: "merchant" } })
    expect(r.type === "charge" && r.charge.operations.map((o) => o.op)).toEqual(["authorize", "capture"])
  })

  it("a stopped refund is resumed for the same amount only, and the gateway gets what it recorded", () => {
    const p = payment({ amount: 2000, resume: { op: "refund", amount: 1000, values: { cancel: "G0" } } })
    expect(m.refundRefusal(p, 1000)).toBeNull()
    expect(m.refundRefusal(p, 500)?.notAllowed).toMatch(/stopped half-way/)
    expect(m.chargeRecord(p).resume).toEqual({ cancel: "G0" })
  })

  it("a stopped smaller capture holds the smaller amount: the same capture goes on, a larger one is refused", () => {
    const p = payment({ state: "authorized", authorized_amount: 3000, amount: 2000, resume: { op: "capture", amount: 2000, values: {} } })
    expect(m.captureAmountRefusal(p, 2000)).toBeNull()
    expect(m.captureAmountRefusal(p, 2500)?.notAllowed).toMatch(/stopped half-way/)
  })

  it("a re-authorization's 3-D Secure outcome replaces the original one", () => {
    const p = payment({ three_ds: { status: "challenge", liability: "issuer" } })
    const after = m.mergeCharge(p, { ...charge("captured"), threeDS: { status: "not_performed", liability: "merchant" }, operations: [] })
    expect(after.three_ds).toEqual({ status: "not_performed", liability: "merchant" })
    expect(m.mergeCharge(p, { ...charge("captured"), threeDS: undefined, operations: [] }).three_ds).toEqual({ status: "challenge", liability: "issuer" })
  })
})
