import { ORDER_CODE_LENGTH, fromOrderCode, toOrderCode } from "../order-code"

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
function randomUlid(first = "0"): string {
  let s = first
  for (let i = 0; i < 25; i++) s += CROCKFORD[Math.floor(Math.random() * 32)]
  return s
}

describe("order codes", () => {
  // The strictest order field of the gateways is PAYGENT's trading_id.
  it("fit the strictest order field of the gateways (≤ 25 of [A-Za-z0-9_])", () => {
    for (let i = 0; i < 500; i++) {
      const code = toOrderCode(`payses_${randomUlid(String(i % 8))}`)
      expect(code).toMatch(/^[A-Za-z0-9_]{1,25}$/)
      expect(code.length).toBe(ORDER_CODE_LENGTH)
    }
  })

  it("turn back into the session id", () => {
    for (let i = 0; i < 500; i++) {
      const id = `payses_${randomUlid(String(i % 8))}`
      expect(fromOrderCode(toOrderCode(id))).toBe(id)
    }
    expect(fromOrderCode(toOrderCode("payses_00000000000000000000000000"))).toBe("payses_00000000000000000000000000")
    expect(fromOrderCode(toOrderCode("payses_7ZZZZZZZZZZZZZZZZZZZZZZZZZ"))).toBe("payses_7ZZZZZZZZZZZZZZZZZZZZZZZZZ")
  })

  it("are deterministic and distinct", () => {
    const a = "payses_01JABCDEFGHJKMNPQRSTVWXYZ0"
    const b = "payses_01JABCDEFGHJKMNPQRSTVWXYZ1"
    expect(toOrderCode(a)).toBe(toOrderCode(a))
    expect(toOrderCode(a)).not.toBe(toOrderCode(b))
  })

  it("accept a lower-case ULID and return the canonical upper-case id", () => {
    expect(fromOrderCode(toOrderCode("payses_01jabcdefghjkmnpqrstvwxyz0"))).toBe("payses_01JABCDEFGHJKMNPQRSTVWXYZ0")
  })

  it("refuse what is not a Medusa payment session id", () => {
    expect(() => toOrderCode("cart_01JABCDEFGHJKMNPQRSTVWXYZ0")).toThrow(/payment session/)
    expect(() => toOrderCode("payses_short")).toThrow(/ULID/)
    expect(() => toOrderCode("payses_81JABCDEFGHJKMNPQRSTVWXYZ0")).toThrow(/ULID/) // above 128 bits
    expect(() => toOrderCode("payses_01JABCDEFGHJKMNPQRSTVWXYZU")).toThrow(/ULID/) // U is not Crockford
  })

  it("do not claim foreign codes", () => {
    expect(fromOrderCode("test")).toBeNull()
    expect(fromOrderCode("XX" + "a".repeat(22))).toBeNull()
    expect(fromOrderCode("MJ" + "-".repeat(22))).toBeNull()
    expect(fromOrderCode("MJ" + "z".repeat(22))).toBeNull() // above 128 bits
  })
})
