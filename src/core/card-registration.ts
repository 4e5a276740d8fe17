// Card registration at a gateway that keeps the customer's card itself, outside any payment
// (請求管理ロボ's 請求先): what the plugin's card-registration routes call, and the words they show. A
// gateway offers it through its definition (`cardRegistration`); the routes find that definition in
// the registry (src/gateways/index.ts) and know nothing else of the gateway. No Medusa import here.
import type { Gateway } from "./gateway"

/** A status in both languages the admin speaks. */
export interface StatusWords {
  ja: string
  en: string
}

/** What the registration needs of the logged-in customer (from Medusa's customer and one address). */
export interface RegistrationCustomer {
  id: string
  email: string
  /** Japanese order ("last first") or Latin ("first last"), as the address has it. */
  name: string
  company?: string
  phone: string
  postal_code: string
  province: string
  city: string
  address_1: string
  address_2?: string
}

/** The customer's registration as the gateway has it (public values only). */
export interface RegistrationState {
  /** The gateway's reference of the customer (customerRefOf). */
  customer_ref: string
  payment_code: string
  payment_number: string | null
  /** The gateway's order number for this card (public). */
  cod: string | null
  register_status: number | null
  register_status_text: StatusWords | null
  registered: boolean
}

/** A registration-status webhook, verified by the gateway. */
export interface RegistrationEvent {
  /** The gateway's event id (an older one arriving late changes no status), or null. */
  id: string | null
  eventName: string
  /** The gateway's reference of the customer (customerRefOf; the routes find the customer by it). */
  customerRef: string
  /** Which of the customer's payment records at the gateway the event is about (請求管理ロボ's 決済情報コード), or null. */
  paymentCode: string | null
  /** The registration status the event reports, or null when it reports none. */
  paymentStatus: number | null
  creditStatus: number | null
  creditErrorCode: string | null
  creditUpdateTime: string | null
}

/** The part of the gateway the routes call. */
export interface CardRegistrationGateway {
  /** The gateway's reference of a Medusa customer, derived on the server from the customer id. */
  customerRefOf(customerId: string): string
  /**
   * Creates or updates the customer at the gateway. `browser`: the public values the storefront's
   * script needs, answered as they are; `payer`: the e-mail and phone the token call must repeat.
   */
  prepareRegistration(c: RegistrationCustomer): Promise<{ state: RegistrationState; browser: object; payer: { email: string; phone: string } }>
  /** Registers (or replaces) the customer's card with the browser's token. */
  registerCard(customerId: string, token: string, payer: { email: string; phone: string }): Promise<RegistrationState>
  registration(customerId: string): Promise<RegistrationState>
  /** Verifies a webhook; throws GatewayError(invalid) for a forged one, GatewayError(merchant) when it cannot be checked. */
  parseWebhook(raw: Buffer | string): RegistrationEvent
}

/** What a GatewayDefinition carries when its gateway registers cards (GatewayDefinition.cardRegistration). */
export interface CardRegistration {
  /** The registration calls of the gateway the provider built, or null when it has none. */
  of(gateway: Gateway): CardRegistrationGateway | null
  /** The webhook event that reports a registration's status; others are acknowledged and ignored. */
  readonly statusEvent: string
  /** Whether a registration status means the card is registered. */
  isRegistered(status: number): boolean
  registerStatusText(status: number | null): StatusWords | null
  creditStatusText(status: number | null): StatusWords | null
}
