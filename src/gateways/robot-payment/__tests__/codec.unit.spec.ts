import { CodecError } from "../../../core/vocabulary"
import { mdPt, parseAnswer, parseKickback, parsePaymentRecord, parseUserRecord } from "../codec"
import { ER_CODES, describeCode } from "../codes"

function csv(body: string): string[] {
  const a = parseAnswer(body)
  if (a.shape !== "csv") throw new Error(`expected csv, got ${a.shape}`)
  return a.fields
}

describe("ROBOT PAYMENT codec on the vendor's samples", () => {
  it("reads the one-shot registration payment answer (複数カード情報登録ワンタッチ課金 sample)", () => {
    const body = "1095729,1,TestMod,,205685,,1000,2,4,1006,,012345,vnpjBycDO5,1"
    const r = parsePaymentRecord(csv(body), body, { registration: true })
    expect(r).toMatchObject({ gid: "1095729", rst: "1", ap: "TestMod", ec: "", god: "205685", cod: "", am: 1000, tx: 2, sf: 4, ta: 1006 })
    expect([r.uid, r.key, r.num]).toEqual(["012345", "vnpjBycDO5", "1"])
  })

  it("reads the same answer laid out as the field table says (id and ps columns present)", () => {
    const body = "1095729,1,TestMod,,205685,MJabc,1000,2,4,1006,,,012345,vnpjBycDO5,1,memo=goods%20code"
    const r = parsePaymentRecord(csv(body), body, { registration: true })
    expect([r.uid, r.key, r.num]).toEqual(["012345", "vnpjBycDO5", "1"])
    expect(r.cod).toBe("MJabc")
    expect(r.free).toEqual({ memo: "goods code" })
  })

  it("reads a one-touch answer with a trailing comma and CRLF", () => {
    const body = "1095729,1,TestMod,,205685,,1000,2,4,1006,,,\r\n"
    const r = parsePaymentRecord(csv(body), body)
    expect(r.ta).toBe(1006)
    expect(r.uid).toBeUndefined()
  })

  it("reads a failed token payment (通常決済 接続仕様書 sample, docs/gateways/robot-payment.md §4)", () => {
    const body = "0,2,,ER900,,,0,0,0,0,,,0,"
    const r = parsePaymentRecord(csv(body), body)
    expect(r).toMatchObject({ gid: "0", rst: "2", ec: "ER900" })
  })

  it("tells the three answer shapes apart", () => {
    expect(parseAnswer("OK")).toEqual({ shape: "ok" })
    expect(parseAnswer("ER:ER024")).toEqual({ shape: "error", code: "ER024" })
    expect(parseAnswer("ER003\r\n")).toEqual({ shape: "error", code: "ER003" })
    expect(parseAnswer("1,,012345,vnjpBycDO5").shape).toBe("csv")
  })

  it("refuses what is none of them", () => {
    expect(() => parseAnswer("")).toThrow(CodecError)
    expect(() => parseAnswer("<html><body>503 Service Unavailable</body></html>")).toThrow(CodecError)
    expect(() => parseAnswer("garbage")).toThrow(CodecError)
    const body = "1,9,,,,,0,0,0,0"
    expect(() => parsePaymentRecord(csv(body), body)).toThrow(/rst/)
    const body2 = "abc,1,TestMod,,1,,1,0,0,1"
    expect(() => parsePaymentRecord(csv(body2), body2)).toThrow(/gid/)
    const body3 = "1,1,TestMod"
    expect(() => parsePaymentRecord(csv(body3), body3)).toThrow(/fields/)
  })

  it("reads user answers, register and read", () => {
    const reg = parseUserRecord(csv("1,,012345,vnjpBycDO5"), "", 0)
    expect(reg).toMatchObject({ rst: "1", ec: "", uid: "012345", key: "vnjpBycDO5" })
    const read = parseUserRecord(csv("1,,012345,vnjpBycDO5,sample@sample.jp,09011111111"), "", 2)
    expect(read.rest).toEqual(["sample@sample.jp", "09011111111"])
    const err = parseUserRecord(csv("2,ER069,012345,"), "", 0)
    expect(err).toMatchObject({ rst: "2", ec: "ER069" })
  })

  it("reads the card-read sample that omits the ec column, and the table's layout", () => {
    const sample = parseUserRecord(csv("1,012345,vnjpBycDO5,1,*****9999,2512,sample,sample"), "", 5)
    expect(sample).toMatchObject({ uid: "012345", key: "vnjpBycDO5", rest: ["1", "*****9999", "2512", "sample", "sample"] })
    const table = parseUserRecord(csv("1,,012345,vnjpBycDO5,1,*****9999,2512,sample,sample"), "", 5)
    expect(table.rest).toEqual(sample.rest)
  })

  it("reads the kickback sample (with its stray space)", () => {
    const k = parseKickback({ gid: "10000001", rst: "1", ap: "0001112", ec: "", god: "10000002", cod: "test ", am: "1000", tx: "80", sf: "500", ta: "1580", uid: " 012345", key: "vnpjBycDO5", num: "1" })
    expect(k).toMatchObject({ gid: "10000001", rst: "1", cod: "test", ta: 1580, uid: "012345", num: "1" })
    expect(() => parseKickback({ rst: "1", cod: "x" })).toThrow(/gid/)
    expect(() => parseKickback({ gid: "1", rst: "7", cod: "x" })).toThrow(/rst/)
  })
})

describe("ROBOT PAYMENT codes", () => {
  it("class each code so the shop knows who must act", () => {
    expect(describeCode("ER003")).toMatchObject({ kind: "merchant", ja: "決済送信元IPエラー" })
    expect(describeCode("ER003").en).toMatch(/register this server's IP address/)
    expect(describeCode("ER999").kind).toBe("retry")
    expect(describeCode("ER585").kind).toBe("declined")
    expect(describeCode("G1242G120000")).toMatchObject({ kind: "declined", ja: "取扱不可カード" })
    expect(describeCode("G5542G550000").en).toMatch(/limit/)
    expect(describeCode("G0142G010000").kind).toBe("declined") // unknown G code: still the card company
    expect(describeCode("ER777").kind).toBe("invalid")
  })

  it("have Japanese and English text for every code", () => {
    for (const [code, info] of Object.entries(ER_CODES)) {
      expect(code).toMatch(/^ER\d{3}$/)
      expect(info.ja.length).toBeGreaterThan(0)
      expect(info.en.length).toBeGreaterThan(0)
    }
    expect(Object.keys(ER_CODES).length).toBeGreaterThan(100)
  })
})

describe("支払方法 on the wire (md/pt)", () => {
  it("一括 sends neither (未指定 = 一括払い); 分割 md=61 with pt; リボ md=80", () => {
    expect(mdPt({ type: "lump" })).toEqual({})
    expect(mdPt({ type: "installments", count: 3 })).toEqual({ md: "61", pt: "3" })
    expect(mdPt({ type: "installments", count: 24 })).toEqual({ md: "61", pt: "24" })
    expect(mdPt({ type: "revolving" })).toEqual({ md: "80" })
  })

  it("refuses what ROBOT PAYMENT does not document: ボーナス一括払い, an undocumented 回数", () => {
    expect(() => mdPt({ type: "bonus" })).toThrow(/payment_method bonus is not one ROBOT PAYMENT documents/)
    expect(() => mdPt({ type: "installments", count: 4 })).toThrow(/installments:4/)
  })
})
