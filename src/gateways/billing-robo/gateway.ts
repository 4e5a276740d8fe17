// 請求管理ロボ as a Gateway: an order is charged through 即時決済 (demand/bulk_register, jb CAPTURE) on
// the card the customer registered on their 請求先's 決済情報, so it lands on the customer's 請求書.
// Besides the Gateway interface: the card registration (upsert the 請求先, the browser's public
// values, the token) and the credit_status_issue webhook.
import { timingSafeEqual } from "node:crypto"
import {
  GatewayError,
  type ChargeRecord,
  type Gateway,
  type GatewayCharge,
  type PayRequest,
  type PayResult,
  type PayerInfo,
  type SessionInput,
} from "../../core/gateway"
import { readSessionInput, type SessionInputRules } from "../../core/session-input"
import { invalid, op, unchanged, unsupported } from "../../core/vocabulary"
import type { GatewayEnv } from "../../core/definition"
import type { CardRegistrationGateway, RegistrationCustomer, RegistrationEvent, RegistrationState } from "../../core/card-registration"
import { BillingRoboClient, NAME } from "./client"
import {
  billingCodeFor,
  individualCodeOf,
  japanDate,
  parseCreditStatus,
  paymentCodeOf,
  type CreditStatusEvent,
  type Individual,
  type PaymentMethodRow,
} from "./codec"
import { CREDIT_STATUS, REGISTER_STATUS } from "./codes"
import type { BillingRoboOptions } from "./options"

/** The store route a customer registers their card at (named in errors so a shopper knows what to do). */
export const REGISTRATION_PATH = "/store/jp-payments/card-registration"

const SESSION_INPUT: SessionInputRules = {
  token: { refused: `請求管理ロボ charges the card registered on the customer's 請求先: send no token (register a card at ${REGISTRATION_PATH})` },
  savedCard: { refused: "請求管理ロボ charges the registered card: send no payment_method_id" },
  // The card is the one registered at 請求管理ロボ, like a card entered on a gateway's own page.
  otherwise: "hosted",
  emailMax: 100,
  phone: { valid: (p) => /^[0-9-]{1,15}$/.test(p), message: "phone must be at most 15 digits and hyphens" },
}

/** 請求管理ロボ's own references of a 請求先 and its 決済情報: always the logged-in customer's, derived on the server. */
const SERVER_REFERENCES = ["billing_code", "billing_individual_code", "billing_payment_method_code", "billing_payment_method_number"] as const

// The registration's shapes are core's (the card-registration routes call them); 請求先 and 決済情報 are this gateway's.
export type { RegistrationCustomer, RegistrationState }

/** The public values the browser needs: CPToken.js with `aid`, then ThreeDSAdapter with amounts 0 and the 部署's em/pn. */
export interface RegistrationBrowser {
  aid: string
  scripts: { jquery: string; cptoken: string; emv3ds: string }
  three_ds: { am: 0; tx: 0; sf: 0; em: string; pn: string }
}

/** Digits of a Japanese phone number (+81 → 0); the 部署's tel and 3-D Secure's pn are both this. */
export function phoneDigits(phone: string): string {
  const d = phone.replace(/[^\d+]/g, "")
  return d.startsWith("+81") ? "0" + d.slice(3).replace(/^0/, "") : d.replace(/\D/g, "")
}

export function creditStatusText(n: number | null): { ja: string; en: string } | null {
  return n === null ? null : CREDIT_STATUS[n] ?? null
}

export class BillingRoboGateway implements Gateway, CardRegistrationGateway {
  readonly captureOnAuthorize = true
  readonly client: BillingRoboClient

  constructor(
    private readonly options: BillingRoboOptions,
    env: GatewayEnv = {},
    private readonly now: () => Date = () => new Date()
  ) {
    this.client = new BillingRoboClient({ ...options, logger: env.logger })
  }

  parseSessionInput(data: Record<string, unknown>): SessionInput {
    // Another customer's 請求先 named in the data would be ignored; refused so the storefront learns it.
    const forged = SERVER_REFERENCES.find((k) => data[k] !== undefined)
    if (forged) throw invalid(`${forged} is not taken from the storefront: 請求管理ロボ charges the logged-in customer's own 請求先`)
    return readSessionInput(data, SESSION_INPUT)
  }

  browserConfig(): Record<string, unknown> {
    // Nothing to do in the browser at checkout: the card was registered beforehand.
    return { card_entry: "registered", registration: REGISTRATION_PATH }
  }

