import { createServer, type Server } from "node:http"
import type { AddressInfo } from "node:net"
import { startRobotPaymentSimulator, type RobotPaymentSimulator, type RobotPaymentSimulatorOptions } from "../index"
import { runCli } from "../../cli"

jest.setTimeout(20_000)

type Params = Record<string, string | number | undefined>

const AID = "123456"
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

function form(p: Params): string {
  const u = new URLSearchParams()
  for (const [k, v] of Object.entries(p)) if (v !== undefined) u.append(k, String(v))
  return u.toString()
}

async function waitFor(cond: () => boolean, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs
  while (!cond()) {
    if (Date.now() > end) throw new Error("timed out waiting for condition")
    await sleep(10)
  }
}

/** A kickback receiver whose answers are scripted: each entry is used once, then "OK". */
async function startReceiver(script: Array<{ status: number; body: string }> = []) {
  const hits: Array<{ url: string; query: Record<string, string> }> = []
  const server: Server = createServer((req, res) => {
    const u = new URL(req.url ?? "/", "http://x")
    hits.push({ url: req.url ?? "", query: Object.fromEntries(u.searchParams) })
    const a = script.shift() ?? { status: 200, body: "OK" }
    res.writeHead(a.status, { "Content-Type": "text/plain" })
    res.end(a.body)
  })
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()))
  const port = (server.address() as AddressInfo).port
  return {
    url: `http://127.0.0.1:${port}/robot-payment/kickback`,
    hits,
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()) }),
  }
}

function client(sim: RobotPaymentSimulator) {
  const api = {
    async post(path: string, p: Params): Promise<string> {
      const res = await fetch(sim.url + path, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: form(p),
      })
      expect(res.status).toBe(200)
      expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8")
      return res.text()
    },
    async get(path: string, p: Params): Promise<string> {
      const res = await fetch(`${sim.url}${path}?${form(p)}`)
      expect(res.status).toBe(200)
      return res.text()
    },
    async json(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Record<string, string>> {
      const res = await fetch(sim.url + path, { method: "POST", headers: { "Content-Type": "text/plain;charset=UTF-8", ...headers }, body: JSON.stringify(body) })
      expect(res.status).toBe(200)
      expect(res.headers.get("access-control-allow-origin")).toBe("*")
      return (await res.json()) as Record<string, string>
    },
    async token(cn = "4444333322221111", extra: Params = {}): Promise<string> {
      const r = await api.json("/gateway/token/create", { aid: AID, cn, ed: "3012", fn: "TARO", ln: "YAMADA", cvv: "123", ...extra })
      expect(r).toMatchObject({ resultCode: "Success", errMsg: "" })
      expect(r.token).toMatch(/^[A-Za-z0-9]{32,}$/)
      return r.token
    },
    async auth(tkn: string, p: Params = { am: 1000, tx: 80, sf: 0 }): Promise<Record<string, string>> {
      return api.json("/gateway/3ds/authenticate", { aid: AID, tkn, ...p })
    },
    /** token + frictionless/complete 3DS for a payment of am/tx/sf */
    async paidToken(cn = "4444333322221111", amounts: Params = { am: 1000, tx: 80, sf: 0 }): Promise<string> {
      const tkn = await api.token(cn)
      expect(await api.auth(tkn, amounts)).toEqual({ resultCode: "Success", errMsg: "" })
      return tkn
    },
    pay(p: Params): Promise<string> {
      return api.post("/gateway/gateway_token.aspx", { aid: AID, jb: "AUTH", rt: 1, am: 1000, tx: 80, sf: 0, ...p })
    },
  }
  return api
}

const fields = (csv: string) => csv.split(",")

