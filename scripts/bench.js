#!/usr/bin/env node
// `npm run bench`: speed and memory of the hot paths, against goals. Runs the TypeScript sources
// through ts-node; talks only to a simulator on 127.0.0.1, with bounded loops.
require("ts-node").register({ transpileOnly: true, compilerOptions: { module: "commonjs" } })
const { performance } = require("node:perf_hooks")
const { toOrderCode, fromOrderCode } = require("../src/core/order-code")
const { parseAnswer, parsePaymentRecord } = require("../src/gateways/robot-payment/codec")
const { RobotPaymentClient } = require("../src/gateways/robot-payment/client")
const { startRobotPaymentSimulator } = require("../src/simulator/robot-payment")
const { parseKeyValue } = require("../src/gateways/paygent/codec")
const { PaygentClient } = require("../src/gateways/paygent/client")
const { startPaygentSimulator, DEFAULT_MERCHANT } = require("../src/simulator/paygent")
const { buildRequest, parseResponse } = require("../src/gateways/sbps/codec")
const { SbpsClient } = require("../src/gateways/sbps/client")
const { startSbpsSimulator, SANDBOX_MERCHANT } = require("../src/simulator/sbps")
const poCodec = require("../src/gateways/payment-options/codec")
const { PaymentOptionsClient } = require("../src/gateways/payment-options/client")
const { startPaymentOptionsSimulator } = require("../src/simulator/payment-options")

const results = []
function goal(name, value, unit, ok, target) {
  results.push({ name, value: `${value} ${unit}`, target, ok })
}

function opsPerSec(n, f) {
  for (let i = 0; i < Math.min(n, 1000); i++) f(i) // warm up
  const t = performance.now()
  for (let i = 0; i < n; i++) f(i)
  return Math.round(n / ((performance.now() - t) / 1000))
}

