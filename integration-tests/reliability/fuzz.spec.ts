// R4 fuzzing: every codec and every parser a route hands gateway or storefront input to, 10 000
// generated cases each (fast-check). A parser may refuse its input only with the plugin's typed
// errors (CodecError inside a codec, GatewayError at a gateway's edge); a TypeError, a RangeError or
// any other throw is a crash, and no single case may take long (a hang). Pure functions: no database,
// no socket (the routes' HTTP side is fuzzed in load.spec.ts against a real app).
import fc from "fast-check"
import { GatewayError, type IncomingNotification } from "../../src/core/gateway"
import { CodecError } from "../../src/core/vocabulary"
import { parseOptions } from "../../src/core/options"
import { readCustomerIp, readPayerAddress } from "../../src/core/payer-address"
import * as rpCodec from "../../src/gateways/robot-payment/codec"
import { RobotPaymentGateway } from "../../src/gateways/robot-payment/gateway"
import { robotPayment } from "../../src/gateways/robot-payment"
import * as sbpsCodec from "../../src/gateways/sbps/codec"
import { SbpsGateway } from "../../src/gateways/sbps/gateway"
import { sbps } from "../../src/gateways/sbps"
import * as pgCodec from "../../src/gateways/paygent/codec"
import { PaygentGateway } from "../../src/gateways/paygent/gateway"
import { paygent } from "../../src/gateways/paygent"
import * as poCodec from "../../src/gateways/payment-options/codec"
import { PaymentOptionsGateway } from "../../src/gateways/payment-options/gateway"
import { paymentOptions } from "../../src/gateways/payment-options"
import * as brCodec from "../../src/gateways/billing-robo/codec"
import { BillingRoboGateway } from "../../src/gateways/billing-robo/gateway"
import { billingRoboOptionsSchema } from "../../src/gateways/billing-robo/options"
import { reportFigure } from "./figures"

const RUNS = Number(process.env.JP_FUZZ_RUNS || 10_000)
/** One case taking longer than this is a hang (the slowest real case takes a few ms). */
const CASE_MS = 1_000
jest.setTimeout(300_000)

// ---- the gateways, as the providers build them (no network is touched by a parser) --------------

const rp = new RobotPaymentGateway(parseOptions(robotPayment, { aid: "123456", baseUrl: "http://127.0.0.1:9" }))
const rpIps = new RobotPaymentGateway(parseOptions(robotPayment, { aid: "123456", baseUrl: "http://127.0.0.1:9", kickbackAllowedIps: ["127.0.0.1"] }))
const DES = { key: "abcdefghyjklmn1234567890", iv: "12345678" }
const sb = new SbpsGateway(parseOptions(sbps, { merchantId: "30132", serviceId: "002", hashKey: "k", backendUrl: "https://api.shop.jp" }))
const PG_KEYS = { threeDSResultHashKey: "k3ds", noticeHashKey: "knotice", tokenReceiptHashKey: "ktoken" }
const pg = new PaygentGateway(
  parseOptions(paygent, {
    merchantId: "100000001",
    connectId: "conn",
    connectPassword: "pass1",
    clientCertificate: "/kit/client.pem",
    clientKeyPassphrase: "x",
    merchantName: "Shop",
    tokenGenerationKey: "test_gen",
    backendUrl: "https://api.shop.jp",
    ...PG_KEYS,
  })
)
const PO_SECRET = "0123456789abcdef-secret"
const po = new PaymentOptionsGateway(
  parseOptions(paymentOptions, {
    merchantId: "JP00000472",
    apiKey: "k",
    xApiKey: "x",
    webhookSecret: PO_SECRET,
    backendUrl: "https://api.shop.jp",
    storefrontUrl: "https://shop.jp",
    merchantEmail: "shop@example.jp",
  })
)
const BR_KEY = "billing-robo-test-signature-key"
const br = new BillingRoboGateway(billingRoboOptionsSchema.parse({ userId: "api@shop.example.jp", accessKey: "simaccesskey0123", aid: "123456", baseUrl: "http://127.0.0.1:9", signatureKey: BR_KEY }))

// ---- generators ---------------------------------------------------------------------------------