describe("ROBOT PAYMENT simulator", () => {
  let sim: RobotPaymentSimulator
  let c: ReturnType<typeof client>
  const start = async (opts: RobotPaymentSimulatorOptions = {}) => {
    sim = await startRobotPaymentSimulator({ kickbackRetryIntervalMs: 30, ...opts })
    c = client(sim)
  }
  afterEach(async () => {
    await sim?.close()
  })

  describe("token payment, capture and cancel", () => {
    beforeEach(() => start())

    it("token → authenticate → AUTH → SALES → CANCEL", async () => {
      expect(sim.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
      const tkn = await c.paidToken()
      const auth = fields(await c.pay({ tkn, cod: "order-1" }))
      expect(auth).toHaveLength(12)
      const [gid, rst, ap, ec, god, cod, am, tx, sf, ta, id, ps] = auth
      expect(gid).toMatch(/^\d+$/)
      expect([rst, ap, ec, cod, am, tx, sf, ta, id, ps]).toEqual(["1", "TestMod", "", "order-1", "1000", "80", "0", "1080", "", ""])
      expect(god).toMatch(/^\d+$/)
      expect(sim.transactions()[0]).toMatchObject({ gid, state: "AUTH", jb: "AUTH", ta: 1080, cardLast4: "1111" })

      const sales = fields(await c.post("/gateway/gateway.aspx", { aid: AID, jb: "SALES", rt: 1, tid: gid }))
      expect(sales.slice(0, 10)).toEqual([gid, "1", "TestMod", "", god, "order-1", "1000", "80", "0", "1080"])
      expect(sim.transactions()[0].state).toBe("CAPTURED")

      const cancel = fields(await c.get("/gateway/gateway.aspx", { aid: AID, jb: "CANCEL", rt: 1, tid: gid }))
      expect(cancel.slice(0, 2)).toEqual([gid, "1"])
      expect(sim.transactions()[0].state).toBe("CANCELED")
      expect(sim.transactions()[0].history.map((h) => h.op)).toEqual(["AUTH", "SALES", "CANCEL"])
    })

    it("gids increase; CANCEL voids an AUTH", async () => {
      const g1 = fields(await c.pay({ tkn: await c.paidToken() }))[0]
      const g2 = fields(await c.pay({ tkn: await c.paidToken() }))[0]
      expect(Number(g2)).toBeGreaterThan(Number(g1))
      expect(fields(await c.post("/gateway/gateway.aspx", { aid: AID, jb: "CANCEL", rt: 1, tid: g1 }))[1]).toBe("1")
      expect(fields(await c.post("/gateway/gateway.aspx", { aid: AID, jb: "SALES", rt: 1, tid: g1 }))[3]).toBe("ER032")
    })

    it("CAPTURE job then SALES → ER032", async () => {
      const gid = fields(await c.pay({ tkn: await c.paidToken(), jb: "CAPTURE" }))[0]
      expect(sim.transactions()[0].state).toBe("CAPTURED")
      const r = fields(await c.post("/gateway/gateway.aspx", { aid: AID, jb: "SALES", rt: 1, tid: gid }))
      expect(r.slice(0, 4)).toEqual(["0", "2", "", "ER032"])
      expect(sim.transactions()[0].history.at(-1)).toMatchObject({ op: "SALES", ok: false, ec: "ER032" })
    })

    it("double CANCEL → ER033; unknown tid → ER053; raw card → ER001; am on SALES → ER001", async () => {
      const gid = fields(await c.pay({ tkn: await c.paidToken(), jb: "CAPTURE" }))[0]
      expect(fields(await c.post("/gateway/gateway.aspx", { aid: AID, jb: "CANCEL", rt: 1, tid: gid }))[1]).toBe("1")
      expect(fields(await c.post("/gateway/gateway.aspx", { aid: AID, jb: "CANCEL", rt: 1, tid: gid }))[3]).toBe("ER033")
      expect(fields(await c.post("/gateway/gateway.aspx", { aid: AID, jb: "SALES", rt: 1, tid: "99999999" }))[3]).toBe("ER053")
      expect(fields(await c.post("/gateway/gateway.aspx", { aid: AID, jb: "SALES", rt: 1, tid: "abc" }))[3]).toBe("ER053")
      expect(fields(await c.post("/gateway/gateway.aspx", { aid: AID, jb: "AUTH", rt: 1, cn: "4444333322221111", am: 1, tx: 0, sf: 0 }))[3]).toBe("ER001")
      expect(fields(await c.post("/gateway/gateway.aspx", { aid: AID, jb: "SALES", rt: 1, tid: gid, am: 500 }))[3]).toBe("ER001")
      expect(fields(await c.post("/gateway/gateway.aspx", { aid: AID, jb: "REFUND", rt: 1, tid: gid }))[3]).toBe("ER051")
    })

    it("SALES more than 90 days after AUTH → ER032", async () => {
      const gid = fields(await c.pay({ tkn: await c.paidToken() }))[0]
      sim.advanceClock(91 * 24 * 3600_000)
      expect(fields(await c.post("/gateway/gateway.aspx", { aid: AID, jb: "SALES", rt: 1, tid: gid }))[3]).toBe("ER032")
    })

    it("CHECK job allows am=tx=sf=0", async () => {
      const tkn = await c.paidToken("4444333322221111", { am: 0, tx: 0, sf: 0 })
      const r = fields(await c.pay({ tkn, jb: "CHECK", am: 0, tx: 0, sf: 0 }))
      expect(r[1]).toBe("1")
      expect(sim.transactions()[0].state).toBe("CHECKED")
    })

    it("echoes free key=value parameters as the CSV tail", async () => {
      const tkn = await c.paidToken()
      const r = await c.pay({ tkn, cod: "A1", memo: "goods-code-01", note: "日本語 テキスト" })
      expect(r.endsWith(",,memo=goods-code-01,note=日本語 テキスト")).toBe(true)
      expect(sim.requests().at(-1)).toMatchObject({ path: "/gateway/gateway_token.aspx", params: { memo: "goods-code-01", tkn } })
    })
  })

  describe("3-D Secure binding and tokens", () => {
    beforeEach(() => start())

    it("no authenticate → ER900 (failure record with gid 0)", async () => {
      const tkn = await c.token()
      expect(await c.pay({ tkn, cod: "x1" })).toBe("0,2,,ER900,,x1,0,0,0,0,,")
      expect(sim.transactions()[0]).toMatchObject({ gid: "0", state: "FAILED", ec: "ER900" })
    })

    it("am/tx/sf or em/pn different from authenticate → ER901", async () => {
      const t1 = await c.paidToken()
      expect(fields(await c.pay({ tkn: t1, am: 1001 }))[3]).toBe("ER901")
      const t2 = await c.token()
      await c.auth(t2, { am: 1000, tx: 80, sf: 0, em: "a@example.com" })
      expect(fields(await c.pay({ tkn: t2, em: "b@example.com" }))[3]).toBe("ER901")
      const t3 = await c.token()
      await c.auth(t3, { am: 1000, tx: 80, sf: 0, em: "a@example.com" })
      expect(fields(await c.pay({ tkn: t3, em: "a@example.com" }))[1]).toBe("1")
    })

    it("a payment carrying em/pn that authenticate did not get → ER901 (they must be the same on both)", async () => {
      const t1 = await c.paidToken() // authenticate without em or pn, as a storefront that sends neither
      expect(fields(await c.pay({ tkn: t1, em: "a@example.com" }))[3]).toBe("ER901")
      const t2 = await c.token()
      await c.auth(t2, { am: 1000, tx: 80, sf: 0, em: "a@example.com" })
      expect(fields(await c.pay({ tkn: t2, em: "a@example.com", pn: "09011112222" }))[3]).toBe("ER901")
      const t3 = await c.token()
      await c.auth(t3, { am: 1000, tx: 80, sf: 0, em: "a@example.com", pn: "09011112222" })
      expect(fields(await c.pay({ tkn: t3, em: "a@example.com", pn: "09011112222" }))[1]).toBe("1")
    })

    it("tokens are single use, even after a failed payment → ER584", async () => {
      const tkn = await c.paidToken()
      expect(fields(await c.pay({ tkn }))[1]).toBe("1")
      expect(fields(await c.pay({ tkn }))[3]).toBe("ER584")
      const t2 = await c.paidToken()
      expect(fields(await c.pay({ tkn: t2, am: "1,000" }))[3]).toBe("ER061") // consumed by a rejected request
      expect(fields(await c.pay({ tkn: t2 }))[3]).toBe("ER584")
      expect(fields(await c.pay({ tkn: "nosuchtoken" }))[3]).toBe("ER584")
      expect(fields(await c.pay({}))[3]).toBe("ER583")
      expect((await c.auth(tkn)).resultCode).toBe("ER584")
    })

    it("token expiry on the simulated clock → ER585", async () => {
      const tkn = await c.paidToken()
      sim.advanceClock(15 * 60_000 + 1)
      expect(fields(await c.pay({ tkn }))[3]).toBe("ER585")
      const t2 = await c.token()
      sim.advanceClock(15 * 60_000 + 1)
      expect((await c.auth(t2)).resultCode).toBe("ER585")
    })

    it("cn with tkn → ER586", async () => {
      const tkn = await c.paidToken()
      expect(fields(await c.pay({ tkn, cn: "4444333322221111" }))[3]).toBe("ER586")
    })

    it("challenge card: completed challenge pays; cancelled / unanswered → ER900", async () => {
      const t1 = await c.token("4111111111111111")
      const a1 = await c.auth(t1)
      expect(a1).toMatchObject({ resultCode: "Success", errMsg: "" })
      expect(a1.challengeUrl).toMatch(/^\/gateway\/3ds\/challenge\?id=[A-Za-z0-9]+$/)
      const page = await (await fetch(sim.url + a1.challengeUrl)).text()
      for (const id of ["rp-3ds-otp", "rp-3ds-submit", "rp-3ds-cancel"]) expect(page).toContain(`id="${id}"`)
      expect(page).toContain("認証する")
      const done = await (await fetch(`${sim.url}/gateway/3ds/challenge`, {
        method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: form({ id: a1.challengeId, otp: "123456", action: "submit" }),
      })).text()
      expect(done).toContain('data-result="success"')
      expect(done).toContain("rp3ds-complete")
      expect(fields(await c.pay({ tkn: t1 }))[1]).toBe("1")
      expect(sim.transactions()[0].threeDS).toBe("challenge")

      const t2 = await c.token("4111111111111111")
      const a2 = await c.auth(t2)
      await fetch(`${sim.url}/gateway/3ds/challenge`, {
        method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: form({ id: a2.challengeId, action: "cancel" }),
      })
      expect(fields(await c.pay({ tkn: t2 }))[3]).toBe("ER900")

      const t3 = await c.token("4111111111111111")
      await c.auth(t3)
      expect(fields(await c.pay({ tkn: t3 }))[3]).toBe("ER900")

      const t4 = await c.token("4000000000003063")
      expect((await c.auth(t4)).resultCode).toBe("Success")
      expect(fields(await c.pay({ tkn: t4 }))[3]).toBe("ER900")
    })

    it("declined card fails at payment with a G code, not at token creation", async () => {
      const cases: Array<[string, string]> = [
        ["4000000000000002", "G1242G120000"],
        ["4000000000009995", "G5542G550000"],
        ["4000000000000069", "G8342G830000"],
        ["4000000000000127", "G4442G440000"],
        ["4000000000000119", "G6042G600000"],
      ]
      for (const [cn, g] of cases) {
        const tkn = await c.paidToken(cn)
        expect(await c.pay({ tkn, cod: "d" })).toBe(`0,2,,${g},,d,0,0,0,0,,`)
      }
    })

    it("token creation validates the card (ER014, ER055, ER056, ER057, ER058, ER079, ER004, ER050)", async () => {
      const base = { aid: AID, cn: "4444333322221111", ed: "3012", fn: "TARO", ln: "YAMADA" }
      const code = async (over: Record<string, string>) => (await c.json("/gateway/token/create", { ...base, ...over })).resultCode
      expect(await code({ cn: "4444333322221112" })).toBe("ER014")
      expect(await code({ cn: "4444-3333-2222-1111" })).toBe("ER055")
      expect(await code({ ed: "2001" })).toBe("ER056")
      expect(await code({ ed: "3013" })).toBe("ER056")
      expect(await code({ fn: "TARO YAMADA" })).toBe("ER057")
      expect(await code({ ln: "山田" })).toBe("ER058")
      expect(await code({ fn: "A".repeat(30), ln: "B".repeat(15) })).toBe("ER058")
      expect(await code({ cvv: "12" })).toBe("ER079")
      expect(await code({ aid: "999999" })).toBe("ER004")
      expect(await code({ aid: "12345" })).toBe("ER050")
      expect(await code({})).toBe("Success")
    })

    it("authenticate: uid together with am/tx/sf → error; unknown token → ER584", async () => {
      const tkn = await c.token()
      expect((await c.auth(tkn, { am: 1, tx: 0, sf: 0, uid: "u1" })).resultCode).toBe("ER001")
      expect((await c.auth("zzz")).resultCode).toBe("ER584")
      expect((await c.auth(tkn, { am: "abc", tx: 0, sf: 0 })).resultCode).toBe("ER061")
    })
  })

  describe("store authentication and field validation", () => {
    it("bad aid → ER050, unknown aid → ER004, rt=0 → ER:code", async () => {
      await start()
      expect(fields(await c.pay({ aid: "12345" }))[3]).toBe("ER050")
      expect(fields(await c.pay({ aid: "999999" }))[3]).toBe("ER004")
      expect(await c.post("/gateway/carduser.aspx", { aid: "abc", cmd: 3, uid: "u" })).toBe("2,ER050,u,")
      const { status } = await fetch(`${sim.url}/gateway/gateway_token.aspx?aid=999999&rt=0`)
      expect(status).toBe(200)
      expect(await (await fetch(`${sim.url}/gateway/gateway_token.aspx?aid=999999&rt=0`)).text()).toBe("ER:ER004")
    })

    it("source IP not allowed → ER003", async () => {
      await start({ stores: [{ aid: AID, allowedIps: ["203.0.113.7"] }] })
      expect(fields(await c.pay({ tkn: "x" }))[3]).toBe("ER003")
      expect(await c.post("/gateway/carduser.aspx", { aid: AID, cmd: 3, uid: "u1" })).toBe("2,ER003,u1,")
    })

    it("Referer/Origin not allowed for token creation → ER002", async () => {
      await start({ stores: [{ aid: AID, allowedReferers: ["https://shop.example.com/checkout"] }] })
      const body = { aid: AID, cn: "4444333322221111", ed: "3012", fn: "TARO", ln: "YAMADA" }
      expect((await c.json("/gateway/token/create", body, { Origin: "https://evil.example.net" })).resultCode).toBe("ER002")
      expect((await c.json("/gateway/token/create", body)).resultCode).toBe("ER002")
      expect((await c.json("/gateway/token/create", body, { Origin: "https://shop.example.com" })).resultCode).toBe("Success")
      expect((await c.json("/gateway/token/create", body, { Referer: "https://shop.example.com/checkout/step2" })).resultCode).toBe("Success")
    })

    it("md/pt within the store's card contract only: 分割 回数 outside it → ER065, 分割 or リボ without it → ER064", async () => {
      await start({ stores: [{ aid: AID, paymentMethods: { installments: [3, 6] } }] })
      const tk = () => c.paidToken()
      const ok = fields(await c.pay({ tkn: await tk(), md: 61, pt: 3, cod: "inst3" }))
      expect(ok[1]).toBe("1")
      expect(sim.transactions().find((t) => t.cod === "inst3")).toMatchObject({ md: "61", pt: "3", state: "AUTH" })
      expect(fields(await c.pay({ tkn: await tk(), md: 61, pt: 12 }))[3]).toBe("ER065")
      expect(fields(await c.pay({ tkn: await tk(), md: 80 }))[3]).toBe("ER064")
      expect(fields(await c.pay({ tkn: await tk(), md: 10 }))[1]).toBe("1")
      await sim.close()
      await start({ stores: [{ aid: AID, paymentMethods: { revolving: true } }] })
      expect(fields(await c.pay({ tkn: await c.paidToken(), md: 80, cod: "revo" }))[1]).toBe("1")
      expect(sim.transactions().find((t) => t.cod === "revo")).toMatchObject({ md: "80", pt: "" })
      expect(fields(await c.pay({ tkn: await c.paidToken(), md: 61, pt: 3 }))[3]).toBe("ER064")
    })

    it("field errors", async () => {
      await start()
      const tk = () => c.paidToken()
      expect(fields(await c.pay({ tkn: await tk(), rt: 2 }))[3]).toBe("ER052")
      expect(fields(await c.pay({ tkn: await tk(), jb: "SALES" }))[3]).toBe("ER051")
      expect(fields(await c.pay({ tkn: await tk(), am: 0, tx: 0, sf: 0 }))[3]).toBe("ER017")
      expect(fields(await c.pay({ tkn: await tk(), am: 9_999_999, tx: 1 }))[3]).toBe("ER018")
      expect(fields(await c.pay({ tkn: await tk(), am: -1 }))[3]).toBe("ER061")
      expect(fields(await c.pay({ tkn: await tk(), tx: "8.5" }))[3]).toBe("ER062")
      expect(fields(await c.pay({ tkn: await tk(), sf: undefined }))[3]).toBe("ER063")
      expect(fields(await c.pay({ tkn: await tk(), cod: "あ".repeat(17) }))[3]).toBe("ER054") // 51 bytes
      expect(fields(await c.pay({ tkn: await tk(), em: "not-an-email" }))[3]).toBe("ER059")
      expect(fields(await c.pay({ tkn: await tk(), pn: "090-1111-2222" }))[3]).toBe("ER060")
      expect(fields(await c.pay({ tkn: await tk(), md: "61" }))[3]).toBe("ER065")
      expect(fields(await c.pay({ tkn: await tk(), iid: "item1" }))[3]).toBe("ER005")
      expect(fields(await c.pay({ tkn: await tk(), big: "x".repeat(1100) }))[3]).toBe("ER001")
      const put = await fetch(`${sim.url}/gateway/gateway_token.aspx?aid=${AID}&rt=1`, { method: "PUT" })
      expect(fields(await put.text())[3]).toBe("ER107")
      // Shift_JIS percent-escapes (「テスト」) are not UTF-8 → ER001
      const sjis = await fetch(`${sim.url}/gateway/gateway_token.aspx`, {
        method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: `aid=${AID}&rt=1&cod=%83e%83X%83g`,
      })
      expect(fields(await sjis.text())[3]).toBe("ER001")
      // a JSON body is not read by the gateway: the fields are missing
      const js = await fetch(`${sim.url}/gateway/gateway_token.aspx`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ aid: AID }) })
      expect(fields(await js.text())[3]).toBe("ER050")
    })
  })

  describe("users, cards and one-touch", () => {
    beforeEach(() => start())
    const cu = (p: Params) => c.post("/gateway/carduser.aspx", { aid: AID, ...p })

    it("user register/read/update, card register/read/update/delete, one-touch, user delete", async () => {
      const reg = fields(await cu({ cmd: 0, uid: "cus001", em: "taro@example.com" }))
      expect(reg.slice(0, 3)).toEqual(["1", "", "cus001"])
      const key = reg[3]
      expect(key).toMatch(/^[A-Za-z0-9]{10}$/)
      expect(await cu({ cmd: 0, uid: "cus001", em: "taro@example.com" })).toBe("2,ER021,cus001,")
      expect(await cu({ cmd: 0, uid: "cus002" })).toBe("2,ER059,cus002,")
      expect(await cu({ cmd: 0, uid: "cus_003", pn: "0311112222" })).toBe("2,ER021,cus_003,")
      expect(await cu({ cmd: 3, uid: "cus001" })).toBe(`1,,cus001,${key},taro@example.com,`)
      expect(await cu({ cmd: 1, uid: "cus001", key, pn: "09011112222" })).toBe(`1,,cus001,${key}`)
      expect(await cu({ cmd: 3, uid: "cus001" })).toBe(`1,,cus001,${key},taro@example.com,09011112222`)
      expect(await cu({ cmd: 1, uid: "cus001", key: "wrongkey00" })).toBe("2,ER021,cus001,wrongkey00")
      expect(await cu({ cmd: 9, uid: "cus001" })).toBe("2,ER069,cus001,")

      // card registration: token + authenticate WITH uid
      const tkn = await c.token()
      expect(await c.auth(tkn, { uid: "cus001" })).toEqual({ resultCode: "Success", errMsg: "" })
      expect(await c.post("/gateway/carduser_token.aspx", { aid: AID, cmd: 4, uid: "cus001", key, tkn })).toBe(`1,,cus001,${key},1`)
      expect(await cu({ cmd: 6, uid: "cus001", key, num: 1 })).toBe(`1,,cus001,${key},1,************1111,3012,TARO,YAMADA`)

      // token authenticated for a payment cannot register a card; other uid neither
      const t2 = await c.paidToken()
      expect(await c.post("/gateway/carduser_token.aspx", { aid: AID, cmd: 4, uid: "cus001", key, tkn: t2 })).toBe(`2,ER901,cus001,${key}`)
      const t3 = await c.token("5555555555554444")
      await c.auth(t3, { uid: "someoneelse" })
      expect(await c.post("/gateway/carduser_token.aspx", { aid: AID, cmd: 4, uid: "cus001", key, tkn: t3 })).toBe(`2,ER901,cus001,${key}`)

      // second card, then update card 2
      const t4 = await c.token("5555555555554444")
      await c.auth(t4, { uid: "cus001" })
      expect(await c.post("/gateway/carduser_token.aspx", { aid: AID, cmd: 4, uid: "cus001", key, tkn: t4 })).toBe(`1,,cus001,${key},2`)
      const t5 = await c.token("4000000000000002")
      await c.auth(t5, { uid: "cus001" })
      expect(await c.post("/gateway/carduser_token.aspx", { aid: AID, cmd: 4, uid: "cus001", key, num: 2, tkn: t5 })).toBe(`1,,cus001,${key},2`)
      expect(sim.users()[0].cards.map((x) => x.last4)).toEqual(["1111", "0002"])

      // one-touch
      const ot = (p: Params) => c.post("/gateway/onetouch.aspx", { aid: AID, cmd: 4, rt: 1, uid: "cus001", key, num: 1, jb: "CAPTURE", am: 500, tx: 50, sf: 0, ...p })
      const ok = fields(await ot({ cod: "ot1", em: "new@example.com" }))
      expect(ok.slice(1, 10)).toEqual(["1", "TestMod", "", ok[4], "ot1", "500", "50", "0", "550"])
      expect(ok).toHaveLength(12)
      expect(sim.users()[0].em).toBe("new@example.com")
      expect(fields(await ot({ num: 2 }))[3]).toBe("G1242G120000")
      expect(fields(await ot({ key: "bad" }))[3]).toBe("ER021")
      expect(fields(await ot({ num: 9 }))[3]).toBe("ER021")
      expect(fields(await ot({ cmd: 1 }))[3]).toBe("ER069")
      expect(fields(await ot({ md: 61, pt: 7 }))[3]).toBe("ER065")
      // 分割 and リボ are 「契約時のみ指定可」: this store's contract has neither
      expect(fields(await ot({ md: 61, pt: 12 }))[3]).toBe("ER064")
      expect(fields(await ot({ md: 80 }))[3]).toBe("ER064")
      expect(fields(await ot({ md: 99 }))[3]).toBe("ER064")
      expect(fields(await ot({ iid: "ITEM1" }))[3]).toBe("ER005")
      expect(fields(await c.post("/gateway/gateway.aspx", { aid: AID, jb: "CANCEL", rt: 1, tid: ok[0] }))[1]).toBe("1")

      // delete card 2, then the user (and its cards)
      expect(await cu({ cmd: 5, uid: "cus001", key, num: 2 })).toBe(`1,,cus001,${key},2`)
      expect(await cu({ cmd: 6, uid: "cus001", key, num: 2 })).toBe(`2,ER021,cus001,${key}`)
      expect(await cu({ cmd: 2, uid: "cus001", key })).toBe(`1,,cus001,${key}`)
      expect(await cu({ cmd: 3, uid: "cus001" })).toBe("2,ER021,cus001,")
      expect(sim.users()).toEqual([])
    })

    it("一括登録決済: uid on gateway_token creates user + card 1 and answers uid,key,num", async () => {
      const tkn = await c.token()
      await c.auth(tkn, { am: 1000, tx: 80, sf: 0, em: "hanako@example.com" })
      const r = fields(await c.pay({ tkn, uid: "cus900", em: "hanako@example.com", cod: "reg1", memo: "m" }))
      expect(r).toHaveLength(16)
      expect(r[1]).toBe("1")
      expect(r[12]).toBe("cus900")
      expect(r[13]).toMatch(/^[A-Za-z0-9]{10}$/)
      expect(r[14]).toBe("1")
      expect(r[15]).toBe("memo=m")
      expect(sim.users()[0]).toMatchObject({ uid: "cus900", em: "hanako@example.com", cards: [{ num: "1", last4: "1111" }] })

      // uid already exists
      const t2 = await c.token()
      await c.auth(t2, { am: 1000, tx: 80, sf: 0, em: "hanako@example.com" })
      expect(fields(await c.pay({ tkn: t2, uid: "cus900", em: "hanako@example.com" }))[3]).toBe("ER021")
      // em/pn required; em/pn must match authenticate
      const t3 = await c.token()
      await c.auth(t3, { am: 1000, tx: 80, sf: 0, em: "hanako@example.com" })
      expect(fields(await c.pay({ tkn: t3, uid: "cus901" }))[3]).toBe("ER059")
      const t4 = await c.token()
      await c.auth(t4, { am: 1000, tx: 80, sf: 0, em: "hanako@example.com" })
      const mismatch = fields(await c.pay({ tkn: t4, uid: "cus902", em: "hanako@example.com", pn: "0311112222" }))
      expect(mismatch.slice(0, 4)).toEqual(["0", "2", "", "ER901"])
      expect(mismatch.slice(12, 15)).toEqual(["cus902", "", ""])
      // authenticate with uid (registration mode) cannot pay
      const t5 = await c.token()
      await c.auth(t5, { uid: "cus903" })
      expect(fields(await c.pay({ tkn: t5, uid: "cus903", em: "a@example.com" }))[3]).toBe("ER901")
      expect(sim.users()).toHaveLength(1)
    })
  })

  describe("kickbacks", () => {
    let rx: Awaited<ReturnType<typeof startReceiver>>
    afterEach(async () => {
      await sim?.close()
      await rx?.close()
    })

    it("rt=1 payment: kickback with the result; retried after an empty body", async () => {
      rx = await startReceiver([{ status: 200, body: "" }, { status: 500, body: "err" }])
      await start({ stores: [{ aid: AID, kickbackUrl: rx.url }], kickbackDelayMs: 5 })
      const tkn = await c.paidToken()
      const r = fields(await c.pay({ tkn, cod: "ご注文 1", memo: "x y" }))
      await waitFor(() => sim.kickbacks().some((k) => k.ok))
      const ks = sim.kickbacks()
      expect(ks.map((k) => [k.attempt, k.status, k.ok])).toEqual([[1, 200, false], [2, 500, false], [3, 200, true]])
      expect(rx.hits).toHaveLength(3)
      expect(rx.hits[0].query).toEqual({
        gid: r[0], rst: "1", ap: "TestMod", ec: "", god: r[4], cod: "ご注文 1", am: "1000", tx: "80", sf: "0", ta: "1080", memo: "x y",
      })
      expect(rx.hits[0].url).toContain("cod=%E3%81%94%E6%B3%A8%E6%96%87%201")
      expect(ks[0].url.startsWith(rx.url + "?gid=")).toBe(true)
    })

    it("gives up after 3 retries", async () => {
      rx = await startReceiver(Array.from({ length: 10 }, () => ({ status: 404, body: "no" })))
      await start({ stores: [{ aid: AID, kickbackUrl: rx.url }], kickbackDelayMs: 5 })
      await c.pay({ tkn: await c.paidToken() })
      await waitFor(() => sim.kickbacks().length === 4)
      await sleep(100)
      expect(sim.kickbacks().map((k) => k.attempt)).toEqual([1, 2, 3, 4])
      expect(rx.hits).toHaveLength(4)
    })

    it("rt=0: body OK, result by kickback (payment, SALES, CANCEL); failure ER:code + kickback", async () => {
      rx = await startReceiver()
      await start({ stores: [{ aid: AID, kickbackUrl: rx.url }], kickbackDelayMs: 5 })
      expect(await c.pay({ tkn: await c.paidToken(), rt: 0, cod: "k1" })).toBe("OK")
      await waitFor(() => rx.hits.length === 1)
      const gid = rx.hits[0].query.gid
      expect(rx.hits[0].query).toMatchObject({ rst: "1", cod: "k1", ta: "1080" })
      expect(await c.post("/gateway/gateway.aspx", { aid: AID, jb: "SALES", rt: 0, tid: gid })).toBe("OK")
      expect(await c.post("/gateway/gateway.aspx", { aid: AID, jb: "CANCEL", rt: 0, tid: gid })).toBe("OK")
      expect(await c.post("/gateway/gateway.aspx", { aid: AID, jb: "CANCEL", rt: 0, tid: gid })).toBe("ER:ER033")
      await waitFor(() => rx.hits.length === 3)
      expect(rx.hits.slice(1).map((h) => [h.query.gid, h.query.rst])).toEqual([[gid, "1"], [gid, "1"]])
      expect(await c.pay({ tkn: await c.paidToken("4000000000000119"), rt: 0, cod: "k2" })).toBe("ER:G6042G600000")
      await waitFor(() => rx.hits.length === 4)
      expect(rx.hits[3].query).toMatchObject({ gid: "0", rst: "2", ec: "G6042G600000", cod: "k2", ta: "0" })
      expect(await c.pay({ tkn: "unknown", rt: 0 })).toBe("ER:ER584") // request error: no kickback
      await sleep(50)
      expect(rx.hits).toHaveLength(4)
    })

    it("rt=0 without a kickbackUrl → ER052", async () => {
      await start()
      expect(await c.pay({ tkn: await c.paidToken(), rt: 0 })).toBe("ER:ER052")
    })

    it("一括登録決済 kickback carries uid, key, num", async () => {
      rx = await startReceiver()
      await start({ stores: [{ aid: AID, kickbackUrl: rx.url }], kickbackDelayMs: 5 })
      const tkn = await c.token()
      await c.auth(tkn, { am: 1000, tx: 80, sf: 0, pn: "0311112222" })
      const r = fields(await c.pay({ tkn, uid: "u77", pn: "0311112222" }))
      await waitFor(() => rx.hits.length === 1)
      expect(rx.hits[0].query).toMatchObject({ gid: r[0], uid: "u77", key: r[13], num: "1" })
    })

    it("duplicate-kickback fault sends the notification twice", async () => {
      rx = await startReceiver()
      await start({ stores: [{ aid: AID, kickbackUrl: rx.url }], kickbackDelayMs: 5 })
      sim.inject({ kind: "duplicate-kickback" })
      await c.pay({ tkn: await c.paidToken() })
      await c.pay({ tkn: await c.paidToken() })
      await waitFor(() => rx.hits.length === 3)
      await sleep(80)
      expect(rx.hits).toHaveLength(3)
      const byGid = rx.hits.reduce<Record<string, number>>((m, h) => ({ ...m, [h.query.gid]: (m[h.query.gid] ?? 0) + 1 }), {})
      expect(Object.values(byGid).sort()).toEqual([1, 2])
      expect(byGid[sim.transactions()[0].gid]).toBe(2)
      expect(sim.kickbacks().map((k) => k.copy).sort()).toEqual([1, 1, 2])
    })
  })

  describe("fault injection", () => {
    beforeEach(() => start())

    it("delay", async () => {
      sim.inject({ kind: "delay", ms: 300, path: "/gateway/carduser.aspx" })
      const t0 = Date.now()
      await c.post("/gateway/carduser.aspx", { aid: AID, cmd: 3, uid: "x" })
      expect(Date.now() - t0).toBeGreaterThanOrEqual(290)
      const t1 = Date.now()
      await c.post("/gateway/carduser.aspx", { aid: AID, cmd: 3, uid: "x" })
      expect(Date.now() - t1).toBeLessThan(250)
    })

    it("reset before processing: no charge", async () => {
      const tkn = await c.paidToken()
      sim.inject({ kind: "reset" })
      await expect(c.pay({ tkn })).rejects.toThrow()
      expect(sim.transactions()).toEqual([])
      expect(fields(await c.pay({ tkn }))[1]).toBe("1") // token not consumed
    })

    it("reset after processing: the charge happens, the client gets no answer", async () => {
      const tkn = await c.paidToken()
      sim.inject({ kind: "reset", after: true, path: "/gateway/gateway_token.aspx" })
      await expect(c.pay({ tkn })).rejects.toThrow()
      expect(sim.transactions()).toHaveLength(1)
      expect(sim.transactions()[0].state).toBe("AUTH")
      expect(fields(await c.pay({ tkn }))[3]).toBe("ER584")
    })

    it("status and malformed, with times", async () => {
      sim.inject({ kind: "status", status: 503, times: 2 })
      for (let i = 0; i < 2; i++) {
        const r = await fetch(`${sim.url}/gateway/carduser.aspx?aid=${AID}&cmd=3&uid=x`)
        expect(r.status).toBe(503)
        expect(await r.text()).toContain("<html")
      }
      sim.inject({ kind: "malformed" })
      expect(await c.post("/gateway/carduser.aspx", { aid: AID, cmd: 3, uid: "x" })).toContain("Service Unavailable")
      expect(await c.post("/gateway/carduser.aspx", { aid: AID, cmd: 3, uid: "x" })).toBe("2,ER021,x,")
    })

    it("faults without path leave browser endpoints alone; clearFaults", async () => {
      sim.inject({ kind: "status", status: 500 })
      await c.token()
      sim.clearFaults()
      expect(await c.post("/gateway/carduser.aspx", { aid: AID, cmd: 3, uid: "x" })).toBe("2,ER021,x,")
      expect(() => sim.inject({ kind: "delay" } as never)).toThrow(/invalid fault/)
    })
  })

  describe("HTTP control endpoints and scripts", () => {
    beforeEach(() => start())

    it("/__sim/faults, /__sim/clock, /__sim/transactions, /__sim/users, /__sim/kickbacks", async () => {
      const j = (path: string, method = "GET", body?: unknown) =>
        fetch(sim.url + path, { method, ...(body ? { headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) } : {}) })
      expect((await j("/__sim/faults", "POST", { kind: "status", status: 502 })).status).toBe(201)
      expect((await j("/__sim/faults", "POST", { kind: "nope" })).status).toBe(400)
      expect((await fetch(`${sim.url}/gateway/carduser.aspx?aid=${AID}&cmd=3&uid=x`)).status).toBe(502)
      await j("/__sim/faults", "POST", { kind: "malformed" })
      expect((await j("/__sim/faults", "DELETE")).status).toBe(200)
      expect(await (await fetch(`${sim.url}/gateway/carduser.aspx?aid=${AID}&cmd=3&uid=x`)).text()).toBe("2,ER021,x,")

      const tkn = await c.paidToken()
      expect((await j("/__sim/clock", "POST", { advanceMs: 16 * 60_000 })).status).toBe(200)
      expect(fields(await c.pay({ tkn }))[3]).toBe("ER585")

      await c.post("/gateway/carduser.aspx", { aid: AID, cmd: 0, uid: "u1", em: "a@example.com" })
      expect(await (await j("/__sim/users")).json()).toMatchObject([{ uid: "u1", em: "a@example.com", cards: [] }])
      expect(await (await j("/__sim/transactions")).json()).toEqual([]) // ER585 is a request error, not a payment
      expect(await (await j("/__sim/kickbacks")).json()).toEqual([])
      expect((await (await j("/__sim/requests")).json()).length).toBeGreaterThan(0)
    })

    it("serves the browser scripts and CORS preflight", async () => {
      for (const [p, needle] of [
        ["/gateway/js/CPToken.js", "CPToken"],
        ["/gateway/js/EMV3DSAdapter.js", "ThreeDSAdapter"],
        ["/gateway/js/jquery.js", "jQuery"],
      ]) {
        const r = await fetch(sim.url + p)
        expect(r.status).toBe(200)
        expect(r.headers.get("content-type")).toBe("application/javascript; charset=utf-8")
        const js = await r.text()
        expect(js).toContain(needle)
        expect(() => new Function(js)).not.toThrow() // syntactically valid
      }
      const pre = await fetch(`${sim.url}/gateway/token/create`, { method: "OPTIONS" })
      expect(pre.status).toBe(204)
      expect(pre.headers.get("access-control-allow-methods")).toContain("POST")
    })
  })

  describe("CLI", () => {
    it("rejects an unknown gateway and lists the available ones", async () => {
      const err: string[] = []
      const r = await runCli(["simulate", "nosuch"], { out: () => undefined, err: (l) => err.push(l) })
      expect(r.exitCode).toBe(2)
      expect(err.join("\n")).toMatch(/unknown gateway: nosuch\. Available: robot-payment/)
    })

    it("starts robot-payment and prints the base URL", async () => {
      const out: string[] = []
      const r = await runCli(["simulate", "robot-payment", "--port", "0", "--aid", "111111", "--aid", "222222"], {
        out: (l) => out.push(l), err: () => undefined, handleSignals: false,
      })
      expect(r.exitCode).toBe(0)
      try {
        expect(out[0]).toMatch(/^ROBOT PAYMENT simulator listening on http:\/\/127\.0\.0\.1:\d+$/)
        const body = await (await fetch(`${r.running!.url}/gateway/carduser.aspx?aid=222222&cmd=3&uid=x`)).text()
        expect(body).toBe("2,ER021,x,")
      } finally {
        await r.running?.close()
      }
      const bad = await runCli(["simulate", "robot-payment", "--aid", "12"], { out: () => undefined, err: () => undefined })
      expect(bad.exitCode).toBe(2)
    })

    it("--installments and --revolving set the store's card contract", async () => {
      const r = await runCli(["simulate", "robot-payment", "--port", "0", "--installments", "3,6", "--revolving"], {
        out: () => undefined, err: () => undefined, handleSignals: false,
      })
      expect(r.exitCode).toBe(0)
      try {
        sim = r.running as unknown as RobotPaymentSimulator
        c = client(sim)
        expect(fields(await c.pay({ tkn: await c.paidToken(), md: 61, pt: 6 }))[1]).toBe("1")
        expect(fields(await c.pay({ tkn: await c.paidToken(), md: 80 }))[1]).toBe("1")
        expect(fields(await c.pay({ tkn: await c.paidToken(), md: 61, pt: 12 }))[3]).toBe("ER065")
      } finally {
        await r.running?.close()
        sim = undefined as unknown as RobotPaymentSimulator
      }
      const bad = await runCli(["simulate", "robot-payment", "--installments", "three"], { out: () => undefined, err: () => undefined })
      expect(bad.exitCode).toBe(2)
    })
  })
})
