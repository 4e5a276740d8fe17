// The ASCII shortcuts of the Shift_JIS paths (no iconv for bytes 0x00–0x7f) give what iconv gives.
import iconv from "iconv-lite"
import { decodeBody } from "../http"
import { fromSjis, sjis } from "../../gateways/sbps/codec"

const ASCII = Array.from({ length: 128 }, (_, i) => String.fromCharCode(i)).join("")
const JA = "お客様 ｶﾅ 〒100-0001 3,000円"

describe("Shift_JIS without iconv for ASCII", () => {
  it("decodeBody reads ASCII and Japanese Shift_JIS/cp932 answers as iconv does", () => {
    for (const cs of ["Shift_JIS", "Windows-31J"]) {
      expect(decodeBody(Buffer.from(ASCII, "latin1"), cs)).toBe(iconv.decode(Buffer.from(ASCII, "latin1"), "cp932"))
      expect(decodeBody(iconv.encode("result=0\r\nname=" + JA, "cp932"), cs)).toBe("result=0\r\nname=" + JA)
    }
  })

  it("decodeBody without a charset: UTF-8, else cp932, one answer after another (its shared decoder keeps nothing from a failed one)", () => {
    const sj = iconv.encode("name=" + JA, "cp932")
    const cut = Buffer.from("name=" + JA, "utf8").subarray(0, 7) // ends inside a character
    for (let i = 0; i < 3; i++) {
      expect(decodeBody(sj)).toBe("name=" + JA)
      expect(decodeBody(Buffer.from("name=" + JA, "utf8"))).toBe("name=" + JA)
      expect(decodeBody(cut)).toBe(iconv.decode(cut, "cp932"))
      expect(decodeBody(Buffer.from("result=0", "utf8"))).toBe("result=0")
    }
  })

  it("SBPS sjis/fromSjis: the same bytes and text as iconv, ASCII or not", () => {
    for (const s of [ASCII, JA, "abc" + JA]) {
      expect(sjis(s).equals(iconv.encode(s, "Shift_JIS"))).toBe(true)
      expect(fromSjis(iconv.encode(s, "Shift_JIS"))).toBe(iconv.decode(iconv.encode(s, "Shift_JIS"), "Shift_JIS"))
    }
  })
})
