// The Medusa side of every card gateway, written once: the whole provider contract over `Gateway`.
// Each method reads what Medusa hands it, asks the pure state machine (machine.ts) what to do, calls
// the gateway where it must, and turns the result into Medusa's answer. A provider of a gateway is
// this class with the gateway's definition: `class X extends cardProviderFor(definition) {}`.
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
import type { CoreOptions, GatewayDefinition } from "./definition"
import { describeGatewayError, toMedusaError } from "./errors"
import { GatewayError, type Gateway, type GatewayCharge, type IncomingNotification, type Operation, type ParsedNotification, type PayResult, type PaymentSource, type RecordStep, type ReturnResult } from "./gateway"
import type { Logger } from "./http"
import { holderCards } from "./holder-cards"
import { paymentLedger, stepStore, type StepStore } from "./ledger"
import * as machine from "./machine"
import { fromMinorUnits, toMinorUnits } from "./money"
import { parseOptions } from "./options"
import { allowedPaymentMethods, type PaymentMethod, type PaymentMethodsOption } from "./payment-method"
import { readSessionPaymentMethod } from "./session-input"
import { fromOrderCode, toOrderCode } from "./order-code"
import { type JpPaymentState, type JpSessionState, readPaymentState, readSessionState } from "./state"
import { warnSplitDeployment } from "./deployment"
import { cardFields, cardValues, seal, SEAL_KEY_MIN, sealKeyOf, unseal } from "./seal"

export type { JpPaymentState, JpSessionState }

/** What a notification route gets back from the provider. */
export interface NotificationResult {
  ack: ParsedNotification["ack"]
  event?: NonNullable<ParsedNotification["event"]> & { sessionId: string; verified: boolean }
}

/** The plugin's own routes, under the Medusa server's public origin (`backendUrl`). */
export const RETURN_PATH = "/jp-payments/return/"
export const NOTIFY_BY_ORDER_PATH = "/jp-payments/notify/"

/** Checks a gateway's options as Medusa boots (a provider's static validateOptions). */
export function validateOptionsOf(def: GatewayDefinition<any>, raw: Record<string, unknown>): void {
  try {
    parseOptions(def, raw)
  } catch (e) {
    throw new MedusaError(MedusaError.Types.INVALID_DATA, (e as Error).message)
  }
}

/** A provider class Medusa can register: what cardProviderFor makes of a definition. */
export interface CardProviderClass<O extends object> {
  new (cradle: Record<string, unknown>, options: Record<string, unknown>): CardProvider<O>
  identifier: string
  validateOptions(options: Record<string, unknown>): void
}

/** The provider of one gateway: its identifier is the definition's name, its options the definition's schema. */
export function cardProviderFor<O extends object>(def: GatewayDefinition<O>): CardProviderClass<O> {
  return class extends CardProvider<O> {
    static identifier = def.name

    static validateOptions(options: Record<string, unknown>): void {
      validateOptionsOf(def, options)
    }

    constructor(cradle: Record<string, unknown>, options: Record<string, unknown>) {
      super(cradle, options, def)
    }
  }
}

export abstract class CardProvider<TOptions extends object = Record<string, unknown>> extends AbstractPaymentProvider<TOptions> {
  readonly definition: GatewayDefinition<TOptions>
  /** The merchant's options as the gateway's schema parsed them. */
  readonly options: TOptions & CoreOptions
  protected readonly gateway: Gateway
  protected readonly logger: Logger
  /** Public origin of the Medusa server (option `backendUrl`): the base of the return and notification URLs. */
  readonly backendUrl?: string
  /** Where the shopper goes after a redirect (option `storefrontUrl`); a session's `return_url` must share its origin. */
  readonly storefrontUrl?: string
  /** Where a step of a multi-step operation is written before the next (Medusa's payment records). */
  private readonly steps?: StepStore
  private warnedNoStepStore = false
  /** 支払方法 a shopper may choose: what the option `paymentMethods` allows of what the gateway documents, 一括 first. */
  readonly paymentMethods: PaymentMethod[]
  /** The key the card token is sealed with until authorization (seal.ts); null outside Medusa without `sealKey`. */
  private readonly cardKey: Buffer | null
  /** The keys a seal is opened with: `cardKey` first, then those of `previousSealKeys` (a rotation under way). */
  private readonly openKeys: Buffer[]

  protected constructor(cradle: Record<string, unknown>, options: Record<string, unknown>, definition: GatewayDefinition<TOptions>) {
    super(cradle, options as TOptions)
    this.definition = definition
    this.logger = (cradle.logger as Logger | undefined) ?? console
    this.options = parseOptions(definition, options)
    this.gateway = definition.create(this.options, { logger: this.logger, payments: paymentLedger(cradle, definition.name), cards: holderCards(cradle, definition.name) })
    if (typeof this.options.backendUrl === "string") this.backendUrl = this.options.backendUrl.replace(/\/+$/, "")
    if (typeof this.options.storefrontUrl === "string") this.storefrontUrl = this.options.storefrontUrl
    this.steps = stepStore(cradle, definition.name)
    this.paymentMethods = allowedPaymentMethods((this.options as { paymentMethods?: PaymentMethodsOption }).paymentMethods, definition.paymentMethods)
    const secret = this.options.sealKey ?? medusaCookieSecret(cradle)
    this.cardKey = secret ? sealKeyOf(secret, definition.name) : null
    const previous = this.options.previousSealKeys ?? []
    this.openKeys = [this.cardKey, ...previous.map((k) => sealKeyOf(k, definition.name))].filter((k, i, all): k is Buffer => !!k && all.findIndex((o) => o?.equals(k)) === i)
    // the index only, never the key; an old cookieSecret may be short (options.ts)
    const short = previous.flatMap((k, i) => (k.length < SEAL_KEY_MIN ? [`previousSealKeys.${i}`] : []))
    if (short.length > 0) {
      this.logger.warn(
        `${definition.name}: ${short.join(", ")} ${short.length > 1 ? "are" : "is"} shorter than ${SEAL_KEY_MIN} characters: taken (an old http.cookieSecret has no minimum) to open seals made before the rotation only; remove it once those checkouts are over`
      )
    }
    warnSplitDeployment(this.logger)
  }

