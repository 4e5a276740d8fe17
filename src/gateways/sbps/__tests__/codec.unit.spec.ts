// Published vectors (docs/gateways/sbps.md §3, §4) and the sandbox exchanges recorded by the
// sbpayment.rb gem (its VCR cassettes), built and parsed by the codec.
import { CodecError } from "../../../core/vocabulary"
import { buildRequest, decrypt3des, encrypt3des, fromSjis, hashValues, parseResponse, requestDate, sjis, spsHashcode, type XmlNode } from "../codec"
import { describeCode } from "../codes"

const HASH_KEY = "8435dbd48f2249807ec216c3d5ecab714264cc4a"
const TOKEN_1 =
  "13260F601944E5088EA1D967B62D637FB5094B5223E08C675295979D90E227565E8E0536D3C94FC92E36059ACBFA94AC671FA5A1A2E37429CB6B71449637CCBD2F8B84B7896197EA4EC5D5E569DD21756755B647E8E52A30FF77B98DC33E212AD2B301FB8A44800EA0D6C6B69BD312FEE791842E9250CE3AD20AE4"
const TOKEN_KEY_1 =
  "3059301306072A8648CE3D020106082A8648CE3D0301070342000405257D1D329C54FBCCD8B49512361EF7ACA0ACB6510183F540F83F3AA4FC324862EB02F1576A2FEB174CFDBE0E6963E7C8C1C9430B01B4FC5D52C9E021A7A491"
const TOKEN_2 =
  "1EB09334AB1627B428D95393E64952C03E0F40495BC04F5EDD50725D38DA7FF65AEA529D5996E2F4D7ACCF95A1CC075CA07C13AA434FAC078782CDEC3920EBD437466E02E41801F45AE5EA9355C89280369B0439166879D521C89BF9C1A898EC6356E458E02857A5D9D5A83AD67E131BE3836B50A6D1A7A455011B"
const TOKEN_KEY_2 =
  "3059301306072A8648CE3D020106082A8648CE3D0301070342000429C2B0D25A6A67830EC1C8403177E6A9EE307364578F1AA5E44E566CADA31D12489921C9FFBF0E37394B53BE59991854270A0AD6A66E2D49EBA97D298BCD4081"

/** sbpayment.rb authorization-with-token.yml: the request tree exactly as recorded. */
const authWithToken: XmlNode[] = [
  { tag: "merchant_id", value: "30132" },
  { tag: "service_id", value: "002" },
  { tag: "cust_code", value: "Quipper Customer ID" },
  { tag: "order_id", value: "0d8f1122c64c7d0c88cfb328838a2d38" },
  { tag: "item_id", value: "item_1" },
  { tag: "item_name", value: "item", type: "M" },
  { tag: "amount", value: 1250 },
  { tag: "sps_cust_info_return_flg", value: "1" },
  {
    tag: "dtls",
    children: [
      { tag: "dtl", children: [{ tag: "dtl_rowno", value: 1 }, { tag: "dtl_item_id", value: "item_1" }, { tag: "dtl_item_name", value: "item 1", type: "M" }, { tag: "dtl_item_count", value: 2 }, { tag: "dtl_amount", value: 500 }] },
      { tag: "dtl", children: [{ tag: "dtl_rowno", value: 2 }, { tag: "dtl_item_id", value: "item_2" }, { tag: "dtl_item_name", value: "item 2", type: "M" }, { tag: "dtl_item_count", value: 1 }, { tag: "dtl_amount", value: 250 }] },
    ],
  },
  { tag: "pay_method_info", children: [{ tag: "dealings_type", value: "10" }] },
  {
    tag: "pay_option_manage",
    children: [
      { tag: "token", value: TOKEN_1 },
      { tag: "token_key", value: TOKEN_KEY_1 },
      { tag: "cust_manage_flg", value: "1" },
      { tag: "cardbrand_return_flg", value: "1" },
    ],
  },
  { tag: "encrypted_flg", value: "0" },
  { tag: "request_date", value: "20171127193721" },
]

