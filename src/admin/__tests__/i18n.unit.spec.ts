// The admin's translations (src/admin/i18n) as Medusa's dashboard merges them, the labels the widgets
// ask for, and the money and language helpers.
import fs from "node:fs"
import path from "node:path"
import i18n from "../i18n"
import { formatMoney, formatYen, gatewayLabelIn, isJapanese, providerNameIn, threeDSDetailKey } from "../lib/format"

type Tree = { [k: string]: string | Tree }

function leaves(tree: Tree, prefix = ""): Map<string, string> {
  const out = new Map<string, string>()
  for (const [k, v] of Object.entries(tree)) {
    const key = prefix ? `${prefix}.${k}` : k
    if (typeof v === "string") out.set(key, v)
    else for (const [kk, vv] of leaves(v, key)) out.set(kk, vv)
  }
  return out
}

const JAPANESE = /[\u3040-\u30ff\u3400-\u9fff\uff00-\uffef]/
const en = leaves(i18n.en.translation as Tree)
const ja = leaves(i18n.ja.translation as Tree)
/** Every widget and route page of the admin (routes/ nests one folder per page). */
const adminFiles = ["../widgets", "../routes"].flatMap(function walk(dir: string): string[] {
  const abs = path.isAbsolute(dir) ? dir : path.join(__dirname, dir)
  return fs.readdirSync(abs, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(path.join(abs, e.name)) : /\.tsx?$/.test(e.name) ? [path.join(abs, e.name)] : [],
  )
})

describe("admin translations", () => {
  it("are Medusa's resource shape ({ <lang>: { translation } }) with every key under jpPayments.", () => {
    expect(Object.keys(i18n).sort()).toEqual(["en", "ja"])
    expect(Object.keys(i18n.en.translation)).toEqual(["jpPayments"])
    expect(Object.keys(i18n.ja.translation)).toEqual(["jpPayments"])
  })

  it("have the same keys in en and ja, none empty", () => {
    expect([...ja.keys()].sort()).toEqual([...en.keys()].sort())
    for (const [k, v] of [...en, ...ja]) expect({ k, empty: v.trim() === "" }).toEqual({ k, empty: false })
  })

  it("say nothing in Japanese in English, and ja is translated", () => {
    for (const [k, v] of en) expect({ k, japanese: JAPANESE.test(v) }).toEqual({ k, japanese: false })
    expect([...ja.values()].filter((v) => JAPANESE.test(v)).length).toBeGreaterThan(ja.size / 2)
  })

  it("hold every label the widgets and pages ask for", () => {
    const asked: string[] = []
    const prefixes = new Set<string>()
    for (const file of adminFiles) {
      const src = fs.readFileSync(file, "utf8")
      const prefix = /t\(`(jpPayments\.[a-zA-Z]+)\.\$\{key\}`\)/.exec(src)?.[1]
      const calls = [...src.matchAll(/\bL\("([a-zA-Z]+)"\)/g)].map((m) => m[1])
      if (calls.length > 0) expect({ file, prefix }).toEqual({ file, prefix: expect.stringMatching(/^jpPayments\./) })
      if (prefix) prefixes.add(prefix)
      asked.push(...calls.map((k) => `${prefix}.${k}`))
      for (const m of src.matchAll(/\bof\("([a-zA-Z]+)"/g)) {
        expect([...en.keys()].some((k) => k.startsWith(`${prefix}.${m[1]}.`))).toBe(true)
      }
    }
    expect([...prefixes].sort()).toEqual(expect.arrayContaining(["jpPayments.attention", "jpPayments.cardRegistration"]))
    expect(asked.length).toBeGreaterThan(20)
    for (const k of asked) expect({ k, present: en.has(k) }).toEqual({ k, present: true })
  })

  it("are the only source of labels: no widget or page reads the browser's language or holds Japanese", () => {
    expect(adminFiles.length).toBeGreaterThanOrEqual(4)
    for (const file of adminFiles) {
      const src = fs.readFileSync(file, "utf8")
      // Japanese may appear in comments only (vendor terms); code and labels come from i18n/.
      const code = src.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:])\/\/.*$/gm, "$1")
      expect({ file, JA: /\bJA\b/.test(code), japanese: JAPANESE.test(code) }).toEqual({ file, JA: false, japanese: false })
    }
  })

  it("name each 支払方法 as shoppers know it, the 回数 interpolated", () => {
    for (const k of ["title", "lump", "installments", "bonus", "revolving"]) expect(en.has(`jpPayments.paymentMethod.${k}`)).toBe(true)
    expect(ja.get("jpPayments.paymentMethod.installments")).toBe("分割払い（{{n}}回）")
    expect(en.get("jpPayments.paymentMethod.installments")).toBe("{{n}} installments")
    expect([ja.get("jpPayments.paymentMethod.lump"), ja.get("jpPayments.paymentMethod.bonus"), ja.get("jpPayments.paymentMethod.revolving")]).toEqual(["一括払い", "ボーナス一括払い", "リボ払い"])
    const widget = fs.readFileSync(path.join(__dirname, "../widgets/order-card-payments.tsx"), "utf8")
    expect(widget).toContain("jpPayments.paymentMethod.")
  })

  it("word every 3-D Secure detail a gateway records (detail_key) in both languages, and the widget shows it through them", () => {
    const gateways = path.join(__dirname, "../../gateways")
    const keys = fs.readdirSync(gateways).flatMap((gw) => {
      const file = path.join(gateways, gw, "gateway.ts")
      if (!fs.existsSync(file)) return []
      const src = fs.readFileSync(file, "utf8")
      return [...src.matchAll(/detail_key: "([a-zA-Z]+)"/g), ...src.matchAll(/notPerformed\([^)]*?, "([a-zA-Z]+)"\)/g)].map((m) => m[1])
    })
    expect(new Set(keys).size).toBeGreaterThanOrEqual(15)
    for (const k of keys) expect({ k, en: en.has(`jpPayments.threeDSDetail.${k}`), ja: ja.has(`jpPayments.threeDSDetail.${k}`) }).toEqual({ k, en: true, ja: true })
    for (const [k, v] of ja) if (k.startsWith("jpPayments.threeDSDetail.")) expect({ k, japanese: JAPANESE.test(v) }).toEqual({ k, japanese: true })
    const widget = fs.readFileSync(path.join(__dirname, "../widgets/order-card-payments.tsx"), "utf8")
    expect(widget).toContain("{threeDSDetail(jp.three_ds, jp.gateway)}")
    expect(widget).not.toContain("{jp.three_ds.detail}")
  })

  it("call an authorization (仮売上) not yet charged", () => {
    expect(en.get("jpPayments.orderPayments.toCapture")).toMatch(/not yet charged/i)
    expect(ja.get("jpPayments.orderPayments.toCapture")).toContain("仮売上")
  })
})

