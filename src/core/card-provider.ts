// The Medusa side of every card gateway, written once: the whole provider contract over `Gateway`.
//
// Session `data` is returned to the storefront, so it holds nothing secret. What the storefront sent
// (a card token, a saved card id) stays beside our own state, which lives under `jp` and is written
// whole by initiatePayment, so a storefront can never forge it. Payment `data` (what authorize returns)
// holds the gateway references capture, cancel and refund need, and the history of gateway calls.
import { AbstractPaymentProvider, MedusaError, PaymentActions, PaymentSessionStatus } from "@medusajs/framework/utils"
import type {
  AuthorizePaymentInput,
  AuthorizePaymentOutput,
  CancelPaymentInput,
  CancelPaymentOutput,
  CapturePaymentInput,
  CapturePaymentOutput,
  CreateAccountHolderInput,
  CreateAccountHolderOutput,
  DeleteAccountHolderInput,
  DeleteAccountHolderOutput,
  DeletePaymentInput,
  DeletePaymentMethodInput,
  DeletePaymentMethodOutput,
  DeletePaymentOutput,
  GetPaymentStatusInput,
  GetPaymentStatusOutput,
  InitiatePaymentInput,
  InitiatePaymentOutput,
  ListPaymentMethodsInput,
  ListPaymentMethodsOutput,
  ProviderWebhookPayload,
  RefundPaymentInput,
  RefundPaymentOutput,
  RetrieveAccountHolderInput,
  RetrieveAccountHolderOutput,
  RetrievePaymentInput,
  RetrievePaymentOutput,
  SavePaymentMethodInput,
  SavePaymentMethodOutput,
  UpdateAccountHolderInput,
  UpdateAccountHolderOutput,
  UpdatePaymentInput,
  UpdatePaymentOutput,
  WebhookActionResult,
} from "@medusajs/framework/types"
import { toMedusaError } from "./errors"
import {
  GatewayError,
  type ChargeRecord,
  type Gateway,
  type GatewayCharge,
  type IncomingNotification,
  type NotificationHint,
  type Operation,
  type ParsedNotification,
  type PaymentSource,
  type PayResult,
  type ReturnResult,
} from "./gateway"
import type { Logger } from "./http"
import { fromMinorUnits, toMinorUnits } from "./money"
import { fromOrderCode, toOrderCode } from "./order-code"
import { type JpPaymentState, type JpSessionState, readPaymentState, readSessionState } from "./state"

export type { JpPaymentState, JpSessionState }

/** What a notification route gets back from the provider. */
export interface NotificationResult {
  ack: ParsedNotification["ack"]
  event?: NonNullable<ParsedNotification["event"]> & { sessionId: string; verified: boolean }
}

/** The plugin's own routes, under the Medusa server's public origin (`backendUrl`). */
export const RETURN_PATH = "/jp-payments/return/"
export const NOTIFY_BY_ORDER_PATH = "/jp-payments/notify/"

export abstract class CardProvider<TOptions extends Record<string, unknown> = Record<string, unknown>> extends AbstractPaymentProvider<TOptions> {
  protected readonly logger: Logger
  protected abstract readonly gateway: Gateway
  /** Whether authorize asks the gateway for an immediate sale (jb=CAPTURE, auth_capture …). */
  protected abstract readonly captureOnAuthorize: boolean
  /** Public origin of the Medusa server (option `backendUrl`): the base of the return and notification URLs. */
  readonly backendUrl?: string
  /** Where the shopper goes after a redirect (option `storefrontUrl`); a session's `return_url` must share its origin. */
  readonly storefrontUrl?: string

  protected constructor(cradle: Record<string, unknown>, options: TOptions) {
    super(cradle, options)
    this.logger = (cradle.logger as Logger | undefined) ?? console
    // Each gateway's options schema validates these at boot; core only reads them.
    if (typeof options.backendUrl === "string") this.backendUrl = options.backendUrl.replace(/\/+$/, "")
    if (typeof options.storefrontUrl === "string") this.storefrontUrl = options.storefrontUrl
  }

