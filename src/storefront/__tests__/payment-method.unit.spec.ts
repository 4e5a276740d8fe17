// The storefront's 支払方法: read from the session the server made, labelled as shoppers know them,
// and sent back in the session data.
import { paymentMethodChoices, paymentMethodFromValue, paymentMethodLabel, paymentMethodsOf, paymentMethodValue, withPaymentMethod, type PaymentMethod } from "../index"

const offered = { data: { jp: { payment_methods: [{ type: "lump" }, { type: "installments", count: 3 }, { type: "installments", count: 12 }, { type: "bonus" }, { type: "revolving" }] } } }

describe("storefront 支払方法", () => {
  it("lists the session's choices with Japanese (default) or English labels; an older session offers 一括 only", () => {
    expect(paymentMethodChoices(offered)).toEqual([
      { value: "lump", label: "一括払い", method: { type: "lump" } },
      { value: "installments:3", label: "分割払い（3回）", method: { type: "installments", count: 3 } },
      { value: "installments:12", label: "分割払い（12回）", method: { type: "installments", count: 12 } },
      { value: "bonus", label: "ボーナス一括払い", method: { type: "bonus" } },
      { value: "revolving", label: "リボ払い", method: { type: "revolving" } },
    ])
    expect(paymentMethodChoices(offered, "en").map((c) => c.label)).toEqual(["One payment", "3 installments", "12 installments", "Bonus payment", "Revolving"])
    expect(paymentMethodsOf({ data: { jp: { v: 1 } } })).toEqual([{ type: "lump" }])
    expect(paymentMethodsOf(null)).toEqual([{ type: "lump" }])
    // malformed entries are left out
    expect(paymentMethodsOf({ data: { jp: { payment_methods: [{ type: "lump" }, { type: "installments" }, { type: "x" }, 3] } } })).toEqual([{ type: "lump" }])
  })

  it("labels each method as shoppers know it, word for word (a changed label must fail here)", () => {
    const all: PaymentMethod[] = [{ type: "lump" }, { type: "installments", count: 3 }, { type: "installments", count: 24 }, { type: "bonus" }, { type: "revolving" }]
    expect(all.map((m) => paymentMethodLabel(m))).toEqual(["一括払い", "分割払い（3回）", "分割払い（24回）", "ボーナス一括払い", "リボ払い"])
    expect(all.map((m) => paymentMethodLabel(m, "ja"))).toEqual(["一括払い", "分割払い（3回）", "分割払い（24回）", "ボーナス一括払い", "リボ払い"])
    expect(all.map((m) => paymentMethodLabel(m, "en"))).toEqual(["One payment", "3 installments", "24 installments", "Bonus payment", "Revolving"])
  })

  it("a select's value and back", () => {
    for (const c of paymentMethodChoices(offered)) expect(paymentMethodFromValue(c.value)).toEqual(c.method)
    expect(paymentMethodValue({ type: "installments", count: 6 })).toBe("installments:6")
    expect(() => paymentMethodFromValue("installments")).toThrow(/not a payment method/)
    expect(() => paymentMethodFromValue("split")).toThrow(/not a payment method/)
  })

  it("adds payment_method to the session data, refusing one the session does not offer", () => {
    expect(withPaymentMethod({ token: "t" }, undefined)).toEqual({ token: "t" })
    expect(withPaymentMethod({ token: "t" }, { type: "installments", count: 3 }, offered)).toEqual({ token: "t", payment_method: { type: "installments", count: 3 } })
    expect(() => withPaymentMethod({ token: "t" }, { type: "installments", count: 5 }, offered)).toThrow(/does not offer 5 installments \(installments:5\)/)
    expect(() => withPaymentMethod({ token: "t" }, { type: "installments" } as PaymentMethod)).toThrow(/payment_method must be/)
  })
})
