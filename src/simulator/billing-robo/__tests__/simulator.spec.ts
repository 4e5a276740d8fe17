// The 請求管理ロボ simulator on its own, over HTTP: it refuses what the API specification says the API
// refuses, with the documented codes. Opens sockets.
import { startBillingRoboSimulator, PATHS, type BillingRoboSimulator } from ".."

let sim: BillingRoboSimulator
beforeAll(async () => {
  sim = await startBillingRoboSimulator()
})
afterAll(() => sim.close())

async function call(path: string, body: Record<string, unknown>) {
  const res = await fetch(sim.url + path, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ user_id: sim.credentials.userId, access_key: sim.credentials.accessKey, ...body }),
  })
  return { status: res.status, body: (await res.json()) as any }
}

const individual = { code: "S-1-i", name: "山田 花子", address1: "山田 花子", zip_code: "150-0001", pref: "東京都", city_address: "渋谷区神宮前1", tel: "03-1111-2222", email: "a@example.jp", payment_method_code: "S-1-c" }
const payment = { code: "S-1-c", name: "カード", payment_method: 1, credit_card_regist_kind: 1 }

describe("billing-robo simulator", () => {
  it("answers per-element errors on bulk_upsert (1184 above, 1185 beside) and saves nothing of that billing", async () => {
    const r = await call(PATHS.upsert, { billing: [{ code: "S-bad", name: "x", individual: [{ ...individual, code: "S-bad-i", zip_code: "15-1", payment_method_code: undefined }], payment: [{ ...payment, code: "S-bad-c" }] }] })
    expect(r.status).toBe(200)
    expect(r.body.billing[0]).toMatchObject({ error_code: 1184, individual: [{ error_code: 1111 }], payment: [{ error_code: 1185 }] })
    expect(sim.billings().find((b) => b.code === "S-bad")).toBeUndefined()
    const pref = await call(PATHS.upsert, { billing: [{ code: "S-bad", name: "x", individual: [{ ...individual, pref: "Tokyo" }], payment: [payment] }] })
    expect(pref.body.billing[0].individual[0].error_code).toBe(1112)
    const tel = await call(PATHS.upsert, { billing: [{ code: "S-bad", name: "x", individual: [{ ...individual, tel: undefined }], payment: [payment] }] })
    expect(tel.body.billing[0].individual[0].error_code).toBe(1123)
    expect((await call(PATHS.upsert, { billing: [] })).body.error.code).toBe(1101)
  })

  it("checks the common rules: user_id, access_key, JSON, unknown path", async () => {
    const bad = await fetch(sim.url + PATHS.search, { method: "POST", body: JSON.stringify({ user_id: sim.credentials.userId, access_key: "nope" }) })
    expect(bad.status).toBe(401)
    expect(((await bad.json()) as any).error.code).toBe(12)
    const notJson = await fetch(sim.url + PATHS.search, { method: "POST", body: "user_id=x" })
    expect(notJson.status).toBe(400)
    expect((await call("/api/v1.0/nothing", {})).body.error.code).toBe(10)
  })

  it("refuses a token for an unknown billing, number and code together, and a token it never issued", async () => {
    await call(PATHS.upsert, { billing: [{ code: "S-1", name: "山田", individual: [individual], payment: [payment] }] })
    expect((await call(PATHS.cardToken, { billing_code: "S-none", billing_payment_method_code: "S-1-c", token: "abc" })).body.error.code).toBe(3401)
    expect((await call(PATHS.cardToken, { billing_code: "S-1", billing_payment_method_code: "S-1-c", billing_payment_method_number: 1, token: "abc" })).body.error.code).toBe(3404)
    expect((await call(PATHS.cardToken, { billing_code: "S-1", billing_payment_method_code: "S-other", token: "abc" })).body.error.code).toBe(3403)
    expect((await call(PATHS.cardToken, { billing_code: "S-1", billing_payment_method_code: "S-1-c", token: "notissued" })).body.error.code).toBe(3405)
  })

  it("refuses a bill for a future date, another jb, more than one bill, and an unregistered card", async () => {
    const today = sim.now()
    const jst = new Date(today.getTime() + 9 * 3600_000)
    const d = `${jst.getUTCFullYear()}/${String(jst.getUTCMonth() + 1).padStart(2, "0")}/${String(jst.getUTCDate()).padStart(2, "0")}`
    const tomorrow = new Date(jst.getTime() + 86400_000)
    const t = `${tomorrow.getUTCFullYear()}/${String(tomorrow.getUTCMonth() + 1).padStart(2, "0")}/${String(tomorrow.getUTCDate()).padStart(2, "0")}`
    const bill = {
      billing_code: "S-1",
      billing_individual_code: "S-1-i",
      billing_method: 0,
      bill_template_code: 10000,
      tax: 10,
      issue_date: d,
      sending_date: d,
      deadline_date: d,
      jb: "CAPTURE",
      bill_detail: [{ demand_type: 0, goods_name: "x", price: 1000, quantity: 1, tax_category: 1, start_date: d, period_format: 99 }],
    }
    await call(PATHS.upsert, { billing: [{ code: "S-1", name: "山田", individual: [individual], payment: [payment] }] })
    const code = async (b: unknown) => (await call(PATHS.register, { bill: Array.isArray(b) ? b : [b] })).body.user.bill[0]
    expect((await code({ ...bill, issue_date: t })).error_code).toBe(239)
    expect((await code({ ...bill, jb: "AUTH" })).error_code).toBe(232)
    expect((await code([bill, bill])).error_code).toBe(242)
    expect((await code({ ...bill, tax: 5 })).error_code).toBe(211)
    expect((await code({ ...bill, bill_detail: [{ ...bill.bill_detail[0], price: 10_000_000 }] })).error_code).toBe(207)
    expect(await code(bill)).toMatchObject({ error_code: 234, ec: "ER021" })
    expect(sim.bills()).toHaveLength(0)
  })

  it("limits requests per IP (the refused ones count too) until the window passes", async () => {
    const limited = await startBillingRoboSimulator({ requestLimit: 2, requestWindowMs: 60_000 })
    try {
      const post = () => fetch(limited.url + PATHS.search, { method: "POST", body: JSON.stringify({ user_id: limited.credentials.userId, access_key: limited.credentials.accessKey }) })
      expect((await post()).status).toBe(200)
      expect((await post()).status).toBe(200)
      const third = await post()
      expect(third.status).toBe(429)
      expect(((await third.json()) as any).error.code).toBe(20)
      await limited.advanceClock(30_000)
      expect((await post()).status).toBe(429)
      await limited.advanceClock(61_000)
      expect((await post()).status).toBe(200)
    } finally {
      await limited.close()
    }
  })
})
