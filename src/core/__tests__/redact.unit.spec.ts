import { maskPans, redactParams, secretSet } from "../redact"

describe("redaction", () => {
  it("removes the fields a gateway names secret, whatever their case, and masks card numbers in the rest", () => {
    const out = redactParams({ aid: "123456", tkn: "abcdefgh12345678", KEY: "vnpjBycDO5", cn: "4444333322221111", am: 1000, cod: "MJx" }, secretSet(["tkn", "key", "cn"]))
    expect(out).toEqual({ aid: "123456", tkn: "[redacted]", KEY: "[redacted]", cn: "[redacted]", am: "1000", cod: "MJx" })
  })

  it("masks anything that looks like a card number in free text", () => {
    expect(maskPans("card 4444 3333 2222 1111 declined")).toBe("card ************1111 declined")
    expect(maskPans("order 1234")).toBe("order 1234")
    expect(redactParams({ memo: "card 4444333322221111" }, secretSet([]))).toEqual({ memo: "card ************1111" })
  })
})