  async pay(req: PayRequest): Promise<PayResult> {
    if (req.currency !== "jpy") throw invalid(`請求管理ロボ bills in JPY only, not ${req.currency.toUpperCase()}`)
    if (req.source.type !== "hosted") throw invalid(`請求管理ロボ charges the registered card: register one at ${REGISTRATION_PATH}`)
    const customerId = req.payer.customerRef
    if (!customerId) throw noCard("log in: 請求管理ロボ charges the card registered to a customer account")
    const state = await this.registration(customerId)
    if (!state.registered) throw noCard(`this customer has no registered card (${state.register_status_text?.en ?? "no 請求先 yet"})`)
    const individual = individualCodeOf(state.customer_ref)
    const result = await this.client.chargeNow({
      billing_code: state.customer_ref,
      billing_individual_code: individual,
      billing_method: this.options.billingMethod,
      bill_template_code: this.options.billTemplateCode,
      tax: this.options.taxRate,
      date: japanDate(this.now()),
      goods_name: `ご注文 ${req.orderCode}`,
      amount: req.amount,
    })
    if (result.total !== null && result.total !== req.amount) {
      // The bill says another amount: the money moved, but not as asked. Say so; never charge again.
      throw new GatewayError({
        code: "AMOUNT_MISMATCH",
        kind: "unknown_outcome",
        message: `請求管理ロボ billed ${result.total} yen instead of ${req.amount}: check bill ${result.billNumber ?? "?"} in its control panel`,
      })
    }
    const reference = result.billNumber ?? result.demandCode ?? req.orderCode
    const charge: GatewayCharge = {
      reference,
      state: "captured",
      amount: req.amount,
      references: Object.fromEntries(
        Object.entries({ billing_code: state.customer_ref, bill_number: result.billNumber, demand_code: result.demandCode, cod: state.cod }).filter(
          (e): e is [string, string] => typeof e[1] === "string"
        )
      ),
      operations: [op("authorize", reference, req.amount), op("capture", reference, req.amount)],
    }
    return { type: "charge", charge }
  }

  async capture(charge: ChargeRecord): Promise<GatewayCharge> {
    // 即時決済 is a sale at once (jb CAPTURE is the only job it takes): nothing is left to capture.
    return unchanged(charge)
  }

  async cancel(): Promise<GatewayCharge> {
    throw noApi("cancel")
  }

  async refund(_charge: ChargeRecord, _amount: number, _payer: PayerInfo): Promise<GatewayCharge> {
    throw noApi("refund")
  }

  // ---- card registration ----------------------------------------------------------------------

  /** The customer's 請求先コード (billing_code): core's customer reference at this gateway. */
  customerRefOf(customerId: string): string {
    return billingCodeFor(this.options.codePrefix, customerId)
  }

  /** Creates or updates the customer's 請求先 (部署 from their address, one card 決済情報); the browser's values. */
  async prepareRegistration(c: RegistrationCustomer): Promise<{ state: RegistrationState; browser: RegistrationBrowser; payer: { email: string; phone: string } }> {
    const code = this.customerRefOf(c.id)
    const tel = phoneDigits(c.phone)
    if (!/^\d{10,11}$/.test(tel)) throw invalid("the address needs a Japanese phone number of 10 or 11 digits")
    const zip = c.postal_code.replace(/[^\d]/g, "")
    if (!/^\d{7}$/.test(zip)) throw invalid("the address needs a 7-digit postal code")
    const email = c.email.trim()
    const name = (c.company || c.name).trim()
    if (!name) throw invalid("the address needs a name")
    const individual: Individual = {
      code: individualCodeOf(code),
      name: name.slice(0, 100),
      address1: c.name.trim().slice(0, 60) || name.slice(0, 60),
      zip_code: zip,
      pref: c.province.trim(),
      city_address: `${c.city}${c.address_1}`.trim().slice(0, 56),
      ...(c.address_2 ? { building_name: c.address_2.trim() } : {}),
      tel,
      email,
    }
    const r = await this.client.upsertBilling({ code, name: name.slice(0, 100), individual, payment: { code: paymentCodeOf(code), name: "クレジットカード" } })
    const state = stateOf(code, r.payment.number, r.payment.cod, r.payment.register_status)
    // em/pn must equal the 部署's, as 請求管理ロボ stored them (hyphens removed).
    const em = (r.individual.email ?? email).trim()
    const pn = (r.individual.tel ?? tel).replace(/-/g, "")
    const base = this.options.scriptBaseUrl.replace(/\/+$/, "")
    return {
      state,
      // the token call (registerCard) repeats them
      payer: { email: em, phone: pn },
      browser: {
        aid: this.options.aid,
        scripts: { jquery: `${base}/gateway/js/jquery.js`, cptoken: `${base}/gateway/js/CPToken.js`, emv3ds: `${base}/gateway/js/EMV3DSAdapter.js` },
        three_ds: { am: 0, tx: 0, sf: 0, em, pn },
      },
    }
  }

