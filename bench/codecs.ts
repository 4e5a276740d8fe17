// Codec rows: each gateway's parser (or builder) against an I/O-free baseline doing the same amount
// of work on the same number of bytes — JSON.parse of a JSON body of equal length — run in
// alternating chunks. The value is time(codec) ÷ time(JSON.parse): a parser that turns slow shows.
// Goals: about 1.5× the ratio first measured (Node 20, 2 cores), so a regression of half again fails;
// they are guards, not targets — every codec costs under 0.5 ms next to a gateway round trip of ms.
import { performance } from "node:perf_hooks"
import { percentile, type Row } from "./stats"

function chunkMs(n: number, f: (i: number) => unknown): number {
  const t = performance.now()
  for (let i = 0; i < n; i++) f(i)
  return (performance.now() - t) / n
}

/** A JSON text of exactly `length` characters (an object with one padded string). */
export function jsonOfLength(length: number): string {
  const base = JSON.stringify({ a: "" })
  return JSON.stringify({ a: "x".repeat(Math.max(0, length - base.length)) })
}

function ratio(name: string, sample: string, f: (i: number) => unknown, goal: number, chunks = 30, per = 2000): Row {
  const json = jsonOfLength(sample.length)
  const base = () => JSON.parse(json)
  for (let i = 0; i < 3; i++) chunkMs(per, f), chunkMs(per, base) // warm-up, dropped
  const codec: number[] = []
  const baseline: number[] = []
  for (let c = 0; c < chunks; c++) {
    if (c % 2) codec.push(chunkMs(per, f)), baseline.push(chunkMs(per, base))
    else baseline.push(chunkMs(per, base)), codec.push(chunkMs(per, f))
  }
  const cm = percentile(codec, 50)
  const bm = percentile(baseline, 50)
  return { name: `codec ${name} ÷ JSON.parse (${sample.length} B)`, value: cm / bm, direction: "max", goal, note: `${(cm * 1000).toFixed(1)} vs ${(bm * 1000).toFixed(1)} µs` }
}

export async function codecRows(): Promise<Row[]> {
  const { toOrderCode, fromOrderCode } = await import("../src/core/order-code")
  const { parseAnswer, parsePaymentRecord } = await import("../src/gateways/robot-payment/codec")
  const { parseKeyValue } = await import("../src/gateways/paygent/codec")
  const { buildRequest, parseResponse } = await import("../src/gateways/sbps/codec")
  const po = await import("../src/gateways/payment-options/codec")
  const rows: Row[] = []

  const ids = Array.from({ length: 1000 }, (_, i) => `payses_01JABCDEFGHJKMNPQRSTV${String(i).padStart(5, "0")}`)
  rows.push(ratio("order code round trip", ids[0], (i) => fromOrderCode(toOrderCode(ids[i % 1000])), 200))

  const rp = "1095729,1,TestMod,,205685,MJ0351yFUdtviOel1OCPXJSi,3000,0,0,3000,,,memo=x"
  rows.push(
    ratio("ROBOT PAYMENT answer parse", rp, () => {
      const a = parseAnswer(rp)
      if (a.shape === "csv") parsePaymentRecord(a.fields, rp)
    }, 30)
  )

  const acs = `result=0\r\nresponse_code=\r\n3ds_auth_id=11111111-1111-1111-1111-111111111111\r\nout_acs_html=\r\n${'<input type="hidden" name="x" value="y">\r\n'.repeat(40)}`
  rows.push(ratio("PAYGENT 450 answer parse", acs, () => parseKeyValue(acs), 10))

  const tokenHex = "A".repeat(246)
  const nodes = (i: number) => [
    { tag: "merchant_id", value: "30132" }, { tag: "service_id", value: "002" }, { tag: "cust_code", value: "cus_01" },
    { tag: "order_id", value: `MJ${i}` }, { tag: "item_id", value: "medusa" }, { tag: "amount", value: 3000 },
    { tag: "pay_method_info", children: [{ tag: "dealings_type", value: "10" }] },
    { tag: "pay_option_manage", children: [{ tag: "token", value: tokenHex }, { tag: "token_key", value: tokenHex.slice(0, 182) }] },
    { tag: "encrypted_flg", value: "0" }, { tag: "request_date", value: "20261201120000" },
  ]
  const built = buildRequest("ST01-00131-101", nodes(0), { hashKey: "8435dbd48f2249807ec216c3d5ecab714264cc4a" })
  rows.push(ratio("SBPS request build + sps_hashcode", built, (i) => buildRequest("ST01-00131-101", nodes(i), { hashKey: "8435dbd48f2249807ec216c3d5ecab714264cc4a" }), 160, 30, 500))
  const answer =
    "<?xml version='1.0' encoding='Shift_JIS' ?>\n<sps-api-response id=\"ST01-00131-101\"><res_result>OK</res_result><res_sps_transaction_id>B30132002ST010013110100361052570</res_sps_transaction_id><res_tracking_id>00000616307351</res_tracking_id><res_pay_method_info><cc_company_code>99665</cc_company_code><cardbrand_code>M</cardbrand_code><recognized_no>123456</recognized_no></res_pay_method_info><res_process_date>20171127193716</res_process_date><res_err_code/><res_date>20171127193716</res_date></sps-api-response>"
  rows.push(ratio("SBPS answer parse (XML)", answer, () => parseResponse(answer), 750, 30, 500))

  const envelope = JSON.stringify(require("../src/gateways/payment-options/__tests__/vendor-use-token-response.json"))
  rows.push(ratio("PaymentOptions envelope parse", envelope, () => po.parsePaymentAnswer(JSON.parse(envelope)), 40))
  return rows
}
