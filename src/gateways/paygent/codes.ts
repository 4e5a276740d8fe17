// PAYGENT response codes with their Japanese and English meanings (SPEC-MAIN §2–3 and SPEC-3DS §2;
// docs/gateways/paygent.md §8), classed so that core and the shop know who must act.
import { meaning, type CodeMeaning } from "../../core/vocabulary"

const c = meaning

export const CODES: Record<string, CodeMeaning> = {
  P001: c("認証パラメータが設定されていません", "Authentication parameters are missing", "merchant"),
  P002: c("接続ID・接続パスワードが不正です", "connect_id or connect_password is wrong", "merchant"),
  P003: c("電文バージョンが不正です", "telegram_version is wrong", "merchant"),
  P004: c("電文種別に対する接続先URLが不正です", "Wrong URL for this telegram kind", "merchant"),
  P005: c("パラメータが設定されていません", "A parameter is missing", "invalid"),
  P006: c("必須項目の値が設定されていません", "A required value is empty", "invalid"),
  P007: c("契約されていない決済です", "This payment is not in the merchant's contract", "merchant"),
  P008: c("型エラー", "A value has the wrong type", "invalid"),
  P009: c("桁数エラー", "A value has the wrong length", "invalid"),
  P010: c("値が不正です", "A value is invalid", "invalid"),
  P011: c("上限値を超えています", "A limit is exceeded", "invalid"),
  P014: c("金額が0以下です", "The amount is zero or less", "invalid"),
  P015: c("IPアドレスが不正です", "Source IP address not registered with PAYGENT: register this server's egress IP", "merchant"),
  P016: c("クライアント証明書が不正です", "Client certificate missing or not accepted: configure the 接続キット client certificate (clientCertificate, clientKey, clientKeyPassphrase)", "merchant"),
  P017: c("サービス停止中です", "PAYGENT is under maintenance", "retry"),
  P018: c("利用できません", "Service unavailable", "retry"),
  P021: c("カード情報お預り機能が利用できません", "Saved cards are not enabled for this merchant", "merchant"),
  P022: c("顧客IDが不正です", "Saved-card customer not permitted", "invalid"),
  P023: c("登録可能なカード枚数を超えています", "The customer already has the maximum number of saved cards (10)", "invalid"),
  P024: c("カード情報が登録されていません", "No saved card for this customer", "invalid"),
  P025: c("カード情報お預りの権限がありません", "Saved-card permission error", "merchant"),
  P026: c("指定した顧客ID、顧客カードIDのカード情報はありません", "No saved card with this customer id and card id", "invalid"),
  // Sent only for a method the provider option allows: refused, the option promises more than the contract.
  P030: c("支払区分・分割回数が不正です", "payment_class / split_count refused: this 支払方法 is not in the shop's card contract with PAYGENT", "merchant"),
  P063: c("EMV 3Dセキュアの利用が許可されていません", "EMV 3-D Secure is not enabled for this merchant", "merchant"),
  E001: c("ペイジェントシステムエラー", "PAYGENT system error", "retry"),
  E002: c("決済代行会社の処理制限", "Card vendor rate limit: try again later", "retry"),
  "9004": c("差分照会の同時実行です", "Another notification pull is running", "retry"),
  "9005": c("DBロックエラー", "Database lock at PAYGENT: try again", "retry"),
  "2001": c("オーソリNG (カード会社にて取引不可)", "Declined by the card issuer", "declined"),
  "2002": c("カード会社・決済代行会社のシステムエラー", "Card network or vendor system error: try again or use another card", "declined"),
  "2003": c("カード入力エラー (セキュリティコード・有効期限・支払区分など)", "Card input error (security code, expiry, installments): the shopper may correct it and retry", "declined"),
  "2004": c("ステータスエラー", "The payment is not in a state that allows this operation", "invalid"),
  "2005": c("マーチャント取引IDが重複しています", "Duplicate trading_id", "invalid"),
  "2006": c("該当する決済がありません", "No such payment", "invalid"),
  "2007": c("期限切れです (オーソリ期限・取消期限)", "Expired (authorization or cancel period)", "invalid"),
  "2008": c("タイムアウト", "Timeout at the card network: the authorization may have succeeded; query the status (094)", "unknown_outcome"),
  "2009": c("参照マーチャント取引IDが不正です", "ref_trading_id is wrong", "invalid"),
  "2010": c("補正処理エラー (新規決済は作成、元決済の取消に失敗)", "Correction partly failed: the new payment exists, the original could not be canceled", "merchant"),
  "2011": c("補正処理エラー (新規決済は作成、元決済の取消に失敗)", "Correction partly failed: the new payment exists, the original could not be canceled", "merchant"),
  "2012": c("補正処理エラー (新規決済の売上に失敗)", "Correction partly failed: the new payment could not be captured", "merchant"),
  "2013": c("補正金額エラー (0以下または元金額超過)", "Corrected amount is zero or less, or larger than the original: amounts can only go down", "invalid"),
  "2014": c("3Dセキュア指定された決済に対して補正処理は行えません", "A 3-D Secure (1.0) payment cannot be corrected", "unsupported"),
  "2015": c("Attemptオーソリ拒否", "Attempt authorization refused", "declined"),
  "2016": c("カード会社と契約がありません", "No acquirer contract for this card brand", "declined"),
  "2017": c("継続課金で利用できないカードです", "Card not usable for recurring sales", "declined"),
  "2018": c("ボーナス払い期間外です", "Outside the bonus-payment period", "declined"),
  "2020": c("トークンの有効期限切れです", "Card token expired: tokenize the card again", "invalid"),
  "2021": c("トークンが存在しません", "Card token not found", "invalid"),
  "2022": c("トークンは使用済みです", "Card token already used: tokenize the card again", "invalid"),
  "2023": c("カード番号の直接入力はできません", "Direct card entry is not allowed: use a token", "merchant"),
  "2024": c("カード指定方法が重複しています", "Conflicting card specification", "invalid"),
  "2025": c("カード指定方法が重複しています", "Conflicting card specification", "invalid"),
  "2026": c("トークン種別が不正です", "Wrong token type", "invalid"),
  "2054": c("大量トランザクションブロック", "Blocked by the velocity check", "declined"),
  "13001": c("該当する決済情報がありません", "No such payment", "invalid"),
  "13002": c("マーチャント取引IDが重複しています", "Several payments have this trading_id", "invalid"),
  "31001": c("取扱不可のカードです", "Card not acceptable for 3-D Secure", "declined"),
  "31002": c("カード指定方法と項目が一致しません", "card_set_method does not match the fields sent", "invalid"),
  "31003": c("トークンの有効期限切れです", "Card token expired: tokenize the card again", "invalid"),
  "31004": c("トークンが存在しません", "Card token not found", "invalid"),
  "31005": c("トークンは使用済みです", "Card token already used", "invalid"),
  "31006": c("お預りカードが存在しません", "Saved card not found", "invalid"),
  "31007": c("3Dセキュア認証失敗", "3-D Secure authentication failed: ask for another card", "declined"),
  "31008": c("3dsecure_use_type が不正です", "3ds_auth_id sent without 3dsecure_use_type=2", "invalid"),
  "31009": c("3ds_auth_id が設定されていません", "3dsecure_use_type=2 without 3ds_auth_id", "invalid"),
  "31010": c("3ds_auth_id は使用済みです", "The 3-D Secure authentication was already used by another payment", "invalid"),
  "31011": c("3ds_auth_id が存在しません", "3-D Secure authentication not found", "invalid"),
  "31012": c("3Dセキュア未対応ブランドです", "The acquirer offers no 3-D Secure for this card brand", "declined"),
  "31013": c("認証タイムアウト", "3-D Secure authentication timed out (no result within 30 minutes)", "declined"),
}

