// The pure state machine: every transition from plain data to plain data, no Medusa, no gateway.
import type { GatewayCharge } from "../gateway"
import * as m from "../machine"
import type { JpSessionState } from "../state"

const AT = new Date("2026-12-01T00:00:00Z")
const TOKEN_FIELDS = ["token", "token_key"] as const

function session(over: Partial<JpSessionState> = {}): JpSessionState {
  return {
    ...m.openSession({
      gateway: "g",
      orderCode: "MJ1",
      amount: 3000,
      currency: "jpy",
      capture: false,
      source: { type: "token", token: "tok", saveCard: false },
      customerRef: null,
      payer: { email: "a@b.jp", phone: null },
      browser: { gateway: "g" },
      returnTo: null,
    }),
    ...over,
  }
}

const charge = (reference = "T1", state: GatewayCharge["state"] = "authorized", amount = 3000): GatewayCharge => ({
  reference,
  state,
  amount,
  references: { id: reference },
  operations: [{ op: "authorize", reference, amount, at: AT.toISOString() }],
})

const g = { name: "g", findsCharges: false, tokenFields: TOKEN_FIELDS }

describe("a new session", () => {
  it("writes every key of its state, null where empty, so a storefront cannot add one", () => {
    const jp = session()
    expect(jp).toMatchObject({ v: 1, source: "token", card_ref: null, save_card: false, attempt: null, redirect: null, returned: null, error: null, notification: null })
    expect(Object.values(jp).every((v) => v !== undefined)).toBe(true)
  })

  it("refuses a saved card or save_card for a guest", () => {
    expect(m.sourceRefusal({ type: "saved", cardRef: "1" }, null)).toMatch(/logged-in customer/)
    expect(m.sourceRefusal({ type: "token", token: "t", saveCard: true }, null)).toMatch(/saving a card/)
    expect(m.sourceRefusal({ type: "hosted", saveCard: true }, "cus")).toBeNull()
  })
})

describe("what authorization does next", () => {
  it("pays with the token and its companions, or asks for a card when there is none", () => {
    const step = m.nextAuthorizeStep({ token: "tok", token_key: "k", other: "x" }, session(), g)
    expect(step).toEqual({ do: "pay", source: { type: "token", token: "tok", saveCard: false, extra: { token_key: "k" } } })
    const none = m.nextAuthorizeStep({}, session(), g)
    expect(none).toMatchObject({ do: "answer", outcome: { status: "error", data: { jp: { error: { code: "NO_CARD" } } } } })
  })

  it("finishes a redirect, and after a lost answer asks the status query where there is one", () => {
    expect(m.nextAuthorizeStep({}, session({ attempt: "redirect" }), g)).toEqual({ do: "complete_redirect" })
    expect(m.nextAuthorizeStep({}, session({ attempt: "unknown" }), { ...g, findsCharges: true })).toEqual({ do: "find_charge" })
  })

  it("without a status query, believes a recorded notification only for an unanswered payment, and otherwise waits", () => {
    const waiting = m.nextAuthorizeStep({}, session({ attempt: "unknown" }), g)
    expect(waiting).toMatchObject({ do: "answer", outcome: { status: "pending", data: { jp: { error: { code: "OUTCOME_UNKNOWN", kind: "unknown_outcome" } } } } })
    const notification = { dedupe_key: "n", succeeded: true, amount: 3000, charge: charge("N1"), error: null, received_at: AT.toISOString() }
    expect(m.nextAuthorizeStep({}, session({ attempt: "unknown", notification }), g)).toMatchObject({ do: "answer", outcome: { status: "authorized", data: { jp: { reference: "N1" } } } })
    const failed = { ...notification, succeeded: false, charge: null, error: { code: "G12", message: "declined" } }
    expect(m.nextAuthorizeStep({}, session({ attempt: "unknown", notification: failed }), g)).toMatchObject({ do: "answer", outcome: { status: "error", data: { jp: { error: { code: "G12" } } } } })
    // a notification on a session that was never sent proves nothing: the token is paid
    expect(m.nextAuthorizeStep({ token: "tok" }, session({ notification }), g)).toMatchObject({ do: "pay" })
  })
})