describe("sps_hashcode (vectors of sbpayment.rb's recorded sandbox requests)", () => {
  it("ST02-00101-101 commit from authorization-commit-and-sales.yml", () => {
    const values = ["30132", "002", "B30132002ST010011110100361052543", "00000616307350", "20171127193711", "20171127193718"]
    expect(spsHashcode(values, HASH_KEY)).toBe("f7085f0d7eacd5796b738a3e8dd878d19be1c519")
  })

  it("ST02-00201-101 sales with an empty pay_option_manage hashes like the commit", () => {
    const nodes: XmlNode[] = [
      { tag: "merchant_id", value: "30132" },
      { tag: "service_id", value: "002" },
      { tag: "sps_transaction_id", value: "B30132002ST010011110100361052543" },
      { tag: "tracking_id", value: "00000616307350" },
      { tag: "processing_datetime", value: "20171127193711" },
      { tag: "pay_option_manage", children: [{ tag: "amount", value: undefined }] },
      { tag: "request_date", value: "20171127193718" },
    ]
    expect(buildRequest("ST02-00201-101", nodes, { hashKey: HASH_KEY })).toContain("<sps_hashcode>f7085f0d7eacd5796b738a3e8dd878d19be1c519</sps_hashcode>")
  })

  it("ST01-00131-101 token authorization hashes the plain item name, not its base64", () => {
    expect(spsHashcode(hashValues(authWithToken), HASH_KEY)).toBe("dafc3756a8fd5ac09fe049d6538908fe28515359")
    const wrong = hashValues(authWithToken).map((v) => (v === "item" ? "aXRlbQ==" : v))
    expect(spsHashcode(wrong, HASH_KEY)).not.toBe("dafc3756a8fd5ac09fe049d6538908fe28515359")
  })

  it("MG02-00131-101 hashes a Japanese value as Shift_JIS", () => {
    const values = ["30132", "002", "eae3d302b6416cb5d1601de82e084812", "1", "テストユーザー", TOKEN_2, TOKEN_KEY_2, "1", "0", "20171127193727"]
    expect(spsHashcode(values, HASH_KEY)).toBe("d4a1edbe26d420844e422c8f03227601f187c23b")
  })

  it("the link-type purchase result vector (raw SJIS 継続課金)", () => {
    // sbpayment.rb purchase_result_spec.rb: every parameter in the link type's spec order, item_name raw.
    const values = ["", "19788", "001", "498b1fd98ebeb074ff1d50f2e2720a1a", "", "", "9eb2fced282c5bfc67c2417217ca2682", "Item ID", "", "継続課金", "", "980", "2", "0", "0", "0", "", "", "", "0", "", "", "", "20150807161004", "", "OK", "80312789324671", "", "", "", "20150807161021", "", "20150807161021", "600"]
    expect(spsHashcode(values, "398a58952baf329cac5efbae97ea84ba17028d02")).toBe("c27fa2286c6fcc2cef2ce31def31386c2e39783e")
  })
})

describe("3DES (sbpayment-java's published vectors)", () => {
  const des = { key: "abcdefghyjklmn1234567890", iv: "12345678" }
  it("encrypts an 8-byte value without padding", () => {
    expect(encrypt3des("Allan Im", des)).toBe("P8Rw2Jh3J6A=")
  })
  it("pads a short value with spaces", () => {
    expect(encrypt3des("Allan", des)).toBe("JgWwkfxEzwM=")
  })
  it("decrypts and strips the padding", () => {
    expect(decrypt3des("JgWwkfxEzwM=", des)).toBe("Allan")
    expect(decrypt3des("P8Rw2Jh3J6A=", des)).toBe("Allan Im")
  })
  it("encrypts pay_method_info leaves, not pay_option_manage, and hashes the plain values", () => {
    const xml = buildRequest("ST01-00131-101", authWithToken.map((n) => (n.tag === "encrypted_flg" ? { tag: "encrypted_flg", value: "1" } : n)), { hashKey: HASH_KEY, des })
    expect(xml).toContain(`<pay_method_info><dealings_type>${encrypt3des("10", des)}</dealings_type></pay_method_info>`)
    expect(xml).toContain(`<token>${TOKEN_1}</token>`)
  })
})