/** Keys that break naive object code, with the fields the parsers know and anything else. */
const trickyKeys = ["__proto__", "constructor", "toString", "valueOf", "hasOwnProperty", "length", ""]
const keyOf = (known: string[]) => fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...known, "id") }, fc.constantFrom(...trickyKeys), fc.string({ maxLength: 12 }))
const text = fc.oneof(
  fc.string({ maxLength: 80 }),
  fc.string({ unit: "binary", maxLength: 80 }),
  fc.string({ unit: "grapheme", maxLength: 40 }),
  fc.constantFrom("", " ", "0", "1", "-1", "NaN", "1e999", "%", "%zz", "%E3%81", "\uFEFF", "\u0000", "null", "true", "OK", "NG", "ok", "ng", "x".repeat(3000))
)
const digits = fc.string({ unit: fc.constantFrom(..."0123456789"), minLength: 0, maxLength: 20 })
const hex64 = fc.string({ unit: fc.constantFrom(..."0123456789abcdef"), minLength: 64, maxLength: 64 })
/** JSON-ish values, objects keyed with the fields a parser reads, plus the tricky keys. */
function jsonish(known: string[]) {
  return fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      fc.constant(null),
      fc.boolean(),
      fc.integer(),
      fc.double(),
      text,
      digits,
      fc.array(tie("value"), { maxLength: 4 }),
      fc.dictionary(keyOf(known), tie("value"), { maxKeys: 8 })
    ),
  })).value
}
const queryOf = (known: string[], value: fc.Arbitrary<string> = text) => fc.dictionary(keyOf(known), fc.oneof(value, text), { maxKeys: 12 })

function incoming(p: Partial<IncomingNotification>): IncomingNotification {
  return { method: "POST", query: {}, rawBody: Buffer.alloc(0), headers: {}, remoteAddress: "127.0.0.1", ...p }
}
const form = (f: Record<string, string>) => Buffer.from(new URLSearchParams(f).toString(), "latin1")

// ---- the property runner ------------------------------------------------------------------------

const typed = (e: unknown) => e instanceof CodecError || e instanceof GatewayError
interface Row {
  name: string
  runs: number
  ms: number
  slowestMs: number
  refused: number
}
const rows: Row[] = []
let declared = 0

/**
 * `f` may return anything or throw a typed error; anything else fails the property. `examples`:
 * the cases fuzzing found (kept as regressions) and hand-written edge cases, run before the random ones.
 */
function fuzz<T>(name: string, arb: fc.Arbitrary<T>, f: (v: T) => unknown, examples: T[] = []) {
  declared++
  it(`${name}: ${RUNS} cases, typed errors only, no hang`, () => {
    const row: Row = { name, runs: 0, ms: 0, slowestMs: 0, refused: 0 }
    const t0 = performance.now()
    fc.assert(
      fc.property(arb, (v) => {
        row.runs++
        const s = performance.now()
        try {
          f(v)
        } catch (e) {
          if (!typed(e)) throw e
          row.refused++
        } finally {
          const d = performance.now() - s
          row.slowestMs = Math.max(row.slowestMs, d)
          if (d > CASE_MS) throw new Error(`one case took ${Math.round(d)} ms (a hang): ${fc.stringify(v)}`)
        }
      }),
      { numRuns: RUNS, examples: examples.map((e) => [e] as [T]) }
    )
    row.ms = performance.now() - t0
    rows.push(row)
    expect(row.runs).toBeGreaterThanOrEqual(RUNS)
  })
}

// ---- ROBOT PAYMENT: answers (CSV record), kickback ----------------------------------------------

const RP_FIELDS = fc.array(fc.oneof(digits, fc.constantFrom("1", "2", "", "a=b", "k=%E3%81%82", "k=%zz", "=x", "ec=ER585"), text), { maxLength: 18 })
const rpAnswer = fc.oneof(text, RP_FIELDS.map((f) => f.join(",")), text.map((t) => `ER:${t}`), RP_FIELDS.map((f) => `\uFEFF${f.join(",")}\r\n`))

describe("R4 fuzz: ROBOT PAYMENT", () => {
  fuzz("robot-payment parseAnswer + record", rpAnswer, (body) => {
    const a = rpCodec.parseAnswer(body)
    if (a.shape === "csv") {
      rpCodec.parsePaymentRecord(a.fields, body)
      rpCodec.parsePaymentRecord(a.fields, body, { registration: true })
      rpCodec.parseUserRecord(a.fields, body, 2)
    }
  })
  const kickback = queryOf(["gid", "rst", "ap", "ec", "god", "cod", "am", "tx", "sf", "ta", "uid", "key", "num", "acid"], fc.oneof(digits, fc.constantFrom("1", "2", "3", "0")))
  fuzz("robot-payment kickback (parseNotification)", fc.tuple(kickback, fc.constantFrom("127.0.0.1", "10.0.0.1", undefined as unknown as string)), ([query, ip]) => {
    rp.parseNotification(incoming({ method: "GET", query, remoteAddress: ip }))
    rpIps.parseNotification(incoming({ method: "GET", query, remoteAddress: ip }))
  })
})

