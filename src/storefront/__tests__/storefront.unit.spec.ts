// The storefront helper's pure parts (no DOM here; the DOM parts run in Chromium in
// integration-tests/browser/storefront.spec.ts).
import {
  JpPaymentError,
  browserConfigOf,
  followRedirect,
  isRobotPaymentConfig,
  normalisePhone,
  redirectOf,
  returnedFrom,
  robotPaymentThreeDSRequest,
  robotPaymentToken,
  savedCardSessionData,
  sessionDataFor,
  tokenize,
  type RobotPaymentBrowserConfig,
} from "../index"

const SIM = "http://127.0.0.1:4000"
const browser = {
  gateway: "robot-payment",
  aid: "123456",
  scripts: [`${SIM}/gateway/js/jquery.js`, `${SIM}/gateway/js/CPToken.js`, `${SIM}/gateway/js/EMV3DSAdapter.js`],
  three_ds: { am: 3000, tx: 0, sf: 0 },
  uid: null as string | null,
}
const session = (b: unknown) => ({ id: "payses_1", data: { jp: { v: 1, order_code: "x", amount: 3000, browser: b } } })

async function rejection(p: Promise<unknown>): Promise<JpPaymentError> {
  try {
    await p
  } catch (e) {
    expect(e).toBeInstanceOf(JpPaymentError)
    return e as JpPaymentError
  }
  throw new Error("expected a rejection")
}

function thrown(f: () => unknown): JpPaymentError {
  try {
    f()
  } catch (e) {
    expect(e).toBeInstanceOf(JpPaymentError)
    expect(e).toBeInstanceOf(Error)
    return e as JpPaymentError
  }
  throw new Error("expected an error")
}

describe("browserConfigOf", () => {
  it("returns the ROBOT PAYMENT browser config, typed", () => {
    const c = browserConfigOf(session(browser))
    expect(c).toEqual(browser)
    expect(isRobotPaymentConfig(c)).toBe(true)
    if (isRobotPaymentConfig(c)) expect(c.three_ds.am).toBe(3000)
  })

  it("keeps the uid of a logged-in customer and copies rather than aliases", () => {
    const b = { ...browser, uid: "cus01JABC" }
    const c = browserConfigOf(session(b)) as RobotPaymentBrowserConfig
    expect(c.uid).toBe("cus01JABC")
    c.scripts.push("x")
    expect(b.scripts).toHaveLength(3)
  })

  it("treats a missing uid as a guest", () => {
    const { uid: _uid, ...noUid } = browser
    expect((browserConfigOf(session(noUid)) as RobotPaymentBrowserConfig).uid).toBeNull()
  })

  it.each([
    ["no session", undefined, /no data/],
    ["no data", {}, /no data/],
    ["null data", { data: null }, /no data/],
    ["data without jp", { data: { token: "x" } }, /no `jp` object/],
    ["jp without browser", { data: { jp: { v: 1 } } }, /no `browser` object/],
    ["browser without gateway", session({ aid: "1" }), /gateway is missing/],
  ])("a clear error when it is absent: %s", (_name, s, message) => {
    const e = thrown(() => browserConfigOf(s as never))
    expect(e.code).toBe("NO_BROWSER_CONFIG")
    expect(e.message).toMatch(message)
  })

  it.each([
    ["aid", { ...browser, aid: 123456 }, /aid/],
    ["scripts", { ...browser, scripts: [] }, /scripts/],
    ["scripts type", { ...browser, scripts: [1] }, /scripts/],
    ["three_ds", { ...browser, three_ds: undefined }, /three_ds/],
    ["three_ds.am", { ...browser, three_ds: { am: "3000", tx: 0, sf: 0 } }, /three_ds\.am/],
    ["three_ds.tx", { ...browser, three_ds: { am: 3000, tx: -1, sf: 0 } }, /three_ds\.tx/],
    ["three_ds.sf", { ...browser, three_ds: { am: 3000, tx: 0, sf: 1.5 } }, /three_ds\.sf/],
    ["uid", { ...browser, uid: 5 }, /uid/],
  ])("refuses a malformed ROBOT PAYMENT config: %s", (_name, b, message) => {
    const e = thrown(() => browserConfigOf(session(b)))
    expect(e.code).toBe("NO_BROWSER_CONFIG")
    expect(e.gateway).toBe("robot-payment")
    expect(e.message).toMatch(message)
  })

  it("passes another gateway's config through, for tokenize to refuse", () => {
    const c = browserConfigOf(session({ gateway: "another-gateway", merchant_id: "1", scripts: ["https://x/y.js"] }))
    expect(c.gateway).toBe("another-gateway")
    expect(isRobotPaymentConfig(c)).toBe(false)
  })
})

