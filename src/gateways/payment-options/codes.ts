// PaymentOptions result codes: gateway_response.code (INFO / ERR / VAL) and payment_details.response_code
// (the acquirer's ISO 8583-style, CAFIS and Global GEAR codes). Sources: the vendor's
// error-and-response pages (gatewayerrors.mdx, responsecodes.mdx; docs/gateways/payment-options.md §8).
// Each code is classed so the shop knows who must act.
import type { GatewayErrorKind } from "../../core/gateway"
import type { CodeInfo } from "../../core/vocabulary"

/** Success codes of gateway_response.code. */
export const INFO_CODES: Record<string, string> = {
  INFO0000: "Payment Successful.",
  INFO0001: "Amount successfully captured.",
  INFO0002: "Amount successfully refunded.",
  INFO0003: "Authorization Successfully Cancelled.",
  INFO3000: "Subscription Updated.",
}

const c = (en: string, kind: GatewayErrorKind, ja?: string): CodeInfo => ({ en, kind, ja })
const RESTRICTED = "Transaction is restricted"

/** Gateway and risk codes of gateway_response.code (gatewayerrors.mdx), with their response_code. */
export const ERR_CODES: Record<string, CodeInfo & { responseCode: number }> = {
  ERR3001: { ...c(`${RESTRICTED} (card country blacklist)`, "declined", "取引が制限されています(カード国)"), responseCode: -8000 },
  ERR3002: { ...c(`${RESTRICTED} (IP address)`, "declined", "取引が制限されています(IPアドレス)"), responseCode: -8001 },
  ERR3003: { ...c(`${RESTRICTED} (BIN blocking)`, "declined", "取引が制限されています(BIN)"), responseCode: -8002 },
  ERR3004: { ...c(`${RESTRICTED} (PAN blocking)`, "declined", "取引が制限されています(カード番号)"), responseCode: -8003 },
  ERR3005: { ...c(`${RESTRICTED} (issuing-country blacklist)`, "declined", "取引が制限されています(発行国)"), responseCode: -8004 },
  ERR3006: { ...c("Amount is outside the allowed range (maximum)", "invalid", "金額が上限を超えています"), responseCode: -8005 },
  ERR3007: { ...c(`${RESTRICTED} (IP address, merchant blacklist)`, "declined", "取引が制限されています(IPアドレス)"), responseCode: -8007 },
  ERR3008: { ...c(`${RESTRICTED} (card velocity per minute)`, "declined", "取引が制限されています(同一カードの利用回数)"), responseCode: -8008 },
  ERR3009: { ...c(`${RESTRICTED} (card velocity per hour)`, "declined", "取引が制限されています(同一カードの利用回数)"), responseCode: -8009 },
  ERR3010: { ...c(`${RESTRICTED} (card velocity per day)`, "declined", "取引が制限されています(同一カードの利用回数)"), responseCode: -8010 },
  ERR3011: { ...c(`${RESTRICTED} (card velocity per month)`, "declined", "取引が制限されています(同一カードの利用回数)"), responseCode: -8011 },
  ERR3012: { ...c("Risk rule decline (IP velocity per minute)", "declined", "リスクルールにより拒否されました"), responseCode: -8012 },
  ERR3013: { ...c("Risk rule decline (IP velocity per hour)", "declined", "リスクルールにより拒否されました"), responseCode: -8013 },
  ERR3014: { ...c("Risk rule decline (IP velocity per day)", "declined", "リスクルールにより拒否されました"), responseCode: -8014 },
  ERR3015: { ...c("Risk rule decline (IP velocity per month)", "declined", "リスクルールにより拒否されました"), responseCode: -8015 },
  ERR3016: { ...c("Amount is outside the allowed range (minimum)", "invalid", "金額が下限を下回っています"), responseCode: -8006 },
  ERR3017: { ...c(`${RESTRICTED} (IP not whitelisted): register this server's address in the merchant portal`, "merchant", "IPアドレスが許可されていません"), responseCode: -8017 },
  ERR3018: { ...c(`${RESTRICTED} (BIN not whitelisted)`, "declined", "BINが許可されていません"), responseCode: -8018 },
  ERR3019: { ...c("Insufficient refund balance (refund limit)", "invalid", "返金可能額が不足しています(返金上限)"), responseCode: -8019 },
  ERR3020: { ...c("Insufficient refund balance (refund volume)", "invalid", "返金可能額が不足しています(返金量)"), responseCode: -8020 },
  ERR0204: { ...c("Insufficient refund balance", "invalid", "返金可能額が不足しています"), responseCode: -1 },
}