/** Card-network detail codes in response_detail for 2001–2003 (SPEC-MAIN §3; a few of the common ones). */
export const CARD_DETAIL: Record<string, { ja: string; en: string }> = {
  "1G02": { ja: "残高不足", en: "insufficient balance" },
  "1G04": { ja: "限度額オーバー", en: "over the credit limit" },
  "1G12": { ja: "取扱不可カード", en: "card cannot be used" },
  "1G22": { ja: "支払区分エラー", en: "payment class not accepted" },
  "1G30": { ja: "取引判定保留", en: "held for the issuer's review" },
  "1G44": { ja: "セキュリティコード誤り", en: "wrong security code" },
  "1G54": { ja: "利用回数エラー", en: "usage count exceeded" },
  "1G55": { ja: "限度額オーバー", en: "over the daily limit" },
  "1G56": { ja: "無効カード", en: "invalid card" },
  "1G60": { ja: "事故カード", en: "lost or stolen card" },
  "1G61": { ja: "無効カード", en: "invalid card" },
  "1G83": { ja: "有効期限エラー", en: "expiry date wrong" },
}

export function describeCode(code: string, detail?: string): CodeMeaning {
  const known = CODES[code]
  const base =
    known ??
    (/^P\d{3}$/.test(code)
      ? c("リクエストエラー", "Request rejected", "invalid")
      : /^1[A-Z0-9]{3}$|^E\d/.test(code)
        ? c("システムエラー", "System error", "retry")
        : c("エラー", "PAYGENT error", "invalid"))
  if ((code === "2001" || code === "2002" || code === "2003") && detail) {
    // The card-network code stands in response_detail, quoted or bare [?] (docs/gateways/paygent.md §8).
    const network = detail.match(/[0-9][A-Z][0-9A-Z]{2}/)?.[0]
    if (network) {
      const d = CARD_DETAIL[network]
      return { ...base, ja: `${base.ja} [${network}${d ? ` ${d.ja}` : ""}]`, en: `${base.en} [${network}${d ? ` ${d.en}` : ""}]` }
    }
  }
  return base
}