  /** Whether a capture, refund or cancel whose answer was lost can be settled by asking the gateway. */
  canAsk(op: "capture" | "refund" | "cancel"): boolean {
    return typeof this.gateway.retrieve === "function" && !this.gateway.retrieveBlindTo?.includes(op)
  }

  /** Whether a payment sent without an answer can be looked up at the gateway (reconciliation asks it). */
  get findsCharges(): boolean {
    return typeof this.gateway.findCharge === "function"
  }

  /** Whether captureAmount can sell less than the authorized amount. */
  get capturesAmount(): boolean {
    return this.definition.capabilities.partialCapture
  }

  // ---- payment sessions -----------------------------------------------------------------------

  async initiatePayment(input: InitiatePaymentInput): Promise<InitiatePaymentOutput> {
    const def = this.definition
    const currency = input.currency_code.toLowerCase()
    if (!def.currencies.includes(currency)) {
      throw new MedusaError(
        MedusaError.Types.INVALID_DATA,
        `${def.name} takes payments in ${def.currencies.map((c) => c.toUpperCase()).join(", ")} only; this cart is in ${currency.toUpperCase()}`
      )
    }
    const amount = this.minor(input.amount, currency)
    if (amount <= 0) throw new MedusaError(MedusaError.Types.INVALID_DATA, `${def.name}: nothing to pay (amount ${amount})`)
    const data = this.openIncoming(input.data ?? {})
    const sessionId = String(data.session_id ?? input.context?.idempotency_key ?? "")
    const orderCode = this.wrap(() => toOrderCode(sessionId))
    const parsed = { ...this.wrap(() => this.gateway.parseSessionInput(data)), paymentMethod: this.paymentMethodOf(data) }
    const returnTo = this.returnTo(data.return_url)
    const customerRef = accountHolderRef(input.context?.account_holder?.data)
    const refusal = machine.sourceRefusal(parsed.source, customerRef)
    if (refusal) throw new MedusaError(MedusaError.Types.INVALID_DATA, `${def.name}: ${refusal}`)
    // Another customer's card id (or one that never was) is refused here, before any payment call.
    if (parsed.source?.type === "saved" && customerRef) await this.ownCard(customerRef, parsed.source.cardRef, MedusaError.Types.INVALID_DATA)
    const customer = input.context?.customer
    const payer = {
      email: customer?.email ?? parsed.email ?? null,
      phone: customer?.phone ?? parsed.phone ?? null,
      ip: parsed.customerIp ?? null,
      billing: parsed.billingAddress ?? null,
      shipping: parsed.shippingAddress ?? null,
    }
    const jp = machine.openSession({
      gateway: def.name,
      orderCode,
      amount,
      currency,
      capture: this.gateway.captureOnAuthorize,
      source: parsed.source,
      customerRef,
      payer,
      browser: this.browserConfig(orderCode, amount, currency, customerRef, payer),
      returnTo,
      retryOf: parsed.retryOf,
      paymentMethods: this.paymentMethods,
      ...(data.payment_method != null ? { paymentMethod: parsed.paymentMethod } : {}),
    })
    const started = await this.start(data, jp)
    // Medusa stores what the storefront sent with this merged over it: each card field the storefront
    // sent goes back null (its value sealed under jp), so the token itself is never written.
    const sealed = this.sealCard({ ...data, ...started.data })
    const out: Record<string, unknown> = { jp: sealed.jp }
    for (const f of cardFields(def.tokenFields)) if (f in sealed) out[f] = sealed[f]
    if (input.data && INCOMING in input.data) out[INCOMING] = null
    return { id: orderCode, status: started.status as PaymentSessionStatus, data: out }
  }

  /**
   * 3-D Secure (or the gateway's page) starts as the session is made with the card, so the shopper
   * is back before the one cart completion. A refusal fails the session's creation with the gateway's
   * reason: nothing was authorized, and the cart stays payable with another card.
   */
  private async start(data: Record<string, unknown>, jp: JpSessionState): Promise<machine.Outcome> {
    const def = this.definition
    const startRedirect = this.gateway.startRedirect?.bind(this.gateway)
    const source = startRedirect ? machine.startableSource(data, jp, def.tokenFields) : null
    if (!startRedirect || !source) return { status: "pending", data: { jp } }
    let result
    try {
      result = await startRedirect(this.payRequest(jp, source))
    } catch (e) {
      if (!(e instanceof GatewayError)) throw toMedusaError(def.name, e)
      this.logger.warn(`${def.name}: 3-D Secure start for ${jp.order_code} refused: ${e.code} ${e.message}`)
      // Nothing was authorized: whatever the cause, the storefront's next step is a new session (400).
      throw new MedusaError(MedusaError.Types.NOT_ALLOWED, describeGatewayError(def.name, e), e.code)
    }
    const outcome = machine.afterStart({ ...data, jp }, jp, result, def)
    // Only what this provider owns goes back: Medusa merges it over what the storefront sent.
    const out: Record<string, unknown> = { jp: outcome.data.jp }
    for (const f of ["token", ...def.tokenFields]) if (f in outcome.data && outcome.data[f] !== data[f]) out[f] = outcome.data[f]
    return { status: outcome.status, data: out }
  }

