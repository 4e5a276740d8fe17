import iconv from "iconv-lite"
import { decodeBody, encodeForm } from "../../../core/http"
import { charsetFor, hashMatches, noticeHash, parseCsv, parseKeyValue, pathFor, sha256hex, threeDSResultHash, tokenHash } from "../codec"
import { describeCode } from "../codes"
import { mobilePhone } from "../client"

describe("PAYGENT hashes (the specification's own examples)", () => {
  it("3-D Secure result hc = SHA-256(result + 3ds_auth_id + attempt_kbn + key) — SPEC-3DS example", () => {
    const hc = threeDSResultHash({ result: "0", authId: "11111111-1111-1111-1111-111111111111", attemptKbn: "0" }, "test_1234567890123456789")
    expect(hc).toBe("e3f5400fb96b6ae955ac16f58cc81ba33e93f5ae35ec4a07bac6f0496c51bc43")
    expect(hashMatches(hc, hc.toUpperCase())).toBe(true)
    expect(hashMatches(hc, hc.slice(0, 63) + "0")).toBe(false)
    expect(hashMatches(hc, undefined)).toBe(false)
    // An absent attempt_kbn contributes "".
    expect(threeDSResultHash({ result: "1", authId: "a" }, "k")).toBe(sha256hex("1ak"))
  })

  it("token hc — SPEC-TOKEN example", () => {
    expect(
      tokenHash({ token: "tok_aaaabbbbccccdddd", masked: "************4242", validUntil: "20181121185202", fingerprint: "A1b2C3d4E5f6G7h8I9j0K" }, "ch_eeeeffffgggghhhhiiii")
    ).toBe("4d3c9a7b3f8dd69787e35491f0fa9e750b9642413ad6bc2100af9bba4edaaad9")
  })

  it("差分通知 hc over notice id, payment id, trading id, type, amount and key — SPEC-MAIN example input", () => {
    expect(noticeHash({ noticeId: "12345", paymentId: "123456789", tradingId: "TRADE12345", paymentType: "02", amount: "1000" }, "abcdefg1234567")).toBe(
      "6485eb02c7db9afccfe1076b740ffa87fc84f912aab24961153891e848b8cb8c"
    )
  })
})

describe("PAYGENT answers", () => {
  it("parses key=value lines in any order, with out_acs_html last taking the rest of the body", () => {
    const html = '<html>\r\n<body onload="OnLoadEvent();">\r\n<form name="submitForm" action="https://acs.example/x?a=1&b=2" method="POST">\r\n<input type="hidden" name="k" value="x=y">\r\n</form></body></html>'
    const body = `masked_card_number=************1111\r\nresult=0\r\nresponse_code=\r\n3ds_auth_id=11111111-1111-1111-1111-111111111111\r\nresponse_detail=\r\nout_acs_html=\r\n${html}\r\n`
    const a = parseKeyValue(body)
    expect(a.result).toBe("0")
    expect(a.fields["3ds_auth_id"]).toBe("11111111-1111-1111-1111-111111111111")
    expect(a.fields.masked_card_number).toBe("************1111")
    expect(a.fields.out_acs_html).toBe(html)
  })

  it("keeps text after `_html=` on the key line as the first line of the value", () => {
    expect(parseKeyValue("result=0\r\nout_acs_html=<html>\r\n</html>").fields.out_acs_html).toBe("<html>\r\n</html>")
  })

  it("reads an error answer with a Japanese detail, and refuses what is not an answer", () => {
    const a = parseKeyValue("result=1\r\nresponse_code=P010\r\nresponse_detail=\"[payment_amount]\"パラメータの値が不正です。\r\n")
    expect(a).toMatchObject({ result: "1", responseCode: "P010" })
    expect(a.responseDetail).toContain("パラメータ")
    expect(() => parseKeyValue("<html>Service Unavailable</html>")).toThrow(/result/)
    expect(() => parseKeyValue("")).toThrow(/resultStatus is Nothing/)
    expect(() => parseKeyValue("result=OK\r\n")).toThrow(/unexpected result/)
  })

  it("parses 027's CSV: header, column names, rows with quotes and commas, trailer", () => {
    const body = [
      '"1","0","",""',
      '"2","customer_id","customer_card_id","card_number","card_valid_term","cardholder_name","fingerprint"',
      '"3","cus_1","100000000000000001","************1111","1230","TARO ""T"" YAMADA","fp1"',
      '"3","cus_1","100000000000000002","************4242","0128","HANAKO, Y","fp2"',
      '"4","2"',
      "",
    ].join("\r\n")
    const a = parseCsv(body)
    expect(a.result).toBe("0")
    expect(a.count).toBe(2)
    expect(a.rows[0]).toMatchObject({ customer_card_id: "100000000000000001", cardholder_name: 'TARO "T" YAMADA' })
    expect(a.rows[1].cardholder_name).toBe("HANAKO, Y")
    const err = parseCsv('"1","1","P026","指定した顧客ID、顧客カードIDのカード情報はありません。"\r\n"4","0"\r\n')
    expect(err).toMatchObject({ result: "1", responseCode: "P026", rows: [] })
    expect(() => parseCsv("result=0")).toThrow(/header/)
  })
})

