// The simulator on its own, over raw HTTPS: what PAYGENT refuses, it refuses with PAYGENT's code.
import { createServer, type Server } from "node:http"
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import iconv from "iconv-lite"
import { Agent, request } from "undici"
import { AUTH_LIFETIME_MS, DEFAULT_MERCHANT as M, ensureCertificates, startPaygentSimulator, type PaygentSimulator } from ".."
import { runCli } from "../../cli"

const sjisForm = (p: Record<string, string>) =>
  Object.entries(p)
    .map(([k, v]) => `${k}=${[...iconv.encode(v, "cp932")].map((b) => "%" + b.toString(16).padStart(2, "0")).join("")}`)
    .join("&")

describe("PAYGENT simulator", () => {
  let sim: PaygentSimulator
  let withCert: Agent
  let noCert: Agent
  let notices: Server
  const received: Array<{ body: string; contentType: string }> = []
  let answer = "result=0"

  beforeAll(async () => {
    sim = await startPaygentSimulator({ certDir: join(tmpdir(), "medusa-payment-jp-paygent-certs"), noticeRetryMs: 20, noticeMaxRetries: 2 })
    const c = sim.certificates
    const ca = readFileSync(c.caFile)
    withCert = new Agent({ connect: { ca, cert: readFileSync(c.clientCertFile), key: readFileSync(c.clientKeyFile), passphrase: c.clientKeyPassphrase } })
    noCert = new Agent({ connect: { ca } })
    notices = createServer((req, res) => {
      const chunks: Buffer[] = []
      req.on("data", (d: Buffer) => chunks.push(d))
      req.on("end", () => {
        received.push({ body: Buffer.concat(chunks).toString("latin1"), contentType: String(req.headers["content-type"]) })
        res.end(answer)
      })
    })
    await new Promise<void>((r) => notices.listen(0, "127.0.0.1", () => r()))
    sim.setNoticeUrl(M.merchantId, `http://127.0.0.1:${(notices.address() as { port: number }).port}/notice`)
  })
  afterAll(async () => {
    await sim.close()
    await withCert.close()
    await noCert.close()
    notices.close()
  })

  const header = (kind: string) => ({ merchant_id: M.merchantId, connect_id: M.connectId, connect_password: M.connectPassword, telegram_kind: kind, telegram_version: "1.0" })

  async function post(path: string, body: string, agent = withCert, charset = "Windows-31J") {
    const res = await request(`${sim.url}${path}`, { method: "POST", headers: { "content-type": `application/x-www-form-urlencoded; charset=${charset}` }, body, dispatcher: agent })
    const buf = Buffer.from(await res.body.arrayBuffer())
    const ct = String(res.headers["content-type"])
    const text = /utf-8/i.test(ct) ? buf.toString("utf8") : iconv.decode(buf, "cp932")
    return { status: res.statusCode, ct, text, fields: Object.fromEntries(text.split("\r\n").filter((l) => l.includes("=")).map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)])) }
  }
  const telegram = (kind: string, data: Record<string, string>, path = "/n/card/request", agent = withCert) => post(path, sjisForm({ ...header(kind), ...data }), agent)
  const token = (card_number = "4000000000000002", extra: Record<string, string> = {}) =>
    sim.createToken({ merchant_id: M.merchantId, token_generate_key: M.tokenGenerationKey, card_number, card_expire_year: "30", card_expire_month: "12", ...extra }) as {
      result: string
      tokenizedCardObject: { token: string }
    }
  let n = 0
  const tid = () => `SIM${++n}`

  it("refuses a telegram without a client certificate with P016, in Windows-31J", async () => {
    const r = await telegram("094", { trading_id: "x" }, "/n/ref/paymentref", noCert)
    expect(r.status).toBe(200)
    expect(r.ct).toBe("text/plain; charset=Windows-31J")
    expect(r.text).toBe("result=1\r\nresponse_code=P016\r\nresponse_detail=クライアント証明書が不正です。\r\n")
  })

  it("checks the header: P001, P002, P003, and P004 for a telegram at another kind's URL", async () => {
    expect((await post("/n/card/request", sjisForm({ telegram_kind: "020" }))).fields.response_code).toBe("P001")
    expect((await telegram("094", { trading_id: "x", connect_password: "wrong" }, "/n/ref/paymentref")).fields.response_code).toBe("P002")
    expect((await telegram("094", { trading_id: "x", telegram_version: "2.0" }, "/n/ref/paymentref")).fields.response_code).toBe("P003")
    expect((await telegram("094", { trading_id: "x" }, "/n/card/request")).fields.response_code).toBe("P004")
    expect((await telegram("020", { payment_amount: "10" }, "/n/threeds/request")).fields.response_code).toBe("P004")
  })

  it("validates 020 fields with PAYGENT's codes and detail", async () => {
    const t = token().tokenizedCardObject.token
    const base = { trading_id: tid(), card_token: t, "3dsecure_ryaku": "1" }
    expect((await telegram("020", { ...base })).fields).toMatchObject({ response_code: "P005", response_detail: '"[payment_amount]"パラメータが設定されていません。' })
    expect((await telegram("020", { ...base, payment_amount: "" })).fields.response_code).toBe("P006")
    expect((await telegram("020", { ...base, payment_amount: "1,000" })).fields.response_code).toBe("P008")
    expect((await telegram("020", { ...base, payment_amount: "12345678" })).fields.response_code).toBe("P009")
    expect((await telegram("020", { ...base, payment_amount: "0" })).fields.response_code).toBe("P014")
    expect((await telegram("020", { ...base, payment_amount: "100", trading_id: "has-hyphen" })).fields.response_code).toBe("P008")
    expect((await telegram("020", { trading_id: tid(), card_token: t, payment_amount: "100" })).fields).toMatchObject({ response_code: "P005", response_detail: expect.stringContaining("3dsecure_ryaku") })
    expect((await telegram("020", { ...base, payment_amount: "100", card_number: "4000000000000002" })).fields.response_code).toBe("2023")
    expect((await telegram("020", { ...base, payment_amount: "100", card_token: "tok_nothing" })).fields.response_code).toBe("2021")
    expect((await telegram("020", { ...base, payment_amount: "100", "3ds_auth_id": "x" })).fields.response_code).toBe("31008")
    expect((await telegram("020", { trading_id: tid(), card_token: t, payment_amount: "100", "3dsecure_use_type": "2" })).fields.response_code).toBe("31009")
    expect((await telegram("020", { trading_id: tid(), card_token: t, payment_amount: "100", "3dsecure_use_type": "2", "3ds_auth_id": "nope" })).fields.response_code).toBe("31011")
  })

  it("answers 020 with every key, out_acs_html last; the token is then used (2022); an expired token is 2020", async () => {
    const t = token().tokenizedCardObject.token
    const r = await telegram("020", { trading_id: tid(), card_token: t, payment_amount: "1200", "3dsecure_ryaku": "1" })
    expect(r.fields).toMatchObject({ result: "0", payment_id: expect.stringMatching(/^\d{18}$/), masked_card_number: "************0002", card_valid_term: "1230", daiko_code: "" })
    expect(r.text.trimEnd().split("\r\n").at(-1)).toBe("out_acs_html=")
    expect((await telegram("020", { trading_id: tid(), card_token: t, payment_amount: "1200", "3dsecure_ryaku": "1" })).fields.response_code).toBe("2022")
    const old = token().tokenizedCardObject.token
    await sim.advanceClock(31 * 60_000)
    expect((await telegram("020", { trading_id: tid(), card_token: old, payment_amount: "1200", "3dsecure_ryaku": "1" })).fields.response_code).toBe("2020")
  })

  it("takes payment_class 10 only by default: 23, 61 and 80 are P030 (the contract), before the token is spent", async () => {
    sim.setPaymentMethods(M.merchantId, undefined)
    const t = token().tokenizedCardObject.token
    const pay = (extra: Record<string, string>) => telegram("020", { trading_id: tid(), card_token: t, payment_amount: "3000", "3dsecure_ryaku": "1", ...extra })
    expect((await pay({ payment_class: "61", split_count: "3" })).fields.response_code).toBe("P030")
    expect((await pay({ payment_class: "23" })).fields.response_code).toBe("P030")
    expect((await pay({ payment_class: "80" })).fields.response_code).toBe("P030")
    const ok = await pay({ payment_class: "10" })
    expect(ok.fields.result).toBe("0")
    const ref = await telegram("094", { payment_id: ok.fields.payment_id }, "/n/ref/paymentref")
    expect(ref.fields).toMatchObject({ payment_class: "10", split_count: "" })
  })

  it("checks payment_class and split_count (P010, P005/P006, P008/P009), then the contract (P030); 094, 028 and 029 keep the class", async () => {
    sim.setPaymentMethods(M.merchantId, { installments: [3, 6], bonus: true })
    try {
      const pay = (extra: Record<string, string>, t = token().tokenizedCardObject.token) => telegram("020", { trading_id: tid(), card_token: t, payment_amount: "3000", "3dsecure_ryaku": "1", ...extra })
      expect((await pay({ payment_class: "22" })).fields).toMatchObject({ response_code: "P010", response_detail: expect.stringContaining("payment_class") })
      expect((await pay({ payment_class: "61" })).fields).toMatchObject({ response_code: "P005", response_detail: expect.stringContaining("split_count") })
      expect((await pay({ payment_class: "61", split_count: "" })).fields.response_code).toBe("P006")
      expect((await pay({ payment_class: "61", split_count: "x" })).fields.response_code).toBe("P008")
      expect((await pay({ payment_class: "61", split_count: "100" })).fields.response_code).toBe("P009")
      expect((await pay({ payment_class: "61", split_count: "7" })).fields).toMatchObject({ response_code: "P010", response_detail: expect.stringContaining("split_count") })
      expect((await pay({ payment_class: "10", split_count: "3" })).fields.response_code).toBe("P010")
      expect((await pay({ payment_class: "61", split_count: "10" })).fields.response_code).toBe("P030")
      expect((await pay({ payment_class: "80" })).fields.response_code).toBe("P030")

      const split = await pay({ payment_class: "61", split_count: "3" })
      expect(split.fields.result).toBe("0")
      expect(sim.requests().at(-1)!.params).toMatchObject({ payment_class: "61", split_count: "3" })
      const bonus = await pay({ payment_class: "23" })
      expect((await telegram("094", { payment_id: bonus.fields.payment_id }, "/n/ref/paymentref")).fields).toMatchObject({ payment_class: "23", split_count: "" })
      // 028 makes a new payment: it keeps the class and count of the one it replaces.
      const corrected = await telegram("028", { payment_id: split.fields.payment_id, payment_amount: "1000", reduction_flag: "1" })
      expect(corrected.fields.result).toBe("0")
      expect((await telegram("094", { payment_id: corrected.fields.payment_id }, "/n/ref/paymentref")).fields).toMatchObject({ payment_amount: "2000", payment_class: "61", split_count: "3" })
    } finally {
      sim.setPaymentMethods(M.merchantId, undefined)
    }
  })

  it("reads 450 in UTF-8 and answers in UTF-8 with out_acs_html last; a Shift_JIS value in a 450 is refused", async () => {
    const t = token().tokenizedCardObject.token
    const data = { ...header("450"), trading_id: tid(), term_url: "https://shop.example/return", merchant_name: "Shop", authentication_type: "01", card_set_method: "token", card_token: t, payment_amount: "1000" }
    const ok = await post("/n/threeds/request", new URLSearchParams({ ...data, bill_address_city: "渋谷区" }).toString(), withCert, "UTF-8")
    expect(ok.ct).toBe("text/plain; charset=UTF-8")
    expect(ok.fields).toMatchObject({ result: "0", card_brand: "VISA", "3ds_auth_id": expect.stringMatching(/^[0-9a-f-]{36}$/) })
    const html = ok.text.slice(ok.text.indexOf("out_acs_html=") + "out_acs_html=".length)
    expect(html).toMatch(/^<!DOCTYPE html>[\s\S]*<form name="submitForm"[\s\S]*<\/html>\r\n$/)
    const sjis = await post("/n/threeds/request", sjisForm({ ...data, bill_address_city: "渋谷区" }), withCert)
    expect(sjis.fields.response_code).toBe("P010")
    const noTerm = await post("/n/threeds/request", new URLSearchParams({ ...data, term_url: "" }).toString(), withCert, "UTF-8")
    expect(noTerm.fields.response_code).toBe("P006")
    const long = await post("/n/threeds/request", new URLSearchParams({ ...data, merchant_name: "x".repeat(41) }).toString(), withCert, "UTF-8")
    expect(long.fields.response_code).toBe("P009")
  })

  it("stores a saved card's add_info in Windows-31J, at most 10 cards per customer (P023), and lists them in CSV", async () => {
    const customer_id = `cus_sim_${Date.now()}`
    const first = await telegram("025", { customer_id, card_token: token().tokenizedCardObject.token, add_info1: "ﾔﾏﾀﾞ様 会員①" })
    expect(first.fields).toMatchObject({ result: "0", num_of_cards: "1" })
    for (let i = 1; i < 10; i++) expect((await telegram("025", { customer_id, card_token: token().tokenizedCardObject.token })).fields.result).toBe("0")
    expect((await telegram("025", { customer_id, card_token: token().tokenizedCardObject.token })).fields.response_code).toBe("P023")
    const list = await telegram("027", { customer_id, return_fingerprint_flg: "1" })
    const lines = list.text.trimEnd().split("\r\n")
    expect(lines[0]).toBe('"1","0","",""')
    expect(lines[1].startsWith('"2","customer_id","customer_card_id","card_number"')).toBe(true)
    expect(lines.filter((l) => l.startsWith('"3"'))).toHaveLength(10)
    expect(lines.at(-1)).toBe('"4","10"')
    const columns = lines[1].split(",").map((c) => c.replace(/"/g, ""))
    const row = lines.find((l) => l.includes(first.fields.customer_card_id))!.split('","')
    expect(row[columns.indexOf("add_info1")]).toBe("ﾔﾏﾀﾞ様 会員①")
    expect((await telegram("027", { customer_id: "nobody" })).text).toBe('"1","1","P026","指定した顧客ID、顧客カードIDのカード情報はありません。"\r\n"4","0"\r\n')
  })

  it("keeps an authorization 60 days: after that 022 is 2007 and the status is 33", async () => {
    const trading_id = tid()
    const r = await telegram("020", { trading_id, card_token: token().tokenizedCardObject.token, payment_amount: "500", "3dsecure_ryaku": "1" })
    await sim.advanceClock(AUTH_LIFETIME_MS + 60_000)
    expect((await telegram("022", { payment_id: r.fields.payment_id })).fields.response_code).toBe("2007")
    expect((await telegram("094", { payment_id: r.fields.payment_id }, "/n/ref/paymentref")).fields.payment_status).toBe("33")
  })

  it("sends a 差分通知 per status change with a verifiable hc, and sends again until the answer is exactly result=0", async () => {
    received.length = 0
    answer = "OK"
    const trading_id = tid()
    const r = await telegram("020", { trading_id, card_token: token().tokenizedCardObject.token, payment_amount: "700", "3dsecure_ryaku": "1" })
    await sim.settle()
    expect(received).toHaveLength(3) // the first push and 2 resends
    answer = "result=0"
    await telegram("022", { payment_id: r.fields.payment_id })
    await sim.settle()
    expect(received).toHaveLength(4)
    const f = Object.fromEntries(new URLSearchParams(received[3].body))
    expect(received[3].contentType).toMatch(/Windows-31J/)
    expect(f).toMatchObject({ trading_id, payment_id: r.fields.payment_id, payment_type: "02", payment_status: "40", payment_amount: "700" })
    const { createHash } = await import("node:crypto")
    expect(f.hc).toBe(createHash("sha256").update(f.payment_notice_id + f.payment_id + trading_id + "02" + "700" + M.noticeHashKey).digest("hex"))
    // the same notices can be pulled with 091
    const pulled = await telegram("091", { payment_notice_id: f.payment_notice_id }, "/n/ref/paynotice")
    expect(pulled.fields).toMatchObject({ result: "0", success_code: "0", payment_status: "40", trading_id })
    sim.inject({ kind: "duplicate-notice" })
    await telegram("021", { payment_id: (await telegram("020", { trading_id: tid(), card_token: token().tokenizedCardObject.token, payment_amount: "1", "3dsecure_ryaku": "1" })).fields.payment_id })
    await sim.settle()
    expect(received.length).toBe(7) // 020 twice (duplicate), then 021 once
  })

  it("injects faults: HTTP status, malformed body, reset", async () => {
    sim.inject({ kind: "status", status: 502, telegram: "094" })
    expect((await telegram("094", { trading_id: "x" }, "/n/ref/paymentref")).status).toBe(502)
    sim.inject({ kind: "malformed", telegram: "094" })
    expect((await telegram("094", { trading_id: "x" }, "/n/ref/paymentref")).text).toMatch(/<html>/)
    sim.inject({ kind: "reset", telegram: "094" })
    await expect(telegram("094", { trading_id: "x" }, "/n/ref/paymentref")).rejects.toThrow()
    expect((await telegram("094", { trading_id: "x" }, "/n/ref/paymentref")).fields.response_code).toBe("13001")
  })

  it("PaygentToken.js tokens: result codes of 付録A and the tamper hash", async () => {
    expect(sim.createToken({ merchant_id: "", token_generate_key: "x", card_number: "1", card_expire_year: "30", card_expire_month: "12" })).toEqual({ result: "1100" })
    expect(sim.createToken({ merchant_id: M.merchantId, token_generate_key: "wrong", card_number: "1", card_expire_year: "30", card_expire_month: "12" })).toEqual({ result: "1201" })
    expect(token("123").result).toBe("1301")
    expect(token("4000000000000002", { card_expire_month: "13" }).result).toBe("1501")
    expect(token("4000000000000002", { card_expire_year: "20" }).result).toBe("1502")
    expect(token("4000000000000002", { card_cvc: "12a" }).result).toBe("1600")
    const ok = token("4000000000000002", { card_name: "TARO YAMADA" }) as unknown as { tokenizedCardObject: Record<string, string>; hc: string }
    const o = ok.tokenizedCardObject
    const { createHash } = await import("node:crypto")
    expect(ok.hc).toBe(createHash("sha256").update(o.token + o.masked_card_number + o.valid_until + o.fingerprint + M.tokenReceiptHashKey).digest("hex"))
    expect(o.valid_until).toMatch(/^\d{14}$/)
    const res = await request(`${sim.url}/js/PaygentToken.js`, { dispatcher: noCert })
    expect(await res.body.text()).toMatch(/PaygentToken\.prototype\.createToken = function \(merchantId, tokenGenerateKey, card, callback\)/)
  })

  it("serves what a browser loads over plain HTTP at browserUrl, and out_acs_html leads there; telegrams stay on HTTPS", async () => {
    expect(sim.browserUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    // PaygentToken.js posts back to the origin it came from
    expect(await (await fetch(`${sim.browserUrl}/js/PaygentToken.js`)).text()).toContain(`var ENDPOINT = "${sim.browserUrl}/n/token/request";`)
    const res = await request(`${sim.url}/js/PaygentToken.js`, { dispatcher: noCert })
    expect(await res.body.text()).toContain(`var ENDPOINT = "${sim.url}/n/token/request";`)
    const form = { "content-type": "application/x-www-form-urlencoded; charset=UTF-8" }
    const card = { merchant_id: M.merchantId, token_generate_key: M.tokenGenerationKey, card_number: "4000000000000002", card_expire_year: "30", card_expire_month: "12", card_name: "BAVCA" }
    const made = (await (await fetch(`${sim.browserUrl}/n/token/request`, { method: "POST", headers: form, body: new URLSearchParams(card) })).json()) as { result: string; tokenizedCardObject: { token: string } }
    expect(made.result).toBe("0000")
    const data = { ...header("450"), trading_id: tid(), term_url: "https://shop.example/return", merchant_name: "Shop", authentication_type: "01", card_set_method: "token", card_token: made.tokenizedCardObject.token, payment_amount: "1000" }
    const auth = await post("/n/threeds/request", new URLSearchParams(data).toString(), withCert, "UTF-8")
    expect(auth.fields.result).toBe("0")
    expect(auth.text).toContain(`<form name="submitForm" id="submitForm" action="${sim.browserUrl}/3ds/acs" method="POST">`)
    const acs = await fetch(`${sim.browserUrl}/3ds/acs`, { method: "POST", headers: form, body: new URLSearchParams({ threeDSServerTransID: auth.fields["3ds_auth_id"] }) })
    expect(acs.status).toBe(200)
    expect(await acs.text()).toMatch(/<form method="POST" action="\/3ds\/challenge" id="challenge">/)
    const done = await fetch(`${sim.browserUrl}/3ds/challenge`, { method: "POST", headers: form, body: new URLSearchParams({ threeDSServerTransID: auth.fields["3ds_auth_id"], password: "14012" }), redirect: "manual" })
    expect(done.status).toBe(303)
    expect(done.headers.get("location")).toMatch(/^https:\/\/shop\.example\/return\?result=0&/)
    expect((await fetch(`${sim.browserUrl}/n/card/request`, { method: "POST", headers: form, body: "" })).status).toBe(404)
  })

  it("says to install openssl when it must make its certificates and the command is missing", () => {
    const path = process.env.PATH
    const empty = mkdtempSync(join(tmpdir(), "no-openssl-"))
    const dir = join(tmpdir(), `medusa-payment-jp-paygent-certs-${process.pid}-${Date.now()}`)
    process.env.PATH = empty
    try {
      expect(() => ensureCertificates(dir)).toThrow(/`openssl` command, which was not found: install it \(Debian\/Ubuntu: apt-get install openssl/)
    } finally {
      process.env.PATH = path
      rmSync(empty, { recursive: true, force: true })
    }
    expect(existsSync(dir)).toBe(false)
  })

  it("starts from the CLI: `medusa-payment-jp simulate paygent`", async () => {
    const out: string[] = []
    const r = await runCli(["simulate", "paygent", "--port", "0", "--cert-dir", join(tmpdir(), "medusa-payment-jp-paygent-certs")], { out: (l) => out.push(l), err: () => undefined, handleSignals: false })
    expect(r.exitCode).toBe(0)
    try {
      expect(out[0]).toMatch(/^PAYGENT simulator listening on https:\/\/127\.0\.0\.1:\d+$/)
      const res = await request(`${r.running!.url}/n/ref/paymentref`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: sjisForm({ ...header("094"), trading_id: "none" }), dispatcher: withCert })
      expect(iconv.decode(Buffer.from(await res.body.arrayBuffer()), "cp932")).toMatch(/^result=1\r\nresponse_code=13001\r\n/)
    } finally {
      await r.running?.close()
    }
    expect((await runCli(["simulate", "paygent", "--notice-url", "ftp://x"], { out: () => undefined, err: () => undefined })).exitCode).toBe(2)
    expect((await runCli(["simulate", "paygent", "--installments", "3,4"], { out: () => undefined, err: () => undefined })).exitCode).toBe(2)
  })
})