  async updatePayment(input: UpdatePaymentInput): Promise<UpdatePaymentOutput> {
    const data = input.data ?? {}
    const jp = readSessionState(data)
    if (!jp) return { data }
    const amount = this.minor(input.amount, input.currency_code.toLowerCase())
    const browser = this.browserConfig(jp.order_code, amount, jp.currency, jp.customer_ref, jp.payer)
    return { data: this.sealCard(machine.afterAmountChange(data, jp, amount, browser)) }
  }

  async authorizePayment(input: AuthorizePaymentInput): Promise<AuthorizePaymentOutput> {
    // Medusa never calls this again once a session is authorized, so `data` is always session state.
    const stored = input.data ?? {}
    const jp = readSessionState(stored)
    if (!jp) return medusa(machine.failure(stored, null, { code: "NO_SESSION", message: "this payment session was not created by this provider", kind: "invalid" }))
    const opened = this.openCard(stored, jp)
    // A seal that does not open fails the session with no gateway call, unless the next step needs no
    // card (a recorded step to finish, a lost answer to look up): those go on without it.
    if ("failure" in opened && !jp.recorded && jp.attempt !== "unknown") {
      this.logger.warn(`${this.definition.name}: authorization of ${jp.order_code} refused: ${opened.failure.message}`)
      return medusa(machine.failure(stored, jp, opened.failure))
    }
    // Opened, the seal is spent: whatever card value is still needed afterwards (a gateway that takes
    // the token again after 3-D Secure) is sealed again from the clear values the step leaves.
    const out = "data" in opened ? await this.authorizeOpen(opened.data, readSessionState(opened.data)!) : await this.authorizeOpen(stored, jp)
    return { ...out, data: this.sealCard(out.data ?? {}) }
  }

  /** Authorization of a session whose card values are in the clear (opened from their seal). */
  private async authorizeOpen(data: Record<string, unknown>, jp: JpSessionState): Promise<AuthorizePaymentOutput> {
    const def = this.definition
    const g = this.gateway
    const step = machine.nextAuthorizeStep(data, jp, { name: def.name, findsCharges: typeof g.findCharge === "function", tokenFields: def.tokenFields })
    switch (step.do) {
      case "answer":
        return medusa(step.outcome)
      case "complete_redirect":
        return this.completeRedirect(data, jp)
      case "find_charge":
        return this.findUnanswered(data, jp)
      case "finish_recorded":
        return this.attempt(data, jp, async () => ({
          type: "charge",
          charge: step.capture ? await g.capture(machine.chargeRecordOf(step.charge, jp)) : { ...step.charge, operations: [] },
        }))
      case "pay":
        return this.attempt(data, jp, (record) => g.pay({ ...this.payRequest(jp, step.source), record }))
    }
  }