async function main() {
  const ids = Array.from({ length: 1000 }, (_, i) => `payses_01JABCDEFGHJKMNPQRSTV${String(i).padStart(5, "0")}`)
  const oc = opsPerSec(200_000, (i) => fromOrderCode(toOrderCode(ids[i % 1000])))
  goal("order code round trip", oc, "ops/s", oc >= 20_000, ">= 20,000 ops/s (one per session)")

  const body = "1095729,1,TestMod,,205685,MJ0351yFUdtviOel1OCPXJSi,3000,0,0,3000,,,memo=x"
  const cp = opsPerSec(200_000, () => {
    const a = parseAnswer(body)
    if (a.shape === "csv") parsePaymentRecord(a.fields, body)
  })
  goal("ROBOT PAYMENT answer parse", cp, "ops/s", cp >= 100_000, ">= 100,000 ops/s")

  // A full payment through the client against the simulator: token, 3-D Secure, AUTH, SALES.
  const sim = await startRobotPaymentSimulator({ stores: [{ aid: "123456" }] })
  const client = new RobotPaymentClient({ aid: "123456", baseUrl: sim.url, timeoutMs: 5000 })
  const post = async (path, body) => (await fetch(sim.url + path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) })).json()
  const N = 300
  const lat = []
  const heapBefore = process.memoryUsage().heapUsed
  for (let i = 0; i < N; i++) {
    const { token } = await post("/gateway/token/create", { aid: "123456", cn: "4444333322221111", ed: "3012", fn: "TARO", ln: "YAMADA" })
    await post("/gateway/3ds/authenticate", { aid: "123456", tkn: token, am: "1000", tx: "0", sf: "0" })
    const t = performance.now()
    const r = await client.tokenPayment({ jb: "AUTH", cod: `B${i}`, tkn: token, amounts: { am: 1000, tx: 0, sf: 0 }, payer: { em: "bench@example.jp" } })
    await client.sales(r.gid)
    lat.push(performance.now() - t)
  }
  global.gc?.()
  const heapGrowthMb = (process.memoryUsage().heapUsed - heapBefore) / 1048576
  lat.sort((a, b) => a - b)
  const p50 = lat[Math.floor(N * 0.5)].toFixed(1)
  const p95 = lat[Math.floor(N * 0.95)].toFixed(1)
  goal("AUTH + SALES via client (p50)", p50, "ms", Number(p50) <= 20, "<= 20 ms on loopback")
  goal("AUTH + SALES via client (p95)", p95, "ms", Number(p95) <= 50, "<= 50 ms on loopback")
  goal(`heap growth over ${N} payments`, heapGrowthMb.toFixed(1), "MiB", heapGrowthMb <= 64, "<= 64 MiB")
  await client.close()
  await sim.close()

  // PAYGENT: a 450 answer (out_acs_html last), and 020 + 022 over mutual TLS against its simulator.
  const acs = `result=0\r\nresponse_code=\r\n3ds_auth_id=11111111-1111-1111-1111-111111111111\r\nout_acs_html=\r\n${"<input type=\"hidden\" name=\"x\" value=\"y\">\r\n".repeat(40)}`
  const pk = opsPerSec(100_000, () => parseKeyValue(acs))
  goal("PAYGENT answer parse (450 with out_acs_html)", pk, "ops/s", pk >= 20_000, ">= 20,000 ops/s")
  const pg = await startPaygentSimulator()
  const c = pg.certificates
  const M = DEFAULT_MERCHANT
  const pclient = new PaygentClient({
    merchantId: M.merchantId, connectId: M.connectId, connectPassword: M.connectPassword, telegramVersion: "1.0", baseUrl: pg.url,
    clientCertificate: c.clientBundleFile, clientKeyPassphrase: c.clientKeyPassphrase, caCertificate: c.caFile, timeoutMs: 5000,
  })
  const PN = 200
  const plat = []
  for (let i = 0; i < PN; i++) {
    const t0 = pg.createToken({ merchant_id: M.merchantId, token_generate_key: M.tokenGenerationKey, card_number: "4000000000000002", card_expire_year: "30", card_expire_month: "12" })
    const t = performance.now()
    const r = await pclient.authorize({ tradingId: `B${i}`, amount: 1000, capture: false, card: { token: t0.tokenizedCardObject.token }, threeDS: { ryaku: true } })
    await pclient.capture(r.payment_id)
    plat.push(performance.now() - t)
  }
  plat.sort((a, b) => a - b)
  const pp50 = plat[Math.floor(PN * 0.5)].toFixed(1)
  const pp95 = plat[Math.floor(PN * 0.95)].toFixed(1)
  goal("PAYGENT 020 + 022 over mutual TLS (p50)", pp50, "ms", Number(pp50) <= 30, "<= 30 ms on loopback (kept-alive TLS)")
  goal("PAYGENT 020 + 022 over mutual TLS (p95)", pp95, "ms", Number(pp95) <= 80, "<= 80 ms on loopback")
  await pclient.close()
  await pg.close()
  // SBPS: XML build + sps_hashcode, answer parse, and 与信 + 確定 + 売上 through the client.
  const tokenHex = "A".repeat(246)
  const nodes = (i) => [
    { tag: "merchant_id", value: "30132" }, { tag: "service_id", value: "002" }, { tag: "cust_code", value: "cus_01" },
    { tag: "order_id", value: `MJ${i}` }, { tag: "item_id", value: "medusa" }, { tag: "amount", value: 3000 },
    { tag: "pay_method_info", children: [{ tag: "dealings_type", value: "10" }] },
    { tag: "pay_option_manage", children: [{ tag: "token", value: tokenHex }, { tag: "token_key", value: tokenHex.slice(0, 182) }] },
    { tag: "encrypted_flg", value: "0" }, { tag: "request_date", value: "20261201120000" },
  ]
  const sb = opsPerSec(50_000, (i) => buildRequest("ST01-00131-101", nodes(i), { hashKey: SANDBOX_MERCHANT.hashKey }))
  goal("SBPS request build + hash", sb, "ops/s", sb >= 20_000, ">= 20,000 ops/s")
  const answer = "<?xml version='1.0' encoding='Shift_JIS' ?>\n<sps-api-response id=\"ST01-00131-101\"><res_result>OK</res_result><res_sps_transaction_id>B30132002ST010013110100361052570</res_sps_transaction_id><res_tracking_id>00000616307351</res_tracking_id><res_pay_method_info><cc_company_code>99665</cc_company_code><cardbrand_code>M</cardbrand_code><recognized_no>123456</recognized_no></res_pay_method_info><res_process_date>20171127193716</res_process_date><res_err_code/><res_date>20171127193716</res_date></sps-api-response>"
  const sp = opsPerSec(50_000, () => parseResponse(answer))
  goal("SBPS answer parse", sp, "ops/s", sp >= 10_000, ">= 10,000 ops/s (0.1 ms of an answer that takes ms on the wire)")

  const ssim = await startSbpsSimulator()
  const sclient = new SbpsClient({ ...SANDBOX_MERCHANT, baseUrl: ssim.url, timeoutMs: 5000 })
  const slat = []
  for (let i = 0; i < N; i++) {
    const r = await post2(ssim.url, "/sbpstoken/token", { merchantId: "30132", serviceId: "002", ccNumber: "4111111111111111", ccExpiration: "203012" })
    const t = performance.now()
    const a = await sclient.authorize({ custCode: `c${i}`, orderId: `B${i}`, itemId: "medusa", amount: 1000, token: r.tokenResponse.token, tokenKey: r.tokenResponse.tokenKey })
    await sclient.commitPayment(a.trackingId)
    await sclient.sales(a.trackingId)
    slat.push(performance.now() - t)
  }
  slat.sort((a, b) => a - b)
  const s50 = slat[Math.floor(N * 0.5)].toFixed(1)
  const s95 = slat[Math.floor(N * 0.95)].toFixed(1)
  goal("SBPS 与信 + 確定 + 売上 via client (p50)", s50, "ms", Number(s50) <= 30, "<= 30 ms on loopback")
  goal("SBPS 与信 + 確定 + 売上 via client (p95)", s95, "ms", Number(s95) <= 75, "<= 75 ms on loopback")
  await sclient.close()
  await ssim.close()
  // PaymentOptions: envelope parse, and a stored-card authorisation + capture through the client.
  const envelope = JSON.stringify(require("../src/gateways/payment-options/__tests__/vendor-use-token-response.json"))
  const pp = opsPerSec(100_000, () => poCodec.parsePaymentAnswer(JSON.parse(envelope)))
  goal("PaymentOptions envelope parse", pp, "ops/s", pp >= 50_000, ">= 50,000 ops/s")
  const poSim = await startPaymentOptionsSimulator({ merchants: [{ merchantId: "JP00000472", apiKey: "k", xApiKey: "x" }] })
  const po = new PaymentOptionsClient({ merchantId: "JP00000472", authorization: `Basic ${Buffer.from("k").toString("base64")}`, xApiKey: "x", baseUrl: poSim.url, timeoutMs: 5000 })
  const first = await fetch(`${poSim.url}/api/v1/server-to-server-interface/payment`, {
    method: "POST",
    headers: { authorization: `Basic ${Buffer.from("k").toString("base64")}`, "x-api-key": "x", "content-type": "application/json" },
    body: JSON.stringify({ amount: "100", currency: "JPY", merchant_id: "JP00000472", card: { number: "4000000000001000", expiry_month: "12", expiry_year: "30", cvc: "123", name: "BENCH" }, payment_method: { type: "scheme", store_payment_method: true }, billing_address: { country: "JP", email: "bench@example.jp" } }),
  })
  const stored = (await first.json()).transaction_details.stored_payment_method_id
  const poLat = []
  for (let i = 0; i < N; i++) {
    const t = performance.now()
    const a = await po.authorizationV2({ amount: "1000", currency: "JPY", merchant_txn_ref: `B${i}`, payment_method: { type: "scheme", stored_payment_method_id: stored }, return_url: { webhook_url: "http://127.0.0.1:9/w", success_url: "http://127.0.0.1:9/s", decline_url: "http://127.0.0.1:9/d" } })
    await po.capture(a.txn.id, 1000)
    poLat.push(performance.now() - t)
  }
  poLat.sort((a, b) => a - b)
  const poP95 = poLat[Math.floor(N * 0.95)].toFixed(1)
  goal("PaymentOptions auth + capture via client (p95)", poP95, "ms", Number(poP95) <= 50, "<= 50 ms on loopback")
  await po.close()
  await poSim.close()

  console.table(results)
  const failed = results.filter((r) => !r.ok)
  console.log(`${results.length - failed.length} passed, ${failed.length} failed`)
  process.exit(failed.length ? 1 : 0)
}

async function post2(base, path, body) {
  return (await fetch(base + path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) })).json()
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
