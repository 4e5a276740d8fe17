// The client against the simulator over HTTP: every operation, the state machine, and the errors
// a real SBPS would answer. The simulator is written apart from the client, so agreement here means
// both read SBPS's public record (docs/gateways/sbps.md) the same way.
import { GatewayError } from "../../../core/gateway"
import { startSbpsSimulator, SANDBOX_MERCHANT, type SbpsSimulator } from "../../../simulator/sbps"
import { SbpsClient } from "../client"

let sim: SbpsSimulator
let client: SbpsClient
let seq = 0

const DES = { key: "abcdefghyjklmn1234567890", iv: "12345678" }

beforeAll(async () => {
  sim = await startSbpsSimulator({
    merchants: [SANDBOX_MERCHANT, { merchantId: "12345", serviceId: "001", hashKey: "enc-hash-key", desKey: DES.key, desIv: DES.iv }],
  })
  client = new SbpsClient({ ...SANDBOX_MERCHANT, baseUrl: sim.url, timeoutMs: 2000 })
})
afterAll(async () => {
  await client.close()
  await sim.close()
})
afterEach(() => sim.clearFaults())

async function token(pan = "4111111111111111", merchant = SANDBOX_MERCHANT): Promise<{ token: string; tokenKey: string }> {
  const res = await fetch(`${sim.url}/sbpstoken/token`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ merchantId: merchant.merchantId, serviceId: merchant.serviceId, ccNumber: pan, ccExpiration: "203012", securityCode: "123" }),
  })
  const r = (await res.json()) as { result: string; tokenResponse: { token: string; tokenKey: string } }
  expect(r.result).toBe("OK")
  return r.tokenResponse
}

const order = () => ({ custCode: `cust-${++seq}`, orderId: `order-${Date.now()}-${seq}`, itemId: "medusa", amount: 5000 })

async function rejects(p: Promise<unknown>): Promise<GatewayError> {
  try {
    await p
  } catch (e) {
    expect(e).toBeInstanceOf(GatewayError)
    return e as GatewayError
  }
  throw new Error("expected a GatewayError")
}

