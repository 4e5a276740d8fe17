/** PAYGENT response codes the simulator answers with (SPEC-MAIN §2, SPEC-3DS §2: see README.md, Sources). */
export const MESSAGES: Record<string, string> = {
  P001: "認証パラメータが設定されていません。",
  P002: "接続ID、接続パスワードが不正です。",
  P003: "電文バージョンが不正です。",
  P004: "接続先URLが不正です。",
  P005: "パラメータが設定されていません。",
  P006: "パラメータの値が設定されていません。",
  P007: "契約されていない決済です。",
  P008: "パラメータの型が不正です。",
  P009: "パラメータの桁数が不正です。",
  P010: "パラメータの値が不正です。",
  P014: "金額が0以下です。",
  P016: "クライアント証明書が不正です。",
  P023: "登録可能なカード枚数を超えています。",
  P026: "指定した顧客ID、顧客カードIDのカード情報はありません。",
  // [?] the wording; the code is SPEC-MAIN's for a payment_class / split_count the contract does not take.
  P030: "支払区分・分割回数が不正です。",
  P063: "EMV 3Dセキュアの利用が許可されていません。",
  "2001": "オーソリNG",
  "2002": "カード会社システムエラー",
  "2003": "カード入力エラー",
  "2004": "ステータスエラー",
  "2006": "該当する決済がありません。",
  "2007": "期限切れです。",
  "2008": "タイムアウト",
  "2013": "補正金額が不正です。",
  "2020": "トークンの有効期限が切れています。",
  "2021": "トークンが存在しません。",
  "2022": "トークンは使用済みです。",
  "2023": "カード番号の直接入力はできません。",
  "2024": "カード指定方法が重複しています。",
  "13001": "該当する決済情報がありません。",
  "13002": "マーチャント取引IDが重複しています。",
  "31002": "カード指定方法と項目が一致しません。",
  "31003": "トークンの有効期限が切れています。",
  "31004": "トークンが存在しません。",
  "31005": "トークンは使用済みです。",
  "31006": "お預りカードが存在しません。",
  "31007": "3Dセキュア認証失敗",
  "31008": "3Dセキュア利用タイプが不正です。",
  "31009": "3Dセキュア認証IDが設定されていません。",
  "31010": "3Dセキュア認証IDは使用済みです。",
  "31011": "3Dセキュア認証IDが存在しません。",
  "31012": "3Dセキュア未対応ブランドです。",
  "31013": "認証タイムアウト",
}

/** A telegram refused: answered `result=1` with the code and its detail. */
export class TelegramError extends Error {
  constructor(
    readonly code: string,
    readonly detail: string,
    readonly fields: Record<string, string> = {}
  ) {
    super(`${code} ${detail}`)
    this.name = "TelegramError"
  }
}

export function fail(code: string, param?: string, fields: Record<string, string> = {}): never {
  const msg = MESSAGES[code] ?? "エラー"
  throw new TelegramError(code, param ? `"[${param}]"${msg}` : msg, fields)
}
