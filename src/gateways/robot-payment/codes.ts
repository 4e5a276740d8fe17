// ROBOT PAYMENT result codes: ER codes (ROBOT PAYMENT, before the card company) and G codes (the card
// company). Source: the vendor's 決済システムエラーコード list and J-Payment's own EC-CUBE module
// (docs/gateways/robot-payment.md §8). Each code is classed so the shop knows who must act.
import { meaning, type CodeMeaning } from "../../core/vocabulary"

const c = meaning

export const ER_CODES: Record<string, CodeMeaning> = {
  ER000: c("決済システム内部エラー(例外)", "Internal error at ROBOT PAYMENT", "retry"),
  ER001: c("リクエストエラー(ゲートウェイ等例外)", "Malformed request", "invalid"),
  ER002: c("決済送信元URLエラー", "Referer not allowed: register the storefront URL as 決済データ送信元URL in the control panel", "merchant"),
  ER003: c("決済送信元IPエラー", "Source IP not allowed: register this server's IP address as 決済データ送信元IP in the control panel", "merchant"),
  ER004: c("未登録店舗", "Unknown store (aid)", "merchant"),
  ER005: c("未登録商品", "Unknown product code (iid)", "invalid"),
  ER006: c("発行可能ID/PWなし", "No ID/password left to issue", "merchant"),
  ER010: c("決済処理が込み合ってます", "The gateway is busy", "retry"),
  ER011: c("決済拒否IP", "Payment refused: IP address blocked", "declined"),
  ER012: c("決済拒否メールアドレス", "Payment refused: e-mail address blocked", "declined"),
  ER013: c("決済拒否カード番号", "Payment refused: card number blocked", "declined"),
  ER014: c("カードチェックデジットエラー", "Card number check digit is wrong", "declined"),
  ER015: c("未取り扱いカード(カードタイプ)", "Card brand not accepted", "declined"),
  ER016: c("ご利用可能金額上限", "Amount above the usable limit", "declined"),
  ER017: c("決済金額下限エラー", "Amount below the minimum", "invalid"),
  ER018: c("決済金額上限エラー", "Amount above the maximum", "invalid"),
  ER019: c("分割払いエラー(分割できない金額)", "Installments not possible for this amount", "invalid"),
  ER020: c("分割:ボーナス額オーバー", "Bonus amount too high", "invalid"),
  ER021: c("ワンタッチ課金:決済条件エラー", "One-touch charge conditions not met (user, key or card number)", "invalid"),
  ER022: c("クイックチャージ:決済条件エラー", "Quick charge conditions not met", "invalid"),
  ER023: c("カード情報変更:情報変更可能条件エラー", "Card change not possible (auto-billing stopped)", "invalid"),
  ER024: c("自動課金停止中エラー", "Auto-billing already stopped", "invalid"),
  ER030: c("決済失敗", "Payment failed", "declined"),
  ER031: c("有効性確認失敗", "Card check (CHECK) failed", "declined"),
  ER032: c("実売上失敗(SALES)", "Capture (SALES) failed: already captured, canceled or not an AUTH", "invalid"),
  ER033: c("取消失敗(CANCEL,RETURN,RETURNX)", "Cancel failed: apply to ROBOT PAYMENT support by e-mail for a manual cancellation", "merchant"),
  ER042: c("通信エラー", "Communication error", "retry"),
  ER050: c("店舗ID(aid)エラー", "Store ID (aid) is wrong", "merchant"),
  ER051: c("ジョブコード(jb)エラー", "Job type (jb) is wrong", "invalid"),
  ER052: c("決済結果通知方法(rt)エラー", "Result method (rt) is wrong", "invalid"),
  ER053: c("決済番号(tid)エラー", "Payment number (tid) is wrong", "invalid"),
  ER054: c("オーダーコード(cod)エラー", "Order code (cod) is wrong", "invalid"),
  ER055: c("カード番号(cn)エラー", "Card number (cn) is wrong", "declined"),
  ER056: c("有効期限(ed)エラー", "Expiry (ed) is wrong", "declined"),
  ER057: c("名前(fn)エラー", "Cardholder first name (fn) is wrong", "declined"),
  ER058: c("苗字(ln)エラー", "Cardholder last name (ln) is wrong", "declined"),
  ER059: c("メールアドレス(em)エラー", "E-mail (em) is wrong", "invalid"),
  ER060: c("電話番号(pn)エラー", "Phone number (pn) is wrong", "invalid"),
  ER061: c("商品金額(am)エラー", "Amount (am) is wrong", "invalid"),
  ER062: c("税金額(tx)エラー", "Tax (tx) is wrong", "invalid"),
  ER063: c("送料(sf)エラー", "Shipping fee (sf) is wrong", "invalid"),
  // The plugin sends only documented md/pt: a refusal means the card contract lacks the 支払方法
  // (「分割払い・リボ払いは契約時のみ指定可」) — set the option paymentMethods to what the contract allows.
  ER064: c("支払い方法(md)エラー", "Payment method (md) refused: 分割払い or リボ払い is not in the shop's card contract", "merchant"),
  ER065: c("分割回数(pt)エラー", "Installment count (pt) refused: this number of 回 is not in the shop's card contract", "merchant"),
  ER066: c("ボーナス回数エラー", "Bonus count is wrong", "invalid"),
  ER067: c("ボーナス金額エラー", "Bonus amount is wrong", "invalid"),
  ER068: c("商品コード(iid)エラー", "Product code (iid) is wrong", "invalid"),
  ER069: c("コマンドコード(cmd)エラー", "Command (cmd) is wrong", "invalid"),
  ER071: c("発行PWエラー", "Issued password error", "invalid"),
  ER072: c("自動課金番号(acid)エラー", "Auto-billing number (acid) is wrong", "invalid"),
  ER073: c("郵便番号エラー", "Postal code is wrong", "invalid"),
  ER074: c("住所エラー", "Address is wrong", "invalid"),
  ER075: c("住所フリガナエラー", "Address reading is wrong", "invalid"),
  ER076: c("FAXエラー", "Fax number is wrong", "invalid"),
  ER077: c("支払期限エラー", "Payment deadline is wrong", "invalid"),
  ER079: c("セキュリティコード(cvv)エラー", "Security code (cvv) is wrong", "declined"),
  ER100: c("CMD取得エラー", "Internal error (command)", "retry"),
  ER101: c("ID/PW発行時オーダー情報取得エラー", "Internal error (order lookup)", "retry"),
  ER102: c("コントロール読込エラー", "Internal error (control)", "retry"),
  ER103: c("ジョブ設定エラー", "Internal error (job)", "retry"),
  ER104: c("セッションエラー", "Internal error (session)", "retry"),
  ER105: c("確定時エラー", "Internal error (commit)", "retry"),
  ER107: c("リクエストメソッドエラー", "Request method not allowed: use GET or an HTML form POST", "invalid"),
  ER113: c("自動課金情報取得エラー", "Internal error (auto-billing lookup)", "retry"),
  ER114: c("店舗ID指定エラー", "Store ID (aid) missing", "merchant"),
  ER115: c("店舗データ読込エラー", "Store data could not be read: contact ROBOT PAYMENT support", "merchant"),
  ER116: c("店舗設定読込エラー", "Store settings could not be read: contact ROBOT PAYMENT support", "merchant"),
  ER117: c("店舗データ取得エラー", "Store data could not be read: contact ROBOT PAYMENT support", "merchant"),
  ER118: c("店舗設定取得エラー", "Store settings could not be read: contact ROBOT PAYMENT support", "merchant"),
  ER119: c("店舗設定取得エラー", "Store settings could not be read: contact ROBOT PAYMENT support", "merchant"),
  ER125: c("次回課金日(nad)エラー", "Next billing date (nad) is wrong", "invalid"),
  ER126: c("課金周期(actp)エラー", "Billing cycle (actp) is wrong", "invalid"),
  ER127: c("課金指定日(ac1)エラー", "Billing day (ac1) is wrong", "invalid"),
  ER128: c("課金停止回数(ac3)エラー", "Stop count (ac3) is wrong", "invalid"),
  ER129: c("課金終了日(ac5)エラー", "Billing end date (ac5) is wrong", "invalid"),
  ER554: c("自動課金登録エラー", "Auto-billing registration failed", "invalid"),
  ER559: c("新自動課金未設定エラー", "New auto-billing not set up", "merchant"),
  ER564: c("カード決済サービス未契約", "Card payments are not in the store's contract", "merchant"),
  ER565: c("トークン決済AES暗号化キー未発行", "Token payments are not enabled for the store: ask ROBOT PAYMENT support to enable them", "merchant"),
  ER567: c("RSA暗号化キー未発行", "RSA key not issued: ask ROBOT PAYMENT support", "merchant"),
  ER583: c("トークン未設定", "Card token (tkn) missing", "invalid"),
  ER584: c("トークン情報無効", "Card token is invalid or already used: tokenize the card again", "declined"),
  ER585: c("トークン有効期限切れ", "Card token expired (15 minutes): tokenize the card again", "declined"),
  ER586: c("トークン決済でカード番号送信", "A card number was sent with a token", "invalid"),
  ER900: c("3Dセキュアエラー", "3-D Secure authentication failed or was not performed", "declined"),
  ER901: c("3Dセキュアエラー", "3-D Secure error (the amount or payer differs from the authentication)", "declined"),
  ER902: c("郵便番号エラー", "Postal code error", "invalid"),
  ER903: c("名前エラー", "Name error", "invalid"),
  ER904: c("住所エラー", "Address error", "invalid"),
  ER905: c("支払期限制限エラー", "Payment deadline limit", "invalid"),
  ER910: c("ペーパーレスエラー", "Paperless error", "invalid"),
  ER911: c("CVSコードエラー", "Convenience-store code error", "invalid"),
  ER998: c("アカウント停止中", "The store's account is suspended: contact ROBOT PAYMENT", "merchant"),
  ER999: c("メンテナンス中", "Gateway maintenance (monthly, Thursday night): try again later", "retry"),
}

