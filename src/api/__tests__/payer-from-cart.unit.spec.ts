import { payerData, REFUSED_KEYS, retryOf, storefrontRefusal } from "../payer-from-cart"
import { CARD_DATA_FIELDS } from "../../core/card-data"

const cart = {
  email: "buyer@example.jp",
  billing_address: { first_name: "Taro", last_name: "Yamada", address_1: "1-2-3 Shinjuku", city: "Shinjuku-ku", province: "Tokyo", postal_code: "1600022", country_code: "jp", phone: "090-1234-5678" },
  shipping_address: { first_name: "花子", last_name: "山田", address_1: "梅田1-1", address_2: "3F", city: "大阪市北区", province: "大阪府", postal_code: "5300001", country_code: "jp", phone: "06-1234-5678" },
}

describe("the payer the server takes from the cart", () => {
  it("sets e-mail, phone, the shopper's IP and both addresses, and keeps what else the storefront sent", () => {
    expect(payerData({ token: "t", save_card: true }, cart, "203.0.113.7")).toEqual({
      token: "t",
      save_card: true,
      email: "buyer@example.jp",
      phone: "090-1234-5678",
      customer_ip: "203.0.113.7",
      billing_address: { name: "Taro Yamada", postal_code: "1600022", province: "Tokyo", city: "Shinjuku-ku", address_1: "1-2-3 Shinjuku", address_2: "", phone: "090-1234-5678", country_code: "jp" },
      shipping_address: { name: "山田 花子", postal_code: "5300001", province: "大阪府", city: "大阪市北区", address_1: "梅田1-1", address_2: "3F", phone: "06-1234-5678", country_code: "jp" },
    })
  })

  it("drops the storefront's own copies of what the server sets, even when the cart has none", () => {
    const forged = { email: "x@evil.test", phone: "000", customer_ip: "198.51.100.1", billing_address: { city: "forged" }, shipping_address: { city: "forged" } }
    expect(payerData(forged, {}, undefined)).toEqual({})
    expect(payerData(forged, { email: "buyer@example.jp" }, "203.0.113.7")).toEqual({ email: "buyer@example.jp", customer_ip: "203.0.113.7" })
  })
})

describe("the refused payment a new session retries (PAYGENT 2003)", () => {
  const retry = { payment_id: "123456789012345678", trading_id: "MJabc", count: "0" }
  const at = (m: number) => new Date(Date.UTC(2026, 0, 1, 0, m)).toISOString()
  it("is the newest session's of the same provider; a session that got no answer hands its retry_of on, a failed one does not", () => {
    expect(retryOf([{ provider_id: "pp_paygent_pg", data: { jp: { retry } }, created_at: at(1) }], "pp_paygent_pg")).toEqual(retry)
    expect(retryOf([{ provider_id: "pp_paygent_pg", data: { jp: { retry } }, created_at: at(1) }], "pp_paygent_other")).toBeNull()
    expect(
      retryOf([{ provider_id: "pp_paygent_pg", data: { jp: { retry } }, created_at: at(1) }, { provider_id: "pp_paygent_pg", data: { jp: {} }, created_at: at(2) }], "pp_paygent_pg")
    ).toBeNull()
    expect(retryOf([{ provider_id: "pp_paygent_pg", data: { jp: { retry_of: retry, error: null } }, created_at: at(2) }], "pp_paygent_pg")).toEqual(retry)
    expect(retryOf([{ provider_id: "pp_paygent_pg", data: { jp: { retry_of: retry, error: { code: "2001" } } }, created_at: at(2) }], "pp_paygent_pg")).toBeNull()
  })
  it("is never what the storefront sent", () => {
    expect(payerData({ token: "t", retry_of: retry }, {}, undefined)).toEqual({ token: "t" })
  })
})

describe("what a storefront may not send in session data", () => {
  it("refuses the plugin's state, what the server sets, an amount, a currency or card data, naming the key", () => {
    for (const k of Object.keys(REFUSED_KEYS)) expect(storefrontRefusal({ token: "t", [k]: null })).toMatch(new RegExp(`^data\\.${k} `))
    expect(storefrontRefusal("token")).toBe("data must be an object")
    expect(storefrontRefusal([1])).toBe("data must be an object")
    expect(storefrontRefusal({ email: 5 })).toBe("data.email must be a string")
    for (const k of CARD_DATA_FIELDS) expect(storefrontRefusal({ token: "t", [k]: "4111111111111111" })).toMatch(new RegExp(`^data\\.${k} is card data`))
    expect(storefrontRefusal({ token: "t", save_card: true, email: "a@b.jp", return_url: "http://x" })).toBeNull()
    expect(storefrontRefusal(undefined)).toBeNull()
  })
})