describe("XML build (request recorded by sbpayment.rb)", () => {
  it("reproduces authorization-with-token.yml byte for byte", () => {
    const recorded =
      '<?xml version="1.0" encoding="Shift_JIS"?><sps-api-request id="ST01-00131-101"><merchant_id>30132</merchant_id><service_id>002</service_id><cust_code>Quipper Customer ID</cust_code><order_id>0d8f1122c64c7d0c88cfb328838a2d38</order_id><item_id>item_1</item_id><item_name>aXRlbQ==</item_name><amount>1250</amount><sps_cust_info_return_flg>1</sps_cust_info_return_flg><dtls><dtl><dtl_rowno>1</dtl_rowno><dtl_item_id>item_1</dtl_item_id><dtl_item_name>aXRlbSAx</dtl_item_name><dtl_item_count>2</dtl_item_count><dtl_amount>500</dtl_amount></dtl><dtl><dtl_rowno>2</dtl_rowno><dtl_item_id>item_2</dtl_item_id><dtl_item_name>aXRlbSAy</dtl_item_name><dtl_item_count>1</dtl_item_count><dtl_amount>250</dtl_amount></dtl></dtls><pay_method_info><dealings_type>10</dealings_type></pay_method_info><pay_option_manage><token>' +
      TOKEN_1 +
      "</token><token_key>" +
      TOKEN_KEY_1 +
      "</token_key><cust_manage_flg>1</cust_manage_flg><cardbrand_return_flg>1</cardbrand_return_flg></pay_option_manage><encrypted_flg>0</encrypted_flg><request_date>20171127193721</request_date><sps_hashcode>dafc3756a8fd5ac09fe049d6538908fe28515359</sps_hashcode></sps-api-request>"
    expect(buildRequest("ST01-00131-101", authWithToken, { hashKey: HASH_KEY })).toBe(recorded)
  })

  it("base64-encodes type M as Shift_JIS and escapes markup", () => {
    const xml = buildRequest("MG02-00131-101", [{ tag: "pay_method_info", children: [{ tag: "resrv1", value: "テストユーザー", type: "M" }] }, { tag: "cust_code", value: "a<b&c" }], { hashKey: "k" })
    expect(xml).toContain("<resrv1>g2WDWINng4aBW4NVgVs=</resrv1>")
    expect(xml).toContain("<cust_code>a&lt;b&amp;c</cust_code>")
  })

  it("refuses line breaks and characters Shift_JIS cannot carry", () => {
    expect(() => buildRequest("X", [{ tag: "free1", value: "a\nb", type: "M" }], { hashKey: "k" })).toThrow(CodecError)
    expect(() => buildRequest("X", [{ tag: "free1", value: "😀", type: "M" }], { hashKey: "k" })).toThrow(CodecError)
  })
})