describe("session data", () => {
  it("is { token } for a payment", () => {
    expect(sessionDataFor("tkn12345")).toEqual({ token: "tkn12345" })
    expect(sessionDataFor("tkn12345", false)).toEqual({ token: "tkn12345" })
  })

  it("is { token, save_card: true } to save the card", () => {
    expect(sessionDataFor("tkn12345", true)).toEqual({ token: "tkn12345", save_card: true })
  })

  it("refuses an empty token", () => {
    expect(thrown(() => sessionDataFor("")).code).toBe("NO_TOKEN")
  })

  it("is { payment_method_id } for a saved card", () => {
    expect(savedCardSessionData("2")).toEqual({ payment_method_id: "2" })
    expect(thrown(() => savedCardSessionData("")).code).toBe("INVALID_INPUT")
  })
})

describe("the 3-D Secure request", () => {
  const config = browserConfigOf(session(browser)) as RobotPaymentBrowserConfig

  it("repeats exactly three_ds for a payment", () => {
    expect(robotPaymentThreeDSRequest(config, "T")).toEqual({ aid: "123456", tkn: "T", am: 3000, tx: 0, sf: 0 })
  })

  it("adds em and pn (pn as the server sends it)", () => {
    expect(robotPaymentThreeDSRequest(config, "T", { email: "a@example.jp", phone: "+81 90-1234-5678" })).toEqual({
      aid: "123456",
      tkn: "T",
      am: 3000,
      tx: 0,
      sf: 0,
      em: "a@example.jp",
      pn: "09012345678",
    })
    expect(thrown(() => robotPaymentThreeDSRequest(config, "T", { phone: "call me" })).code).toBe("INVALID_INPUT")
  })

  it("uses the em/pn the session carries (what the server sends with the payment), without the caller giving them", () => {
    const withPayer = browserConfigOf(session({ ...browser, three_ds: { am: 3000, tx: 0, sf: 0, em: "buyer@example.jp", pn: "09012345678" } })) as RobotPaymentBrowserConfig
    expect(robotPaymentThreeDSRequest(withPayer, "T")).toEqual({ aid: "123456", tkn: "T", am: 3000, tx: 0, sf: 0, em: "buyer@example.jp", pn: "09012345678" })
    // the same values given again change nothing; different ones would fail the payment (ER901): refused here
    expect(robotPaymentThreeDSRequest(withPayer, "T", { email: "buyer@example.jp", phone: "090-1234-5678" })).toMatchObject({ em: "buyer@example.jp", pn: "09012345678" })
    expect(thrown(() => robotPaymentThreeDSRequest(withPayer, "T", { email: "other@example.jp" })).message).toMatch(/differ from the ones the payment session carries/)
    const emailOnly = browserConfigOf(session({ ...browser, three_ds: { am: 3000, tx: 0, sf: 0, em: "buyer@example.jp" } })) as RobotPaymentBrowserConfig
    expect(robotPaymentThreeDSRequest(emailOnly, "T")).toEqual({ aid: "123456", tkn: "T", am: 3000, tx: 0, sf: 0, em: "buyer@example.jp" })
    expect(thrown(() => browserConfigOf(session({ ...browser, three_ds: { am: 3000, tx: 0, sf: 0, em: 5 } }))).message).toMatch(/three_ds\.em/)
  })

  it("is {aid, tkn, uid} when saving the card, with no amounts", () => {
    const c = { ...config, uid: "cus01JABC" }
    expect(robotPaymentThreeDSRequest(c, "T", { saveCard: true, email: "a@example.jp" })).toEqual({ aid: "123456", tkn: "T", uid: "cus01JABC" })
  })

  it("refuses to save a card without a logged-in customer", () => {
    const e = thrown(() => robotPaymentThreeDSRequest(config, "T", { saveCard: true }))
    expect(e.message).toMatch(/log in to save a card/)
    expect(e.code).toBe("INVALID_INPUT")
  })

  it("normalises phone numbers like the server", () => {
    expect(normalisePhone("03-1234-5678")).toBe("0312345678")
    expect(normalisePhone("+81312345678")).toBe("0312345678")
    expect(normalisePhone("1234567890123456")).toBeUndefined()
    expect(normalisePhone(undefined)).toBeUndefined()
  })
})

