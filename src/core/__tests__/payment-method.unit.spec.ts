// 支払方法 (issue 15): the provider option checked against what a gateway documents, the list a
// shopper chooses from, the session's `payment_method` read against it, and the labels.
import { GATEWAYS } from "../../gateways"
import { GatewayError } from "../gateway"
import { allowedPaymentMethods, assertDocumented, paymentMethodsOption, readPaymentMethod, type DocumentedPaymentMethods } from "../payment-method"
import { readSessionPaymentMethod } from "../session-input"

const DOC: DocumentedPaymentMethods = { installments: [3, 5, 6, 10, 12], bonus: true, revolving: false }

function issues(v: unknown, doc = DOC): string[] {
  const r = paymentMethodsOption(doc).safeParse(v)
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`)
}

function refusal(f: () => unknown): GatewayError {
  try {
    f()
  } catch (e) {
    expect(e).toBeInstanceOf(GatewayError)
    return e as GatewayError
  }
  throw new Error("expected a refusal")
}

describe("paymentMethodsOption", () => {
  it("takes what the gateway documents, and nothing (一括 only)", () => {
    expect(issues({})).toEqual([])
    expect(issues({ installments: [3, 12], bonus: true })).toEqual([])
    expect(issues({ revolving: false })).toEqual([])
  })

  it("refuses a 回数, a type or a field the gateway does not document, naming what it does", () => {
    expect(issues({ installments: [3, 7, 24] })).toEqual(["installments: the gateway documents 分割払い in 3, 5, 6, 10, 12 回 only (not 7, 24)"])
    expect(issues({ revolving: true })).toEqual(["revolving: the gateway documents no リボ払い"])
    expect(issues({ bonus: true }, { installments: [], bonus: false, revolving: true })).toEqual(["bonus: the gateway documents no ボーナス一括払い"])
    expect(issues({ installments: [3] }, { installments: [], bonus: false, revolving: false })).toEqual(["installments: the gateway documents no 分割払い"])
    expect(issues({ installments: [3, 3] })).toEqual(["installments: a 回数 is listed twice"])
    expect(issues({ installments: [2.5] }).join()).toMatch(/installments/)
    expect(issues({ lump: true }).join()).toMatch(/lump/)
    expect(issues({ installments: "3" }).join()).toMatch(/installments/)
  })
})

describe("allowedPaymentMethods", () => {
  it("一括 first, then 分割 by 回数, ボーナス, リボ — only what the gateway documents", () => {
    expect(allowedPaymentMethods(undefined, DOC)).toEqual([{ type: "lump" }])
    expect(allowedPaymentMethods({ installments: [12, 3], bonus: true, revolving: true }, DOC)).toEqual([
      { type: "lump" },
      { type: "installments", count: 3 },
      { type: "installments", count: 12 },
      { type: "bonus" },
    ])
    // A gateway that documents none (PaymentOptions) allows 一括 only, whatever the option says.
    expect(allowedPaymentMethods({ installments: [3], bonus: true }, undefined)).toEqual([{ type: "lump" }])
  })
})

describe("readPaymentMethod", () => {
  const allowed = allowedPaymentMethods({ installments: [3, 6], bonus: true }, DOC)

  it("absent is 一括; an allowed choice is taken as sent", () => {
    expect(readPaymentMethod(undefined, allowed)).toEqual({ type: "lump" })
    expect(readPaymentMethod(null, allowed)).toEqual({ type: "lump" })
    expect(readPaymentMethod({ type: "lump" }, allowed)).toEqual({ type: "lump" })
    expect(readPaymentMethod({ type: "installments", count: 6 }, allowed)).toEqual({ type: "installments", count: 6 })
    expect(readPaymentMethod({ type: "bonus" }, allowed)).toEqual({ type: "bonus" })
    expect(readSessionPaymentMethod({ payment_method: { type: "installments", count: 3 } }, allowed)).toEqual({ type: "installments", count: 3 })
  })

  it("refuses anything not allowed, naming payment_method and listing what is allowed", () => {
    const e = refusal(() => readPaymentMethod({ type: "installments", count: 12 }, allowed))
    expect(e.kind).toBe("invalid")
    expect(e.message).toBe("payment_method installments:12 is not allowed for this shop; allowed: lump, installments:3, installments:6, bonus")
    expect(refusal(() => readPaymentMethod({ type: "revolving" }, allowed)).message).toMatch(/^payment_method revolving is not allowed/)
    expect(refusal(() => readPaymentMethod({ type: "installments" }, allowed)).message).toMatch(/^payment_method count \(回数\) must be a whole number/)
    expect(refusal(() => readPaymentMethod({ type: "installments", count: "3" }, allowed)).message).toMatch(/count/)
    expect(refusal(() => readPaymentMethod({ type: "bonus", count: 3 }, allowed)).message).toMatch(/count is for installments only/)
    expect(refusal(() => readPaymentMethod({ type: "split" }, allowed)).message).toMatch(/type must be lump, installments, bonus or revolving/)
    expect(refusal(() => readPaymentMethod("installments", allowed)).message).toMatch(/must be an object/)
    expect(refusal(() => readPaymentMethod([], allowed)).message).toMatch(/must be an object/)
    expect(refusal(() => readPaymentMethod({ type: "lump", extra: 1 }, allowed)).message).toMatch(/unknown fields \(extra\)/)
    // A shop with 一括 only refuses every other choice.
    expect(refusal(() => readPaymentMethod({ type: "installments", count: 3 }, [{ type: "lump" }])).message).toMatch(/allowed: lump$/)
  })
})

describe("what each gateway documents", () => {
  it("capabilities.installments is true exactly when the definition documents paymentMethods", () => {
    for (const g of GATEWAYS) expect([g.name, g.capabilities.installments]).toEqual([g.name, g.paymentMethods !== undefined])
  })

  it("a gateway refuses, in its own request builder, a method its definition does not document", () => {
    expect(() => assertDocumented({ type: "lump" }, undefined, "X")).not.toThrow()
    expect(() => assertDocumented({ type: "installments", count: 3 }, undefined, "X")).toThrow(/installments:3 is not one X documents/)
    expect(() => assertDocumented({ type: "installments", count: 7 }, DOC, "X")).toThrow(/installments:7/)
    expect(() => assertDocumented({ type: "revolving" }, DOC, "X")).toThrow(/revolving/)
    expect(() => assertDocumented({ type: "bonus" }, DOC, "X")).not.toThrow()
  })
})
