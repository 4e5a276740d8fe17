// The simulator on its own, with raw request bodies: what it accepts and what it refuses, and the
// codes it answers (SBPS's API型 基本仕様 and error codes). No import from src/gateways or src/core.
import iconv from "iconv-lite"
import { createHash } from "node:crypto"
import { startSbpsSimulator, SANDBOX_MERCHANT, type SbpsSimulator } from ".."
import { runCli } from "../../cli"

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