  /** Registers (or replaces) the card of the customer's 決済情報 with a token that passed 3-D Secure. */
  async registerCard(customerId: string, token: string, payer: { email: string; phone: string }): Promise<RegistrationState> {
    if (!/^[A-Za-z0-9]{1,200}$/.test(token)) throw invalid("token must be the CPToken.js token (letters and digits)")
    const code = this.customerRefOf(customerId)
    await this.client.registerCardToken({
      billing_code: code,
      billing_payment_method_code: paymentCodeOf(code),
      token,
      email: payer.email.trim(),
      tel: phoneDigits(payer.phone),
    })
    return this.registration(customerId)
  }

  /** The customer's card 決済情報 as 請求管理ロボ has it now. */
  async registration(customerId: string): Promise<RegistrationState> {
    const code = this.customerRefOf(customerId)
    const rows = await this.client.searchPaymentMethods({ billing_code: code, code: paymentCodeOf(code) }).catch((e) => {
      // An unknown 請求先 is "nothing registered yet", not a failure.
      if (e instanceof GatewayError && e.code === "4501") return [] as PaymentMethodRow[]
      throw e
    })
    const row = rows.find((r) => r.code === paymentCodeOf(code))
    return stateOf(code, row?.number ?? null, row?.cod ?? null, row?.register_status ?? null)
  }

  /** The credit_status_issue webhook, its BillingRoboSignaturekey checked; throws GatewayError(invalid) for a forged one. */
  parseWebhook(raw: Buffer | string): RegistrationEvent {
    const key = this.options.signatureKey
    if (!key) throw new GatewayError({ code: "NO_SIGNATURE_KEY", kind: "merchant", message: "set the signatureKey option (the webhook's BillingRoboSignaturekey) to accept 請求管理ロボ webhooks" })
    let e: CreditStatusEvent
    try {
      e = parseCreditStatus(Buffer.isBuffer(raw) ? raw.toString("utf8") : raw)
    } catch (err) {
      throw invalid(`not a 請求管理ロボ webhook: ${(err as Error).message}`)
    }
    const a = Buffer.from(e.signatureKey)
    const b = Buffer.from(key)
    if (a.length !== b.length || !timingSafeEqual(a, b)) throw invalid("the webhook's BillingRoboSignaturekey does not match")
    return { id: e.id, eventName: e.eventName, customerRef: e.billingCode, paymentCode: e.paymentCode, paymentStatus: e.paymentStatus, creditStatus: e.creditStatus, creditErrorCode: e.creditErrorCode, creditUpdateTime: e.creditUpdateTime }
  }
}

function stateOf(code: string, number: string | null, cod: string | null, status: number | null): RegistrationState {
  return {
    customer_ref: code,
    payment_code: paymentCodeOf(code),
    payment_number: number,
    cod,
    register_status: status,
    register_status_text: status === null ? null : REGISTER_STATUS[status] ?? null,
    registered: status === 5,
  }
}

function noCard(why: string): GatewayError {
  return new GatewayError({
    code: "NO_REGISTERED_CARD",
    kind: "invalid",
    message: `${NAME}: ${why}. Register a card first (POST ${REGISTRATION_PATH}), then pay again`,
    messageJa: `${NAME}: 登録済みのクレジットカードがありません。カードを登録してから、もう一度お支払いください。`,
  })
}

function noApi(what: "cancel" | "refund"): GatewayError {
  return unsupported(
    `${NAME} has no API to ${what} a 即時決済 card payment: in the 請求管理ロボ control panel, open the 請求書 and cancel the card payment there (決済取消), then mark the Medusa order refunded by hand`,
    `${NAME} の API には即時決済の${what === "cancel" ? "取消" : "返金"}がありません。請求管理ロボの管理画面で該当の請求書を開き、クレジットカード決済を取り消してください。`
  )
}
