// The PAYGENT storefront helper without a DOM: the browser config it accepts, and what it makes of
// PaygentToken.js's answers (the script itself runs against the simulator in the end-to-end tests).
import { JpPaymentError, browserConfigOf, paygentConfig, paygentToken, redirectOf, tokenize } from "../index"

const browser = { gateway: "paygent", merchant_id: "100000001", token_generation_key: "test_gen", scripts: ["https://sim.example/js/PaygentToken.js"], amount: 3000, three_d_secure: true }
const session = (b: unknown, extra: Record<string, unknown> = {}) => ({ data: { jp: { v: 1, order_code: "x", amount: 3000, browser: b, ...extra } } })
const ok = {
  result: "0000",
  tokenizedCardObject: { token: "tok_abc", masked_card_number: "************0002", valid_until: "20301231235959", fingerprint: "fp" },
  hc: "f".repeat(64),
}

function fakeApi(answer: unknown, seen: unknown[] = []) {
  return {
    createToken(merchantId: string, key: string, card: Record<string, string>, cb: (r: never) => void) {
      seen.push({ merchantId, key, card })
      cb(answer as never)
    },
  }
}

describe("PAYGENT storefront helper", () => {
  it("reads the session's PAYGENT config and refuses a malformed one", () => {
    expect(paygentConfig(browserConfigOf(session(browser)) as unknown as Record<string, unknown>)).toEqual(browser)
    expect(() => paygentConfig({ ...browser, merchant_id: "x" })).toThrow(JpPaymentError)
    expect(() => paygentConfig({ ...browser, scripts: [] })).toThrow(/PaygentToken/)
  })

  it("sends the card to PaygentToken.createToken only, clears the inputs, and returns the whole answer as session data", async () => {
    const seen: unknown[] = []
    const pan = { value: "4000 0000 0000 0002" }
    const data = await paygentToken(paygentConfig(browser), { mode: "custom", card: { card_number: pan, expire_year: "30", expire_month: "12", name: "TARO YAMADA" } }, { api: fakeApi(ok, seen), saveCard: true })
    expect(seen).toEqual([{ merchantId: "100000001", key: "test_gen", card: { card_number: "4000000000000002", expire_year: "30", expire_month: "12", name: "TARO YAMADA" } }])
    expect(pan.value).toBe("")
    expect(data).toEqual({ ...ok.tokenizedCardObject, hc: ok.hc, save_card: true })
  })

  it("turns PaygentToken.js result codes into JpPaymentErrors the shop can show", async () => {
    const cfg = paygentConfig(browser)
    const card = { card_number: "4000000000000002", expire_year: "30", expire_month: "13" }
    const e = (await paygentToken(cfg, { mode: "custom", card }, { api: fakeApi({ result: "1501" }) }).catch((x) => x)) as JpPaymentError
    expect(e).toMatchObject({ code: "1501", gateway: "paygent", stage: "token" })
    expect(e.message).toContain("有効期限(月)")
    await expect(paygentToken(cfg, { mode: "custom", card }, { api: fakeApi({ result: "0000", tokenizedCardObject: {} }) })).rejects.toMatchObject({ code: "NO_TOKEN" })
    await expect(paygentToken(cfg, { mode: "custom", card: { ...card, card_number: "12" } }, { api: fakeApi(ok) })).rejects.toMatchObject({ code: "1301" })
  })

  it("tokenize dispatches to PAYGENT; the 3-D Secure page after completion is a whole HTML page to show", async () => {
    const r = await tokenize(session(browser), { mode: "custom", card: { card_number: "4000000000000002", expire_year: "30", expire_month: "12" } }, { api: fakeApi(ok) } as never)
    expect(r.token).toBe("tok_abc")
    const waiting = session(browser, { attempt: "redirect", redirect: { html: '<form name="submitForm"></form>' } })
    expect(redirectOf(waiting)).toEqual({ html: '<form name="submitForm"></form>' })
  })
})
