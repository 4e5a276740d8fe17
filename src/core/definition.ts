// What a gateway folder exports to the rest of the plugin: one definition object. Providers build
// their gateway from it, the store and admin routes read its names and token fields, and the
// transport's redaction reads its secret fields. Nothing outside src/gateways/<gw>/ knows more of a
// gateway than this. No Medusa import at run time: gateway folders stay testable without Medusa.
import type { z } from "@medusajs/framework/zod"
import type { CardRegistration } from "./card-registration"
import type { CardSummary, Gateway, SavedCardRef } from "./gateway"
import type { Logger } from "./http"
import type { DocumentedPaymentMethods } from "./payment-method"

/** What a gateway can do at all; a contract test is skipped only where a capability says so. */
export interface GatewayCapabilities {
  /** capture() sells less than the authorization (and releases the rest). */
  partialCapture: boolean
  /** refund() gives back part of a sale; "option": only with a provider option that enables it. */
  partialRefund: boolean | "option"
  /** The gateway answers a status query (retrieve / findCharge): a lost answer can be looked up. */
  statusQuery: boolean
  /** Cards kept at the gateway for a customer (Medusa account holders and payment methods). */
  savedCards: boolean
  /** 支払回数 other than 一括 (分割, ボーナス, リボ): true exactly when the definition documents `paymentMethods`. */
  installments: boolean
  /** The shopper's browser leaves for the gateway (3-D Secure page, hosted page) and comes back to the return route. */
  redirect: boolean
  /** The gateway notifies payments to a route of the plugin. */
  notifications: boolean
  /**
   * false: authorization is a sale and the gateway has no capture, cancel or refund call (請求管理ロボ's
   * 即時決済): the merchant cancels in the gateway's control panel. Absent: true.
   */
  adjustments?: boolean
}

/** A payment the provider made with a saved card, as Medusa keeps it (what the admin shows too). */
export interface SavedCardPayment {
  savedCard: SavedCardRef
  references: Record<string, string>
  card: CardSummary | null
}

/**
 * The provider's own payments, read from Medusa: for a gateway with no call that lists a customer's
 * saved cards, the cards its payments saved are the list.
 */
export interface PaymentLedger {
  /** This gateway's payments that saved or used a card of `customerRef`, newest first. */
  withSavedCard(customerRef: string): Promise<SavedCardPayment[]>
}

/**
 * The card ids the plugin registered for a gateway customer, kept with the customer in Medusa, for a
 * gateway with no call that lists a customer's cards.
 */
export interface CardRegistry {
  list(customerRef: string): Promise<string[]>
  add(customerRef: string, cardId: string): Promise<void>
  remove(customerRef: string, cardId: string): Promise<void>
}

/** What a gateway's factory gets besides its options. */
export interface GatewayEnv {
  logger?: Logger
  /** Absent outside Medusa (a gateway used on its own, in a test). */
  payments?: PaymentLedger
  /** Absent outside Medusa. */
  cards?: CardRegistry
}

/** Options every card provider reads besides the gateway's own (both optional; some gateways need them). */
export interface CoreOptions {
  /** The public origin of the Medusa server: the base of the return and notification URLs. */
  backendUrl?: string
  /** Where the shopper lands after a redirect; a session's `return_url` must share its origin. */
  storefrontUrl?: string
  /** Source addresses a notification may come from; absent or empty: not checked. */
  notificationIps?: string[]
  /** The source address is Medusa's req.ip (X-Forwarded-For behind one proxy) instead of the TCP peer. */
  trustProxy?: boolean
  /** The secret the card token is sealed with until authorization (absent: Medusa's http.cookieSecret). */
  sealKey?: string
  /** Earlier seal secrets (an old sealKey or cookieSecret): they only open seals made before a rotation. */
  previousSealKeys?: string[]
}

export interface GatewayDefinition<O extends object = Record<string, unknown>> {
  /** The gateway's name in the plugin's words, and the provider's `identifier`: `pp_<name>_<id>`. */
  readonly name: string
  readonly displayName: { readonly en: string; readonly ja: string }
  /** Lower-case ISO codes the gateway takes. */
  readonly currencies: readonly string[]
  /** The merchant's settings, checked when Medusa boots. */
  readonly options: z.ZodType<O>
  /** Wire field names whose values never reach a log line (credentials, tokens, card data). */
  readonly secretFields: readonly string[]
  /**
   * The session `data` fields the gateway's browser token carries, `token` first (SBPS also
   * `token_key` …): they reach the gateway together and leave the session together. Empty for a
   * gateway whose card is entered on its own page.
   */
  readonly tokenFields: readonly string[]
  /**
   * The token is needed again after the redirect (PAYGENT: 450 does not spend it, 020 sends it
   * again): core keeps it in the session while the shopper is away.
   */
  readonly tokenAfterRedirect?: boolean
  readonly capabilities: GatewayCapabilities
  /**
   * The gateway keeps the customer's card itself, registered outside any payment (請求管理ロボ's
   * 請求先): what the plugin's card-registration routes call and show. Absent elsewhere.
   */
  readonly cardRegistration?: CardRegistration
  /**
   * The 支払方法 beside 一括 the gateway's documents say it can send (分割 回数, ボーナス, リボ). Absent:
   * 一括 only. The merchant's option `paymentMethods` allows a part of it (paymentMethodsOption).
   */
  readonly paymentMethods?: DocumentedPaymentMethods
  /** A check at boot beyond the schema (files that must load, an option a setting needs …): what is wrong, or null. */
  check?(options: O & CoreOptions): string | null
  create(options: O & CoreOptions, env: GatewayEnv): Gateway
}
