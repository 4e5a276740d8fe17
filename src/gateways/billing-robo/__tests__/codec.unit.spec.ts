// 請求管理ロボ wire format and code table, without a socket: the shapes of the public API
// specification's samples (a `code` that is a number or an ER… string, per-element errors, string
// numbers in the webhook).
import { CodecError } from "../../../core/vocabulary"
import { billingCodeFor, cardTokenBody, chargeBody, individualCodeOf, japanDate, parseCharge, parseCreditStatus, parseSearch, parseUpsert, paymentCodeOf, topError, upsertError } from "../codec"
import { describeCode } from "../codes"
import { phoneDigits } from "../gateway"

describe("billing-robo codec", () => {
  it("makes a stable 請求先コード of at most 20 characters from a customer id, and its 部署/決済情報 codes", () => {
    const a = billingCodeFor("MD", "cus_01JABCDEF")
    expect(a).toBe(billingCodeFor("MD", "cus_01JABCDEF"))
    expect(a).not.toBe(billingCodeFor("MD", "cus_01JABCDEG"))
    expect(a).toMatch(/^MD-[0-9a-f]{15}$/)
    expect(billingCodeFor("ABCD", "x")).toHaveLength(18)
    expect(paymentCodeOf(a).length).toBeLessThanOrEqual(20)
    expect(individualCodeOf(a).length).toBeLessThanOrEqual(20)
  })

  it("reads `code` as a number or a gateway string (the specification's ER000 sample)", () => {
    expect(topError({ error: null })).toBeNull()
    expect(topError({ error: { code: 11, message: "Invalid 'user_id'." } })).toEqual({ code: 11, message: "Invalid 'user_id'." })
    expect(topError({ error: { code: "ER000", message: "Credit card payment error." } })).toEqual({ code: "ER000", message: "Credit card payment error." })
    expect(topError({ error: { code: "3405", message: "" } })).toEqual({ code: 3405, message: "" })
    expect(() => topError({ error: { code: { x: 1 } } })).toThrow(CodecError)
  })

  it("finds the element error behind 1184/1185", () => {
    const body = { billing: [{ error_code: 1184, code: "b", individual: [{ error_code: 1111, error_message: "zip" }], payment: [{ error_code: 1185 }] }] }
    expect(upsertError(body)).toEqual({ code: 1111, message: "zip" })
    expect(upsertError({ billing: [{ error_code: null, individual: [], payment: [] }] })).toBeNull()
  })

  it("reads bulk_upsert's cod, number and register_status", () => {
    const r = parseUpsert({
      billing: [{ error_code: null, code: "b1", individual: [{ number: "12", code: "b1-i", email: "a@b.jp", tel: "0311112222" }], payment: [{ number: "7", code: "b1-c", cod: "ABC", register_status: 1 }] }],
    })
    expect(r).toEqual({ billingCode: "b1", individual: { number: "12", code: "b1-i", email: "a@b.jp", tel: "0311112222" }, payment: { number: "7", code: "b1-c", cod: "ABC", register_status: 1 } })
    expect(() => parseUpsert({ billing: [{ code: "b1" }] })).toThrow(CodecError)
  })

  it("sends exactly one of billing_payment_method_number and _code", () => {
    expect(() => cardTokenBody({ billing_code: "b", token: "t" })).toThrow(/exactly one/)
    expect(() => cardTokenBody({ billing_code: "b", token: "t", billing_payment_method_number: 1, billing_payment_method_code: "c" })).toThrow(/exactly one/)
    expect(cardTokenBody({ billing_code: "b", token: "t", billing_payment_method_code: "c" })).toEqual({ billing_code: "b", token: "t", billing_payment_method_code: "c" })
  })

  it("bills an order as one 単発 line, tax included, jb CAPTURE, dated today in Japan", () => {
    const body = chargeBody({ billing_code: "b", billing_individual_code: "b-i", billing_method: 0, bill_template_code: 10000, tax: 10, date: "2026/12/03", goods_name: "x".repeat(80), amount: 3300 }) as any
    expect(body.bill[0]).toMatchObject({ jb: "CAPTURE", issue_date: "2026/12/03", deadline_date: "2026/12/03", tax: 10 })
    expect(body.bill[0].bill_detail[0]).toMatchObject({ demand_type: 0, price: 3300, quantity: 1, tax_category: 1 })
    expect(body.bill[0].bill_detail[0].goods_name).toHaveLength(60)
    expect(() => chargeBody({ ...body.bill[0], amount: 10_000_000 } as never)).toThrow(CodecError)
    expect(() => chargeBody({ ...body.bill[0], amount: 10.5 } as never)).toThrow(CodecError)
    expect(japanDate(new Date("2026-12-02T15:30:00Z"))).toBe("2026/12/03")
  })

  it("reads bulk_register's failure (error 234 with the gateway's ec) and success", () => {
    const failed = parseCharge({ user: { user_id: "u", bill: [{ error_code: 234, error_message: "Credit Payment failure", ec: "ER003", number: null }] } })
    expect(failed.error).toEqual({ code: 234, message: "Credit Payment failure", ec: "ER003" })
    // The specification's success sample: only user.demand.
    expect(parseCharge({ user: { user_id: "u", demand: { code: 1 } } })).toEqual({ billNumber: null, demandCode: "1", total: null, error: null })
    expect(parseCharge({ user: { bill: [{ error_code: null, number: 55, total_amount_billed: 3300 }] } })).toMatchObject({ billNumber: "55", total: 3300 })
    expect(() => parseCharge({ user: {} })).toThrow(CodecError)
  })

  it("reads the search's rows and an element error", () => {
    expect(parseSearch({ billing_payment_method: [{ error_code: null, billing_code: "b", number: 3, code: "c", payment_method: 1, register_status: 5, cod: "X" }] }).rows[0]).toMatchObject({ number: "3", register_status: 5 })
    expect(parseSearch({ billing_payment_method: [{ error_code: 4501, error_message: "bad" }] }).error).toEqual({ code: 4501, message: "bad" })
  })

  it("reads the webhook sample (numbers as strings, empty credit_status)", () => {
    const e = parseCreditStatus(
      JSON.stringify({
        BillingRoboSignaturekey: "$2y$10$RFF",
        org: "BillingRobo_RobotPayment",
        id: "17",
        event_name: "credit_status_issue",
        regist_time: "2019-11-28 04:35:15",
        event_detail: { billing_id: "5", billing_code: "izuxab", payment_number: "3", payment_code: "bank123", payment_status: "1", credit_status: "", credit_error_code: null, credit_update_time: "2019-11-28 01:35:15" },
      })
    )
    expect(e).toMatchObject({ id: "17", billingCode: "izuxab", paymentNumber: "3", paymentStatus: 1, creditStatus: null, creditErrorCode: null })
  })

  it("writes the 部署's phone as digits, +81 as 0", () => {
    expect(phoneDigits("090-1234-5678")).toBe("09012345678")
    expect(phoneDigits("+81 90 1234 5678")).toBe("09012345678")
  })
})

describe("billing-robo codes", () => {
  it("gives every code a meaning in Japanese and English and a kind", () => {
    expect(describeCode(13)).toMatchObject({ ja: "接続IPが不正", kind: "merchant" })
    expect(describeCode(20)).toMatchObject({ kind: "retry" })
    expect(describeCode(1111, "upsert")).toMatchObject({ ja: "郵便番号が不正" })
    expect(describeCode(3405, "token")).toMatchObject({ kind: "declined" })
    expect(describeCode(3407, "token")).toMatchObject({ ja: "電話番号が不正" })
    expect(describeCode(234, "register")).toMatchObject({ kind: "declined" })
    expect(describeCode("ER003")).toMatchObject({ kind: "merchant" })
    expect(describeCode("G12")).toMatchObject({ kind: "declined" })
    expect(describeCode(9999, "token").en).toMatch(/Unknown/)
  })
})
