// ROBOT PAYMENT's pn as the storefront sends it to ThreeDSAdapter.authenticate: it must be the very
// value the server's payment carries (the server applies the same rule to the cart's phone).
import { normalisePhone } from "../phone"

describe("normalisePhone", () => {
  it.each([
    ["03-1234-5678", "0312345678"],
    ["+81312345678", "0312345678"],
    ["+81 90 1234 5678", "09012345678"],
    ["(03) 1234-5678", "0312345678"],
    ["123456789012345", "123456789012345"],
  ])("keeps the digits of %s: %s", (phone, pn) => {
    expect(normalisePhone(phone)).toBe(pn)
  })

  it.each([["1234567890123456"], ["call me"], ["03.1234.5678"], [""]])("has no pn for %j", (phone) => {
    expect(normalisePhone(phone)).toBeUndefined()
  })

  it("has no pn without a phone", () => {
    expect(normalisePhone(undefined)).toBeUndefined()
  })
})