/** Validation codes of gateway_response.code. Only VAL0035 is published; others are classed as invalid. */
export const VAL_CODES: Record<string, CodeInfo> = {
  VAL0035: c("Invalid card holder name.", "declined", "カード名義が正しくありません"),
}

const d = (en: string): CodeInfo => c(en, "declined")
const tryAgain = (en: string): CodeInfo => c(en, "retry")
const unclear = (en: string): CodeInfo => c(en, "unknown_outcome")
const inv = (en: string): CodeInfo => c(en, "invalid")
const mer = (en: string): CodeInfo => c(en, "merchant")

/** payment_details.response_code (responsecodes.mdx). */
export const RESPONSE_CODES: Record<number, CodeInfo> = {
  [-1]: c("DAS Gateway Error", "invalid"),
  0: c("Payment Successful", "invalid"),
  1: d("Refer to card issuer"),
  2: d("Refer to card issuer, special condition"),
  3: mer("Invalid merchant or service provider"),
  4: d("Capture card (declined, retain card)"),
  5: c("Do not honour (declined)", "declined", "カード会社により拒否されました"),
  6: d("Error"),
  7: d("Failed signature"),
  8: d("Honour with ID"),
  10: d("Partial approval"),
  12: inv("Invalid transaction"),
  13: inv("Invalid amount (currency conversion overflow)"),
  14: c("Invalid card number (no such number)", "declined", "カード番号が正しくありません"),
  15: d("Invalid issuer"),
  19: tryAgain("Re-enter transaction"),
  20: d("No action taken (unable to back out prior)"),
  25: inv("Unable to locate record in file or account"),
  28: tryAgain("File is temporarily unavailable"),
  30: inv("Format error"),
  34: d("Fraud suspicion"),
  39: d("No credit account"),
  41: d("Lost card (pick up)"),
  43: d("Stolen card (pick up)"),
  51: c("Insufficient funds or over credit limit", "declined", "残高不足または限度額超過です"),
  52: d("No checking account"),
  53: d("No savings account"),
  54: c("Expired card", "declined", "カードの有効期限が切れています"),
  55: d("Invalid PIN"),
  57: d("Transaction not permitted to issuer/cardholder"),
  58: mer("Transaction not permitted to acquirer/terminal"),
  59: d("Suspected fraud (Visa)"),
  61: d("Exceeds withdrawal amount limit"),
  62: d("Restricted card (country exclusion)"),
  63: d("Unable to authorize"),
  64: d("Unable to authorize"),
  65: d("Exceeds withdrawal count limit, or authentication requested"),
  68: unclear("Time out"),
  70: d("Contact card issuer"),
  71: d("PIN not changed"),
  75: d("Allowable number of PIN tries exceeded"),
  76: inv("Invalid/nonexistent account specified"),
  77: inv("Invalid/nonexistent account specified"),
  78: inv("Invalid/nonexistent account specified (general)"),
  79: d("Already reversed (Visa) or lifecycle reasons (Mastercard)"),
  80: tryAgain("Credit issuer unavailable (Visa)"),
  82: d("Negative CAM, dCVV, iCVV or CVV results (Visa) or policy reasons (Mastercard)"),
  83: d("STIP cannot approve (Visa) or fraud/security reasons (Mastercard)"),
  84: inv("Invalid authorization life cycle"),
  85: d("No reason to decline (AVS / balance inquiry only)"),
  86: d("Cannot verify PIN"),
  88: d("Unable to authorize"),
  89: d("Unacceptable PIN, or ineligible to receive"),
  91: tryAgain("Authorization system or issuer system inoperative"),
  92: tryAgain("Unable to route transaction"),
  93: d("Transaction cannot be completed: violation of law"),
  94: unclear("Duplicate transmission detected"),
  96: tryAgain("System error"),
  98: d("Error"),
  99: d("Error"),
  397: mer("Surcharge amount not permitted on Visa"),
  398: mer("Surcharge not supported"),
  442: mer("Acquirer institution code is not registered at CAFIS"),
  443: tryAgain("CAFIS system error. Try again"),
  444: tryAgain("The acquirer system is busy. Try again"),
  445: tryAgain("Acquirer system error. Try again"),
  446: tryAgain("The acquirer system has closed. Try again"),
  447: tryAgain("CAFIS system error. Try again"),
  448: tryAgain("Illegal encoding format. Try again"),
  449: tryAgain("CAFIS system error. Try again"),
  450: tryAgain("CAFIS system error. Try again"),
  451: inv("Advice message already received"),
  // CAFIS saw a timeout towards the acquirer: the acquirer may have acted, so this is unclear, not "try again".
  452: unclear("CAFIS detected a timeout when it sent the message to the acquirer"),
  453: tryAgain("CAFIS system error. Try again"),
  454: tryAgain("CAFIS system error. Try again"),
  455: tryAgain("CAFIS system error. Try again"),
  456: tryAgain("CAFIS system error. Try again"),
  457: tryAgain("CAFIS system error. Try again"),
  458: mer("The acquirer does not support the service"),
  459: tryAgain("CAFIS system error. Try again"),
  460: tryAgain("CAFIS system error. Try again"),
  577: c("The card is unusable", "declined", "このカードはご利用いただけません"),
  578: unclear("The transaction is pending"),
  579: d("PIN is incorrect"),
  580: c("Security code is incorrect", "declined", "セキュリティコードが正しくありません"),
  581: d("Security code is not set"),
  582: d("JIS2 stripe information is invalid"),
  583: d("The card is maxed out for the day (insufficient funds)"),
  584: d("The amount exceeds the limit for the day (insufficient funds)"),
  586: d("The card is invalid (MOD 10 check failed)"),
  587: d("The card is invalid (lost/stolen)"),
  588: d("The card is invalid (MOD 10 check failed)"),
  589: d("Primary account number is invalid (MOD 10 check failed)"),
  590: mer("Merchant type value is invalid"),
  591: inv("Transaction amount value is invalid"),
  592: inv("Tax and postage value is invalid"),
  593: inv("Bonus count value is invalid"),
  594: inv("Bonus month value is invalid"),
  595: inv("Bonus amount value is invalid"),
  596: inv("First payment month value is invalid"),
  597: inv("Instalment count value is invalid"),
  598: inv("Instalment amount value is invalid"),
  599: inv("First payment amount value is invalid"),
  600: inv("Service code, business code and message code value is invalid"),
  601: inv("Payment division value is invalid"),
  602: inv("Inquiry division value is invalid"),
  603: inv("Cancel division value is invalid"),
  604: inv("Original payment division value is invalid"),
  605: c("The card is expired", "declined", "カードの有効期限が切れています"),
  606: d("The card is not applicable to the service"),
  607: mer("The acquirer service is completed"),
  608: d("The invalid card (lost/stolen) has an error"),
  609: inv("The request message cannot be processed for some reason"),
  610: mer("A transaction that is not supported was received"),
  611: mer("Request message from a centre which has not made the contact"),
  ...Object.fromEntries(
    [
      [622, "Service code"], [623, "Business code"], [624, "Message code"], [625, "Processor code"], [626, "Merchant code"],
      [627, "Transaction identifier"], [628, "Processor transaction date-time"], [629, "Card acceptor terminal identification"],
      [630, "Encryption method code"], [631, "Key encryption key index in use"], [632, "Processor authentication key index"],
      [633, "Message encryption key"], [634, "Message authentication code"], [635, "Acquirer institution identification code"],
      [636, "Primary account number"], [637, "Expiration date"], [638, "Track-2 data"], [639, "PIN data"], [640, "Merchant type"],
      [641, "Transaction amount"], [642, "Tax and postage"], [643, "Point of service data code"], [645, "Cancel division"],
      [646, "Original terminal processing serial number"], [647, "Original payment division"],
      [658, "Original processor transaction date-time"], [659, "Original transaction identifier"], [660, "Free field"],
      [661, "Terminal processing serial number"], [662, "Security code"], [663, "Electronic commerce indicator"], [664, "XID"],
      [665, "Accountholder authentication value"], [666, "Transaction status"], [667, "Message version number"],
      [668, "CAVV algorithm"], [669, "Recurring flag"], [672, "Processor authentication key index"],
    ].map(([n, what]) => [n, inv(`Message element ${what} setting error`)])
  ),
  670: inv("Element block setting error"),
  671: inv("Combination of service code and message code is incorrect"),
  673: inv("More than one original transaction to reverse: unable to reverse the transaction"),
  674: mer("Combination of processor code and merchant code is incorrect"),
  ...Object.fromEntries([675, 678, 681, 703, 705].map((n) => [n, tryAgain("Global GEAR system error. Try again")])),
  ...Object.fromEntries(
    [676, 677, 679, 680, 682, 683, 694, 695, 696, 697, 698, 699, 700, 701, 702, 704].map((n) => [n, unclear("Global GEAR system error. Transaction result is unclear")])
  ),
  828: d("Unable to authorize"),
  831: d("Cash service not available"),
  832: d("Cash back request exceeds issuer limit"),
  833: inv("Resubmitted transaction over max days limit"),
  835: d("Decline: CVV2 failure"),
  836: inv("Transaction amount greater than preauthorized"),
  902: inv("Invalid biller information"),
  905: d("Unable to authorize"),
  906: d("Unable to authorize"),
  937: c("Card authentication failed", "declined", "カード認証(3-D セキュア)に失敗しました"),
  972: d("Stop payment order"),
  973: d("Revocation of authorization order"),
  975: d("Revocation of all authorizations order"),
  1044: d("Approval keep first check"),
  1045: d("Check OK, no conversion"),
  1046: d("Invalid RTTN"),
  1047: d("Amount greater than limit"),
  1048: d("Unpaid items failed NEG"),
  1049: d("Duplicate check number"),
  1050: d("MICR error"),
  1051: d("Too many checks"),
  1198: d("Forward to issuer"),
  1201: d("Forward to issuer"),
  1263: d("Unable to authorize"),
  1295: d("Unknown"),
}