describe("XML parse (responses recorded by sbpayment.rb)", () => {
  it("reads the token authorization answer", () => {
    const text =
      "<?xml version='1.0' encoding='Shift_JIS' ?>\n  <sps-api-response id=\"ST01-00131-101\">\n    <res_result>OK</res_result>\n    <res_sps_transaction_id>B30132002ST010013110100361052570</res_sps_transaction_id>\n    <res_tracking_id>00000616307351</res_tracking_id>\n    <res_pay_method_info>\n      <cc_company_code>99665</cc_company_code>\n      <cardbrand_code>M</cardbrand_code>\n      <recognized_no>123456</recognized_no>\n      \n    </res_pay_method_info>\n    <res_sps_info>\n      <res_sps_cust_no>849884055716</res_sps_cust_no>\n      <res_sps_payment_no>003</res_sps_payment_no>\n    </res_sps_info>\n    <res_process_date>20171127193716</res_process_date>\n    <res_err_code/>\n    <res_date>20171127193716</res_date>\n  </sps-api-response>\n"
    const r = parseResponse(text)
    expect(r).toMatchObject({ id: "ST01-00131-101", result: "OK", errCode: undefined })
    expect(r.fields).toMatchObject({ res_tracking_id: "00000616307351", cardbrand_code: "M", res_process_date: "20171127193716", res_sps_payment_no: "003" })
  })

  it("reads an NG answer without an id attribute", () => {
    const r = parseResponse("<sps-api-response><res_result>NG</res_result><res_err_code>10105202</res_err_code><res_date>20171127193708</res_date></sps-api-response>")
    expect(r).toMatchObject({ id: undefined, result: "NG", errCode: "10105202" })
  })

  it("decodes base64 M fields and encrypted blocks of an answer", () => {
    const des = { key: "abcdefghyjklmn1234567890", iv: "12345678" }
    const text = `<sps-api-response id="MG02-00104-101"><res_result>OK</res_result><res_pay_method_info><cc_number>${encrypt3des("************4242", des)}</cc_number><resrv1>${encrypt3des(sjis("テスト"), des)}</resrv1></res_pay_method_info><res_err_code/></sps-api-response>`
    expect(parseResponse(text, des).fields).toMatchObject({ cc_number: "************4242", resrv1: "テスト" })
    const plain = `<sps-api-response id="MG02-00104-101"><res_result>OK</res_result><res_pay_method_info><resrv1>g2WDWINng4aBW4NVgVs=</resrv1></res_pay_method_info></sps-api-response>`
    expect(parseResponse(plain).fields.resrv1).toBe("テストユーザー")
  })

  it("is a clear error for malformed XML, an HTML page, another root or no res_result", () => {
    expect(() => parseResponse("<sps-api-response><res_result>OK</res_result>")).toThrow(/malformed XML/)
    expect(() => parseResponse("Service Unavailable")).toThrow(/not XML/)
    expect(() => parseResponse("<html><body>503</body></html>")).toThrow(/no <sps-api-response> root/)
    expect(() => parseResponse("<sps-api-response><res_result>MAYBE</res_result></sps-api-response>")).toThrow(/res_result/)
    expect(() => parseResponse("<sps-api-response><res_result>NG</res_result></sps-api-response>")).toThrow(/res_err_code/)
  })

  it("round-trips Shift_JIS", () => {
    expect(fromSjis(sjis("継続課金"))).toBe("継続課金")
  })
})

describe("request_date", () => {
  it("is Japan time", () => {
    expect(requestDate(new Date("2017-11-27T10:37:21Z"))).toBe("20171127193721")
    expect(requestDate(new Date("2017-12-31T15:00:00Z"))).toBe("20180101000000")
  })
})

describe("res_err_code (SBPS API Type Error Codes)", () => {
  it("splits 3+2+3 and names method, type and item in Japanese and English", () => {
    const e = describeCode("10105202")
    expect(e).toMatchObject({ method: "101", type: "05", item: "202", kind: "invalid", newToken: false })
    expect(e.ja).toBe("クレジットカード: 桁数エラー(取引区分)")
    expect(e.en).toBe("credit card: a field has the wrong length (dealings_type)")
    expect(describeCode("10103005").en).toContain("item_id")
  })
  it("classes card refusals, system errors, hash errors and token expiry", () => {
    expect(describeCode("10122999").kind).toBe("declined")
    expect(describeCode("10185999").kind).toBe("retry")
    expect(describeCode("99990999").kind).toBe("retry")
    expect(describeCode("10196999").kind).toBe("unknown_outcome")
    expect(describeCode("10109025").kind).toBe("merchant")
    expect(describeCode("101T2227")).toMatchObject({ newToken: true, kind: "declined" })
    expect(describeCode("101T1228").en).toContain("make a new token")
    expect(describeCode("101K1008").kind).toBe("invalid")
  })
})

describe("answers found by fuzzing (integration-tests/reliability/fuzz.spec.ts)", () => {
  it("a tag fast-xml-parser refuses (constructor, __proto__) is a CodecError, not its plain Error", () => {
    expect(() => parseResponse("<sps-api-response><constructor></constructor></sps-api-response>")).toThrow(CodecError)
    expect(() => parseResponse("<sps-api-response><__proto__>1</__proto__></sps-api-response>")).toThrow(CodecError)
  })
})