  // ---- payment sessions -----------------------------------------------------------------------

  async initiatePayment(input: InitiatePaymentInput): Promise<InitiatePaymentOutput> {
    const g = this.gateway
    const currency = input.currency_code.toLowerCase()
    if (!g.currencies.includes(currency)) {
      throw new MedusaError(
        MedusaError.Types.INVALID_DATA,
        `${g.name} takes payments in ${g.currencies.map((c) => c.toUpperCase()).join(", ")} only; this cart is in ${currency.toUpperCase()}`
      )
    }
    const amount = this.minor(input.amount, currency)
    if (amount <= 0) throw new MedusaError(MedusaError.Types.INVALID_DATA, `${g.name}: nothing to pay (amount ${amount})`)
    const data = input.data ?? {}
    const sessionId = String(data.session_id ?? input.context?.idempotency_key ?? "")
    const orderCode = this.wrap(() => toOrderCode(sessionId))
    const parsed = this.wrap(() => g.parseSessionInput(data))
    const returnTo = this.returnTo(data.return_url)
    const customerRef = accountHolderRef(input.context?.account_holder?.data)
    if (parsed.source?.type === "saved" && !customerRef) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, `${g.name}: paying with a saved card needs a logged-in customer`)
    }
    if ((parsed.source?.type === "token" || parsed.source?.type === "hosted") && parsed.source.saveCard && !customerRef) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, `${g.name}: saving a card needs a logged-in customer`)
    }
    const customer = input.context?.customer
    const jp: JpSessionState = {
      v: 1,
      gateway: g.name,
      order_code: orderCode,
      amount,
      currency,
      capture: this.captureOnAuthorize,
      // Every key is written, null where empty: Medusa merges session data into what the storefront
      // sent, so a key left out here could be supplied by the storefront.
      source: parsed.source?.type ?? null,
      card_ref: parsed.source?.type === "saved" ? parsed.source.cardRef : null,
      save_card: parsed.source?.type === "token" || parsed.source?.type === "hosted" ? parsed.source.saveCard : false,
      customer_ref: customerRef ?? null,
      payer: { email: customer?.email ?? parsed.email ?? null, phone: customer?.phone ?? parsed.phone ?? null },
      browser: g.browserConfig({ orderCode, amount, currency, customerRef: customerRef ?? undefined }),
      attempt: null,
      redirect: null,
      redirect_state: null,
      returned: null,
      return_to: returnTo,
      error: null,
      notification: null,
    }
    return { id: orderCode, status: PaymentSessionStatus.PENDING, data: { jp } }
  }

  async updatePayment(input: UpdatePaymentInput): Promise<UpdatePaymentOutput> {
    const data = input.data ?? {}
    const jp = readSessionState(data)
    if (!jp) return { data }
    const amount = this.minor(input.amount, input.currency_code.toLowerCase())
    const browser = this.gateway.browserConfig({
      orderCode: jp.order_code,
      amount,
      currency: jp.currency,
      customerRef: jp.customer_ref ?? undefined,
    })
    return { data: { ...data, jp: { ...jp, amount, browser } } }
  }

  async authorizePayment(input: AuthorizePaymentInput): Promise<AuthorizePaymentOutput> {
    // Medusa never calls this again once a session is authorized, so `data` is always session state.
    const data = input.data ?? {}
    const jp = readSessionState(data)
    if (!jp) return this.failed(data, null, "NO_SESSION", "this payment session was not created by this provider")

    if (jp.attempt === "redirect") return this.completeRedirect(data, jp)

    // A notification may tell the outcome of an attempt whose answer we lost — and only that: some
    // gateways (ROBOT PAYMENT) do not sign notifications, so one for a session we never sent to the
    // gateway proves nothing.
    // A gateway with a status query (findCharge) is asked instead, the notification as its hint.
    if (jp.notification && jp.attempt === "unknown" && !this.gateway.findCharge) {
      if (!jp.notification.succeeded) {
        return this.failed(data, jp, jp.notification.error?.code ?? "DECLINED", jp.notification.error?.message ?? "the gateway reported a failed payment")
      }
      const charge = jp.notification.charge
      if (charge) return this.authorized(jp, charge)
    }
    if (jp.attempt === "unknown" && this.gateway.findCharge) return this.findUnanswered(data, jp)
    if (jp.attempt === "unknown") {
      return this.failed(
        data,
        jp,
        "OUTCOME_UNKNOWN",
        `${this.gateway.name} did not answer an earlier attempt; waiting for its notification — check the payment in the gateway's control panel before charging again`,
        undefined,
        "unknown_outcome",
        PaymentSessionStatus.PENDING
      )
    }
    const source = this.sourceOf(data, jp)
    if (!source) return this.failed(data, jp, "NO_CARD", "no card token or saved card in the payment session: tokenize the card first")

    return this.attempt(data, jp, () =>
      this.gateway.pay({
        orderCode: jp.order_code,
        amount: jp.amount,
        currency: jp.currency,
        capture: jp.capture,
        source,
        payer: payerOf(jp),
        ...this.urlsFor(jp.order_code),
      })
    )
  }

  async capturePayment(input: CapturePaymentInput): Promise<CapturePaymentOutput> {
    const data = input.data ?? {}
    const p = this.paymentState(data, "capture")
    if (p.state === "captured" || p.state === "partially_refunded" || p.state === "refunded") {
      // A smaller sale (captureAmount) released the rest of the authorization: Medusa cannot capture it.
      if (p.sold_amount != null && p.sold_amount < p.authorized_amount) {
        throw new MedusaError(
          MedusaError.Types.NOT_ALLOWED,
          `${this.gateway.name}: payment ${p.order_code} was sold for ${p.sold_amount} of the ${p.authorized_amount} authorized; the rest was released and cannot be captured`
        )
      }
      return { data }
    }
    if (p.state === "canceled") throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `${this.gateway.name}: payment ${p.order_code} is canceled`)
    const charge = await this.call(() => this.gateway.capture(toRecord(p)))
    return { data: { ...data, jp: merge(p, charge) } }
  }

  /**
   * A sale of less than the authorized amount (whole minor units), for the plugin's admin capture
   * route: Medusa's own capturePayment carries no amount. Returns the payment data to store.
   */
  async captureAmount(data: Record<string, unknown>, amount: number): Promise<Record<string, unknown>> {
    const p = this.paymentState(data, "capture")
    if (p.state !== "authorized") {
      throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `${this.gateway.name}: payment ${p.order_code} is ${p.state}, not waiting for capture`)
    }
    if (!Number.isInteger(amount) || amount <= 0 || amount > p.authorized_amount) {
      throw new MedusaError(
        MedusaError.Types.INVALID_DATA,
        `${this.gateway.name}: capture amount must be a whole amount from 1 to the ${p.authorized_amount} authorized (got ${amount})`
      )
    }
    const charge = await this.call(() => this.gateway.capture(toRecord(p), amount < p.authorized_amount ? amount : undefined))
    return { ...data, jp: { ...merge(p, charge), sold_amount: charge.amount } }
  }

  async cancelPayment(input: CancelPaymentInput): Promise<CancelPaymentOutput> {
    const data = input.data ?? {}
    const p = readPaymentState(data)
    if (!p) return { data } // nothing was charged (compensation before authorization)
    if (p.state === "canceled" || p.state === "refunded") return { data }
    const charge = await this.call(() => this.gateway.cancel(toRecord(p)))
    return { data: { ...data, jp: merge(p, charge) } }
  }

  async refundPayment(input: RefundPaymentInput): Promise<RefundPaymentOutput> {
    const data = input.data ?? {}
    const p = this.paymentState(data, "refund")
    const amount = this.minor(input.amount, p.currency)
    if (amount <= 0) throw new MedusaError(MedusaError.Types.INVALID_DATA, `${this.gateway.name}: refund amount must be positive`)
    if (p.state === "refunded" || p.state === "canceled") {
      throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `${this.gateway.name}: payment ${p.order_code} has nothing left to refund`)
    }
    if (amount > p.amount) {
      throw new MedusaError(
        MedusaError.Types.INVALID_DATA,
        `${this.gateway.name}: refund of ${amount} is more than the ${p.amount} still charged on ${p.order_code}`
      )
    }
    const payer = { email: p.payer?.email ?? undefined, phone: p.payer?.phone ?? undefined }
    const charge = await this.call(() => this.gateway.refund(toRecord(p), amount, payer))
    const next = merge(p, charge)
    next.refunded_amount = p.refunded_amount + amount
    return { data: { ...data, jp: next } }
  }

  async deletePayment(input: DeletePaymentInput): Promise<DeletePaymentOutput> {
    // A session holds no gateway charge until authorized, and Medusa keeps authorized sessions.
    return { data: input.data ?? {} }
  }

  async retrievePayment(input: RetrievePaymentInput): Promise<RetrievePaymentOutput> {
    const data = input.data ?? {}
    const p = readPaymentState(data)
    const retrieve = this.gateway.retrieve?.bind(this.gateway)
    if (!p || !retrieve) return { data }
    const charge = await this.call(() => retrieve(toRecord(p)))
    return { data: { ...data, jp: merge(p, charge) } }
  }

  async getPaymentStatus(input: GetPaymentStatusInput): Promise<GetPaymentStatusOutput> {
    const data = input.data ?? {}
    const p = readPaymentState(data)
    if (p) return { status: statusOf(p), data }
    const jp = readSessionState(data)
    if (jp?.attempt === "redirect") return { status: PaymentSessionStatus.REQUIRES_MORE, data }
    if (jp?.error) return { status: PaymentSessionStatus.ERROR, data }
    return { status: PaymentSessionStatus.PENDING, data }
  }

  /** Whether captureAmount can sell less than the authorized amount. */
  get capturesAmount(): boolean {
    return this.gateway.partialCaptures === true
  }

  // ---- notifications --------------------------------------------------------------------------

  /** Verifies a gateway notification. Used by the plugin's notification route, not by Medusa. */
  receiveNotification(n: IncomingNotification): NotificationResult {
    if (!this.gateway.parseNotification) {
      throw new GatewayError({ code: "UNSUPPORTED", kind: "unsupported", message: `${this.gateway.name} sends no notifications` })
    }
    const parsed = this.gateway.parseNotification(n)
    if (!parsed.event) return { ack: parsed.ack }
    const sessionId = fromOrderCode(parsed.event.orderCode)
    if (!sessionId) return { ack: parsed.ack } // not an order of this plugin: acknowledge and ignore
    return { ack: parsed.ack, event: { ...parsed.event, sessionId, verified: parsed.verified === true } }
  }

  /**
   * Verifies what came back to the return route for a session waiting on a redirect. Used by the
   * plugin's return route; throws GatewayError(invalid) for a return that must be refused.
   */
  receiveReturn(n: IncomingNotification, jp: JpSessionState): ReturnResult {
    if (!this.gateway.parseReturn) {
      throw new GatewayError({ code: "UNSUPPORTED", kind: "unsupported", message: `${this.gateway.name} sends no browser back to this server` })
    }
    return this.gateway.parseReturn(n, { orderCode: jp.order_code, amount: jp.amount, currency: jp.currency, state: jp.redirect_state ?? {} })
  }

  /** The session data with a verified return recorded, or null when one is recorded already. */
  static recordReturn(data: Record<string, unknown>, result: ReturnResult): Record<string, unknown> | null {
    const jp = readSessionState(data)
    if (!jp || jp.attempt !== "redirect" || jp.returned) return null
    const returned = {
      outcome: result.outcome,
      values: result.values,
      threeDS: result.threeDS ?? null,
      error: result.error ?? null,
      at: new Date().toISOString(),
    }
    return { ...data, jp: { ...jp, returned } }
  }

  /**
   * The session data with a verified notification recorded, or null when there is nothing to record:
   * the same notification again, or a session whose payment was not sent without an answer (the
   * synchronous answer is the truth there, and an unsigned notification must not stand in for it).
   */
  static recordNotification(data: Record<string, unknown>, event: NonNullable<NotificationResult["event"]>): Record<string, unknown> | null {
    const jp = readSessionState(data)
    // A signed notification may also wake a session that waits on a redirect (the shopper paid on the
    // gateway's page but never came back); authorizePayment still asks the gateway before believing it.
    const waiting = jp?.attempt === "unknown" || (jp?.attempt === "redirect" && event.verified)
    if (!jp || !waiting) return null
    if (jp.notification?.dedupe_key === event.dedupeKey) return null
    return {
      ...data,
      jp: {
        ...jp,
        notification: {
          dedupe_key: event.dedupeKey,
          succeeded: event.succeeded,
          amount: event.amount,
          charge: event.charge ?? null,
          error: event.error ?? null,
          received_at: new Date().toISOString(),
        },
      },
    }
  }

  /**
   * Medusa's webhook pipeline calls this with what our notification route emitted. The payload is a
   * hint only: authorizePayment decides from the recorded, verified notification, so a forged call to
   * /hooks/payment can at most make Medusa ask authorizePayment again.
   */
  async getWebhookActionAndData(payload: ProviderWebhookPayload["payload"]): Promise<WebhookActionResult> {
    const d = (payload?.data ?? {}) as Record<string, unknown>
    const sessionId = typeof d.session_id === "string" ? d.session_id : ""
    const orderCode = typeof d.order_code === "string" ? d.order_code : ""
    if (!sessionId || fromOrderCode(orderCode) !== sessionId || typeof d.amount !== "number") {
      return { action: PaymentActions.NOT_SUPPORTED }
    }
    const currency = typeof d.currency === "string" ? d.currency : this.gateway.currencies[0]
    return {
      action: d.succeeded === true ? PaymentActions.AUTHORIZED : PaymentActions.FAILED,
      data: { session_id: sessionId, amount: fromMinorUnits(d.amount, currency) },
    }
  }

  // ---- account holders and saved cards ---------------------------------------------------------

  async createAccountHolder(input: CreateAccountHolderInput): Promise<CreateAccountHolderOutput> {
    const existing = accountHolderRef(input.context.account_holder?.data)
    const customers = this.gateway.customers
    const customer = input.context.customer
    const ref = existing ?? (customers ? customers.refFor(customer.id) : customer.id)
    if (customers && !existing) {
      try {
        await customers.create({ ref, email: customer.email ?? undefined, phone: customer.phone ?? undefined })
      } catch (e) {
        // Never block a checkout for this: the gateway customer is made again when a card is saved.
        this.logger.warn(`${this.gateway.name}: could not create gateway customer ${ref}: ${(e as Error).message}`)
      }
    }
    return { id: ref, data: { ref } }
  }

  async retrieveAccountHolder(input: RetrieveAccountHolderInput): Promise<RetrieveAccountHolderOutput> {
    const customers = this.needCustomers()
    const found = await this.call(() => customers.retrieve(input.id))
    if (!found) throw new MedusaError(MedusaError.Types.NOT_FOUND, `${this.gateway.name}: no gateway customer ${input.id}`)
    return { id: found.ref, data: { ref: found.ref } }
  }

  async updateAccountHolder(input: UpdateAccountHolderInput): Promise<UpdateAccountHolderOutput> {
    const customers = this.needCustomers()
    const ref = this.holderRef(input.context.account_holder?.data)
    const customer = input.context.customer
    if (customer) await this.call(() => customers.update({ ref, email: customer.email ?? undefined, phone: customer.phone ?? undefined }))
    return { data: { ref } }
  }

  async deleteAccountHolder(input: DeleteAccountHolderInput): Promise<DeleteAccountHolderOutput> {
    const customers = this.needCustomers()
    const holder = input.context.account_holder
    const ref = accountHolderRef(holder?.data) ?? holder?.external_id
    if (ref) await this.call(() => customers.delete(ref))
    return { data: {} }
  }

  async listPaymentMethods(input: ListPaymentMethodsInput): Promise<ListPaymentMethodsOutput> {
    const customers = this.needCustomers()
    const ref = this.holderRef(input.context?.account_holder?.data)
    const cards = await this.call(() => customers.listCards(ref))
    return cards.map((c) => ({ id: c.id, data: { card: c.card } }))
  }

  async savePaymentMethod(input: SavePaymentMethodInput): Promise<SavePaymentMethodOutput> {
    const customers = this.needCustomers()
    const ref = this.holderRef(input.context?.account_holder?.data)
    const token = input.data?.token
    if (typeof token !== "string" || token.length === 0) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, `${this.gateway.name}: saving a card needs data.token from the gateway's script`)
    }
    const saved = await this.call(() => customers.saveCard(ref, token, this.tokenExtra(input.data ?? {})))
    return { id: saved.id, data: { card: saved.card } }
  }

  async deletePaymentMethod(input: DeletePaymentMethodInput): Promise<DeletePaymentMethodOutput> {
    const customers = this.needCustomers()
    const ref = this.holderRef(input.context?.account_holder?.data)
    await this.call(() => customers.deleteCard(ref, input.data.id))
    return { data: {} }
  }

  // ---- private vocabulary ---------------------------------------------------------------------

  /** Runs a gateway call that may charge, and turns what it says into Medusa's answer. */
  private async attempt(data: Record<string, unknown>, jp: JpSessionState, call: () => Promise<PayResult>): Promise<AuthorizePaymentOutput> {
    try {
      const result = await call()
      if (result.type === "redirect") {
        // A new redirect starts a new wait: what came back for the previous one is spent.
        return {
          status: PaymentSessionStatus.REQUIRES_MORE,
          data: {
            ...(this.gateway.tokenAfterRedirect ? data : this.withoutCard(data)),
            jp: { ...jp, attempt: "redirect", redirect: result.redirect, redirect_state: result.state, returned: null, error: null },
          },
        }
      }
      return this.authorized(jp, result.charge)
    } catch (e) {
      if (e instanceof GatewayError) {
        this.logger.warn(`${this.gateway.name}: authorization of ${jp.order_code} failed: ${e.code} ${e.message}`)
        const unknown = e.kind === "unknown_outcome"
        const next: JpSessionState = { ...jp, attempt: unknown ? "unknown" : "failed" }
        // An unknown outcome stays pending: a status query or the gateway's notification decides later.
        return this.failed(this.withoutCard(data), next, e.code, e.message, e.messageJa, e.kind, unknown ? PaymentSessionStatus.PENDING : undefined)
      }
      throw toMedusaError(this.gateway.name, e)
    }
  }

  /** The cart is completed again after the browser went through 3-D Secure or a hosted page. */
  private async completeRedirect(data: Record<string, unknown>, jp: JpSessionState): Promise<AuthorizePaymentOutput> {
    const returned = jp.returned
    if (returned?.outcome === "failed") {
      const err = returned.error
      const message = err?.message ?? "3-D Secure or the gateway's payment page did not succeed"
      return this.failed(this.withoutCard(data), { ...jp, attempt: "failed" }, err?.code ?? "REDIRECT_FAILED", message, err?.messageJa, "declined")
    }
    const complete = this.gateway.completeRedirect?.bind(this.gateway)
    if (!complete) return this.failed(data, jp, "UNSUPPORTED", `${this.gateway.name} cannot finish a redirected payment`)
    const kept = this.gateway.tokenAfterRedirect && jp.source === "token" ? this.sourceOf(data, jp) : null
    const source: PaymentSource | null = jp.source === "saved" && jp.card_ref ? { type: "saved", cardRef: jp.card_ref } : kept
    return this.attempt(data, jp, () =>
      complete({
        orderCode: jp.order_code,
        amount: jp.amount,
        currency: jp.currency,
        capture: jp.capture,
        payer: payerOf(jp),
        source,
        state: jp.redirect_state ?? {},
        returned: returned ? { outcome: returned.outcome, values: returned.values, threeDS: returned.threeDS, error: returned.error } : null,
        redirect: jp.redirect ?? {},
        notification: hintOf(jp),
        ...this.urlsFor(jp.order_code),
      })
    )
  }

  /** A payment went out without an answer: the gateway's status query says what happened. */
  private async findUnanswered(data: Record<string, unknown>, jp: JpSessionState): Promise<AuthorizePaymentOutput> {
    try {
      const charge = await this.gateway.findCharge!({ orderCode: jp.order_code, amount: jp.amount, currency: jp.currency, state: jp.redirect_state, notification: hintOf(jp) })
      if (charge) return this.authorized(jp, charge)
      return this.failed(
        data,
        { ...jp, attempt: "failed" },
        "NOT_CHARGED",
        `${this.gateway.name} holds no payment for ${jp.order_code}: nothing was charged; enter the card again`,
        undefined,
        "declined"
      )
    } catch (e) {
      if (!(e instanceof GatewayError)) throw toMedusaError(this.gateway.name, e)
      return this.failed(data, jp, e.code, e.message, e.messageJa, "unknown_outcome", PaymentSessionStatus.PENDING)
    }
  }

  private urlsFor(orderCode: string): { returnUrl?: string; notifyUrl?: string } {
    if (!this.backendUrl) return {}
    return { returnUrl: this.backendUrl + RETURN_PATH + orderCode, notifyUrl: this.backendUrl + NOTIFY_BY_ORDER_PATH + orderCode }
  }

  /** The storefront's `return_url`, accepted only on the origin of the `storefrontUrl` option. */
  private returnTo(value: unknown): string | null {
    if (value === undefined || value === null) return null
    const url = typeof value === "string" ? safeUrl(value) : null
    if (!url || !/^https?:$/.test(url.protocol)) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, `${this.gateway.name}: return_url must be an http(s) URL of the storefront`)
    }
    const allowed = this.storefrontUrl ? safeUrl(this.storefrontUrl) : null
    if (!allowed || allowed.origin !== url.origin) {
      throw new MedusaError(
        MedusaError.Types.INVALID_DATA,
        `${this.gateway.name}: return_url must be on the storefront's origin (option storefrontUrl${allowed ? ` = ${allowed.origin}` : " is not set"})`
      )
    }
    return url.toString()
  }

  private minor(amount: InitiatePaymentInput["amount"], currency: string): number {
    return this.wrap(() => toMinorUnits(amount, currency))
  }

  private wrap<T>(f: () => T): T {
    try {
      return f()
    } catch (e) {
      throw toMedusaError(this.gateway.name, e)
    }
  }

  private async call<T>(f: () => Promise<T>): Promise<T> {
    try {
      return await f()
    } catch (e) {
      if (e instanceof GatewayError) this.logger.warn(`${this.gateway.name}: ${e.code} ${e.message}`)
      throw toMedusaError(this.gateway.name, e)
    }
  }

  private needCustomers(): NonNullable<Gateway["customers"]> {
    const customers = this.gateway.customers
    if (!customers) throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `${this.gateway.name} keeps no saved cards`)
    return customers
  }

  private holderRef(data: Record<string, unknown> | undefined): string {
    const ref = accountHolderRef(data)
    if (!ref) throw new MedusaError(MedusaError.Types.INVALID_DATA, `${this.gateway.name}: no account holder for this customer`)
    return ref
  }

  private paymentState(data: Record<string, unknown>, op: string): JpPaymentState {
    const p = readPaymentState(data)
    if (!p) throw new MedusaError(MedusaError.Types.INVALID_DATA, `${this.gateway.name}: cannot ${op}: this payment holds no gateway charge`)
    return p
  }

  private sourceOf(data: Record<string, unknown>, jp: JpSessionState): PaymentSource | null {
    if (jp.source === "saved" && jp.card_ref) return { type: "saved", cardRef: jp.card_ref }
    if (jp.source === "hosted") return { type: "hosted", saveCard: jp.save_card === true }
    if (jp.source === "token" && typeof data.token === "string" && data.token.length > 0) {
      const extra = this.tokenExtra(data)
      return { type: "token", token: data.token, saveCard: jp.save_card === true, ...(extra ? { extra } : {}) }
    }
    return null
  }

  /** The token's companion values (Gateway.tokenFields) present in `data`, if the gateway has any. */
  private tokenExtra(data: Record<string, unknown>): Record<string, string> | undefined {
    const fields = this.gateway.tokenFields
    if (!fields?.length) return undefined
    const extra: Record<string, string> = {}
    for (const f of fields) if (typeof data[f] === "string" && (data[f] as string).length > 0) extra[f] = data[f] as string
    return extra
  }

  /** The session data without the card token and its companions: a token is spent once used. */
  private withoutCard(data: Record<string, unknown>): Record<string, unknown> {
    const out: Record<string, unknown> = { ...data, token: null }
    for (const f of this.gateway.tokenFields ?? []) if (f in out) out[f] = null
    return out
  }

  private authorized(jp: JpSessionState, charge: GatewayCharge): AuthorizePaymentOutput {
    const p: JpPaymentState = {
      v: 1,
      gateway: jp.gateway,
      order_code: jp.order_code,
      currency: jp.currency,
      capture: jp.capture,
      payer: jp.payer,
      state: charge.state,
      reference: charge.reference,
      references: charge.references,
      authorized_amount: charge.amount,
      amount: charge.amount,
      refunded_amount: 0,
      card: charge.card ?? null,
      three_ds: charge.threeDS ?? null,
      saved_card: charge.savedCard ?? null,
      history: charge.operations,
    }
    return { status: statusOf(p), data: { token: null, jp: p } }
  }

  private failed(
    data: Record<string, unknown>,
    jp: JpSessionState | null,
    code: string,
    message: string,
    messageJa?: string,
    kind: string = "invalid",
    status: PaymentSessionStatus = PaymentSessionStatus.ERROR
  ): AuthorizePaymentOutput {
    const error = { code, message, message_ja: messageJa ?? null, kind }
    return { status, data: { ...data, ...(jp ? { jp: { ...jp, error } } : {}) } }
  }
}