  async capturePayment(input: CapturePaymentInput): Promise<CapturePaymentOutput> {
    const data = input.data ?? {}
    const p = this.paymentState(data, "capture")
    const settled = await this.settlePending(data, p, "capture", p.amount)
    if (settled) return { data: settled }
    const step = machine.captureStep(p)
    if (step.do === "nothing") return { data }
    if (step.do === "refuse") throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `${this.definition.name}: ${step.reason}`)
    return {
      data: await this.guarded(data, p, "capture", p.amount, async (run) => {
        const charge = await this.gateway.capture(machine.chargeRecord(run.current()), undefined, run.record)
        return { ...data, jp: { ...machine.mergeCharge(run.current(), charge), resume: null, pending: null } }
      }),
    }
  }

  /**
   * A sale of less than the authorized amount (whole minor units), for the plugin's admin capture
   * route: Medusa's own capturePayment carries no amount. Returns the payment data to store.
   */
  async captureAmount(data: Record<string, unknown>, amount: number): Promise<Record<string, unknown>> {
    const p = this.paymentState(data, "capture")
    const settled = await this.settlePending(data, p, "capture", amount)
    if (settled) return settled
    this.refuse(machine.captureAmountRefusal(p, amount))
    return this.guarded(data, p, "capture", amount, async (run) => {
      // After a recorded step (PAYGENT's 028) the gateway holds `amount` already: only the sale is left.
      const charge = await this.gateway.capture(machine.chargeRecord(run.current()), amount < p.amount ? amount : undefined, run.record)
      return { ...data, jp: { ...machine.mergeCharge(run.current(), charge), sold_amount: charge.amount, resume: null, pending: null } }
    })
  }

  async cancelPayment(input: CancelPaymentInput): Promise<CancelPaymentOutput> {
    const data = input.data ?? {}
    const p = readPaymentState(data)
    if (!p) return { data } // nothing was charged (compensation before authorization)
    const settled = await this.settlePending(data, p, "cancel", p.amount)
    if (settled) return { data: settled }
    if (p.state === "canceled" || p.state === "refunded") return { data }
    return {
      data: await this.guarded(data, p, "cancel", p.amount, async (run) => {
        const charge = await this.gateway.cancel(machine.chargeRecord(run.current()))
        return { ...data, jp: { ...machine.mergeCharge(run.current(), charge), pending: null } }
      }),
    }
  }

  async refundPayment(input: RefundPaymentInput): Promise<RefundPaymentOutput> {
    const data = input.data ?? {}
    const p = this.paymentState(data, "refund")
    const amount = this.minor(input.amount, p.currency)
    const settled = await this.settlePending(data, p, "refund", amount)
    if (settled) return { data: settled }
    this.refuse(machine.refundRefusal(p, amount))
    const payer = { email: p.payer?.email ?? undefined, phone: p.payer?.phone ?? undefined }
    return {
      data: await this.guarded(data, p, "refund", amount, async (run) => {
        const charge = await this.gateway.refund(machine.chargeRecord(run.current()), amount, payer, run.record)
        return { ...data, jp: { ...machine.afterRefund(run.current(), charge, amount), resume: null, pending: null } }
      }),
    }
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
    const charge = await this.call(() => retrieve(machine.chargeRecord(p)))
    return { data: { ...data, jp: machine.mergeCharge(p, charge) } }
  }

  async getPaymentStatus(input: GetPaymentStatusInput): Promise<GetPaymentStatusOutput> {
    const data = input.data ?? {}
    return { status: machine.statusOfData(data) as PaymentSessionStatus, data }
  }

  // ---- notifications and returns --------------------------------------------------------------

  /** Verifies a gateway notification. Used by the plugin's notification route, not by Medusa. */
  receiveNotification(n: IncomingNotification): NotificationResult {
    if (!this.gateway.parseNotification) {
      throw new GatewayError({ code: "UNSUPPORTED", kind: "unsupported", message: `${this.definition.name} sends no notifications` })
    }
    const source = this.notificationSource(n)
    const parsed = this.gateway.parseNotification({ ...n, remoteAddress: source })
    if (!parsed.event) return { ack: parsed.ack }
    const sessionId = fromOrderCode(parsed.event.orderCode)
    if (!sessionId) return { ack: parsed.ack } // not an order of this plugin: acknowledge and ignore
    return { ack: parsed.ack, event: { ...parsed.event, sessionId, verified: parsed.verified === true } }
  }

  /**
   * The address a gateway's call came from, checked against notificationIps: every route a gateway
   * calls (notifications, 請求管理ロボ's webhook) goes through here. Throws GatewayError FORBIDDEN_SOURCE.
   */
  notificationSource(n: Pick<IncomingNotification, "remoteAddress" | "peerAddress">): string | undefined {
    // X-Forwarded-For is believed only when the shop says a proxy writes it (option trustProxy).
    const source = this.options.trustProxy ? n.remoteAddress : (n.peerAddress ?? n.remoteAddress)
    const allowed = this.options.notificationIps
    if (allowed?.length && !allowed.map(plainIp).includes(plainIp(source))) {
      throw new GatewayError({ code: "FORBIDDEN_SOURCE", kind: "invalid", message: `notification from ${source ?? "an unknown address"} is not in notificationIps` })
    }
    return source
  }

  /**
   * Verifies what came back to the return route for a session waiting on a redirect. Used by the
   * plugin's return route; throws GatewayError(invalid) for a return that must be refused.
   */
  receiveReturn(n: IncomingNotification, jp: JpSessionState): ReturnResult {
    if (!this.gateway.parseReturn) {
      throw new GatewayError({ code: "UNSUPPORTED", kind: "unsupported", message: `${this.definition.name} sends no browser back to this server` })
    }
    return this.gateway.parseReturn(n, { orderCode: jp.order_code, amount: jp.redirect_amount ?? jp.amount, currency: jp.currency, state: jp.redirect_state ?? {} })
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
    const currency = typeof d.currency === "string" ? d.currency : this.definition.currencies[0]
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
        this.logger.warn(`${this.definition.name}: could not create gateway customer ${ref}: ${(e as Error).message}`)
      }
    }
    return { id: ref, data: { ref } }
  }

  async retrieveAccountHolder(input: RetrieveAccountHolderInput): Promise<RetrieveAccountHolderOutput> {
    const customers = this.needCustomers()
    const found = await this.call(() => customers.retrieve(input.id))
    if (!found) throw new MedusaError(MedusaError.Types.NOT_FOUND, `${this.definition.name}: no gateway customer ${input.id}`)
    return { id: found.ref, data: { ref: found.ref } }
  }

  async updateAccountHolder(input: UpdateAccountHolderInput): Promise<UpdateAccountHolderOutput> {
    const customers = this.needCustomers()
    const ref = this.holderRef(input.context.account_holder?.data)
    const customer = input.context.customer
    if (customer) await this.call(() => customers.update({ ref, email: customer.email ?? undefined, phone: customer.phone ?? undefined }))
    // Medusa replaces the holder's data with what this returns: keep what the plugin stored there (card ids).
    return { data: { ...input.context.account_holder?.data, ref } }
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
    const data = input.data ?? {}
    const token = data.token
    if (typeof token !== "string" || token.length === 0) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, `${this.definition.name}: saving a card needs data.token from the gateway's script`)
    }
    const saved = await this.call(() => customers.saveCard(ref, token, machine.tokenExtra(data, this.definition.tokenFields)))
    return { id: saved.id, data: { card: saved.card } }
  }

  async deletePaymentMethod(input: DeletePaymentMethodInput): Promise<DeletePaymentMethodOutput> {
    const customers = this.needCustomers()
    const ref = this.holderRef(input.context?.account_holder?.data)
    await this.ownCard(ref, input.data.id, MedusaError.Types.NOT_FOUND)
    await this.call(() => customers.deleteCard(ref, input.data.id))
    return { data: {} }
  }

  /**
   * Throws unless `cardId` is one of the gateway customer's saved cards (a lookup, never a payment).
   * A gateway that does not know the customer has no card of theirs.
   */
  private async ownCard(customerRef: string, cardId: string, type: typeof MedusaError.Types.INVALID_DATA | typeof MedusaError.Types.NOT_FOUND): Promise<void> {
    const customers = this.gateway.customers
    if (!customers) return
    let cards: Array<{ id: string }>
    try {
      cards = await customers.listCards(customerRef)
    } catch (e) {
      if (!(e instanceof GatewayError) || e.kind !== "invalid") throw toMedusaError(this.definition.name, e)
      cards = []
    }
    if (!cards.some((c) => c.id === cardId)) {
      throw new MedusaError(type, `${this.definition.name}: payment_method_id ${cardId} is not one of this customer's saved cards`)
    }
  }

  // ---- private vocabulary ---------------------------------------------------------------------

  /**
   * Runs a gateway call that may charge, and turns what it says into Medusa's answer. A step the
   * gateway records (SBPS: 与信 committed before 売上) is written to the session at once and kept
   * there when a later step fails: the next authorization finishes it instead of paying again.
   */
  private async attempt(data: Record<string, unknown>, jp: JpSessionState, call: (record: RecordStep) => Promise<PayResult>): Promise<AuthorizePaymentOutput> {
    const def = this.definition
    let cur = jp
    const record: RecordStep = async (charge) => {
      cur = { ...cur, recorded: charge }
      if (!this.steps) return this.noStepStore(`a step of the authorization of ${jp.order_code}`)
      await this.steps.session(fromOrderCode(jp.order_code) ?? "", this.sealCard({ ...machine.withoutCard(data, def.tokenFields), jp: cur }))
    }
    try {
      return medusa(machine.afterPay(data, cur, machine.withRecorded(cur, await call(record)), def))
    } catch (e) {
      if (!(e instanceof GatewayError)) throw toMedusaError(def.name, e)
      this.logger.warn(`${def.name}: authorization of ${jp.order_code} failed: ${e.code} ${e.message}`)
      return medusa(machine.afterPayError(data, cur, failureOf(e), def.tokenFields))
    }
  }

  /**
   * Sends a capture, refund or cancel with a `pending` mark written to Medusa's payment first. An
   * answer clears it (Medusa stores what this returns); a refusal or an unsent call clears it here; a
   * lost answer keeps it and, where the gateway can be asked, asks at once whether the operation was done.
   */
  private async guarded(
    data: Record<string, unknown>,
    p: JpPaymentState,
    op: Pending["op"],
    amount: number,
    send: (run: { current: () => JpPaymentState; record: RecordStep }) => Promise<Record<string, unknown>>
  ): Promise<Record<string, unknown>> {
    const def = this.definition
    const markedJp: JpPaymentState = { ...p, pending: { op, amount, at: new Date().toISOString(), from: p.state, held: p.amount } }
    // steps the gateway records (stepRun) carry the mark with them
    const run = this.stepRun(data, markedJp, op === "cancel" ? "refund" : op, amount)
    if (this.steps) await this.steps.payment(p.order_code, { ...data, jp: markedJp })
    try {
      return await send(run)
    } catch (e) {
      const marked = { ...data, jp: run.current() }
      const lost = e instanceof GatewayError && e.kind === "unknown_outcome"
      if (!lost && p.pending && e instanceof GatewayError && e.kind === "invalid") {
        // sent again because the status query showed nothing done, and now refused: the lost one most likely was
        throw new MedusaError(
          MedusaError.Types.NOT_ALLOWED,
          `${describeGatewayError(def.name, e)}; an earlier ${op} of ${amount} on ${p.order_code} went out without an answer and was most likely done: ` +
            `check the payment in the gateway's control panel before trying again`,
          e.code
        )
      }
      if (!lost) {
        // a refusal or a call that never left: nothing happened, the mark goes
        if (this.steps) await this.steps.payment(p.order_code, { ...data, jp: { ...run.current(), pending: null } }).catch(() => undefined)
        if (e instanceof GatewayError) this.logger.warn(`${def.name}: ${e.code} ${e.message}`)
        throw toMedusaError(def.name, e)
      }
      this.logger.warn(`${def.name}: ${op} of ${amount} on ${p.order_code} sent without an answer: ${(e as GatewayError).code} ${(e as Error).message}`)
      const asked = await this.askPending(marked, readPaymentState(marked)!)
      if (asked.verdict === "done") return asked.data
      throw toMedusaError(def.name, e)
    }
  }

  /**
   * A retry of an operation whose last answer was lost. Returns the payment data when the gateway
   * says the operation was done, or the merchant confirmed it done from the gateway's control panel
   * (nothing is sent again); null when the gateway says it was not (the caller sends it); throws when
   * nobody can tell — the merchant checks the gateway's control panel.
   */
  private async settlePending(data: Record<string, unknown>, p: JpPaymentState, op: Pending["op"], amount: number): Promise<Record<string, unknown> | null> {
    const pending = p.pending
    if (!pending) return null
    const def = this.definition
    const refused = machine.confirmedRefusal(p, op, amount)
    if (refused) throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `${def.name}: ${refused}`, "PENDING_CONFIRMED_OTHER")
    if (pending.confirmed) {
      // A status query that can see the operation is read first (it sends nothing): its answer carries
      // what the gateway holds now (a new reference), and it must not contradict the merchant.
      const asked = await this.askPending(data, p)
      if (asked.verdict === "done") return asked.data
      if (asked.verdict === "not_done") {
        throw new MedusaError(
          MedusaError.Types.NOT_ALLOWED,
          `${def.name}: the ${pending.op} of ${pending.amount} on ${p.order_code} was confirmed done at the gateway, but the gateway's status query shows the payment ` +
            `as it was before (${p.state}, ${p.amount}): nothing is recorded and nothing is sent — look at the payment again; if it was not done, clear the mark ("not done at the gateway") and try again`,
          "PENDING_CONFIRMED_CONTRADICTED"
        )
      }
      // The merchant's word stands for the lost answer: recorded as the gateway's answer would be, not sent.
      this.logger.info(
        `${def.name}: the ${op} of ${amount} on ${p.order_code} recorded as done at the gateway on the merchant's word ` +
          `(confirmed by ${pending.confirmed.by ?? "an admin"} at ${pending.confirmed.at}): not sent again`
      )
      return { ...data, jp: machine.confirmedDone(p, new Date().toISOString()) }
    }
    const what = `a ${pending.op} of ${pending.amount} on ${p.order_code} was sent to ${def.name} at ${pending.at} and its answer was lost`
    if (pending.op !== op || pending.amount !== amount) {
      throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `${def.name}: ${what}: retry that ${pending.op} (same amount) first, or check the payment in the gateway's control panel`)
    }
    const asked = await this.askPending(data, p)
    if (asked.verdict === "done") return asked.data
    if (asked.verdict === "not_done") return null
    // A step was recorded (p.resume): the retry sends only the step left on the recorded reference —
    // a sale or cancel of that one payment, which the gateway refuses a second time by itself.
    if (p.resume && p.resume.op === op && p.resume.amount === amount) return null
    throw new MedusaError(
      MedusaError.Types.NOT_ALLOWED,
      `${def.name}: ${what}, and ${this.unaskable(pending.op)}: ` +
        `it is not sent again — check the payment in the gateway's control panel before trying again ` +
        `(then, in the admin's "card payments that need you": "done at the gateway" and repeat this ${pending.op} to record it, or "not done" to send it again)`,
      "PENDING_UNKNOWN"
    )
  }

  /** Why the gateway cannot tell whether a lost `op` was done (for the merchant's error). */
  private unaskable(op: Pending["op"]): string {
    if (!this.gateway.retrieve) return "the gateway has no status query"
    if (this.gateway.retrieveBlindTo?.includes(op)) return `the gateway's status query reports only the transaction it is asked about, not a ${op} made on it`
    return "the gateway's status query cannot tell whether it was done"
  }

  /** Asks the gateway (its status query) whether the pending operation was done. */
  private async askPending(data: Record<string, unknown>, p: JpPaymentState): Promise<{ verdict: "done"; data: Record<string, unknown> } | { verdict: "not_done" | "unknown" }> {
    const pending = p.pending
    const retrieve = this.gateway.retrieve?.bind(this.gateway)
    if (!pending || !retrieve) return { verdict: "unknown" }
    // a status query that cannot see this operation: an unchanged answer would prove nothing
    if (this.gateway.retrieveBlindTo?.includes(pending.op)) return { verdict: "unknown" }
    let now: GatewayCharge
    try {
      now = await retrieve(machine.chargeRecord(p))
    } catch (e) {
      this.logger.warn(`${this.definition.name}: status query for ${p.order_code} failed: ${(e as Error).message}`)
      return { verdict: "unknown" }
    }
    const verdict = machine.pendingVerdict(p, pending, now)
    if (verdict !== "done") return { verdict }
    // A status query that does not carry the amount (SBPS MG01) answers the old one: a proven refund took its amount off.
    const amount = pending.op === "refund" && now.amount >= p.amount ? Math.max(0, p.amount - pending.amount) : now.amount
    const at = new Date().toISOString()
    const operations: Operation[] = [{ op: pending.op, reference: p.reference, amount: pending.amount, at }]
    // a payment the operation replaced (PAYGENT 028/029): the new one holds what is left
    if (now.reference !== p.reference && amount > 0) operations.push({ op: "recharge", reference: now.reference, amount, at })
    const done = { ...now, amount, operations }
    const jp =
      pending.op === "refund"
        ? machine.afterRefund(p, done, pending.amount)
        : pending.op === "capture"
          ? { ...machine.mergeCharge(p, done), sold_amount: amount }
          : machine.mergeCharge(p, done)
    this.logger.info(`${this.definition.name}: the ${pending.op} of ${pending.amount} on ${p.order_code} was done at the gateway (its answer was lost): recorded, not sent again`)
    return { verdict: "done", data: { ...data, jp: { ...jp, pending: null, resume: null } } }
  }

  /**
   * A payment operation whose steps the gateway records: `record` merges a step into the payment and
   * writes it to Medusa's payment before the gateway goes on; `current` is the payment after the last one.
   */
  private stepRun(data: Record<string, unknown>, p: JpPaymentState, op: "capture" | "refund", amount: number): { current: () => JpPaymentState; record: RecordStep } {
    let cur = p
    const record: RecordStep = async (charge: GatewayCharge, resume?: Record<string, string>) => {
      cur = { ...machine.mergeCharge(cur, charge), resume: { op, amount, values: resume ?? {} } }
      if (!this.steps) return this.noStepStore(`a step of ${op} on ${p.order_code}`)
      await this.steps.payment(p.order_code, { ...data, jp: cur })
    }
    return { current: () => cur, record }
  }

  /**
   * A recorded step with no store to write it to (a provider built outside Medusa's payment module):
   * kept in memory only. Said once per provider, not at every step, so a log is not flooded.
   */
  private noStepStore(what: string): void {
    if (this.warnedNoStepStore) return
    this.warnedNoStepStore = true
    this.logger.warn(`${this.definition.name}: no payment store in the container: ${what} (and any later step) is kept in memory only`)
  }

  /**
   * Session `data` with its card values (token and companions) sealed under `jp.card_seal` and null in
   * their own fields: what Medusa stores. Data with no clear card value keeps the seal it has.
   */
  private sealCard(data: Record<string, unknown>): Record<string, unknown> {
    const jp = readSessionState(data)
    if (!jp) return data
    const fields = cardFields(this.definition.tokenFields)
    const values = cardValues(data, fields)
    const out: Record<string, unknown> = { ...data }
    for (const f of fields) if (f in out) out[f] = null
    if (Object.keys(values).length === 0) return out
    if (!this.cardKey) {
      throw new MedusaError(
        MedusaError.Types.UNEXPECTED_STATE,
        `${this.definition.name}: no key to seal the card token with: set the provider option sealKey (a secret of ${SEAL_KEY_MIN}+ characters, the same in every process); ` +
          `outside a Medusa app there is no http.cookieSecret to derive it from`
      )
    }
    return { ...out, jp: { ...jp, card_seal: seal(values, this.cardKey, this.sealContext(jp)) } }
  }

  /**
   * The storefront's session data as the store route hands it to Medusa (payer-from-cart): the card
   * values sealed under `card_seal_in`. Medusa writes a new session's data once before it asks the
   * provider, so the token is not in the clear even there. Without a key it is left as it is
   * (initiatePayment then refuses it, naming the option).
   */
  sealIncoming(data: Record<string, unknown>): Record<string, unknown> {
    const fields = cardFields(this.definition.tokenFields)
    const values = cardValues(data, fields)
    if (!this.cardKey || Object.keys(values).length === 0) return data
    const out: Record<string, unknown> = { ...data, [INCOMING]: seal(values, this.cardKey, `${this.definition.name}:${INCOMING}`) }
    for (const f of Object.keys(values)) delete out[f]
    return out
  }

  /** What sealIncoming sealed, back in its fields; a value that does not open is refused before anything else. */
  private openIncoming(data: Record<string, unknown>): Record<string, unknown> {
    if (!(INCOMING in data)) return data
    const { [INCOMING]: sealed, ...rest } = data
    if (sealed == null) return rest
    try {
      if (this.openKeys.length === 0) throw new Error("this provider has no sealKey")
      return { ...rest, ...unseal(sealed, this.openKeys, `${this.definition.name}:${INCOMING}`) }
    } catch (e) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, `${this.definition.name}: data.${INCOMING} cannot be used (${(e as Error).message}): it is set by the server; send the card token itself`)
    }
  }

  /** The session data with its sealed card values back in their fields (and the seal spent), or why they cannot be. */
  private openCard(data: Record<string, unknown>, jp: JpSessionState): { data: Record<string, unknown> } | { failure: machine.Failure } {
    if (jp.card_seal == null) return { data }
    const fail = (why: string): { failure: machine.Failure } => ({
      failure: {
        code: "CARD_SEAL_INVALID",
        message: `the card token sealed in this session cannot be used (${why}): nothing was sent to the gateway; check that every process has the same sealKey (or Medusa http.cookieSecret) and, after a change of key, the old one in previousSealKeys, then create the payment session again with the card`,
        kind: "invalid",
      },
    })
    if (this.openKeys.length === 0) return fail("this provider has no sealKey")
    try {
      return { data: { ...data, ...unseal(jp.card_seal, this.openKeys, this.sealContext(jp)), jp: { ...jp, card_seal: null } } }
    } catch (e) {
      return fail((e as Error).message)
    }
  }

  /** What a seal is bound to: this gateway's session (a copy moved to another session does not open). */
  private sealContext(jp: JpSessionState): string {
    return `${this.definition.name}:${jp.order_code}`
  }

  /** The cart is completed again after the browser went through 3-D Secure or a hosted page. */
  private async completeRedirect(data: Record<string, unknown>, jp: JpSessionState): Promise<AuthorizePaymentOutput> {
    const step = machine.redirectStep(data, jp, this.definition)
    if ("answer" in step) return medusa(step.answer)
    const complete = this.gateway.completeRedirect?.bind(this.gateway)
    if (!complete) {
      return medusa(machine.failure(data, jp, { code: "UNSUPPORTED", message: `${this.definition.name} cannot finish a redirected payment`, kind: "unsupported" }))
    }
    const returned = jp.returned
    return this.attempt(data, jp, () =>
      complete({
        orderCode: jp.order_code,
        amount: jp.amount,
        currency: jp.currency,
        capture: jp.capture,
        payer: machine.payerOf(jp),
        paymentMethod: machine.paymentMethodOf(jp),
        source: step.source,
        state: jp.redirect_state ?? {},
        returned: returned ? { outcome: returned.outcome, values: returned.values, threeDS: returned.threeDS, error: returned.error } : null,
        redirect: jp.redirect ?? {},
        notification: machine.hintOf(jp),
        ...this.urlsFor(jp.order_code),
      })
    )
  }

  /** A payment went out without an answer: the gateway's status query says what happened. */
  private async findUnanswered(data: Record<string, unknown>, jp: JpSessionState): Promise<AuthorizePaymentOutput> {
    try {
      const charge = await this.gateway.findCharge!({ orderCode: jp.order_code, amount: jp.amount, currency: jp.currency, state: jp.redirect_state, notification: machine.hintOf(jp) })
      return medusa(machine.afterFindCharge(data, jp, charge, this.definition.name))
    } catch (e) {
      if (!(e instanceof GatewayError)) throw toMedusaError(this.definition.name, e)
      return medusa(machine.afterFindChargeError(data, jp, failureOf(e)))
    }
  }

  private browserConfig(orderCode: string, amount: number, currency: string, customerRef: string | null, payer: { email: string | null; phone: string | null }): Record<string, unknown> {
    const p = { email: payer.email ?? undefined, phone: payer.phone ?? undefined }
    return { gateway: this.definition.name, ...this.gateway.browserConfig({ orderCode, amount, currency, customerRef: customerRef ?? undefined, payer: p }) }
  }

  /** What the gateway is asked to pay (or to start 3-D Secure for) from the session's state. */
  private payRequest(jp: JpSessionState, source: PaymentSource) {
    return {
      orderCode: jp.order_code,
      amount: jp.amount,
      currency: jp.currency,
      capture: jp.capture,
      source,
      payer: machine.payerOf(jp),
      paymentMethod: machine.paymentMethodOf(jp),
      ...this.urlsFor(jp.order_code),
      ...(jp.retry_of ? { retryOf: jp.retry_of } : {}),
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
      throw new MedusaError(MedusaError.Types.INVALID_DATA, `${this.definition.name}: return_url must be an http(s) URL of the storefront`)
    }
    const allowed = this.storefrontUrl ? safeUrl(this.storefrontUrl) : null
    if (!allowed || allowed.origin !== url.origin) {
      throw new MedusaError(
        MedusaError.Types.INVALID_DATA,
        `${this.definition.name}: return_url must be on the storefront's origin (option storefrontUrl${allowed ? ` = ${allowed.origin}` : " is not set"})`
      )
    }
    return url.toString()
  }

  /** Throws what machine.*Refusal found, if anything. */
  private refuse(r: { notAllowed?: string; invalid?: string } | null): void {
    if (r?.notAllowed) throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `${this.definition.name}: ${r.notAllowed}`)
    if (r?.invalid) throw new MedusaError(MedusaError.Types.INVALID_DATA, `${this.definition.name}: ${r.invalid}`)
  }

  /** The session's 支払方法, checked here for every gateway before any gateway call: one the provider allows, or a 400 that lists them. */
  private paymentMethodOf(data: Record<string, unknown>): PaymentMethod {
    try {
      return readSessionPaymentMethod(data, this.paymentMethods)
    } catch (e) {
      if (e instanceof GatewayError) throw new MedusaError(MedusaError.Types.INVALID_DATA, `${this.definition.name}: ${e.message}`)
      throw e
    }
  }

  private minor(amount: InitiatePaymentInput["amount"], currency: string): number {
    return this.wrap(() => toMinorUnits(amount, currency))
  }

  private wrap<T>(f: () => T): T {
    try {
      return f()
    } catch (e) {
      throw toMedusaError(this.definition.name, e)
    }
  }

  private async call<T>(f: () => Promise<T>): Promise<T> {
    try {
      return await f()
    } catch (e) {
      if (e instanceof GatewayError) this.logger.warn(`${this.definition.name}: ${e.code} ${e.message}`)
      throw toMedusaError(this.definition.name, e)
    }
  }

  private needCustomers(): NonNullable<Gateway["customers"]> {
    const customers = this.gateway.customers
    if (!customers) throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `${this.definition.name} keeps no saved cards`)
    return customers
  }

  private holderRef(data: Record<string, unknown> | undefined): string {
    const ref = accountHolderRef(data)
    if (!ref) throw new MedusaError(MedusaError.Types.INVALID_DATA, `${this.definition.name}: no account holder for this customer`)
    return ref
  }

  private paymentState(data: Record<string, unknown>, op: string): JpPaymentState {
    const p = readPaymentState(data)
    if (!p) throw new MedusaError(MedusaError.Types.INVALID_DATA, `${this.definition.name}: cannot ${op}: this payment holds no gateway charge`)
    return p
  }
}