// ---- SBPS: Shift_JIS XML + 3DES ------------------------------------------------------------------

const SBPS_TAGS = ["res_result", "res_err_code", "res_sps_transaction_id", "res_tracking_id", "res_process_date", "res_pay_method_info", "resrv1", "res_err_msg", "free1", "res_date", "cc_number", "item"]
const xmlEscape = (s: string) => s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`)
const sbpsLeafValue = fc.oneof(
  text.map(xmlEscape),
  fc.constantFrom("OK", "NG", "ST01-00118", "10112345", "A1B2C3D4"),
  fc.base64String({ maxLength: 40 }),
  fc.uint8Array({ maxLength: 40 }).map((b) => sbpsCodec.encrypt3des(Buffer.from(b), DES)),
  text // unescaped: malformed XML
)
const sbpsNode: fc.Arbitrary<string> = fc.letrec((tie) => ({
  node: fc.oneof(
    { depthSize: "small" },
    fc.tuple(fc.constantFrom(...SBPS_TAGS), sbpsLeafValue).map(([t, v]) => `<${t}>${v}</${t}>`),
    fc.tuple(fc.constantFrom(...SBPS_TAGS, "a", "__proto__", "constructor"), fc.array(tie("node"), { maxLength: 4 })).map(([t, c]) => `<${t}>${c.join("")}</${t}>`)
  ),
})).node as fc.Arbitrary<string>
const sbpsXml = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(fc.option(text.map(xmlEscape)), fc.array(sbpsNode, { maxLength: 6 }), fc.constantFrom("sps-api-response", "sps-api-request", "x")).map(([id, c, root]) => `<?xml version="1.0" encoding="Shift_JIS"?>\n<${root}${id === null ? "" : ` id="${id}"`}>${c.join("")}</${root}>`) },
  text,
  text.map((t) => `<${t}`),
  fc.constantFrom('<!DOCTYPE a [<!ENTITY x "xxxxxxxxxx"><!ENTITY y "&x;&x;&x;&x;&x;&x;&x;&x;">]><sps-api-response><res_result>&y;</res_result></sps-api-response>')
)

describe("R4 fuzz: SBPS", () => {
  fuzz(
    "sbps parseResponse (plain + 3DES)",
    sbpsXml,
    (xml) => {
      sbpsCodec.parseResponse(xml)
      sbpsCodec.parseResponse(xml, DES)
    },
    // found by this fuzzing: fast-xml-parser threw a plain Error for these tags
    ['<?xml version="1.0" encoding="Shift_JIS"?>\n<sps-api-response><constructor></constructor></sps-api-response>', "<sps-api-response><__proto__>1</__proto__></sps-api-response>"]
  )
  fuzz("sbps decrypt3des", fc.oneof(fc.base64String({ maxLength: 64 }), text), (b64) => sbpsCodec.decrypt3des(b64, DES))
  fuzz("sbps 3-D Secure return (parseReturn)", fc.tuple(queryOf(["sbps_result"], fc.constantFrom("ok", "ng")), fc.dictionary(keyOf(["tds_authentication_id"]), text, { maxKeys: 3 })), ([query, state]) =>
    sb.parseReturn(incoming({ method: "GET", query }), { orderCode: "o", amount: 1, currency: "jpy", state })
  )
})

// ---- PAYGENT: key=value and CSV telegrams, notification, 3-D Secure result -----------------------

const pgLine = fc.oneof(
  fc.constantFrom("result=0", "result=1", "result=", "result=x", "response_code=P016", "out_acs_html=", "out_acs_html=<html>", "=x", "no-equals"),
  fc.tuple(keyOf(["payment_id", "trading_id", "response_detail", "card_brand", "out_acs_html"]), text).map(([k, v]) => `${k}=${v}`),
  text
)
const pgKeyValue = fc.tuple(fc.array(pgLine, { maxLength: 10 }), fc.constantFrom("\r\n", "\n")).map(([l, nl]) => l.join(nl))
const csvField = fc.oneof(text, fc.constantFrom("1", "2", "3", "4", "0", "", '"', '""', '","', "a\r\nb")).map((f) => (/[",\r\n]/.test(f) ? `"${f.replace(/"/g, '""')}"` : f))
const pgCsv = fc.oneof(
  fc.array(fc.array(csvField, { maxLength: 6 }).map((r) => r.join(",")), { maxLength: 8 }).map((r) => r.join("\r\n")),
  text
)
const noticeFields = fc.dictionary(
  keyOf(["payment_notice_id", "payment_id", "trading_id", "payment_type", "payment_amount", "payment_status", "attempt_kbn", "3dsecure_ryaku", "hc"]),
  fc.oneof(digits, fc.constantFrom("02", "20", "40", "11", "10", "1", "0", "__proto__"), text),
  { maxKeys: 12 }
)
const signedNotice = noticeFields.map((f) => {
  const all = { payment_notice_id: "1", payment_id: "2", trading_id: "t", payment_type: "02", payment_amount: "1000", ...f }
  return {
    ...all,
    hc: pgCodec.noticeHash({ noticeId: all.payment_notice_id, paymentId: all.payment_id, tradingId: all.trading_id, paymentType: all.payment_type, amount: all.payment_amount }, PG_KEYS.noticeHashKey),
  }
})