describe("PAYGENT charsets and URLs", () => {
  it("Windows-31J for card telegrams, UTF-8 for 450, both ways", () => {
    expect(charsetFor("020")).toBe("windows-31j")
    expect(charsetFor("094")).toBe("windows-31j")
    expect(charsetFor("450")).toBe("utf-8")
    const name = "ﾔﾏﾀﾞ ﾀﾛｳ 山田太郎①"
    expect(encodeForm({ n: "山田" }, "windows-31j")).toBe("n=%8ER%93c") // 山 = 8E52, 田 = 9363 in cp932
    const sjis = encodeForm({ add_info1: name }, "windows-31j")
    const bytes = Buffer.from(sjis.split("=")[1].replace(/%([0-9A-F]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16))), "latin1")
    expect(iconv.decode(bytes, "cp932")).toBe(name)
    expect(encodeForm({ cardholder_name: "山田" }, "utf-8")).toBe(`cardholder_name=${encodeURIComponent("山田")}`)
    const answer = "result=1\r\nresponse_code=2001\r\nresponse_detail=オーソリNG\r\n"
    expect(decodeBody(iconv.encode(answer, "cp932"), "Windows-31J")).toBe(answer)
    expect(decodeBody(Buffer.from(answer, "utf8"), "UTF-8")).toBe(answer)
  })

  it("chooses the URL by telegram kind, full kind first then its first two characters", () => {
    expect(pathFor("020")).toBe("/n/card/request")
    expect(pathFor("027")).toBe("/n/card/request")
    expect(pathFor("450")).toBe("/n/threeds/request")
    expect(pathFor("094")).toBe("/n/ref/paymentref")
    expect(pathFor("091")).toBe("/n/ref/paynotice")
    expect(() => pathFor("777")).toThrow(/no URL/)
  })
})

describe("PAYGENT codes", () => {
  it("describes codes in both languages, with the card-network detail of 2001–2003", () => {
    expect(describeCode("P016")).toMatchObject({ kind: "merchant" })
    expect(describeCode("2008").kind).toBe("unknown_outcome")
    const d = describeCode("2003", '"1G44"')
    expect(d.en).toContain("1G44 wrong security code")
    expect(d.ja).toContain("セキュリティコード")
    expect(describeCode("31007").kind).toBe("declined")
    expect(describeCode("P099").kind).toBe("invalid")
  })

  it("writes a Japanese phone number as 450's subscriber number", () => {
    expect(mobilePhone("090-1234-5678")).toBe("9012345678")
    expect(mobilePhone("+81 90 1234 5678")).toBe("9012345678")
    expect(mobilePhone("+1 555 0100")).toBeUndefined()
  })
})

describe("encodeForm's ASCII path in Shift_JIS", () => {
  it("gives the bytes the iconv path gives, for every ASCII character and mixed values", () => {
    const iconv = require("iconv-lite")
    const slow = (s: string) => {
      let out = ""
      for (const b of iconv.encode(s, "cp932") as Buffer) {
        const c = String.fromCharCode(b)
        out += /[A-Za-z0-9\-_.~]/.test(c) ? c : "%" + b.toString(16).toUpperCase().padStart(2, "0")
      }
      return out
    }
    const ascii = Array.from({ length: 128 }, (_, i) => String.fromCharCode(i)).join("")
    for (const v of [ascii, "MJ02y6AQ1kIzExQIIsaydI0m", "a b+c&d=e/f?g%h!'()*", "山田 taro", ""]) {
      expect(encodeForm({ v }, "windows-31j")).toBe(`v=${slow(v)}`)
    }
  })
})
