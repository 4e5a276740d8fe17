// The gateway adapter's pure parts: what the storefront may send, and kickback verification.
import { GatewayError } from "../../../core/gateway"
import { RobotPaymentGateway, normalisePhone } from "../gateway"
import { parseOptions } from "../../../core/options"
import { robotPayment } from ".."

const gateway = (o: Record<string, unknown> = {}) => new RobotPaymentGateway(parseOptions(robotPayment, { aid: "123456", baseUrl: "http://127.0.0.1:9", ...o }))

describe("RobotPaymentGateway", () => {
  it("accepts a token, a saved card id, or nothing; never both", () => {
    const g = gateway()
    expect(g.parseSessionInput({ token: "abcdefgh12345678" }).source).toEqual({ type: "token", token: "abcdefgh12345678", saveCard: false })
    expect(g.parseSessionInput({ token: "abcdefgh12345678", save_card: true }).source).toMatchObject({ saveCard: true })
    expect(g.parseSessionInput({ payment_method_id: "3" }).source).toEqual({ type: "saved", cardRef: "3" })
    expect(g.parseSessionInput({ session_id: "payses_x" }).source).toBeUndefined()
    expect(() => g.parseSessionInput({ token: "abcdefgh12345678", payment_method_id: "3" })).toThrow(/either token or payment_method_id/)
    expect(() => g.parseSessionInput({ token: "short" })).toThrow(GatewayError)
    expect(() => g.parseSessionInput({ payment_method_id: "../1" })).toThrow(/saved card id/)
    expect(() => g.parseSessionInput({ payment_method_id: "" })).toThrow(/^payment_method_id is empty/)
    expect(() => g.parseSessionInput({ email: "not-mail" })).toThrow(/e-mail/)
  })

  it("hands the browser only public values", () => {
    expect(gateway().browserConfig({ orderCode: "MJx", amount: 3000, customerRef: "cus01" })).toEqual({
      aid: "123456",
      scripts: ["http://127.0.0.1:9/gateway/js/jquery.js", "http://127.0.0.1:9/gateway/js/CPToken.js", "http://127.0.0.1:9/gateway/js/EMV3DSAdapter.js"],
      three_ds: { am: 3000, tx: 0, sf: 0 },
      uid: "cus01",
    })
  })

  it("hands the browser the em/pn the token payment will send, for ThreeDSAdapter.authenticate to repeat", () => {
    const b = gateway().browserConfig({ orderCode: "MJx", amount: 3000, payer: { email: "buyer@example.jp", phone: "+81 90-1234-5678" } })
    expect(b.three_ds).toEqual({ am: 3000, tx: 0, sf: 0, em: "buyer@example.jp", pn: "09012345678" })
    // a value the payment would not send is not handed out either
    expect(gateway().browserConfig({ orderCode: "MJx", amount: 3000, payer: { email: "x".repeat(250) + "@a.jp", phone: "call me" } }).three_ds).toEqual({ am: 3000, tx: 0, sf: 0 })
  })

  it("makes a ROBOT PAYMENT uid from a Medusa customer id", () => {
    expect(gateway().customers.refFor("cus_01JABCDEFGHJKMNPQRSTVWXYZ0")).toBe("cus01JABCDEFGHJKMNPQRSTVWXYZ0")
  })

  it("normalises phone numbers to the digits the gateway takes", () => {
    expect(normalisePhone("03-1234-5678")).toBe("0312345678")
    expect(normalisePhone("+81 90 1234 5678")).toBe("09012345678")
    expect(normalisePhone("1234567890123456")).toBeUndefined()
  })

  const kick = { gid: "1095729", rst: "1", ap: "TestMod", ec: "", god: "205685", cod: "MJcode", am: "3000", tx: "0", sf: "0", ta: "3000" }
  const incoming = (query: Record<string, string>, remoteAddress = "127.0.0.1") => ({ method: "GET", query, rawBody: Buffer.alloc(0), headers: {}, remoteAddress })

  it("reads a kickback and answers OK", () => {
    const n = gateway().parseNotification(incoming(kick))
    expect(n.ack).toEqual({ status: 200, contentType: "text/plain; charset=utf-8", body: "OK" })
    expect(n.event).toMatchObject({ orderCode: "MJcode", dedupeKey: "1095729", succeeded: true, amount: 3000, charge: { reference: "1095729", state: "authorized" } })
    expect(gateway({ jobType: "CAPTURE" }).parseNotification(incoming(kick)).event?.charge?.state).toBe("captured")
  })

  it("keys a failed payment's kickback (gid 0) on its code", () => {
    const n = gateway().parseNotification(incoming({ ...kick, gid: "0", rst: "2", ec: "G5542G550000", ta: "0" }))
    expect(n.event).toMatchObject({ dedupeKey: "0:G5542G550000", succeeded: false, error: { code: "G5542G550000" } })
  })

  it("applies the source-IP allow-list", () => {
    const g = gateway({ kickbackAllowedIps: ["54.95.223.30"] })
    expect(() => g.parseNotification(incoming(kick, "10.0.0.1"))).toThrow(/not in kickbackAllowedIps/)
    expect(g.parseNotification(incoming(kick, "::ffff:54.95.223.30")).event).toBeDefined()
  })

  it("ignores auto-billing notices and refuses what is not a kickback", () => {
    expect(gateway().parseNotification(incoming({ ...kick, rst: "4" })).event).toBeUndefined()
    expect(() => gateway().parseNotification(incoming({ foo: "bar" }))).toThrow(/not a ROBOT PAYMENT kickback/)
  })
})
