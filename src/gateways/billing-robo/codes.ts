// 請求管理ロボ API result codes: the common codes (every endpoint), the per-element codes of
// billing/bulk_upsert (11xx), credit_card_token (3401–3407), billing_payment_method/search (45xx) and
// demand/bulk_register (2xx). Gateway codes (ER…, G…) pass through: `code` is a number or a string.
// Source: the public 請求管理ロボ API specification (apispec.billing-robo.jp, docs/gateways/billing-robo.md).
import { describeCode as describeGatewayCode } from "../robot-payment/codes"
import { meaning, type CodeMeaning } from "../../core/vocabulary"

const c = meaning

export const COMMON_CODES: Record<number, CodeMeaning> = {
  1: c("内部エラー", "Internal error at 請求管理ロボ", "retry"),
  10: c("不明なURI", "Unknown API path", "merchant"),
  11: c("ログインIDが不正", "user_id is wrong: the control panel's login e-mail", "merchant"),
  12: c("アクセスキーが不正", "access_key is wrong: issue one in 請求管理ロボ (設定 → API接続設定)", "merchant"),
  13: c("接続IPが不正", "This server's IP address is not registered for the API in 請求管理ロボ", "merchant"),
  14: c("店舗IDが不正", "Store ID is wrong", "merchant"),
  16: c("ログイン失敗", "Login failed", "merchant"),
  17: c("権限が不正", "The API user lacks the permission", "merchant"),
  18: c("利用企業が不正", "The company account is not usable", "merchant"),
  19: c("メンテナンス中", "請求管理ロボ is under maintenance: try again later", "retry"),
  20: c("リクエスト数が不正", "Too many requests: try again in a few minutes", "retry"),
  21: c("廃止されたAPI", "This API has been retired", "merchant"),
  51: c("債権譲渡請求書編集不可", "Invoice under factoring cannot be edited", "invalid"),
}

export const UPSERT_CODES: Record<number, CodeMeaning> = {
  1101: c("リクエストパラメータに請求先が存在しない", "No billing in the request", "invalid"),
  1102: c("請求先コードが不正", "Billing code is wrong", "invalid"),
  1103: c("請求先名が不正", "Billing name is missing or longer than 100", "invalid"),
  1104: c("請求先部署番号が不正", "Individual number is wrong", "invalid"),
  1105: c("請求先部署コードが不正", "Individual code is wrong", "invalid"),
  1106: c("請求先部署名が不正", "Individual name is missing or longer than 100", "invalid"),
  1108: c("宛名1が不正", "Addressee (address1) is missing or longer than 60", "invalid"),
  1111: c("郵便番号が不正", "Postal code must be 7 digits", "invalid"),
  1112: c("都道府県名が不正", "Prefecture must be a Japanese prefecture name or その他", "invalid"),
  1113: c("市区町村番地が不正", "City and street is longer than 56", "invalid"),
  1114: c("建物名が不正", "Building name is wrong", "invalid"),
  1123: c("電話番号が不正", "Phone number is wrong (digits and hyphens, at most 15)", "invalid"),
  1124: c("メールアドレスが不正", "E-mail address is missing or wrong", "invalid"),
  1127: c("請求方法が不正", "Billing method is wrong", "invalid"),
  1134: c("請求先決済情報コードが不正", "Individual's payment method code is wrong", "invalid"),
  1140: c("請求先決済情報コードが不正", "Payment method code is wrong", "invalid"),
  1141: c("請求先決済情報名が不正", "Payment method name is wrong", "invalid"),
  1143: c("決済手段が不正", "Payment method is wrong (credit card is 1)", "invalid"),
  1155: c("請求先登録に失敗", "The billing could not be saved", "retry"),
  1156: c("請求先部署登録に失敗", "The individual could not be saved", "retry"),
  1157: c("請求先決済手段登録に失敗", "The payment method could not be saved", "retry"),
  1164: c("請求先部署の登録ステータスが不正", "The individual's registration status does not allow this", "invalid"),
  1167: c("請求先部署番号と請求先部署コードは同時に指定できません。", "Give the individual's number or code, not both", "invalid"),
  1168: c("クレジットカード登録方法が不正", "Card registration kind is wrong", "invalid"),
  1172: c("請求先決済番号が不正", "Payment method number is wrong", "invalid"),
  1173: c("請求先決済番号と請求先決済コードは同時に指定できません。", "Give the payment method's number or code, not both", "invalid"),
  1178: c("クレジットカード情報登録メール送信に失敗しました。", "The card registration e-mail could not be sent", "retry"),
  1183: c("クレジットカード登録メール送信先が不正", "Card registration e-mail address is wrong", "invalid"),
  1184: c("請求先以下の内部データにエラーがあった場合", "An element below the billing has an error", "invalid"),
  1185: c("請求先以下の同列のデータにエラーがあった場合", "A sibling element has an error", "invalid"),
  1189: c("与信が申請中又は有効のため請求先の更新に失敗", "The billing is under a credit application and cannot be updated", "merchant"),
}