function hintOf(jp: JpSessionState): NotificationHint | null {
  const n = jp.notification
  return n ? { succeeded: n.succeeded, charge: n.charge, error: n.error } : null
}

function payerOf(jp: JpSessionState) {
  return { email: jp.payer.email ?? undefined, phone: jp.payer.phone ?? undefined, customerRef: jp.customer_ref ?? undefined }
}

function safeUrl(s: string): URL | null {
  try {
    return new URL(s)
  } catch {
    return null
  }
}

function accountHolderRef(data: Record<string, unknown> | undefined | null): string | null {
  const ref = data?.ref
  return typeof ref === "string" && ref ? ref : null
}

function statusOf(p: JpPaymentState): PaymentSessionStatus {
  switch (p.state) {
    case "authorized":
      return PaymentSessionStatus.AUTHORIZED
    case "canceled":
      return PaymentSessionStatus.CANCELED
    default:
      return PaymentSessionStatus.CAPTURED
  }
}

function toRecord(p: JpPaymentState): ChargeRecord {
  return {
    reference: p.reference,
    references: p.references,
    state: p.state,
    authorizedAmount: p.authorized_amount,
    amount: p.amount,
    refundedAmount: p.refunded_amount,
    orderCode: p.order_code,
    capture: p.capture,
    savedCard: p.saved_card ?? undefined,
  }
}

function merge(p: JpPaymentState, charge: GatewayCharge): JpPaymentState {
  const history: Operation[] = [...p.history, ...charge.operations]
  return {
    ...p,
    state: charge.state,
    reference: charge.reference,
    references: { ...p.references, ...charge.references },
    amount: charge.amount,
    card: charge.card ?? p.card,
    saved_card: charge.savedCard ?? p.saved_card,
    history,
  }
}