describe("SBPS client ↔ simulator", () => {
  it("authorizes with a token, commits, captures less, refunds in part and in full", async () => {
    const o = order()
    const auth = await client.authorize({ ...o, ...(await token()) })
    expect(auth.trackingId).toMatch(/^\d{14}$/)
    expect(auth.brand).toBe("V")
    expect((await client.inquire(auth.trackingId)).commitStatus).toBe("0")
    await client.commitPayment(auth.trackingId, auth.processDate)
    expect(await client.inquire(auth.trackingId)).toMatchObject({ commitStatus: "1", paymentStatus: "1", masked: "************1111", brand: "V" })
    expect((await rejects(client.sales(auth.trackingId, 6000))).code).toBe("10179008")
    await client.sales(auth.trackingId, 4000)
    expect((await client.inquire(auth.trackingId)).paymentStatus).toBe("2")
    expect((await rejects(client.partialRefund(auth.trackingId, 4001))).code).toBe("101K1008")
    await client.partialRefund(auth.trackingId, 1000)
    expect((await client.inquire(auth.trackingId)).paymentStatus).toBe("5")
    await client.cancelRefund(auth.trackingId)
    expect((await client.inquire(auth.trackingId)).paymentStatus).toBe("4")
  })

  it("cancels an authorization; a partial refund before sales is K0", async () => {
    const auth = await client.authorize({ ...order(), ...(await token()) })
    await client.commitPayment(auth.trackingId)
    expect((await rejects(client.partialRefund(auth.trackingId, 100))).code).toBe("101K0008")
    await client.cancelRefund(auth.trackingId)
    expect((await client.inquire(auth.trackingId)).paymentStatus).toBe("3")
    expect((await rejects(client.sales(auth.trackingId))).code).toBe("10140999")
  })

  it("a token is used once and expires", async () => {
    const t = await token()
    await client.authorize({ ...order(), ...t })
    const reused = await rejects(client.authorize({ ...order(), ...t }))
    expect(reused.code).toBe("101T1227")
    const t2 = await token()
    // Eleven minutes later on both clocks (the request date must stay fresh).
    sim.advanceClock(11 * 60_000)
    const later = new SbpsClient({ ...SANDBOX_MERCHANT, baseUrl: sim.url, now: () => new Date(Date.now() + 11 * 60_000) })
    try {
      const expired = await rejects(later.authorize({ ...order(), ...t2 }))
      expect(expired.code).toBe("101T2227")
      expect(expired.message).toContain("make a new token")
      // The same request with the client's own (11 minutes late) clock is a request-date error.
      expect((await rejects(client.inquire("1"))).code).toBe("10110023")
    } finally {
      sim.advanceClock(-11 * 60_000)
      await later.close()
    }
  })

  it("a declined card is a declined GatewayError with both languages", async () => {
    const e = await rejects(client.authorize({ ...order(), ...(await token("4000000000000002")) }))
    expect(e).toMatchObject({ code: "10122999", kind: "declined", messageJa: "クレジットカード: 利用限度額超過" })
  })

  it("saves a card while paying and pays again with cust_code alone", async () => {
    const o = order()
    await client.authorize({ ...o, ...(await token("5555555555554444")), saveCard: true })
    expect(await client.readCustomer(o.custCode)).toMatchObject({ masked: "************4444", expiry: "203012", brand: "M" })
    const again = await client.authorize({ ...o, orderId: o.orderId + "b" })
    expect(again.trackingId).toMatch(/^\d{14}$/)
    await client.deleteCustomer(o.custCode)
    expect(await client.readCustomer(o.custCode)).toBeNull()
    expect((await rejects(client.authorize({ ...o, orderId: o.orderId + "c" }))).code).toBe("10103227")
  })

  it("MG02 registers and updates a customer's card with a token", async () => {
    const c = `cust-${++seq}`
    await client.saveCustomer({ custCode: c, ...(await token()) })
    await client.saveCustomer({ custCode: c, ...(await token("3530111333300000")), update: true })
    expect((await client.readCustomer(c))?.brand).toBe("J")
  })

  it("3-D Secure: TA02, the ACS page back to ok_return_url, then ST01-00118 and commit", async () => {
    const o = order()
    const t = await token()
    const tds = await fetch(`${sim.url}/sbpstoken/tds2infotoken`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ merchantId: "30132", serviceId: "002", email: "taro@example.jp" }),
    }).then((r) => r.json() as Promise<{ tokenResponse: { tds2infoToken: string; tds2infoTokenKey: string } }>)
    const a = await client.tdsAuthenticate({
      custCode: o.custCode,
      amount: o.amount,
      ...t,
      tdsInfoToken: tds.tokenResponse.tds2infoToken,
      tdsInfoTokenKey: tds.tokenResponse.tds2infoTokenKey,
      okReturnUrl: "http://shop.example/ok",
      ngReturnUrl: "http://shop.example/ng",
    })
    expect((await rejects(client.authorize3ds({ ...o, tdsAuthenticationId: a.tdsAuthenticationId }))).code).toBe("10194999")
    const page = await (await fetch(a.redirectUrl)).text()
    expect(page).toContain("http://shop.example/ok")
    expect((await rejects(client.authorize3ds({ ...o, amount: 1, tdsAuthenticationId: a.tdsAuthenticationId }))).code).toBe("10107008")
    const auth = await client.authorize3ds({ ...o, tdsAuthenticationId: a.tdsAuthenticationId })
    await client.commitPayment(auth.trackingId)
    expect(sim.transactions().find((x) => x.trackingId === auth.trackingId)).toMatchObject({ threeDS: true, commitStatus: "1" })
  })

  it("encrypted_flg=1: pay_method_info goes 3DES and the answer is decrypted", async () => {
    const m = { merchantId: "12345", serviceId: "001", hashKey: "enc-hash-key" }
    const enc = new SbpsClient({ ...m, des: DES, baseUrl: sim.url })
    try {
      const auth = await enc.authorize({ ...order(), ...(await token("4111111111111111", m)) })
      expect(auth.brand).toBe("V")
      await enc.commitPayment(auth.trackingId)
      expect(await enc.inquire(auth.trackingId)).toMatchObject({ commitStatus: "1", brand: "V" })
    } finally {
      await enc.close()
    }
  })

  it("a wrong hash key is refused with 09 (item 025); wrong Basic auth is HTTP 401", async () => {
    const bad = new SbpsClient({ ...SANDBOX_MERCHANT, basicAuthPassword: SANDBOX_MERCHANT.hashKey, hashKey: "wrong", baseUrl: sim.url })
    const e = await rejects(bad.inquire("00000000000001"))
    expect(e).toMatchObject({ code: "10109025", kind: "merchant" })
    expect(e.message).toContain("sps_hashcode")
    await bad.close()
    const noAuth = new SbpsClient({ ...SANDBOX_MERCHANT, basicAuthPassword: "nope", baseUrl: sim.url })
    expect(await rejects(noAuth.inquire("00000000000001"))).toMatchObject({ code: "HTTP_401", kind: "merchant" })
    await noAuth.close()
  })

  it("an unknown tracking id is type 12", async () => {
    expect((await rejects(client.commitPayment("99999999999999"))).code).toBe("10112027")
  })

  it("an HTTP error page, malformed XML, a wrong encoding and a lost answer are clear errors", async () => {
    // An error page to a call that moves money leaves its outcome unknown; to a status query it is asked again.
    sim.inject({ kind: "status", status: 503 })
    expect(await rejects(client.commitPayment("1"))).toMatchObject({ code: "HTTP_503", kind: "unknown_outcome" })
    sim.inject({ kind: "status", status: 503 })
    expect(await rejects(client.inquire("1"))).toMatchObject({ code: "HTTP_503", kind: "retry" })
    sim.inject({ kind: "malformed" })
    expect(await rejects(client.inquire("1"))).toMatchObject({ code: "MALFORMED", kind: "retry" })
    sim.inject({ kind: "malformed" })
    expect(await rejects(client.commitPayment("1"))).toMatchObject({ code: "MALFORMED", kind: "unknown_outcome" })
    sim.inject({ kind: "wrong-encoding" })
    const enc = await rejects(client.inquire("1"))
    expect(enc.message).toMatch(/not Shift_JIS/)
    sim.inject({ kind: "reset", after: true })
    expect(await rejects(client.authorize({ ...order(), ...(await token()) }))).toMatchObject({ kind: "unknown_outcome" })
  })
})