export const TOKEN_CODES: Record<number, CodeMeaning> = {
  3401: c("請求先コードが不正", "Billing code is wrong or unknown", "invalid"),
  3402: c("決済情報番号が不正", "Payment method number is wrong or unknown", "invalid"),
  3403: c("決済情報コードが不正", "Payment method code is wrong or unknown", "invalid"),
  3404: c("請求先決済番号と請求先決済コードは同時に指定できない", "Give the payment method's number or code, not both", "invalid"),
  3405: c("トークン情報が不正", "The card token is wrong, used or expired: enter the card again", "declined"),
  3406: c("メールアドレスが不正", "The e-mail differs from the individual's: 3-D Secure must run with the same e-mail", "invalid"),
  3407: c("電話番号が不正", "The phone number differs from the individual's: 3-D Secure must run with the same number", "invalid"),
}

export const SEARCH_CODES: Record<number, CodeMeaning> = {
  4501: c("請求先コードが不正", "Billing code is wrong", "invalid"),
  4502: c("請求先名が不正", "Billing name is wrong", "invalid"),
  4503: c("決済情報番号が不正", "Payment method number is wrong", "invalid"),
  4504: c("決済情報コードが不正", "Payment method code is wrong", "invalid"),
  4505: c("決済情報名が不正", "Payment method name is wrong", "invalid"),
}

export const REGISTER_CODES: Record<number, CodeMeaning> = {
  201: c("請求先部署が存在しない", "The individual does not exist: the customer has not registered a card", "invalid"),
  202: c("請求先部署の登録ステータスが不正", "The individual's registration status does not allow billing", "invalid"),
  203: c("請求タイプが不正", "Demand type is wrong", "invalid"),
  206: c("商品名が不正", "Goods name is wrong", "invalid"),
  207: c("単価が不正", "Price is wrong (at most 7 digits for a card)", "invalid"),
  208: c("数量が不正", "Quantity is wrong", "invalid"),
  210: c("税区分が不正", "Tax category is wrong", "invalid"),
  211: c("消費税率が不正", "Tax rate is wrong", "merchant"),
  214: c("請求方法が不正", "Billing method is wrong", "merchant"),
  217: c("サービス提供開始日が不正", "Start date is wrong", "invalid"),
  219: c("対象期間形式が不正", "Period format is wrong", "invalid"),
  229: c("請求書テンプレートコードが不正", "Bill template code is wrong (10000 or 10010)", "merchant"),
  230: c("請求情報登録に失敗", "The demand could not be saved", "retry"),
  231: c("請求先部署の決済手段がクレジット以外", "The individual's payment method is not a credit card", "invalid"),
  232: c("jbが不正", "jb must be CAPTURE", "invalid"),
  233: c("請求書発行に失敗", "The bill could not be issued", "retry"),
  234: c("クレジット決済に失敗", "The card payment failed", "declined"),
  235: c("請求元担当者コードが不正", "Owner code is wrong", "merchant"),
  236: c("仕訳作成に失敗", "The journal entry could not be made", "retry"),
  237: c("請求先コードが不正", "Billing code is wrong or unknown: the customer has not registered a card", "invalid"),
  238: c("請求先部署番号または請求先部署コードが不正", "Individual number or code is wrong", "invalid"),
  239: c("請求書発行日が不正", "Issue date is wrong (not after today)", "invalid"),
  240: c("請求書送付日が不正", "Sending date is wrong", "invalid"),
  241: c("決済期限日が不正", "Deadline date is wrong (not after today)", "invalid"),
  242: c("請求書発行件数が不正", "One bill per request", "invalid"),
  245: c("選択された消費税率は利用不可です", "This tax rate is not enabled in 請求管理ロボ", "merchant"),
}

/** register_status (決済情報の登録ステータス), in words. */
export const REGISTER_STATUS: Record<number, { ja: string; en: string }> = {
  0: { ja: "未処理", en: "not processed" },
  1: { ja: "登録待ち", en: "waiting for the card" },
  2: { ja: "メール送信済み", en: "registration e-mail sent" },
  3: { ja: "申請中", en: "being applied" },
  4: { ja: "登録情報送信エラー", en: "sending the registration failed" },
  5: { ja: "登録完了", en: "registered" },
  6: { ja: "登録失敗", en: "registration failed" },
  7: { ja: "与信停止中", en: "credit stopped" },
}

/** credit_status (クレジットカード登録状況, webhook), in words. */
export const CREDIT_STATUS: Record<number, { ja: string; en: string }> = {
  0: { ja: "未処理", en: "not processed" },
  1: { ja: "メール送信済", en: "e-mail sent" },
  2: { ja: "完了", en: "done" },
  3: { ja: "エラー", en: "error" },
}

export type Endpoint = "common" | "upsert" | "token" | "search" | "register"

const TABLES: Record<Endpoint, Record<number, CodeMeaning>> = {
  common: {},
  upsert: UPSERT_CODES,
  token: TOKEN_CODES,
  search: SEARCH_CODES,
  register: REGISTER_CODES,
}

/**
 * What a code means at an endpoint: a number from the endpoint's table or the common one, or a
 * string passed through from the card gateway (ER…, G…: ROBOT PAYMENT's own table).
 */
export function describeCode(code: number | string, at: Endpoint = "common"): CodeMeaning {
  if (typeof code === "string" && !/^\d+$/.test(code)) return describeGatewayCode(code)
  const n = Number(code)
  return TABLES[at][n] ?? COMMON_CODES[n] ?? c("不明なエラー", `Unknown 請求管理ロボ error code ${code}`, "invalid")
}
