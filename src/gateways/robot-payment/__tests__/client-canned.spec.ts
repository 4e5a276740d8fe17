// The client against canned answers from a local HTTP server: what it sends, what it makes of each
// answer shape, and how it classes failures (no Medusa, no simulator).
import http from "node:http"
import type { AddressInfo } from "node:net"
import iconv from "iconv-lite"
import { GatewayError } from "../../../core/gateway"
import { RobotPaymentClient } from "../client"

type Canned = { status?: number; body: string | Buffer; contentType?: string; hang?: boolean }

describe("RobotPaymentClient on canned answers", () => {
  let server: http.Server
  let next: Canned
  let seen: { path: string; body: string }
  let client: RobotPaymentClient

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = ""
      req.on("data", (c) => (body += c))
      req.on("end", () => {
        seen = { path: req.url ?? "", body }
        if (next.hang) return // never answers
        res.writeHead(next.status ?? 200, { "content-type": next.contentType ?? "text/html; charset=utf-8" })
        res.end(next.body)
      })
    })
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r))
    const { port } = server.address() as AddressInfo
    client = new RobotPaymentClient({ aid: "123456", baseUrl: `http://127.0.0.1:${port}`, timeoutMs: 300 })
  })
  afterAll(async () => {
    await client.close()
    server.closeAllConnections()
    await new Promise((r) => server.close(r))
  })

  const payer = { em: "buyer@example.jp" }

  it("sends a token payment as the spec says and reads the record", async () => {
    next = { body: "1095729,1,TestMod,,205685,MJcod,3000,0,0,3000,,," }
    const r = await client.tokenPayment({ jb: "AUTH", cod: "MJcod", tkn: "tok_abcdefgh", amounts: { am: 3000, tx: 0, sf: 0 }, payer })
    expect(r).toMatchObject({ gid: "1095729", ta: 3000, ap: "TestMod" })
    expect(seen.path).toBe("/gateway/gateway_token.aspx")
    expect(Object.fromEntries(new URLSearchParams(seen.body))).toEqual({
      aid: "123456", jb: "AUTH", rt: "1", cod: "MJcod", tkn: "tok_abcdefgh", em: "buyer@example.jp", am: "3000", tx: "0", sf: "0",
    })
  })

  it("captures and cancels on gateway.aspx with tid = gid", async () => {
    next = { body: "1095729,1,TestMod,,205685,MJcod,3000,0,0,3000,," }
    await client.sales("1095729")
    expect(seen.path).toBe("/gateway/gateway.aspx")
    expect(Object.fromEntries(new URLSearchParams(seen.body))).toEqual({ aid: "123456", jb: "SALES", rt: "1", tid: "1095729" })
    await client.cancel("1095729")
    expect(new URLSearchParams(seen.body).get("jb")).toBe("CANCEL")
  })

  it("turns a card-company decline into a declined GatewayError with both languages", async () => {
    next = { body: "0,2,,G5542G550000,,MJcod,0,0,0,0,," }
    const e = await client.tokenPayment({ jb: "AUTH", cod: "MJcod", tkn: "tok_abcdefgh", amounts: { am: 1, tx: 0, sf: 0 }, payer }).catch((x) => x)
    expect(e).toBeInstanceOf(GatewayError)
    expect(e).toMatchObject({ code: "G5542G550000", kind: "declined", messageJa: "限度額オーバー" })
  })

  it("reads `ER:` answers and classes merchant set-up errors", async () => {
    next = { body: "ER:ER003" }
    const e = await client.sales("1").catch((x) => x)
    expect(e).toMatchObject({ code: "ER003", kind: "merchant" })
    expect(e.message).toMatch(/register this server's IP address/)
  })

  it("reads a Shift_JIS answer", async () => {
    next = { body: iconv.encode("1,,u1,k1,山田@example.jp,0311112222", "shift_jis"), contentType: "text/html" }
    const u = await client.readUser("u1")
    expect(u).toEqual({ uid: "u1", key: "k1", em: "山田@example.jp", pn: "0311112222" })
  })

  it("calls a 5xx page or a garbage body an unknown outcome, never a success", async () => {
    next = { status: 503, body: "<html>Service Unavailable</html>" }
    await expect(client.sales("1")).rejects.toMatchObject({ code: "HTTP_503", kind: "unknown_outcome" })
    next = { body: "<html>maintenance</html>" }
    await expect(client.sales("1")).rejects.toMatchObject({ code: "MALFORMED", kind: "unknown_outcome" })
    next = { body: "OK" }
    await expect(client.sales("1")).rejects.toMatchObject({ code: "MALFORMED" })
  })

  it("calls a timeout an unknown outcome, and a refused connection a safe retry", async () => {
    next = { body: "", hang: true }
    await expect(client.sales("1")).rejects.toMatchObject({ code: "NO_ANSWER", kind: "unknown_outcome" })
    const dead = new RobotPaymentClient({ aid: "123456", baseUrl: "http://127.0.0.1:9", timeoutMs: 300 })
    await expect(dead.sales("1")).rejects.toMatchObject({ code: "NETWORK", kind: "retry" })
    await dead.close()
  })

  it("speaks users and cards", async () => {
    next = { body: "1,,cus01,abcdefghij" }
    expect(await client.registerUser({ uid: "cus01", em: "a@b.jp" })).toMatchObject({ uid: "cus01", key: "abcdefghij" })
    expect(Object.fromEntries(new URLSearchParams(seen.body))).toEqual({ aid: "123456", cmd: "0", uid: "cus01", em: "a@b.jp" })
    next = { body: "1,,cus01,abcdefghij,3" }
    expect(await client.registerCard({ uid: "cus01", key: "abcdefghij", tkn: "tok" })).toBe("3")
    expect(seen.path).toBe("/gateway/carduser_token.aspx")
    next = { body: "1,,cus01,abcdefghij,3,************1111,3012,TARO,YAMADA" }
    expect(await client.readCard({ uid: "cus01", key: "abcdefghij", num: "3" })).toEqual({ num: "3", cn: "************1111", ed: "3012", fn: "TARO", ln: "YAMADA" })
    next = { body: "2,ER021,cus01,abcdefghij" }
    await expect(client.deleteCard({ uid: "cus01", key: "abcdefghij", num: "9" })).rejects.toMatchObject({ code: "ER021" })
    next = { body: "1095730,1,TestMod,,205686,MJcod,500,0,0,500,," }
    const r = await client.oneTouch({ jb: "CAPTURE", cod: "MJcod", uid: "cus01", key: "abcdefghij", num: "3", amounts: { am: 500, tx: 0, sf: 0 } })
    expect(r.gid).toBe("1095730")
    expect(Object.fromEntries(new URLSearchParams(seen.body))).toMatchObject({ cmd: "4", rt: "1", num: "3", jb: "CAPTURE" })
  })
})