describe("3-D Secure started with the session", () => {
  const redirect = { url: "https://acs.example/1" }

  it("starts for a token or saved card, and for the hosted page only when the storefront asks", () => {
    expect(m.startableSource({ token: "tok", token_key: "k" }, session(), TOKEN_FIELDS)).toEqual({ type: "token", token: "tok", saveCard: false, extra: { token_key: "k" } })
    const hosted = session({ source: "hosted" })
    expect(m.startableSource({}, hosted, TOKEN_FIELDS)).toBeNull()
    expect(m.startableSource({ hosted_page: true }, hosted, TOKEN_FIELDS)).toEqual({ type: "hosted", saveCard: false })
    expect(m.startableSource({}, session(), TOKEN_FIELDS)).toBeNull()
  })

  it("puts the redirect in the session at once, tied to its amount, the token gone unless needed again", () => {
    const o = m.afterStart({ token: "tok", token_key: "k" }, session(), { type: "redirect", redirect, state: { id: "A" } }, { tokenFields: TOKEN_FIELDS })
    expect(o.status).toBe("requires_more")
    expect(o.data).toMatchObject({ token: null, token_key: null, jp: { attempt: "redirect", redirect, redirect_state: { id: "A" }, redirect_amount: 3000, returned: null } })
    const kept = m.afterStart({ token: "tok" }, session(), { type: "redirect", redirect, state: {} }, { tokenFields: TOKEN_FIELDS, tokenAfterRedirect: true })
    expect(kept.data.token).toBe("tok")
  })

  it("with nothing to start, leaves the session pending; a card saved on the way replaces the spent token", () => {
    expect(m.afterStart({ token: "tok" }, session(), { type: "later" }, { tokenFields: TOKEN_FIELDS })).toMatchObject({ status: "pending", data: { token: "tok", jp: { attempt: null } } })
    const saved = m.afterStart({ token: "tok" }, session({ save_card: true }), { type: "later", source: { type: "saved", cardRef: "C1" } }, { tokenFields: TOKEN_FIELDS })
    expect(saved).toMatchObject({ status: "pending", data: { token: null, jp: { source: "saved", card_ref: "C1", save_card: false } } })
    expect((m.afterStart({}, session(), { type: "later" }, { tokenFields: TOKEN_FIELDS }).data.jp as JpSessionState).pay_before_order).toBe(false)
  })

  it("marks a payment whose own call is its 3-D Secure start (payBeforeOrder): sent at completion before the order, nothing sent now", () => {
    const o = m.afterStart({ payment_method_id: "C1" }, session({ source: "saved", card_ref: "C1" }), { type: "later", payBeforeOrder: true }, { tokenFields: TOKEN_FIELDS })
    expect(o).toMatchObject({ status: "pending", data: { jp: { pay_before_order: true, attempt: null, redirect: null, redirect_amount: null } } })
    // not a started redirect: the completion hook pays it rather than refusing it
    expect(m.startedRedirectRefusal(o.data.jp as JpSessionState)).toBeNull()
  })

  it("refuses authorization for another amount than the one authenticated (AMOUNT_CHANGED), never asking the gateway", () => {
    const started = m.afterStart({ token: "tok" }, session(), { type: "redirect", redirect, state: {} }, { tokenFields: TOKEN_FIELDS }).data
    const jp = started.jp as JpSessionState
    const same = m.afterAmountChange(started, jp, 3000, {})
    expect(m.nextAuthorizeStep(same, same.jp as JpSessionState, g)).toEqual({ do: "complete_redirect" })
    const changed = m.afterAmountChange(started, jp, 4500, {})
    const step = m.nextAuthorizeStep(changed, changed.jp as JpSessionState, g)
    expect(step).toMatchObject({ do: "answer", outcome: { status: "error", data: { jp: { attempt: "failed", error: { code: "AMOUNT_CHANGED" } } } } })
    expect(m.startedRedirectRefusal(changed.jp as JpSessionState)).toMatchObject({ code: "AMOUNT_CHANGED" })
  })

  it("answers a completion before the shopper came back, or after a failed challenge, without the gateway", () => {
    const jp = session({ attempt: "redirect", redirect, redirect_state: {}, redirect_amount: 3000 })
    expect(m.startedRedirectRefusal(jp)).toMatchObject({ code: "REDIRECT_PENDING" })
    const failed = { outcome: "failed" as const, values: {}, threeDS: null, error: { code: "TDS_NG", message: "not authenticated" }, at: AT.toISOString() }
    expect(m.startedRedirectRefusal({ ...jp, returned: failed })).toMatchObject({ code: "TDS_NG", message: expect.stringMatching(/another card/) })
    expect(m.startedRedirectRefusal({ ...jp, returned: { ...failed, outcome: "ok", error: null } })).toBeNull()
    expect(m.startedRedirectRefusal(session())).toBeNull()
  })
})

