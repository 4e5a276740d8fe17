// The simulator on its own, with raw request bodies: what it accepts and what it refuses, and the
// codes it answers (SBPS's API型 基本仕様 and error codes). No import from src/gateways or src/core.
import iconv from "iconv-lite"
import { createHash } from "node:crypto"
import { startSbpsSimulator, SANDBOX_MERCHANT, type SbpsSimulator } from ".."
import { runCli } from "../../cli"
import { desEncrypt } from "../xml"

let sim: SbpsSimulator
beforeAll(async () => {
  sim = await startSbpsSimulator()
})
afterAll(() => sim.close())

const AUTH = "Basic " + Buffer.from("30132002:" + SANDBOX_MERCHANT.hashKey).toString("base64")
const sjis = (s: string) => iconv.encode(s, "Shift_JIS")

async function post(body: string | Buffer, auth = AUTH): Promise<{ status: number; text: string; contentType: string }> {
  const res = await fetch(`${sim.url}/api/xmlapi.do`, { method: "POST", headers: { authorization: auth, "content-type": "text/xml" }, body: new Uint8Array(typeof body === "string" ? sjis(body) : body) })
  return { status: res.status, text: iconv.decode(Buffer.from(await res.arrayBuffer()), "Shift_JIS"), contentType: res.headers.get("content-type") ?? "" }
}

const errCode = (text: string) => /<res_err_code>([^<]*)<\/res_err_code>/.exec(text)?.[1]

function jstNow(): string {
  return new Date(Date.now() + 9 * 3600_000).toISOString().replace(/[-:T]/g, "").slice(0, 14)
}

function signed(id: string, fields: Array<[string, string]>, key = SANDBOX_MERCHANT.hashKey): string {
  const hash = createHash("sha1").update(sjis(fields.map(([, v]) => v).join("") + key)).digest("hex")
  return `<?xml version="1.0" encoding="Shift_JIS"?><sps-api-request id="${id}">${fields.map(([t, v]) => `<${t}>${v}</${t}>`).join("")}<sps_hashcode>${hash}</sps_hashcode></sps-api-request>`
}