describe("admin helpers", () => {
  it("print yen with ¥ (U+00A5) as Medusa's admin does, never the full-width ￥", () => {
    expect(formatYen(3000)).toBe("¥3,000")
    expect(formatMoney(1500, "JPY")).toBe("¥1,500")
    expect(formatMoney(1050, "usd")).toBe("$10.50")
    expect(formatMoney(null, "jpy")).toBe("—")
    expect(formatYen(123456)).not.toContain("\uFFE5")
  })

  it("tell a Japanese admin language from others", () => {
    expect(["ja", "ja-JP", "JA"].map(isJapanese)).toEqual([true, true, true])
    expect(["en", "en-US", "jv", "", undefined, null].map(isJapanese)).toEqual([false, false, false, false, false, false])
  })

  it("name a gateway in the admin's language", () => {
    const name = { en: "ROBOT PAYMENT", ja: "ロボットペイメント" }
    expect(providerNameIn("pp_robot-payment_rp", name, false)).toBe("ROBOT PAYMENT (rp)")
    expect(providerNameIn("pp_robot-payment_rp", name, true)).toBe("ロボットペイメント (rp)")
    expect(gatewayLabelIn(undefined, "sbps", true)).toBe("sbps")
  })

  it("find the label of an older payment's 3-D Secure detail (English text only), values included", () => {
    const labels = Object.fromEntries([...en].filter(([k]) => k.startsWith("jpPayments.threeDSDetail.")).map(([k, v]) => [k.slice("jpPayments.threeDSDetail.".length), v]))
    const of = (detail: string, status = "not_performed", gateway = "paygent") => threeDSDetailKey({ detail, status }, labels, gateway)
    expect(threeDSDetailKey({ detail: "x", detail_key: "rpToken", detail_values: null }, labels)).toEqual({ key: "rpToken", values: {} })
    expect(of("one-touch charge of a saved card", "not_performed", "robot-payment")).toEqual({ key: "rpOneTouchSaved", values: {} })
    expect(of("re-authorized by 029 without 3-D Secure: the original authentication does not cover the new payment_id")).toEqual({ key: "paygentReauthorized", values: { kind: "029" } })
    expect(of("authentication failed 31007: Authentication failed")).toEqual({ key: "paygentFailed", values: { code: "31007", en: "Authentication failed" } })
    // the words PAYGENT's payments were recorded with before
    expect(of("31007 Authentication failed", "failed")).toEqual({ key: "paygentFailed", values: { code: "31007", en: "Authentication failed", ja: "Authentication failed" } })
    expect(of("31007 Authentication failed", "failed", "sbps")).toBeNull()
    expect(of("attempt_kbn=1", "attempt")).toEqual({ key: "paygentAttemptMerchant", values: {} })
    expect(of("3dsecure_ryaku=1")).toEqual({ key: "paygentRyaku", values: {} })
    expect(of("something new")).toBeNull()
    // every label is found from its own words, values or not
    for (const [key, label] of Object.entries(labels)) expect(of(label.replace(/\{\{\w+\}\}/g, "V"))?.key).toBe(key)
  })
})