// Ranges the vendor lists by span.
for (let n = 570; n <= 582; n++) ER_CODES[`ER${n}`] ??= c("自動課金/お試し期間エラー", "Auto-billing or trial parameter error", "invalid")
for (const n of [701, 702, 703, 799]) ER_CODES[`ER${n}`] ??= c("バーチャル口座発行エラー", "Virtual account error", "invalid")
for (let n = 106; n <= 113; n++) ER_CODES[`ER${String(n)}`] ??= c("決済システム内部エラー", "Internal error", "retry")

/** G codes: the card company's answer. Keyed on the first three characters (G + 2 digits). */
export const G_CODES: Record<string, CodeMeaning> = {
  G04: c("残高不足", "Insufficient balance (debit/prepaid)", "declined"),
  G12: c("取扱不可カード", "Card not usable", "declined"),
  G30: c("取扱不可カード", "Card not usable", "declined"),
  G42: c("暗証番号エラー", "PIN error", "declined"),
  G44: c("セキュリティコード不正", "Security code wrong", "declined"),
  G45: c("セキュリティコードエラー", "Security code error", "declined"),
  G54: c("取扱不可カード", "Card not usable", "declined"),
  G55: c("限度額オーバー", "Credit limit exceeded", "declined"),
  G56: c("カード読込エラー", "Card read error", "declined"),
  G60: c("事故カード", "Card reported lost or stolen", "declined"),
  G61: c("無効カード", "Invalid card", "declined"),
  G65: c("会員番号エラー", "Card number error", "declined"),
  G68: c("金額エラー", "Amount error", "declined"),
  G69: c("税送料エラー", "Tax or shipping amount error", "declined"),
  G74: c("分割回数エラー", "Installment count error", "declined"),
  G78: c("支払区分エラー", "Payment type error", "declined"),
  G80: c("取消区分エラー", "Cancel type error", "declined"),
  G83: c("有効期限エラー", "Card expired or expiry wrong", "declined"),
  G97: c("取扱不可カード", "Card not usable", "declined"),
  G98: c("取扱不可カード", "Card not usable", "declined"),
  G99: c("取扱不可カード", "Card not usable", "declined"),
}

/** CodeMeaning of any code the gateway returns; unknown codes stay opaque but classed by their family. */
export function describeCode(code: string): CodeMeaning {
  if (ER_CODES[code]) return ER_CODES[code]
  if (/^G\d{2}/.test(code)) {
    return G_CODES[code.slice(0, 3)] ?? c("カード会社エラー", "Declined by the card company: the cardholder should contact the issuer", "declined")
  }
  return c("不明なエラー", `Unknown result code ${code}`, "invalid")
}
