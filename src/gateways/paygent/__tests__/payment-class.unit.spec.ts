// 支払区分 on the wire: 020's payment_class / split_count for each 支払方法, on every path that sends a
// 020 (token, saved card, after 3-D Secure), and that a method PAYGENT does not take never gets that
// far. The transport is replaced by a recorder (no socket): this is the telegram as built.
import type { HttpRequest, HttpResponse } from "../../../core/http"
import { parseOptions } from "../../../core/options"
import { PaygentClient } from "../client"
import { paymentClassOf } from "../gateway"
import { paygent } from ".."

function recordingClient(): { client: PaygentClient; sent: () => Record<string, string | number | undefined> } {
  const client = new PaygentClient({ merchantId: "100000001", connectId: "c", connectPassword: "p", telegramVersion: "1.0", baseUrl: "https://paygent.invalid", clientCertificate: "x" })
  let form: Record<string, string | number | undefined> = {}
  const fake = {
    request: async (r: HttpRequest): Promise<HttpResponse> => {
      form = r.form ?? {}
      return { status: 200, headers: { "content-type": "text/plain; charset=Windows-31J" }, body: Buffer.from("result=0\r\nresponse_code=\r\nresponse_detail=\r\ntrading_id=T1\r\npayment_id=123456789012345678\r\n", "latin1") }
    },
    close: async () => undefined,
  }
  ;(client as unknown as { transport: typeof fake }).transport = fake
  return { client, sent: () => form }
}

describe("PAYGENT payment_class", () => {
  it("maps 1回払い, 分割 n回, ボーナス1回 and リボ to 10/61/23/80 (split_count only with 61)", () => {
    expect(paymentClassOf({ type: "lump" })).toEqual({ paymentClass: "10" })
    expect(paymentClassOf(undefined)).toEqual({ paymentClass: "10" })
    expect(paymentClassOf({ type: "installments", count: 12 })).toEqual({ paymentClass: "61", splitCount: 12 })
    expect(paymentClassOf({ type: "bonus" })).toEqual({ paymentClass: "23" })
    expect(paymentClassOf({ type: "revolving" })).toEqual({ paymentClass: "80" })
    expect(() => paymentClassOf({ type: "installments", count: 2 })).toThrow(/payment_method installments:2 is not one PAYGENT documents/)
  })

  it("sends them in 020 with a token, a saved card and a 3-D Secure result", async () => {
    const { client, sent } = recordingClient()
    const base = { tradingId: "T1", amount: 3000, capture: false }
    await client.authorize({ ...base, card: { token: "tok_x" }, threeDS: { ryaku: true } })
    expect(sent()).toMatchObject({ telegram_kind: "020", payment_class: "10" })
    expect(sent()).not.toHaveProperty("split_count", expect.anything())
    await client.authorize({ ...base, card: { token: "tok_x" }, threeDS: { ryaku: true }, paymentClass: { paymentClass: "61", splitCount: 3 } })
    expect(sent()).toMatchObject({ payment_class: "61", split_count: "3", card_token: "tok_x" })
    await client.authorize({ ...base, card: { customerId: "cus", customerCardId: "9" }, threeDS: { authId: "A" }, paymentClass: { paymentClass: "23" } })
    expect(sent()).toMatchObject({ payment_class: "23", stock_card_mode: "1", "3ds_auth_id": "A" })
    expect(sent().split_count).toBeUndefined()
    await client.authorize({ ...base, card: { token: "tok_x" }, threeDS: { ryaku: true }, paymentClass: { paymentClass: "80", splitCount: 3 } })
    expect(sent()).toMatchObject({ payment_class: "80" })
    expect(sent().split_count).toBeUndefined()
  })

  it("documents 分割/ボーナス/リボ and checks the option paymentMethods at boot", () => {
    expect(paygent.capabilities.installments).toBe(true)
    expect(paygent.paymentMethods).toEqual({ installments: [3, 5, 6, 10, 12, 15, 18, 20, 24], bonus: true, revolving: true })
    const base = { merchantId: "100000001", connectId: "conn", connectPassword: "pass1", clientCertificate: "/kit/client.pem", merchantName: "Shop", threeDSResultHashKey: "k", tokenGenerationKey: "g", threeDSecure: false }
    expect(parseOptions(paygent, { ...base, paymentMethods: { installments: [3, 6], revolving: true } })).toMatchObject({ paymentMethods: { installments: [3, 6], revolving: true } })
    expect(() => parseOptions(paygent, { ...base, paymentMethods: { installments: [2] } })).toThrow(/installments/)
  })
})