describe("after the gateway answers", () => {
  it("records a charge as the payment, the token gone", () => {
    const out = m.afterPay({ token: "tok" }, session(), { type: "charge", charge: charge() }, { tokenFields: TOKEN_FIELDS })
    expect(out).toMatchObject({ status: "authorized", data: { token: null, jp: { state: "authorized", reference: "T1", authorized_amount: 3000, amount: 3000, refunded_amount: 0 } } })
  })

  it("waits on a redirect, dropping the token unless the gateway needs it again", () => {
    const redirect = { type: "redirect" as const, redirect: { url: "https://acs" }, state: { id: "A" } }
    const dropped = m.afterPay({ token: "tok", token_key: "k" }, session(), redirect, { tokenFields: TOKEN_FIELDS })
    expect(dropped).toMatchObject({ status: "requires_more", data: { token: null, token_key: null, jp: { attempt: "redirect", redirect: { url: "https://acs" }, redirect_state: { id: "A" } } } })
    const kept = m.afterPay({ token: "tok" }, session(), redirect, { tokenFields: TOKEN_FIELDS, tokenAfterRedirect: true })
    expect(kept.data.token).toBe("tok")
  })

  it("leaves a lost answer pending (never resent) and a refusal failed", () => {
    const lost = m.afterPayError({ token: "tok" }, session(), { code: "NO_ANSWER", message: "x", kind: "unknown_outcome" }, TOKEN_FIELDS)
    expect(lost).toMatchObject({ status: "pending", data: { token: null, jp: { attempt: "unknown", error: { code: "NO_ANSWER" } } } })
    const refused = m.afterPayError({ token: "tok" }, session(), { code: "G55", message: "declined", messageJa: "拒否", kind: "declined" }, TOKEN_FIELDS)
    expect(refused).toMatchObject({ status: "error", data: { jp: { attempt: "failed", error: { code: "G55", message_ja: "拒否", kind: "declined" } } } })
  })

  it("after a status query: a found charge is the payment; none means nothing was charged; a failed query stays open", () => {
    expect(m.afterFindCharge({}, session({ attempt: "unknown" }), charge("F1"), "g").status).toBe("authorized")
    expect(m.afterFindCharge({}, session({ attempt: "unknown" }), null, "g")).toMatchObject({ status: "error", data: { jp: { attempt: "failed", error: { code: "NOT_CHARGED" } } } })
    expect(m.afterFindChargeError({}, session({ attempt: "unknown" }), { code: "NETWORK", message: "x", kind: "retry" })).toMatchObject({ status: "pending", data: { jp: { error: { kind: "unknown_outcome" } } } })
  })
})

describe("the shopper's return", () => {
  const waiting = { jp: session({ attempt: "redirect", redirect_state: { id: "A" } }) }

  it("is recorded once, the first outcome standing", () => {
    const back = m.recordReturn(waiting, { outcome: "ok", values: { r: "1" } }, AT)!
    expect(back.jp).toMatchObject({ returned: { outcome: "ok", values: { r: "1" }, threeDS: null, error: null, at: AT.toISOString() } })
    expect(m.recordReturn(back, { outcome: "failed", values: {} }, AT)).toBeNull()
    expect(m.recordReturn({ jp: session() }, { outcome: "ok", values: {} }, AT)).toBeNull()
  })

  it("a failed return fails the session without the gateway; an ok one hands on the saved card or the kept token", () => {
    const failed = m.recordReturn(waiting, { outcome: "failed", values: {}, error: { code: "31007", message: "no" } }, AT)!
    expect(m.redirectStep(failed, failed.jp as JpSessionState, { tokenFields: TOKEN_FIELDS })).toMatchObject({ answer: { status: "error", data: { jp: { attempt: "failed", error: { code: "31007", kind: "declined" } } } } })
    const ok = m.recordReturn(waiting, { outcome: "ok", values: {} }, AT)!
    expect(m.redirectStep({ ...ok, token: "tok" }, ok.jp as JpSessionState, { tokenFields: TOKEN_FIELDS })).toEqual({ source: null })
    expect(m.redirectStep({ ...ok, token: "tok" }, ok.jp as JpSessionState, { tokenFields: TOKEN_FIELDS, tokenAfterRedirect: true })).toEqual({ source: { type: "token", token: "tok", saveCard: false } })
    const saved = session({ attempt: "redirect", source: "saved", card_ref: "3" })
    expect(m.redirectStep({}, saved, { tokenFields: TOKEN_FIELDS })).toEqual({ source: { type: "saved", cardRef: "3" } })
  })
})