/** The meaning of a failure: gateway_response.code first (ERR/VAL), then payment_details.response_code. */
export function describeCode(rawCode: string | undefined, responseCode: number | undefined): CodeInfo & { code: string } {
  // An INFO code on a failure (a sample copied from a success) says nothing about the failure.
  const code = rawCode?.startsWith("INFO") ? undefined : rawCode
  if (code && ERR_CODES[code]) return { code, ...ERR_CODES[code] }
  if (code && VAL_CODES[code]) return { code, ...VAL_CODES[code] }
  if (responseCode !== undefined && responseCode !== 0 && responseCode !== -1 && RESPONSE_CODES[responseCode]) {
    return { code: code ? `${code}/${responseCode}` : String(responseCode), ...RESPONSE_CODES[responseCode] }
  }
  if (code?.startsWith("VAL")) return { code, en: "The gateway rejected a field of the request", kind: "invalid", ja: "リクエスト項目が不正です" }
  if (code?.startsWith("ERR")) return { code, en: "The gateway refused the transaction", kind: "declined", ja: "決済が拒否されました" }
  if (responseCode !== undefined && responseCode <= -8000) return { code: String(responseCode), en: "Risk rule decline", kind: "declined" }
  return { code: code || (responseCode !== undefined ? String(responseCode) : "FAILED"), en: "The gateway refused the request", kind: "invalid" }
}

/** Whether an answer with this response_code leaves the outcome unclear (ask the status, never resend). */
export function isUnclear(responseCode: number | undefined): boolean {
  return responseCode !== undefined && RESPONSE_CODES[responseCode]?.kind === "unknown_outcome"
}