describe("tokenize / robotPaymentToken before any DOM work", () => {
  it("refuses an unknown gateway clearly", async () => {
    const e = await rejection(tokenize(session({ gateway: "another-gateway" }), { mode: "popup" }))
    expect(e.code).toBe("UNSUPPORTED_GATEWAY")
    expect(e.message).toMatch(/"another-gateway"/)
  })

  it("refuses a session without browser config", async () => {
    expect((await rejection(tokenize({ data: {} }, { mode: "popup" }))).code).toBe("NO_BROWSER_CONFIG")
  })

  it("refuses saveCard for a guest before touching the card, and still clears the card it was given", async () => {
    const card = { cn: "4444333322221111", ed: "3012", fn: "TARO", ln: "YAMADA", cvv: "123" }
    const e = await rejection(tokenize(session(browser), { mode: "custom", card }, { saveCard: true }))
    expect(e.message).toMatch(/log in to save a card/)
    expect(card).toEqual({ cn: "", ed: "", fn: "", ln: "", cvv: "" })
  })

  it("checks the custom card fields", async () => {
    const config = browserConfigOf(session(browser)) as RobotPaymentBrowserConfig
    const e = await rejection(robotPaymentToken(config, { mode: "custom", card: { cn: "4444333322221111", ed: "30/1", fn: "A", ln: "B" } }))
    expect(e.code).toBe("INVALID_INPUT")
    expect(e.message).toMatch(/YYMM/)
    const e2 = await rejection(robotPaymentToken(config, { mode: "bogus" } as never))
    expect(e2.code).toBe("INVALID_INPUT")
  })
})

describe("redirects after a cart completion that waits on the gateway", () => {
  const waiting = (redirect: unknown, attempt = "redirect") => ({ data: { jp: { v: 1, attempt, redirect } } })

  it("finds the URL or the HTML the shopper must be shown, and nothing else", () => {
    expect(redirectOf(waiting({ url: "https://acs.example/challenge?id=1" }))).toEqual({ url: "https://acs.example/challenge?id=1" })
    expect(redirectOf(waiting({ html: "<form></form>" }))).toEqual({ html: "<form></form>" })
    expect(redirectOf(waiting({ url: "javascript:alert(1)" }))).toBeNull()
    expect(redirectOf(waiting({ url: "https://acs.example/" }, "failed"))).toBeNull()
    expect(redirectOf({ data: { jp: { v: 1, attempt: "redirect", redirect: null } } })).toBeNull()
    expect(redirectOf(undefined)).toBeNull()
  })

  it("refuses to follow a session that waits on nothing", () => {
    expect(() => followRedirect(waiting(null, "failed"), {} as Window)).toThrow(expect.objectContaining({ code: "NO_REDIRECT" }))
  })

  it("navigates to a URL and writes an HTML page in place of the current one", () => {
    const assigned: string[] = []
    const written: string[] = []
    const win = {
      location: { assign: (u: string) => assigned.push(u) },
      document: { open: () => written.push("open"), write: (h: string) => written.push(h), close: () => written.push("close") },
    } as unknown as Window
    followRedirect(waiting({ url: "https://acs.example/1" }), win)
    followRedirect(waiting({ html: "<form id=acs></form>" }), win)
    expect(assigned).toEqual(["https://acs.example/1"])
    expect(written).toEqual(["open", "<form id=acs></form>", "close"])
  })

  it("reads what the return route appended to the storefront URL", () => {
    expect(returnedFrom("?payment_session_id=payses_1&jp_result=ok")).toEqual({ paymentSessionId: "payses_1", result: "ok" })
    expect(returnedFrom("?payment_session_id=payses_1&jp_result=failed&x=1")).toEqual({ paymentSessionId: "payses_1", result: "failed" })
    expect(returnedFrom("?payment_session_id=payses_1&jp_result=maybe")).toBeNull()
    expect(returnedFrom("")).toBeNull()
  })
})
