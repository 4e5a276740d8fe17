// The client and the simulator were written apart, from the same specs: every operation of the
// client must be understood by the simulator, and every answer of the simulator by the client.
import { GatewayError } from "../../../core/gateway"
import { startRobotPaymentSimulator, type RobotPaymentSimulator } from "../../../simulator/robot-payment"
import { RobotPaymentClient } from "../client"

async function postJson(url: string, body: Record<string, string>) {
  return (await (await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) })).json()) as {
    resultCode: string
    token?: string
  }
}

describe("RobotPaymentClient against the simulator", () => {
  let sim: RobotPaymentSimulator
  let client: RobotPaymentClient
  const lines: string[] = []

  beforeAll(async () => {
    sim = await startRobotPaymentSimulator({ stores: [{ aid: "123456" }] })
    const log = (m: string) => lines.push(m)
    client = new RobotPaymentClient({ aid: "123456", baseUrl: sim.url, timeoutMs: 2000, logger: { debug: log, info: log, warn: log, error: log } })
  })
  afterAll(async () => {
    await client.close()
    await sim.close()
  })

  async function token(threeDS: Record<string, string>, cn = "4444333322221111") {
    const t = await postJson(`${sim.url}/gateway/token/create`, { aid: "123456", cn, ed: "3012", fn: "TARO", ln: "YAMADA" })
    expect(t.resultCode).toBe("Success")
    const a = await postJson(`${sim.url}/gateway/3ds/authenticate`, { aid: "123456", tkn: t.token!, ...threeDS })
    expect(a.resultCode).toBe("Success")
    return t.token!
  }

  it("pays and registers user + card at once (gateway_token.aspx with uid), then charges in one touch", async () => {
    const tkn = await token({ am: "1200", tx: "0", sf: "0", em: "one@example.jp" })
    const r = await client.tokenPayment({ jb: "AUTH", cod: "MJone", tkn, amounts: { am: 1200, tx: 0, sf: 0 }, payer: { em: "one@example.jp" }, uid: "userone" })
    expect(r).toMatchObject({ rst: "1", uid: "userone", num: "1", ta: 1200, cod: "MJone" })
    const user = await client.readUser("userone")
    expect(user).toMatchObject({ uid: "userone", key: r.key, em: "one@example.jp" })
    const card = await client.readCard({ uid: "userone", key: user.key, num: "1" })
    expect(card.cn).toMatch(/\*+1111$/)
    const again = await client.oneTouch({ jb: "CAPTURE", cod: "MJtwo", uid: "userone", key: user.key, num: "1", amounts: { am: 800, tx: 0, sf: 0 } })
    expect(again).toMatchObject({ rst: "1", ta: 800 })
    await expect(client.sales(again.gid)).rejects.toMatchObject({ code: "ER032" }) // a CAPTURE job is already sold
  })

  it("keeps users and cards: register, update, card register/update/delete, user delete", async () => {
    const u = await client.registerUser({ uid: "usertwo", em: "two@example.jp" })
    await expect(client.registerUser({ uid: "usertwo", em: "two@example.jp" })).rejects.toBeInstanceOf(GatewayError)
    await client.updateUser({ uid: "usertwo", key: u.key, pn: "0312345678" })
    expect((await client.readUser("usertwo")).pn).toBe("0312345678")
    const num = await client.registerCard({ uid: "usertwo", key: u.key, tkn: await token({ uid: "usertwo" }) })
    await client.updateCard({ uid: "usertwo", key: u.key, num, tkn: await token({ uid: "usertwo" }, "5555555555554444") })
    expect((await client.readCard({ uid: "usertwo", key: u.key, num })).cn).toMatch(/4444$/)
    await client.deleteCard({ uid: "usertwo", key: u.key, num })
    await expect(client.readCard({ uid: "usertwo", key: u.key, num })).rejects.toBeInstanceOf(GatewayError)
    await client.deleteUser({ uid: "usertwo", key: u.key })
    await expect(client.readUser("usertwo")).rejects.toBeInstanceOf(GatewayError)
  })

  it("never logs a token, a key or a card number", async () => {
    const tkn = await token({ am: "500", tx: "0", sf: "0", em: "log@example.jp" })
    await client.tokenPayment({ jb: "AUTH", cod: "MJlog", tkn, amounts: { am: 500, tx: 0, sf: 0 }, payer: { em: "log@example.jp" } })
    const all = lines.join("\n")
    expect(lines.length).toBeGreaterThan(3)
    expect(all).not.toContain(tkn)
    expect(all).not.toMatch(/4444333322221111/)
    for (const u of sim.users()) expect(all).not.toContain(u.key)
    expect(all).toContain("[redacted]")
  })
})