describe("R4 fuzz: PAYGENT", () => {
  fuzz("paygent parseKeyValue", fc.oneof(pgKeyValue, text), (b) => pgCodec.parseKeyValue(b))
  fuzz("paygent parseCsv", pgCsv, (b) => pgCodec.parseCsv(b))
  fuzz(
    "paygent notification (parseNotification, signed and not)",
    fc.tuple(fc.oneof(signedNotice, noticeFields), fc.constantFrom("application/x-www-form-urlencoded; charset=Windows-31J", "application/x-www-form-urlencoded; charset=UTF-8", undefined), fc.boolean(), fc.uint8Array({ maxLength: 64 })),
    ([f, ct, raw, bytes]) => pg.parseNotification(incoming({ rawBody: raw ? Buffer.from(bytes) : form(f), headers: { "content-type": ct } }))
  )
  const threeDSResult = fc
    .record({ result: fc.constantFrom("0", "1", "2", ""), "3ds_auth_id": fc.constantFrom("a1", "", "x"), attempt_kbn: fc.constantFrom("0", "1", "", "9"), response_code: fc.oneof(fc.constantFrom("31013", "31007", ""), text), sign: fc.boolean() }, { requiredKeys: ["sign"] })
    .map(({ sign, ...q }) => {
      const v = Object.fromEntries(Object.entries(q).filter(([, x]) => x !== undefined)) as Record<string, string>
      if (sign) v.hc = pgCodec.threeDSResultHash({ result: v.result ?? "", authId: v["3ds_auth_id"] ?? "", attemptKbn: v.attempt_kbn }, PG_KEYS.threeDSResultHashKey)
      return v
    })
  fuzz("paygent 3-D Secure result (parseReturn)", fc.tuple(threeDSResult, fc.boolean()), ([q, inBody]) =>
    pg.parseReturn(incoming(inBody ? { rawBody: form(q) } : { method: "GET", query: q }), { orderCode: "o", amount: 1, currency: "jpy", state: { "3ds_auth_id": "a1" } })
  )
})

// ---- PaymentOptions: JSON answers, webhook, return -----------------------------------------------

const PO_KEYS = ["success", "status_code", "statusCode", "gateway_response", "code", "message", "transaction_details", "payment_details", "merchant_details", "id", "ref", "amount", "currency", "card", "url", "redirect_url", "transaction_type", "merchant_txn_ref", "response_code", "error", "risk-details"]
const poBody = fc.oneof(jsonish(PO_KEYS).map((v) => JSON.stringify(v) ?? ""), text)

