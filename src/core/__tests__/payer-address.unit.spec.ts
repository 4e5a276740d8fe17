import { GatewayError } from "../gateway"
import { payerAddressFrom, payerName, readCustomerIp, readPayerAddress } from "../payer-address"

describe("the payer's address", () => {
  it("writes Latin names first-last and Japanese names last-first", () => {
    expect(payerName("Taro", "Yamada")).toBe("Taro Yamada")
    expect(payerName("太郎", "山田")).toBe("山田 太郎")
    expect(payerName("タロウ", "ヤマダ")).toBe("ヤマダ タロウ")
    expect(payerName("", "Yamada")).toBe("Yamada")
    expect(payerName(null, undefined)).toBeUndefined()
  })

  it("takes the cart's Medusa address, country code lower case, empty strings for what is missing", () => {
    expect(
      payerAddressFrom({ first_name: "太郎", last_name: "山田", address_1: "西新宿2-8-1", address_2: null, city: "新宿区", province: "東京都", postal_code: "1600023", country_code: "JP", phone: "03-1234-5678" })
    ).toEqual({ name: "山田 太郎", postal_code: "1600023", province: "東京都", city: "新宿区", address_1: "西新宿2-8-1", address_2: "", phone: "03-1234-5678", country_code: "jp" })
    expect(payerAddressFrom({ first_name: "Taro", country_code: "jp" })).toBeUndefined()
    expect(payerAddressFrom(null)).toBeUndefined()
  })

  it("reads an address back from session data, refusing a malformed one with the field's name", () => {
    const a = { postal_code: "1600023", province: "東京都", city: "新宿区", address_1: "西新宿2-8-1", address_2: "", phone: "", country_code: "jp" }
    expect(readPayerAddress(a, "billing_address")).toEqual(a)
    expect(() => readPayerAddress({ ...a, city: 5 }, "billing_address")).toThrow(/billing_address\.city/)
    expect(() => readPayerAddress({ ...a, country_code: "Japan" }, "shipping_address")).toThrow(/shipping_address\.country_code/)
    expect(() => readPayerAddress("Tokyo", "billing_address")).toThrow(GatewayError)
  })

  it("takes an IP address as Express gives it, IPv4-mapped IPv6 as IPv4, and nothing else", () => {
    expect(readCustomerIp("203.0.113.7")).toBe("203.0.113.7")
    expect(readCustomerIp("::ffff:203.0.113.7")).toBe("203.0.113.7")
    expect(readCustomerIp("2001:db8::1")).toBe("2001:db8::1")
    expect(() => readCustomerIp("localhost")).toThrow(/customer_ip/)
  })
})