describe("SBPS simulator", () => {
  it("accepts the hash of a recorded sandbox request and then refuses its 2017 request_date (type 10)", async () => {
    const recorded =
      '<?xml version="1.0" encoding="Shift_JIS"?><sps-api-request id="ST02-00101-101"><merchant_id>30132</merchant_id><service_id>002</service_id><sps_transaction_id>B30132002ST010011110100361052543</sps_transaction_id><tracking_id>00000616307350</tracking_id><processing_datetime>20171127193711</processing_datetime><request_date>20171127193718</request_date><sps_hashcode>f7085f0d7eacd5796b738a3e8dd878d19be1c519</sps_hashcode></sps-api-request>'
    const r = await post(recorded)
    expect(r.status).toBe(200)
    expect(r.contentType).toBe("text/xml;charset=Shift_JIS")
    expect(errCode(r.text)).toBe("10110023")
    const tampered = recorded.replace("00000616307350", "00000616307351")
    expect(errCode((await post(tampered)).text)).toBe("10109025")
  })

  it("refuses the recorded 4-digit dealings_type with 10105202, as SBPS did", async () => {
    const body = signed("ST01-00131-101", [
      ["merchant_id", "30132"],
      ["service_id", "002"],
      ["cust_code", "c1"],
      ["order_id", "o1"],
      ["item_id", "i1"],
      ["amount", "100"],
      ["request_date", jstNow()],
    ]).replace("</amount>", "</amount><pay_method_info><dealings_type>1000</dealings_type></pay_method_info>")
    const r = await post(body)
    expect(errCode(r.text)).toBe("10105202")
    expect(r.text).not.toContain('id="ST01-00131-101"')
  })

  it("checks Basic auth, the declaration, the XML, the function id and element order", async () => {
    const ok = signed("MG01-00101-101", [["merchant_id", "30132"], ["service_id", "002"], ["tracking_id", "1"], ["request_date", jstNow()]])
    expect(errCode((await post(ok)).text)).toBe("10112027")
    expect((await post(ok, "Basic " + Buffer.from("30132002:wrong").toString("base64"))).status).toBe(401)
    expect(errCode((await post(ok.replace("Shift_JIS", "UTF-8"))).text)).toBe("99900000")
    expect(errCode((await post(ok.replace("</tracking_id>", ""))).text)).toBe("99900000")
    expect(errCode((await post(ok.replace(/MG01-00101-101/, "MG01-99999-101"))).text)).toBe("10102000")
    const swapped = signed("MG01-00101-101", [["service_id", "002"], ["merchant_id", "30132"], ["tracking_id", "1"], ["request_date", jstNow()]])
    expect(errCode((await post(swapped)).text)).toMatch(/^10100/)
    const missing = signed("MG01-00101-101", [["merchant_id", "30132"], ["service_id", "002"], ["request_date", jstNow()]])
    expect(errCode((await post(missing)).text)).toBe("10103027")
    const letters = signed("MG01-00101-101", [["merchant_id", "30132"], ["service_id", "002"], ["tracking_id", "1"], ["request_date", "2017112719371X"]])
    expect(errCode((await post(letters)).text)).toBe("10104023")
  })

  it("takes M fields as base64 of Shift_JIS and hashes their plain text", async () => {
    const name = "テスト商品"
    const date = jstNow()
    const plain: Array<[string, string]> = [["merchant_id", "30132"], ["service_id", "002"], ["cust_code", "c"], ["order_id", "o-m"], ["item_id", "i"], ["item_name", name], ["amount", "100"], ["request_date", date]]
    const hash = createHash("sha1").update(sjis(plain.map(([, v]) => v).join("") + SANDBOX_MERCHANT.hashKey)).digest("hex")
    const xml = `<?xml version="1.0" encoding="Shift_JIS"?><sps-api-request id="ST01-00131-101">${plain
      .map(([t, v]) => `<${t}>${t === "item_name" ? sjis(v).toString("base64") : v}</${t}>`)
      .join("")}<sps_hashcode>${hash}</sps_hashcode></sps-api-request>`
    // The hash and the fields pass; the saved card it falls back to does not exist (token 227 missing).
    expect(errCode((await post(xml)).text)).toBe("10103227")
    expect(errCode((await post(xml.replace(sjis(name).toString("base64"), name))).text)).toBe("10104006")
  })

  it("serves the token scripts and issues tokens with the vendor's error codes", async () => {
    expect(await (await fetch(`${sim.url}/sbpstoken/com_sbps_system_token.js`)).text()).toContain("com_sbps_system.generateToken")
    expect(await (await fetch(`${sim.url}/sbpstoken/com_sbps_system_tds2infotoken.js`)).text()).toContain("com_sbps_system_tds2.generateToken")
    const issue = (b: object) => fetch(`${sim.url}/sbpstoken/token`, { method: "POST", body: JSON.stringify(b) }).then((r) => r.json())
    expect(await issue({ merchantId: "30132", serviceId: "002", ccNumber: "4111111111111112", ccExpiration: "203012" })).toEqual({ result: "NG", errorCode: "07003" })
    expect(await issue({ merchantId: "30132", serviceId: "002", ccNumber: "4111111111111111", ccExpiration: "201001" })).toEqual({ result: "NG", errorCode: "07004" })
    expect(await issue({ merchantId: "30132", serviceId: "002", ccExpiration: "203012" })).toEqual({ result: "NG", errorCode: "03003" })
    const ok = (await issue({ merchantId: "30132", serviceId: "002", ccNumber: "4111111111111111", ccExpiration: "203012", securityCode: "123" })) as { tokenResponse: Record<string, string> }
    expect(ok.tokenResponse).toMatchObject({ maskedCcNumber: "************1111", ccExpiration: "203012", cardBrandCode: "V" })
    expect(JSON.stringify(sim.transactions())).not.toContain("4111111111111111")
  })

  it("starts from the CLI: medusa-payment-jp simulate sbps", async () => {
    const out: string[] = []
    const r = await runCli(["simulate", "sbps", "--port", "0", "--merchant-id", "12345", "--service-id", "001", "--hash-key", "k"], { out: (l) => out.push(l), err: () => undefined, handleSignals: false })
    expect(r.exitCode).toBe(0)
    try {
      expect(out[0]).toMatch(/^SBPS simulator listening on http:\/\/127\.0\.0\.1:\d+$/)
      const res = await fetch(`${r.running!.url}/api/xmlapi.do`, { method: "POST", headers: { authorization: "Basic " + Buffer.from("12345001:k").toString("base64") }, body: "x" })
      expect(errCode(iconv.decode(Buffer.from(await res.arrayBuffer()), "Shift_JIS"))).toBe("99900000")
    } finally {
      await r.running?.close()
    }
    expect((await runCli(["simulate", "sbps", "--merchant-id", "1"], { out: () => undefined, err: () => undefined })).exitCode).toBe(2)
  })
})

