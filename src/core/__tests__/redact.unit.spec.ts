import { maskPans, redactParams } from "../redact"

describe("redaction", () => {
  it("removes tokens, card data and credentials by name", () => {
    const out = redactParams({ aid: "123456", tkn: "abcdefgh12345678", key: "vnpjBycDO5", cn: "4444333322221111", am: 1000, cod: "MJx" })
    expect(out).toEqual({ aid: "123456", tkn: "[redacted]", key: "[redacted]", cn: "[redacted]", am: "1000", cod: "MJx" })
  })

  it("masks anything that looks like a card number in free text", () => {
    expect(maskPans("card 4444 3333 2222 1111 declined")).toBe("card ************1111 declined")
    expect(maskPans("order 1234")).toBe("order 1234")
  })
})