describe("R4 fuzz: PaymentOptions", () => {
  fuzz("payment-options answers (parseJson → parseTxn, parsePaymentAnswer, parseHppLink)", poBody, (t) => {
    const b = poCodec.parseJson(t)
    for (const f of [poCodec.parseTxn, poCodec.parsePaymentAnswer, poCodec.parseHppLink]) {
      try {
        f(b)
      } catch (e) {
        if (!typed(e)) throw e
      }
    }
  })
  // parseFailure reads whatever an error page is: it must never throw at all.
  fuzz("payment-options parseFailure (never throws)", fc.tuple(fc.integer({ min: 100, max: 599 }), poBody), ([status, t]) => {
    try {
      poCodec.parseFailure(status, t)
    } catch (e) {
      throw new Error(`parseFailure threw ${(e as Error).name}: ${(e as Error).message}`)
    }
    // found by this fuzzing: String({toString: 0}) threw a TypeError
  }, [[100, '{"message":[{"toString":0}]}'], [500, '{"error":{"valueOf":{}}}']] as [number, string][])
  const ref = fc.constantFrom("pay_01HZY", "x", "")
  fuzz(
    "payment-options webhook (parseNotification)",
    fc.tuple(ref, fc.boolean(), poBody),
    ([r, sign, body]) => po.parseNotification(incoming({ query: { ref: r, sig: sign ? poCodec.webhookSignature(PO_SECRET, r) : "00" }, rawBody: Buffer.from(body) }))
  )
  fuzz("payment-options return (parseReturn)", fc.tuple(queryOf(["po", "sig", "transaction_id", "transactionId", "id"], fc.constantFrom("ok", "ng", "cancel")), fc.boolean()), ([q, sign]) => {
    if (sign && q.po) q.sig = poCodec.returnSignature(PO_SECRET, `o:${q.po}`)
    po.parseReturn(incoming({ method: "GET", query: q }), { orderCode: "o", amount: 1, currency: "jpy", state: {} })
  })
})

// ---- 請求管理ロボ: JSON answers, webhook ------------------------------------------------------------

const BR_KEYS = ["error", "code", "message", "billing", "individual", "payment", "number", "register_status", "billing_payment_method", "billing_code", "user", "bill", "demand", "error_code", "error_message", "total_amount_billed", "event_detail", "event_name", "BillingRoboSignaturekey"]
const brBody = fc.oneof(jsonish(BR_KEYS).map((v) => JSON.stringify(v) ?? ""), text)

describe("R4 fuzz: 請求管理ロボ", () => {
  fuzz("billing-robo answers (parseJson → topError, upsert, search, charge)", brBody, (t) => {
    const b = brCodec.parseJson(t)
    for (const f of [brCodec.topError, brCodec.upsertError, brCodec.parseUpsert, brCodec.parseSearch, brCodec.parseCharge]) {
      try {
        f(b)
      } catch (e) {
        if (!typed(e)) throw e
      }
    }
  })
  const webhook = fc
    .record({ BillingRoboSignaturekey: fc.oneof(fc.constant(BR_KEY), text), event_name: fc.oneof(fc.constant("credit_status_issue"), text), event_detail: jsonish(["billing_code", "payment_number", "payment_code", "payment_status", "credit_status", "credit_error_code"]), id: jsonish([]) }, { requiredKeys: [] })
    .map((v) => JSON.stringify(v))
  fuzz("billing-robo webhook (parseWebhook)", fc.oneof(webhook, brBody), (t) => br.parseWebhook(Buffer.from(t)))
})

// ---- storefront input: session data, payer address, IP -----------------------------------------

const SESSION_KEYS = ["token", "payment_method_id", "save_card", "email", "phone", "customer_ip", "billing_address", "shipping_address", "retry_of", "masked_card_number", "valid_until", "fingerprint", "hc", "token_key", "tds_info_token"]
const sessionData = fc.dictionary(keyOf(SESSION_KEYS), jsonish(["postal_code", "province", "city", "address_1", "address_2", "phone", "country_code", "name"]), { maxKeys: 8 })

describe("R4 fuzz: storefront input", () => {
  for (const [name, g] of [["robot-payment", rp], ["sbps", sb], ["paygent", pg], ["payment-options", po], ["billing-robo", br]] as const) {
    fuzz(`${name} parseSessionInput`, sessionData, (d) => g.parseSessionInput(d))
  }
  fuzz("readPayerAddress + readCustomerIp", jsonish(["postal_code", "province", "city", "address_1", "address_2", "phone", "country_code", "name"]), (v) => {
    try {
      readPayerAddress(v, "billing_address")
    } finally {
      readCustomerIp(v)
    }
  })
})

afterAll(() => {
  const total = rows.reduce((n, r) => n + r.runs, 0)
  const ms = rows.reduce((n, r) => n + r.ms, 0)
  const slowest = rows.reduce((a, r) => (r.slowestMs > a.slowestMs ? r : a), rows[0] ?? { name: "-", slowestMs: 0 })
  reportFigure({
    id: "R4",
    title: "fuzzing (fast-check)",
    passed: rows.length,
    total: declared,
    detail: `${rows.length}/${declared} properties × ${RUNS} cases = ${total} cases, ${declared - rows.length} failing properties, slowest case ${slowest.slowestMs.toFixed(1)} ms (${slowest.name}), ${(ms / 1000).toFixed(1)} s`,
  })
})
