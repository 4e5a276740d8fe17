// 支払方法 on the wire: what pay_method_info the client writes for each method, plain and 3DES
// (encrypted_flg=1), and that a method SBPS does not take never gets that far. The transport is
// replaced by a recorder (no socket): this is the codec's output, byte for byte.
import type { HttpRequest, HttpResponse } from "../../../core/http"
import { parseOptions } from "../../../core/options"
import { SbpsClient, type PayMethodInfo } from "../client"
import { decrypt3des, fromSjis, spsHashcode } from "../codec"
import { payMethodInfo } from "../gateway"
import { sbps } from ".."

const DES = { key: "abcdefghyjklmn1234567890", iv: "12345678" }
const OK =
  "<?xml version='1.0' encoding='Shift_JIS' ?><sps-api-response id=\"ST01-00131-101\"><res_result>OK</res_result><res_sps_transaction_id>B1</res_sps_transaction_id><res_tracking_id>00000616307351</res_tracking_id><res_process_date>20171127193716</res_process_date><res_err_code/><res_date>20171127193716</res_date></sps-api-response>"

function recordingClient(des?: typeof DES): { client: SbpsClient; sent: () => string } {
  const client = new SbpsClient({ merchantId: "30132", serviceId: "002", hashKey: "k", baseUrl: "http://sbps.invalid", des, now: () => new Date("2026-12-03T01:00:00Z") })
  let body = ""
  const fake = {
    request: async (r: HttpRequest): Promise<HttpResponse> => {
      body = fromSjis(Buffer.from(r.body!.data as Buffer))
      const id = /id="([^"]+)"/.exec(body)![1]
      return { status: 200, headers: { "content-type": "text/xml;charset=Shift_JIS" }, body: Buffer.from(OK.replace("ST01-00131-101", id), "latin1") }
    },
    close: async () => undefined,
  }
  ;(client as unknown as { transport: typeof fake }).transport = fake
  return { client, sent: () => body }
}

const order = { custCode: "c", orderId: "o1", itemId: "medusa", amount: 3000 }
const block = (xml: string) => /<pay_method_info>(.*?)<\/pay_method_info>/.exec(xml)?.[1]

describe("SBPS pay_method_info", () => {
  it("maps 一括, 分割 n回, ボーナス一括 and リボ to dealings_type 10/61/21/80 (divide_times only with 61)", () => {
    expect(payMethodInfo({ type: "lump" })).toEqual({ dealingsType: "10" })
    expect(payMethodInfo(undefined)).toEqual({ dealingsType: "10" })
    expect(payMethodInfo({ type: "installments", count: 3 })).toEqual({ dealingsType: "61", divideTimes: 3 })
    expect(payMethodInfo({ type: "bonus" })).toEqual({ dealingsType: "21" })
    expect(payMethodInfo({ type: "revolving" })).toEqual({ dealingsType: "80" })
    expect(() => payMethodInfo({ type: "installments", count: 7 })).toThrow(/payment_method installments:7 is not one SBPS documents/)
    expect(() => payMethodInfo({ type: "installments" })).toThrow(/SBPS/)
  })

  it("writes them in the plain request, in SBPS's order and in the hash", async () => {
    const { client, sent } = recordingClient()
    const cases: Array<[PayMethodInfo | undefined, string]> = [
      [undefined, "<dealings_type>10</dealings_type>"],
      [{ dealingsType: "61", divideTimes: 3 }, "<dealings_type>61</dealings_type><divide_times>3</divide_times>"],
      [{ dealingsType: "21" }, "<dealings_type>21</dealings_type>"],
      [{ dealingsType: "80", divideTimes: 3 }, "<dealings_type>80</dealings_type>"],
    ]
    for (const [payMethod, expected] of cases) {
      await client.authorize({ ...order, token: "T".repeat(20), tokenKey: "K".repeat(20), payMethod })
      expect(block(sent())).toBe(expected)
      expect(sent()).toMatch(/<amount>3000<\/amount><pay_method_info>.*<\/pay_method_info><pay_option_manage><token>/)
    }
    // ST01-00118 (after 3-D Secure) carries it too.
    await client.authorize3ds({ ...order, tdsAuthenticationId: "A1", payMethod: { dealingsType: "61", divideTimes: 10 } })
    expect(sent()).toContain('id="ST01-00118-101"')
    expect(block(sent())).toBe("<dealings_type>61</dealings_type><divide_times>10</divide_times>")
    const values = ["30132", "002", "c", "o1", "medusa", "3000", "61", "10", "0", "1", "A1", "0", "20261203100000"]
    expect(/<sps_hashcode>(\w+)<\/sps_hashcode>/.exec(sent())![1]).toBe(spsHashcode(values, "k"))
  })

  it("3DES-encrypts dealings_type and divide_times with encrypted_flg=1, hashing the plain values", async () => {
    const { client, sent } = recordingClient(DES)
    await client.authorize({ ...order, token: "T".repeat(20), tokenKey: "K".repeat(20), payMethod: { dealingsType: "61", divideTimes: 6 } })
    const m = /<pay_method_info><dealings_type>([^<]+)<\/dealings_type><divide_times>([^<]+)<\/divide_times><\/pay_method_info>/.exec(sent())!
    expect(m[1]).not.toBe("61")
    expect(decrypt3des(m[1], DES)).toBe("61")
    expect(decrypt3des(m[2], DES)).toBe("6")
    expect(sent()).toContain("<encrypted_flg>1</encrypted_flg>")
    const values = ["30132", "002", "c", "o1", "medusa", "3000", "61", "6", "T".repeat(20), "K".repeat(20), "0", "1", "1", "20261203100000"]
    expect(/<sps_hashcode>(\w+)<\/sps_hashcode>/.exec(sent())![1]).toBe(spsHashcode(values, "k"))
  })

  it("documents 分割/ボーナス/リボ and checks the option paymentMethods at boot", () => {
    expect(sbps.capabilities.installments).toBe(true)
    expect(sbps.paymentMethods).toEqual({ installments: [3, 5, 6, 10, 12, 15, 18, 20, 24], bonus: true, revolving: true })
    const base = { merchantId: "30132", serviceId: "002", hashKey: "k", threeDSecure: false }
    expect(parseOptions(sbps, { ...base, paymentMethods: { installments: [3, 6], bonus: true } })).toMatchObject({ paymentMethods: { installments: [3, 6], bonus: true } })
    expect(() => parseOptions(sbps, { ...base, paymentMethods: { installments: [4] } })).toThrow(/installments.*(documents|4)/s)
    expect(() => parseOptions(sbps, { ...base, paymentMethods: { other: true } })).toThrow(/paymentMethods|Unrecognized/)
  })
})
