// The 450's risk data from the payer: which phone pair, the prefecture code, the billing fields.
import { billingFields, cardholderName, phonePair, prefectureCode } from "../risk"

describe("PAYGENT 450 risk data", () => {
  it("a landline goes into home_phone_*, a mobile number into mobile_phone_*", () => {
    expect(phonePair("03-1234-5678")).toEqual({ home_phone_cc: "81", home_phone_subscriber: "312345678" })
    expect(phonePair("+81 6 1234 5678")).toEqual({ home_phone_cc: "81", home_phone_subscriber: "612345678" })
    expect(phonePair("090-1234-5678")).toEqual({ mobile_phone_cc: "81", mobile_phone_subscriber: "9012345678" })
    expect(phonePair("+81 80 1234 5678")).toEqual({ mobile_phone_cc: "81", mobile_phone_subscriber: "8012345678" })
    expect(phonePair("+1 555 0100")).toEqual({})
    expect(phonePair("12")).toEqual({})
  })

  it("names the prefecture by its JIS number, from Japanese, English or ISO", () => {
    expect(prefectureCode("東京都")).toBe("13")
    expect(prefectureCode("Tokyo")).toBe("13")
    expect(prefectureCode("JP-01")).toBe("01")
    expect(prefectureCode("Osaka-fu")).toBe("27")
    expect(prefectureCode("沖縄県")).toBe("47")
    expect(prefectureCode("Atlantis")).toBeUndefined()
  })

  it("bill_address_* only for fields with a value; cardholder_name only for a Latin name", () => {
    const a = { name: "Taro Yamada", postal_code: "100-0001", province: "東京都", city: "千代田区", address_1: "千代田1-1", address_2: " ", phone: "", country_code: "jp" }
    expect(billingFields(a)).toEqual({
      bill_address_city: "千代田区",
      bill_address_country: "392",
      bill_address_line1: "千代田1-1",
      bill_address_post_code: "100-0001",
      bill_address_state: "13",
    })
    expect(cardholderName(a)).toBe("TARO YAMADA")
    expect(cardholderName({ ...a, name: "山田 太郎" })).toBeUndefined()
  })
})
