// SBPS res_err_code: 8 characters = payment method (3) + type (2) + item (3), e.g. 10105202 =
// credit / 桁数エラー / 取引区分. Tables from SBPS's API Type Error Codes page and the sbpayment.rb and
// softbankjs tables (docs/gateways/sbps.md §9).
// Types 8x/9x are SBPS- or issuer-side; T1/T2 mean the browser must make a new token.
import type { GatewayErrorKind } from "../../core/gateway"
import type { CodeInfo } from "../../core/vocabulary"

export interface Meaning {
  ja: string
  en: string
}
const m = (ja: string, en: string): Meaning => ({ ja, en })

export const METHODS: Record<string, Meaning> = {
  "101": m("クレジットカード", "credit card"),
  "311": m("PayPay", "PayPay"),
  "401": m("ドコモ払い", "docomo"),
  "402": m("auかんたん決済", "au"),
  "405": m("ソフトバンクまとめて支払い", "SoftBank"),
  "601": m("Apple Pay", "Apple Pay"),
  "701": m("コンビニ決済", "convenience store"),
  "703": m("Pay-easy", "Pay-easy"),
  "999": m("共通", "common"),
}

export const COMMON_TYPES: Record<string, Meaning> = {
  "00": m("XML形式エラー", "the XML is malformed"),
  "01": m("支払方法有効性エラー", "this payment method is not enabled for the service"),
  "02": m("APIリクエストID存在エラー", "unknown API request id"),
  "03": m("必須エラー", "a required field is missing"),
  "04": m("属性エラー", "a field has characters it does not allow"),
  "05": m("桁数エラー", "a field has the wrong length"),
  "06": m("形式エラー", "a field has the wrong format"),
  "07": m("定義値エラー", "a field has a value outside its definition"),
  "09": m("ハッシュ値エラー", "sps_hashcode does not match (check the hash key)"),
  "10": m("リクエスト有効期限エラー", "the request expired (request_date too old: check the server clock)"),
  "11": m("処理対象SBPSトランザクションIDエラー", "unknown SBPS transaction id"),
  "12": m("処理対象トラッキングIDエラー", "unknown tracking id"),
  "13": m("指定不可エラー", "a field may not be given here"),
  "14": m("マーチャントID・サービスID不正", "merchant id or service id is wrong"),
  "80": m("GWシステムエラー", "SBPS gateway system error"),
  "81": m("APIリクエストパラメータエラー", "SBPS API request parameter error"),
  "83": m("GWレコード検索エラー", "SBPS record lookup error"),
  "84": m("決済機関レスポンスパラメータエラー", "the card processor answered unexpectedly"),
  "85": m("決済機関接続エラー", "SBPS could not reach the card processor"),
  "86": m("決済機関システムエラー", "card processor system error"),
  "90": m("APIシステムエラー", "SBPS API system error"),
  "92": m("GW接続エラー", "SBPS gateway connection error"),
  "93": m("再入力上限回数制限エラー", "too many attempts"),
  "94": m("決済未完了エラー", "the payment is not complete"),
  "95": m("顧客情報整合性エラー", "customer information is inconsistent"),
  "96": m("2重リクエストエラー", "duplicate request (the first one may have been processed)"),
}

export const CREDIT_TYPES: Record<string, Meaning> = {
  "20": m("不正カードフィルタエラー", "refused by the fraud filter"),
  "21": m("クレジットセンターエラー", "refused by the card centre"),
  "22": m("利用限度額超過", "credit limit exceeded"),
  "23": m("使用不可カード", "card not usable"),
  "24": m("暗証番号不正", "PIN wrong"),
  "25": m("利用限度回数超過", "usage count limit exceeded"),
  "26": m("取扱不可カード", "card not accepted"),
  "27": m("カード番号・有効期限誤り", "card number or expiry wrong"),
  "28": m("取引内容取扱不可", "transaction type not accepted for this card"),
  "29": m("ボーナス指定不可", "bonus payment not possible"),
  "30": m("ボーナス指定不可", "bonus payment not possible"),
  "31": m("ボーナス指定不可", "bonus payment not possible"),
  "32": m("分割指定不可", "installments not possible"),
  "33": m("分割指定不可", "installments not possible"),
  "34": m("分割指定不可", "installments not possible"),
  "35": m("分割指定不可", "installments not possible"),
  "36": m("その他与信エラー", "authorization refused"),
  "37": m("自動売上が設定されているため、売上要求は不要です", "the contract captures automatically: no capture request is needed"),
  "39": m("売上不可(与信なし)", "cannot capture: no authorization"),
  "40": m("売上不可(取消済)", "cannot capture: already cancelled"),
  "41": m("売上不可(売上済)", "cannot capture: already captured"),
  "42": m("売上処理の処理日時は、与信日から3ヶ月目末日まで有効です", "cannot capture: the authorization is too old"),
  "44": m("返金不可", "cannot refund"),
  "45": m("返金不可", "cannot refund"),
  "46": m("返金不可", "cannot refund"),
  "47": m("返金不可", "cannot refund"),
  "49": m("返金APIを利用してください", "use the refund API"),
  "50": m("返金APIを利用してください", "use the refund API"),
  "51": m("与信取消不可", "cannot cancel the authorization"),
  "52": m("与信取消不可", "cannot cancel the authorization"),
  "54": m("与信取消不可", "cannot cancel the authorization"),
  "56": m("返金期限切れ", "the refund period is over"),
  "59": m("コミット実施後に返金してください", "refund only after the commit"),
  "60": m("コミット(取消)不可", "commit (or its cancel) not possible"),
  "61": m("セキュリティコード誤り", "security code wrong"),
  "63": m("SmartLinkエラー", "SmartLink error"),
  "64": m("SmartLinkエラー", "SmartLink error"),
  "78": m("カード情報保存フラグ指定エラー", "saving cards is not in the contract (cust_manage_flg)"),
  "79": m("指定された金額が、与信時金額を越えています", "the amount is above the authorized amount"),
  K0: m("売上処理未実施のため、部分返金処理を中止しました", "partial refund before capture is not possible"),
  K1: m("返金金額の合計が、売上時金額を超えています", "the refunds would exceed the captured amount"),
  K3: m("クレジットカードブランド返却フラグ指定エラー", "card brand return is not in the contract"),
  T1: m("トークンの復号化に失敗しました", "the card token could not be decrypted: make a new token"),
  T2: m("トークンの有効期限切れです", "the card token expired: make a new token"),
}
for (let n = 65; n <= 77; n++) CREDIT_TYPES[String(n)] ??= m("決済機関判定エラー", "refused by the card processor")