describe("SBPS simulator: 支払方法 (pay_method_info) and the merchant's contract", () => {
  const DES = { desKey: "abcdefghijklmnopqrstuvwx", desIv: "12345678" }
  let s: SbpsSimulator
  beforeAll(async () => {
    s = await startSbpsSimulator({ merchants: [{ ...SANDBOX_MERCHANT, ...DES }] })
  })
  afterAll(() => s.close())

  async function token(): Promise<{ token: string; tokenKey: string }> {
    const r = await fetch(`${s.url}/sbpstoken/token`, { method: "POST", body: JSON.stringify({ merchantId: "30132", serviceId: "002", ccNumber: "4111111111111111", ccExpiration: "203012" }) })
    return ((await r.json()) as { tokenResponse: { token: string; tokenKey: string } }).tokenResponse
  }
  let n = 0
  /** ST01-00131-101 with pay_method_info, its leaves 3DES-encrypted when `encrypt`. */
  async function authorize(method: { dealings_type?: string; divide_times?: string }, encrypt = false): Promise<string | undefined> {
    const t = await token()
    const leaves = Object.entries(method) as Array<[string, string]>
    const plain: Array<[string, string]> = [
      ["merchant_id", "30132"],
      ["service_id", "002"],
      ["cust_code", "c-pm"],
      ["order_id", `o-pm-${++n}`],
      ["item_id", "i"],
      ["amount", "3000"],
      ...leaves,
      ["token", t.token],
      ["token_key", t.tokenKey],
      ["encrypted_flg", encrypt ? "1" : "0"],
      ["request_date", jstNow()],
    ]
    const hash = createHash("sha1").update(sjis(plain.map(([, v]) => v).join("") + SANDBOX_MERCHANT.hashKey)).digest("hex")
    const el = ([tag, v]: [string, string]) => `<${tag}>${v}</${tag}>`
    const enc = ([tag, v]: [string, string]) => el([tag, encrypt ? desEncrypt(sjis(v), DES.desKey, DES.desIv) : v])
    const xml =
      `<?xml version="1.0" encoding="Shift_JIS"?><sps-api-request id="ST01-00131-101">` +
      plain.slice(0, 6).map(el).join("") +
      `<pay_method_info>${leaves.map(enc).join("")}</pay_method_info>` +
      `<pay_option_manage>${el(plain[6 + leaves.length])}${el(plain[7 + leaves.length])}</pay_option_manage>` +
      plain.slice(8 + leaves.length).map(el).join("") +
      `<sps_hashcode>${hash}</sps_hashcode></sps-api-request>`
    const res = await fetch(`${s.url}/api/xmlapi.do`, { method: "POST", headers: { authorization: AUTH, "content-type": "text/xml" }, body: new Uint8Array(sjis(xml)) })
    const text = iconv.decode(Buffer.from(await res.arrayBuffer()), "Shift_JIS")
    return text.includes("<res_result>OK</res_result>") ? "OK" : errCode(text)
  }

  it("takes 一括 only by default: 分割, ボーナス一括 and リボ are refused with the 指定不可 codes", async () => {
    s.setPaymentMethods(undefined)
    expect(await authorize({ dealings_type: "10" })).toBe("OK")
    expect(await authorize({})).toBe("OK") // no dealings_type: 一括
    expect(await authorize({ dealings_type: "61", divide_times: "3" })).toBe("10132203")
    expect(await authorize({ dealings_type: "21" })).toBe("10129202")
    expect(await authorize({ dealings_type: "80" })).toBe("10128202")
    expect(s.transactions().map((t) => [t.dealingsType, t.divideTimes])).toEqual([
      ["10", ""],
      ["10", ""],
    ])
  })

  it("checks divide_times: required with 61 (03203), a documented count (07203), with 61 only", async () => {
    s.setPaymentMethods({ installments: [3, 6], bonus: true })
    expect(await authorize({ dealings_type: "61" })).toBe("10103203")
    expect(await authorize({ dealings_type: "61", divide_times: "7" })).toBe("10107203")
    expect(await authorize({ dealings_type: "61", divide_times: "abc" })).toBe("10104203")
    expect(await authorize({ dealings_type: "61", divide_times: "1000" })).toBe("10105203")
    expect(await authorize({ dealings_type: "10", divide_times: "3" })).toBe("10107203")
    expect(await authorize({ dealings_type: "99" })).toBe("10107202")
    // A documented count outside the contract.
    expect(await authorize({ dealings_type: "61", divide_times: "10" })).toBe("10132203")
  })

  it("keeps what the contract allows, also 3DES-encrypted, and reports it in MG01", async () => {
    s.setPaymentMethods({ installments: [3, 6], bonus: true })
    const before = s.transactions().length
    expect(await authorize({ dealings_type: "61", divide_times: "3" }, true)).toBe("OK")
    expect(await authorize({ dealings_type: "21" })).toBe("OK")
    expect(await authorize({ dealings_type: "80" }, true)).toBe("10128202")
    const made = s.transactions().slice(before)
    expect(made.map((t) => [t.dealingsType, t.divideTimes])).toEqual([
      ["61", "3"],
      ["21", ""],
    ])
    const ref = signed("MG01-00101-101", [["merchant_id", "30132"], ["service_id", "002"], ["tracking_id", made[0].trackingId], ["request_date", jstNow()]])
    const text = iconv.decode(Buffer.from(await (await fetch(`${s.url}/api/xmlapi.do`, { method: "POST", headers: { authorization: AUTH }, body: new Uint8Array(sjis(ref)) })).arrayBuffer()), "Shift_JIS")
    expect(text).toMatch(/<dealings_type>61<\/dealings_type>\s*<divide_times>3<\/divide_times>/)
  })

  it("starts from the CLI with the contract: --installments 3,6 --bonus", async () => {
    const r = await runCli(["simulate", "sbps", "--port", "0", "--installments", "3,6", "--bonus"], { out: () => undefined, err: () => undefined, handleSignals: false })
    expect(r.exitCode).toBe(0)
    await r.running?.close()
    expect((await runCli(["simulate", "sbps", "--installments", "4"], { out: () => undefined, err: () => undefined })).exitCode).toBe(2)
  })
})