type Pending = NonNullable<JpPaymentState["pending"]>

/** Where the store route puts the storefront's card values, sealed, before Medusa first writes the session. */
export const INCOMING = "card_seal_in"

/** Medusa's answer for a step's outcome. */
function medusa(o: machine.Outcome): AuthorizePaymentOutput {
  return { status: o.status as PaymentSessionStatus, data: o.data }
}

function failureOf(e: GatewayError): machine.Failure {
  return { code: e.code, message: e.message, messageJa: e.messageJa, kind: e.kind, ...(e.retry ? { retry: e.retry } : {}) }
}

/** An IPv4 address as IPv4, also when a dual-stack socket wrote it as ::ffff:a.b.c.d. */
function plainIp(ip: string | undefined): string {
  return (ip ?? "").replace(/^::ffff:/i, "")
}

function safeUrl(s: string): URL | null {
  try {
    return new URL(s)
  } catch {
    return null
  }
}

/** Medusa's own server-side secret (projectConfig.http.cookieSecret), when the provider runs in a Medusa app. */
function medusaCookieSecret(cradle: Record<string, unknown>): string | undefined {
  try {
    const config = cradle.configModule as { projectConfig?: { http?: { cookieSecret?: unknown } } } | undefined
    const secret = config?.projectConfig?.http?.cookieSecret
    return typeof secret === "string" && secret.length > 0 ? secret : undefined
  } catch {
    return undefined // Medusa's container throws for a name it does not hold
  }
}

function accountHolderRef(data: Record<string, unknown> | undefined | null): string | null {
  const ref = data?.ref
  return typeof ref === "string" && ref ? ref : null
}
