// The sealed copy of a card token (seal.ts): what it opens to, and everything it refuses to open.
import { cardFields, cardValues, seal, SealError, sealKeyOf, unseal } from "../seal"

const key = sealKeyOf("a-server-side-secret-of-32-characters!", "robot-payment")
const at = "robot-payment:ORDER1"

describe("seal", () => {
  it("opens to the values it sealed, and never shows them", () => {
    const values = { token: "4f3a9c0d2e1b4a5c", token_key: "k-1" }
    const sealed = seal(values, key, at)
    expect(sealed).toMatch(/^s1\.[A-Za-z0-9_-]+$/)
    expect(sealed).not.toContain("4f3a9c0d2e1b4a5c")
    expect(unseal(sealed, key, at)).toEqual(values)
  })

  it("seals the same token differently each time (a fresh IV)", () => {
    expect(seal({ token: "t" }, key, at)).not.toBe(seal({ token: "t" }, key, at))
  })

  it("derives the same key from the same secret in every process, and another per gateway or secret", () => {
    expect(sealKeyOf("a-server-side-secret-of-32-characters!", "robot-payment").equals(key)).toBe(true)
    expect(sealKeyOf("a-server-side-secret-of-32-characters!", "sbps").equals(key)).toBe(false)
    expect(sealKeyOf("another-secret-of-32-characters-long!!", "robot-payment").equals(key)).toBe(false)
    expect(key.length).toBe(32)
    expect(() => sealKeyOf("", "robot-payment")).toThrow(SealError)
  })

  it("refuses an altered seal, another key, another session, and anything that is not a seal", () => {
    const sealed = seal({ token: "tok" }, key, at)
    const body = Buffer.from(sealed.slice(3), "base64url")
    for (const i of [0, 12, 20, body.length - 1]) {
      const flipped = Buffer.from(body)
      flipped[i] ^= 1
      expect(() => unseal(`s1.${flipped.toString("base64url")}`, key, at)).toThrow(/does not open/)
    }
    expect(() => unseal(sealed, sealKeyOf("another-secret-of-32-characters-long!!", "robot-payment"), at)).toThrow(/does not open/)
    expect(() => unseal(sealed, key, "robot-payment:ORDER2")).toThrow(/does not open/)
    expect(() => unseal(`s1.${body.subarray(0, 20).toString("base64url")}`, key, at)).toThrow(/cut short/)
    for (const bad of ["tok", "", null, 42, { token: "x" }, "s2." + sealed.slice(3)]) expect(() => unseal(bad, key, at)).toThrow(SealError)
  })

  it("opens with any of the keys it is given (a rotation: the current key first, then the previous ones), and with none other", () => {
    const old = sealKeyOf("supersecret", "robot-payment") // an old Medusa cookieSecret, short as it was
    const current = sealKeyOf("the-new-server-side-secret-of-32-chars!", "robot-payment")
    const byOld = seal({ token: "tok" }, old, at)
    const byCurrent = seal({ token: "tok" }, current, at)
    expect(unseal(byOld, [current, old], at)).toEqual({ token: "tok" })
    expect(unseal(byCurrent, [current, old], at)).toEqual({ token: "tok" })
    expect(() => unseal(byCurrent, [old], at)).toThrow(/does not open/)
    expect(() => unseal(byOld, [current, key], at)).toThrow(/does not open/)
    expect(() => unseal(byOld, [], at)).toThrow(/does not open/)
    // the session binding holds for every key
    expect(() => unseal(byOld, [current, old], "robot-payment:ORDER2")).toThrow(/does not open/)
    // the format did not change: this seal was made by seal.ts before previousSealKeys existed
    const before = "s1.t2yF2ozZMWWnsLJqOqeN5xt0xr9lSQ9SYMkHLsX7My6Vk5EKGmhMUCvUGw"
    expect(unseal(before, [current, old], at)).toEqual({ token: "tok" })
    expect(unseal(before, old, at)).toEqual({ token: "tok" })
    expect(() => unseal(before, current, at)).toThrow(/does not open/)
  })

  it("reads the card fields: token first, and only non-empty strings", () => {
    expect(cardFields(["token", "token_key"])).toEqual(["token", "token_key"])
    expect(cardFields([])).toEqual(["token"])
    expect(cardValues({ token: "a", token_key: "", hc: null, other: "x" }, ["token", "token_key", "hc"])).toEqual({ token: "a" })
  })
})