describe("notifications", () => {
  const event = { dedupeKey: "n1", succeeded: true, amount: 3000, verified: false }

  it("are recorded only for an unanswered payment, or a redirect when signed, and once per key", () => {
    const unknown = { jp: session({ attempt: "unknown" }) }
    const noted = m.recordNotification(unknown, event, AT)!
    expect(noted.jp).toMatchObject({ notification: { dedupe_key: "n1", succeeded: true, amount: 3000, charge: null, received_at: AT.toISOString() } })
    expect(m.recordNotification(noted, event, AT)).toBeNull()
    expect(m.recordNotification({ jp: session() }, event, AT)).toBeNull()
    const redirect = { jp: session({ attempt: "redirect" }) }
    expect(m.recordNotification(redirect, event, AT)).toBeNull()
    expect(m.recordNotification(redirect, { ...event, verified: true }, AT)).not.toBeNull()
  })
})

describe("the payment after authorization", () => {
  const paid = (m.authorizedBy(session(), charge()).data.jp as ReturnType<typeof m.mergeCharge>)

  it("merges an operation's charge and keeps the history", () => {
    const captured = m.mergeCharge(paid, { ...charge("T2", "captured"), operations: [{ op: "capture", reference: "T2", amount: 3000, at: AT.toISOString() }] })
    expect(captured).toMatchObject({ state: "captured", reference: "T2", references: { id: "T2" } })
    expect(captured.history.map((h) => h.op)).toEqual(["authorize", "capture"])
    expect(m.paymentStatus(captured)).toBe("captured")
    expect(m.chargeRecord(captured)).toMatchObject({ reference: "T2", authorizedAmount: 3000, amount: 3000, orderCode: "MJ1" })
  })

  it("captures once, never the released rest of a smaller sale, never a canceled payment", () => {
    expect(m.captureStep(paid)).toEqual({ do: "capture" })
    expect(m.captureStep({ ...paid, state: "captured" })).toEqual({ do: "nothing" })
    expect(m.captureStep({ ...paid, state: "captured", sold_amount: 1000 })).toMatchObject({ do: "refuse", reason: expect.stringMatching(/sold for 1000 of the 3000/) })
    expect(m.captureStep({ ...paid, state: "canceled" })).toMatchObject({ do: "refuse" })
    expect(m.captureAmountRefusal(paid, 0)).toMatchObject({ invalid: expect.any(String) })
    expect(m.captureAmountRefusal(paid, 2999.5)).toMatchObject({ invalid: expect.any(String) })
    expect(m.captureAmountRefusal({ ...paid, state: "captured" }, 100)).toMatchObject({ notAllowed: expect.any(String) })
    expect(m.captureAmountRefusal(paid, 3000)).toBeNull()
  })

  it("refuses a refund above what is left before the gateway is asked, and counts what was refunded", () => {
    expect(m.refundRefusal(paid, 3001)).toMatchObject({ invalid: expect.stringMatching(/more than the 3000/) })
    expect(m.refundRefusal(paid, 0)).toMatchObject({ invalid: expect.any(String) })
    expect(m.refundRefusal({ ...paid, state: "refunded" }, 1)).toMatchObject({ notAllowed: expect.any(String) })
    const after = m.afterRefund(paid, { ...charge("T1", "partially_refunded", 2000), operations: [] }, 1000)
    expect(after).toMatchObject({ amount: 2000, refunded_amount: 1000, state: "partially_refunded" })
  })

  it("tells Medusa's status from any data it wrote", () => {
    expect(m.statusOfData({ jp: paid })).toBe("authorized")
    expect(m.statusOfData({ jp: session({ attempt: "redirect" }) })).toBe("requires_more")
    expect(m.statusOfData({ jp: { ...session(), error: { code: "x", message: "x", message_ja: null, kind: "invalid" } } })).toBe("error")
    expect(m.statusOfData({})).toBe("pending")
  })

  it("a lost answer stays pending (never error) when Medusa asks the session's status, so it can be settled", () => {
    const lost = { ...session({ attempt: "unknown" }), error: { code: "UNKNOWN_OUTCOME", message: "no answer", message_ja: null, kind: "unknown_outcome" } }
    expect(m.statusOfData({ jp: lost })).toBe("pending")
  })
})