export const COMMON_ITEMS: Record<string, Meaning> = {
  "000": m("APIリクエストID", "API request id"),
  "001": m("マーチャントID", "merchant_id"),
  "002": m("サービスID", "service_id"),
  "003": m("顧客ID", "cust_code"),
  "004": m("購入ID", "order_id"),
  "005": m("商品ID", "item_id"),
  "006": m("商品名称", "item_name"),
  "007": m("税額", "tax"),
  "008": m("金額", "amount"),
  "009": m("結果通知先CGI", "result CGI"),
  "010": m("自由欄1", "free1"),
  "011": m("自由欄2", "free2"),
  "012": m("自由欄3", "free3"),
  "013": m("請求番号枝番", "order_rowno"),
  "014": m("明細行番号", "dtl_rowno"),
  "015": m("明細商品ID", "dtl_item_id"),
  "016": m("明細商品名称", "dtl_item_name"),
  "017": m("明細数量", "dtl_item_count"),
  "018": m("明細税額", "dtl_tax"),
  "019": m("明細金額", "dtl_amount"),
  "020": m("決済区分", "payment type"),
  "021": m("最終課金月", "last charge month"),
  "022": m("キャンペーンタイプ", "campaign type"),
  "023": m("リクエスト日時", "request_date"),
  "024": m("リクエスト許容時間", "limit_second"),
  "025": m("チェックサム", "sps_hashcode"),
  "026": m("処理対象SBPSトランザクションID", "sps_transaction_id"),
  "027": m("処理対象トラッキングID", "tracking_id"),
  "028": m("3DES暗号化フラグ", "encrypted_flg"),
  "029": m("処理日時", "processing_datetime"),
  "030": m("SBPS顧客情報返却フラグ", "sps_cust_info_return_flg"),
  "999": m("該当項目なし", "no particular field"),
}

export const CREDIT_ITEMS: Record<string, Meaning> = {
  "200": m("カード番号", "card number"),
  "201": m("有効期限", "expiry"),
  "202": m("取引区分", "dealings_type"),
  "203": m("分割回数", "divide_times"),
  "204": m("ボーナス併用回数", "bonus count"),
  "205": m("カード情報保存フラグ", "cust_manage_flg"),
  "206": m("備考欄1", "resrv1"),
  "207": m("備考欄2", "resrv2"),
  "208": m("備考欄3", "resrv3"),
  "209": m("セキュリティコード", "security code"),
  "214": m("決済情報使用特定タイプ", "pay_info_control_type"),
  "215": m("決済支払方法使用特定タイプ", "pay_info_detail_control_type"),
  "216": m("決済時入力情報返却タイプ", "response_info_type"),
  "217": m("カードブランド返却フラグ", "cardbrand_return_flg"),
  "225": m("返金枝番", "refund branch number"),
  "227": m("トークン", "token"),
  "228": m("トークンキー", "token_key"),
  "229": m("永続トークン", "permanent token"),
}

export interface DecodedError extends CodeInfo {
  code: string
  method: string
  type: string
  item: string
  kind: GatewayErrorKind
  /** The customer must tokenise the card again (T1/T2). */
  newToken: boolean
  ja: string
  en: string
}

const DECLINED = new Set(["20", "21", "22", "23", "24", "25", "26", "27", "28", "29", "30", "31", "32", "33", "34", "35", "36", "61", "T1", "T2"])
const MERCHANT = new Set(["01", "02", "09", "10", "14", "37", "78", "K3"])

/** Splits a res_err_code 3+2+3 and says what it means and who must act. */
export function describeCode(code: string): DecodedError {
  const method = code.slice(0, 3)
  const type = code.slice(3, 5)
  const item = code.slice(5, 8)
  const credit = method === "101"
  const t = (credit ? CREDIT_TYPES[type] : undefined) ?? COMMON_TYPES[type] ?? m(`種別 ${type}`, `error type ${type}`)
  const i = (credit ? CREDIT_ITEMS[item] : undefined) ?? COMMON_ITEMS[item] ?? m(`項目 ${item}`, `item ${item}`)
  const meth = METHODS[method] ?? m(`決済手段 ${method}`, `payment method ${method}`)
  let kind: GatewayErrorKind
  if (type === "96") kind = "unknown_outcome"
  else if (/^[89]/.test(type)) kind = "retry"
  else if ((credit && DECLINED.has(type)) || (credit && /^(6[5-9]|7[0-7])$/.test(type))) kind = "declined"
  else if (MERCHANT.has(type)) kind = "merchant"
  else kind = "invalid"
  const itemPart = item === "999" ? "" : ` (${i.en})`
  return {
    code,
    method,
    type,
    item,
    kind,
    newToken: credit && (type === "T1" || type === "T2"),
    ja: `${meth.ja}: ${t.ja}${item === "999" ? "" : `(${i.ja})`}`,
    en: `${meth.en}: ${t.en}${itemPart}`,
  }
}
