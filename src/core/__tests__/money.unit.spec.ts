import { BigNumber, MathBN } from "@medusajs/framework/utils"
import { fromMinorUnits, toMinorUnits } from "../money"

describe("amounts", () => {
  it("take every form Medusa passes and give whole yen", () => {
    expect(toMinorUnits(3000, "jpy")).toBe(3000)
    expect(toMinorUnits("3000", "jpy")).toBe(3000)
    expect(toMinorUnits("3000.0000", "JPY")).toBe(3000)
    expect(toMinorUnits(new BigNumber(1500), "jpy")).toBe(1500)
    expect(toMinorUnits(MathBN.convert("1234"), "jpy")).toBe(1234)
    // what refundPayment receives: the raw object
    expect(toMinorUnits({ value: "700", precision: 20 }, "jpy")).toBe(700)
    expect(toMinorUnits(new BigNumber({ value: "2500", precision: 20 }), "jpy")).toBe(2500)
  })

  it("round half up to whole yen (tax maths leaves fractions)", () => {
    expect(toMinorUnits(1099.5, "jpy")).toBe(1100)
    expect(toMinorUnits("1099.49", "jpy")).toBe(1099)
    expect(toMinorUnits({ value: "0.5", precision: 20 }, "jpy")).toBe(1)
  })

  it("use the currency's minor unit elsewhere", () => {
    expect(toMinorUnits(10.5, "usd")).toBe(1050)
    expect(toMinorUnits("0.005", "usd")).toBe(1)
    expect(fromMinorUnits(1050, "usd")).toBe(10.5)
    expect(fromMinorUnits(3000, "jpy")).toBe(3000)
  })

  it("whole numbers (the shortcut without bignumber.js) give what the decimal arithmetic gives", () => {
    for (const cur of ["jpy", "usd"]) {
      for (const n of [0, 1, 7, 1099, 3000, 123456789, 2 ** 40]) {
        expect(toMinorUnits(n, cur)).toBe(toMinorUnits(String(n), cur))
        expect(fromMinorUnits(n, cur)).toBe(MathBN.convert(n).shiftedBy(cur === "usd" ? -2 : 0).toNumber())
      }
    }
    expect(() => toMinorUnits(Number.MAX_SAFE_INTEGER, "usd")).toThrow(/out of range/)
  })

  it("refuse what is not an amount", () => {
    expect(() => toMinorUnits(undefined, "jpy")).toThrow(/missing/)
    expect(() => toMinorUnits("abc", "jpy")).toThrow(/not an amount/)
    expect(() => toMinorUnits(NaN, "jpy")).toThrow(/not an amount/)
    expect(() => toMinorUnits(100, "xxx")).toThrow(/unknown currency/)
  })
})
