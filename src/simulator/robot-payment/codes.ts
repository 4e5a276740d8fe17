/**
 * ROBOT PAYMENT result codes used by the simulator.
 *
 * ER codes: texts from the vendor's 「決済システムエラーコード」 list. Only the codes the simulator can
 * produce are listed; every error path goes through {@link GatewayError}
 * with one of these keys, so the table is the single source of messages.
 *
 * G codes: card-company declines (the vendor's G code list), produced by the decline
 * test cards at payment time.
 */

export const ER_CODES = {
  ER000: "決済システム内部エラー",
  ER001: "リクエストエラー",
  ER002: "決済送信元URLエラー",
  ER003: "決済送信元IPエラー",
  ER004: "未登録店舗",
  ER005: "未登録商品",
  ER014: "カードチェックデジットエラー",
  ER017: "決済金額下限エラー",
  ER018: "決済金額上限エラー",
  ER021: "ワンタッチ課金 決済条件エラー",
  ER032: "実売上失敗(SALES)",
  ER033: "取消失敗(CANCEL,RETURN,RETURNX)",
  ER050: "店舗ID(aid)エラー",
  ER051: "ジョブコード(jb)エラー",
  ER052: "決済結果通知方法(rt)エラー",
  ER053: "決済番号(tid)エラー",
  ER054: "オーダーコード(cod)エラー",
  ER055: "カード番号(cn)エラー",
  ER056: "有効期限(ed)エラー",
  ER057: "名前(fn)エラー",
  ER058: "苗字(ln)エラー",
  ER059: "メールアドレス(em)エラー",
  ER060: "電話番号(pn)エラー",
  ER061: "商品金額(am)エラー",
  ER062: "税金額(tx)エラー",
  ER063: "送料(sf)エラー",
  ER064: "支払い方法(md)エラー",
  ER065: "分割回数(pt)エラー",
  ER068: "商品コード(iid)エラー",
  ER069: "コマンドコード(cmd)エラー",
  ER079: "セキュリティコード(cvv)エラー",
  ER107: "リクエストメソッドエラー",
  ER583: "トークン未設定",
  ER584: "トークン情報無効",
  ER585: "トークン有効期限切れ",
  ER586: "トークン決済でカード番号送信",
  ER900: "3Dセキュアエラー",
  ER901: "3Dセキュアエラー",
} as const

export type ErCode = keyof typeof ER_CODES

export const G_CODES = {
  G0442G040000: "残高不足",
  G1242G120000: "取扱不可カード",
  G3042G300000: "取扱不可カード",
  G4242G420000: "暗証番号エラー",
  G4442G440000: "セキュリティコード不正",
  G4542G450000: "セキュリティコードエラー",
  G5442G540000: "取扱不可カード",
  G5542G550000: "限度額オーバー",
  G5642G560000: "カード読込エラー",
  G6042G600000: "事故カード",
  G6142G610000: "無効カード",
  G6542G650000: "会員番号エラー",
  G6842G680000: "金額エラー",
  G6942G690000: "税送料エラー",
  G7442G740000: "分割回数エラー",
  G7842G780000: "支払区分エラー",
  G8042G800000: "取消区分エラー",
  G8342G830000: "有効期限エラー",
  G9742G970000: "取扱不可カード",
  G9842G980000: "取扱不可カード",
  G9942G990000: "取扱不可カード",
} as const

export type GCode = keyof typeof G_CODES

/** Japanese message for an ER or G code ("" for unknown codes). */
export function messageFor(code: string): string {
  if (code in ER_CODES) return ER_CODES[code as ErCode]
  if (code in G_CODES) return G_CODES[code as GCode]
  return ""
}

/**
 * An error the gateway answers with a code. `detail` is a developer hint
 * (English/Japanese) used in the simulator log and the browser callback
 * message; it never reaches the CSV/`ER:` bodies, which carry the code only.
 */
export class GatewayError extends Error {
  readonly code: ErCode
  readonly detail: string
  constructor(code: ErCode, detail = "") {
    super(`${code} ${ER_CODES[code]}${detail ? ` (${detail})` : ""}`)
    this.name = "GatewayError"
    this.code = code
    this.detail = detail
  }
}

/** Throw the gateway error `code`. */
export function fail(code: ErCode, detail?: string): never {
  throw new GatewayError(code, detail)
}
