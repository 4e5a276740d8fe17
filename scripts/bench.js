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

  console.table(results)
  const failed = results.filter((r) => !r.ok)
  console.log(`${results.length - failed.length} passed, ${failed.length} failed`)
  process.exit(failed.length ? 1 : 0)
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
