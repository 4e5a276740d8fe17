// ROBOT PAYMENT behind the core Gateway interface: public operations in the interface's order
// (session input, browser config, pay, capture, cancel, refund, customers, notifications), then the
// private vocabulary (charge, ensure user, read card).
import {
  GatewayError,
  type ChargeRecord,
  type Gateway,
  type GatewayCharge,
  type GatewayCustomer,
  type IncomingNotification,
  type Operation,
  type ParsedNotification,
  type PayRequest,
  type PayResult,
  type RecordStep,
  type PayerInfo,
  type SessionInput,
} from "../../core/gateway"
import type { CardRegistry, GatewayEnv } from "../../core/definition"
import { readSessionInput, type SessionInputRules } from "../../core/session-input"
import { CodecError, invalid, op, unchanged, unsupported } from "../../core/vocabulary"
import { RobotPaymentClient, type JobType, type Payer, type RpCard } from "./client"
import { mdPt, parseKickback, type PaymentRecord } from "./codec"
import { describeCode } from "./codes"
import type { RobotPaymentOptions } from "./options"
import { normalisePhone } from "./phone"

export { normalisePhone }

/**
 * There is no list call: the card numbers this plugin registered are kept with the customer in Medusa
 * (env.cards); numbers registered elsewhere are found by reading from 1 until a whole batch is empty.
 */
const CARD_PROBE_BATCH = 5
const CARD_PROBE_MAX = 50

const SESSION_INPUT: SessionInputRules = {
  token: { pattern: /^[\x21-\x7e]{8,512}$/, message: "token must be the tkn value CPToken.js produced" },
  savedCard: { pattern: /^\d{1,9}$/, message: "payment_method_id must be a saved card id from the customer's payment methods" },
  otherwise: "later",
  phone: { valid: (p) => normalisePhone(p) !== undefined, message: "phone must be a phone number of at most 15 digits" },
}

export class RobotPaymentGateway implements Gateway {
  readonly captureOnAuthorize: boolean
  readonly client: RobotPaymentClient
  private readonly cards?: CardRegistry
  private readonly logger?: GatewayEnv["logger"]

  constructor(private readonly options: RobotPaymentOptions, env: GatewayEnv = {}) {
    this.cards = env.cards
    this.logger = env.logger
    this.client = new RobotPaymentClient({
      aid: options.aid,
      baseUrl: options.baseUrl,
      timeoutMs: options.timeoutMs,
      connectTimeoutMs: options.connectTimeoutMs,
      logger: env.logger,
    })
    this.captureOnAuthorize = options.jobType === "CAPTURE"
  }

  parseSessionInput(data: Record<string, unknown>): SessionInput {
    return readSessionInput(data, SESSION_INPUT)
  }

  browserConfig(input: { orderCode: string; amount: number; customerRef?: string; payer?: PayerInfo }): Record<string, unknown> {
    const s = this.client.scriptUrls()
    return {
      aid: this.options.aid,
      scripts: [s.jquery, s.cpToken, s.threeDS],
      // ThreeDSAdapter.authenticate must repeat exactly what the payment sends (am/tx/sf, and the em/pn
      // gateway_token.aspx carries: toPayer below, the same function pay() uses) …
      three_ds: { am: input.amount, tx: 0, sf: 0, ...threeDSPayer(input.payer ?? {}) },
      // … or, to save the card, the user it is registered to.
      uid: input.customerRef ?? null,
    }
  }

  async pay(req: PayRequest): Promise<PayResult> {
    if (req.currency !== "jpy") throw invalid(`ROBOT PAYMENT takes JPY only, not ${req.currency.toUpperCase()}`)
    const jb: JobType = req.capture ? "CAPTURE" : "AUTH"
    const payer = toPayer(req.payer)
    const amounts = { am: req.amount, tx: 0, sf: 0 }
    if (req.source.type === "hosted") throw invalid("ROBOT PAYMENT has no hosted card page here: tokenize the card with CPToken.js")
    // md/pt go with the payment itself (gateway_token.aspx, onetouch.aspx), never with the card's registration.
    const method = mdPt(req.paymentMethod)

    if (req.source.type === "token" && !req.source.saveCard) {
      if (!payer.em && !payer.pn) throw invalid("ROBOT PAYMENT needs the customer's e-mail or phone number")
      const rec = await this.client.tokenPayment({ jb, cod: req.orderCode, tkn: req.source.token, amounts, payer, method })
      const charge = this.charge(rec, jb, "authorize", { status: "unknown", liability: "issuer", detail: "token payment after ThreeDSAdapter.authenticate", detail_key: "rpToken" })
      // gateway_token.aspx answers with no card data (and the browser's popup form never shows it to the shop).
      return { type: "charge", charge: { ...charge, card: { unavailable: true } } }
    }

    const uid = req.payer.customerRef
    if (!uid) throw invalid("a saved card needs a logged-in customer")
    const user = await this.ensureUser(uid, payer)
    let num: string
    if (req.source.type === "token") {
      // ワンタッチ: register the card (its 3-D Secure ran with this uid), then charge it.
      num = await this.client.registerCard({ uid, key: user.key, tkn: req.source.token })
      await this.remember(uid, num)
    } else {
      num = req.source.cardRef
    }
    const card = await this.readCardOrNull(uid, user.key, num)
    if (req.source.type === "saved" && !card) throw invalid(`no saved card ${num} for this customer`)
    const rec = await this.client.oneTouch({ jb, cod: req.orderCode, uid, key: user.key, num, amounts, method })
    // ThreeDSAdapter.authenticate covered the card's registration, not this charge's amount [?]: a
    // one-touch charge is made without 3-D Secure, so a chargeback is the merchant's even right after.
    const charge = this.charge(rec, jb, "authorize", {
      status: "not_performed",
      liability: "merchant",
      ...(req.source.type === "token"
        ? { detail: "one-touch charge after the card's registration: 3-D Secure authenticated the registration, not this charge", detail_key: "rpOneTouchAfterRegistration" }
        : { detail: "one-touch charge of a saved card", detail_key: "rpOneTouchSaved" }),
    })
    return { type: "charge", charge: { ...charge, savedCard: { customerRef: uid, cardRef: num }, card: card ? cardSummary(card) : undefined } }
  }

  async capture(rec: ChargeRecord, amount?: number): Promise<GatewayCharge> {
    if (amount !== undefined) {
      throw unsupported(
        "ROBOT PAYMENT has no sale of a smaller amount: SALES takes the whole authorization (cancel and charge again instead)",
        "ロボットペイメントは減額売上に対応していません"
      )
    }
    if (rec.state !== "authorized") return unchanged(rec)
    const r = await this.client.sales(rec.reference)
    return { ...unchanged(rec), state: "captured", references: refs(r, rec.references), operations: [op("capture", rec.reference, rec.amount)] }
  }

  async cancel(rec: ChargeRecord): Promise<GatewayCharge> {
    if (rec.state === "canceled" || rec.state === "refunded") return unchanged(rec)
    await this.client.cancel(rec.reference)
    const wasSale = rec.state !== "authorized"
    return {
      ...unchanged(rec),
      state: wasSale ? "refunded" : "canceled",
      amount: 0,
      operations: [op(wasSale ? "refund" : "cancel", rec.reference, rec.amount)],
    }
  }

  async refund(rec: ChargeRecord, amount: number, payer: PayerInfo, record?: RecordStep): Promise<GatewayCharge> {
    // A cancel-and-recharge that stopped after its recorded recharge: only the old sale's cancel is left.
    const pendingCancel = rec.resume?.cancel
    if (pendingCancel) {
      await this.client.cancel(pendingCancel)
      return {
        ...unchanged(rec),
        state: "partially_refunded",
        references: { ...rec.references, [`gid_canceled_${pendingCancel}`]: pendingCancel },
        operations: [op("refund", pendingCancel, amount + rec.amount)],
      }
    }
    if (amount === rec.amount) return this.cancel(rec) // a full refund is the CANCEL of the sale
    if (this.options.partialRefund !== "cancel-and-recharge") {
      throw unsupported(
        "ROBOT PAYMENT has no documented partial refund: refund the whole amount, or set the provider option " +
          'partialRefund: "cancel-and-recharge" to cancel the sale and charge the rest again on the saved card',
        "ROBOT PAYMENT には一部返金の API がありません",
        "PARTIAL_REFUND"
      )
    }
    if (!rec.savedCard) {
      throw unsupported(
        "a partial refund by cancel-and-recharge needs a saved card, and this payment was not made with one: refund the whole amount instead",
        "保存済みカードがないため一部返金(取消+再課金)はできません",
        "PARTIAL_REFUND"
      )
    }
    // Charge the rest first, so that a failure leaves the customer charged once, never zero times.
    const rest = rec.amount - amount
    const { customerRef: uid, cardRef: num } = rec.savedCard
    const user = await this.ensureUser(uid, toPayer(payer))
    // The rest is charged the way the shopper chose to pay (the same md/pt).
    const recharge = await this.client.oneTouch({
      jb: "CAPTURE",
      cod: rec.orderCode,
      uid,
      key: user.key,
      num,
      amounts: { am: rest, tx: 0, sf: 0 },
      method: mdPt(rec.paymentMethod ?? { type: "lump" }),
    })
    const recharged: GatewayCharge = {
      reference: recharge.gid,
      state: rec.state,
      amount: rest,
      references: refs(recharge, rec.references),
      savedCard: rec.savedCard,
      // A one-touch charge without 3-D Secure: the merchant's liability.
      threeDS: { status: "not_performed", liability: "merchant", detail: "one-touch recharge of the rest (cancel-and-recharge)", detail_key: "rpRecharge" },
      operations: [op("recharge", recharge.gid, rest)],
    }
    // Recorded before the cancel: a failed cancel leaves the new gid known, and a retry only cancels.
    await record?.(recharged, { cancel: rec.reference })
    await this.client.cancel(rec.reference)
    return {
      ...recharged,
      state: "partially_refunded",
      references: { ...recharged.references, [`gid_canceled_${rec.reference}`]: rec.reference },
      operations: [...(record ? [] : recharged.operations), op("refund", rec.reference, rec.amount)],
    }
  }

  readonly customers: NonNullable<Gateway["customers"]> = {
    refFor: (customerId: string) => {
      const uid = customerId.replace(/[^A-Za-z0-9]/g, "").slice(0, 50)
      if (!uid) throw invalid(`cannot make a ROBOT PAYMENT user id from ${customerId}`)
      return uid
    },
    create: async (c: GatewayCustomer) => {
      const u = await this.ensureUser(c.ref, toPayer(c))
      return { ref: u.uid, email: u.em, phone: u.pn }
    },
    retrieve: async (ref: string) => {
      try {
        const u = await this.client.readUser(ref)
        return { ref: u.uid, email: u.em, phone: u.pn }
      } catch (e) {
        if (e instanceof GatewayError && e.kind === "invalid") return null
        throw e
      }
    },
    update: async (c: GatewayCustomer) => {
      const u = await this.client.readUser(c.ref)
      const p = toPayer(c)
      if (!p.em && !p.pn) return { ref: u.uid, email: u.em, phone: u.pn }
      await this.client.updateUser({ uid: u.uid, key: u.key, ...p })
      return { ref: u.uid, email: p.em, phone: p.pn }
    },
    delete: async (ref: string) => {
      const u = await this.client.readUser(ref)
      await this.client.deleteUser({ uid: u.uid, key: u.key })
    },
    listCards: async (ref: string) => {
      const u = await this.client.readUser(ref)
      const found = new Map<string, RpCard>()
      // The numbers this plugin registered, whatever gaps deleted cards left before them …
      const known = this.cards ? await this.cards.list(ref) : []
      for (const [i, c] of (await Promise.all(known.map((num) => this.readCardOrNull(u.uid, u.key, num)))).entries()) {
        if (c) found.set(known[i], c)
      }
      // … and, for cards registered elsewhere, numbers from 1 in batches until a whole batch is empty.
      for (let start = 1; start <= CARD_PROBE_MAX; start += CARD_PROBE_BATCH) {
        const nums = Array.from({ length: CARD_PROBE_BATCH }, (_, i) => String(start + i)).filter((n) => !known.includes(n))
        const hits = (await Promise.all(nums.map((num) => this.readCardOrNull(u.uid, u.key, num)))).filter((c): c is RpCard => c !== null)
        for (const c of hits) found.set(c.num, c)
        if (hits.length === 0 && nums.length > 0) break
      }
      return [...found.entries()].sort(([a], [b]) => Number(a) - Number(b)).map(([num, c]) => ({ id: num, card: cardSummary(c) }))
    },
    saveCard: async (ref: string, token: string) => {
      const u = await this.client.readUser(ref)
      const num = await this.client.registerCard({ uid: u.uid, key: u.key, tkn: token })
      await this.remember(u.uid, num)
      const card = await this.client.readCard({ uid: u.uid, key: u.key, num })
      return { id: num, card: cardSummary(card) }
    },
    deleteCard: async (ref: string, cardId: string) => {
      if (!/^\d{1,9}$/.test(cardId)) throw invalid(`not a saved card id: ${cardId}`)
      const u = await this.client.readUser(ref)
      await this.client.deleteCard({ uid: u.uid, key: u.key, num: cardId })
      await this.cards?.remove(ref, cardId)
    },
  }

  /** 決済結果通知: a GET whose query carries the payment; it has no signature, so the source IP is what can be checked. */
  parseNotification(n: IncomingNotification): ParsedNotification {
    const ack = { status: 200, contentType: "text/plain; charset=utf-8", body: "OK" }
    const allowed = this.options.kickbackAllowedIps
    if (allowed?.length && !allowed.includes(normaliseIp(n.remoteAddress))) {
      throw new GatewayError({ code: "FORBIDDEN_SOURCE", kind: "invalid", message: `kickback from ${n.remoteAddress ?? "an unknown address"} is not in kickbackAllowedIps` })
    }
    let k
    try {
      k = parseKickback(n.query)
    } catch (e) {
      if (e instanceof CodecError) throw invalid(`not a ROBOT PAYMENT kickback: ${e.message}`)
      throw e
    }
    // rst 3–5 concern auto-billing (自動課金), which this plugin does not start.
    if (k.rst !== "1" && k.rst !== "2") return { ack }
    const succeeded = k.rst === "1"
    const info = k.ec ? describeCode(k.ec) : undefined
    return {
      ack,
      event: {
        orderCode: k.cod,
        // A failed payment has gid 0: its code tells one failure from another.
        dedupeKey: k.gid === "0" ? `0:${k.ec}` : k.gid,
        succeeded,
        amount: k.ta,
        error: succeeded ? undefined : { code: k.ec || "ER030", message: info?.en ?? "payment failed" },
        charge: succeeded
          ? {
              reference: k.gid,
              // The kickback does not say AUTH or CAPTURE; this store's job type does.
              state: this.options.jobType === "CAPTURE" ? "captured" : "authorized",
              amount: k.ta,
              references: { gid: k.gid, god: k.god, ap: k.ap, cod: k.cod },
              threeDS: { status: "unknown", liability: "unknown", detail: "from the kickback", detail_key: "rpKickback" },
              savedCard: k.uid && k.num ? { customerRef: k.uid, cardRef: k.num } : undefined,
              operations: [op("notification", k.gid, k.ta)],
            }
          : undefined,
      },
    }
  }

  // ---- private vocabulary ----------------------------------------------------------------------

  private charge(r: PaymentRecord, jb: JobType, kind: Operation["op"], threeDS: GatewayCharge["threeDS"]): GatewayCharge {
    return {
      reference: r.gid,
      state: jb === "CAPTURE" ? "captured" : "authorized",
      amount: r.ta,
      references: refs(r, {}),
      threeDS,
      operations: [op(kind, r.gid, r.ta)],
    }
  }

  /** Reads the user (its key is needed for every card call), registering it when it does not exist. */
  private async ensureUser(uid: string, payer: Payer) {
    try {
      return await this.client.readUser(uid)
    } catch (e) {
      if (!(e instanceof GatewayError) || e.kind !== "invalid") throw e
    }
    if (!payer.em && !payer.pn) throw invalid("registering a ROBOT PAYMENT user needs the customer's e-mail or phone number")
    return this.client.registerUser({ uid, ...payer })
  }

  /** Keeps a registered card number with the customer; a failure to keep it never undoes the registration. */
  private async remember(uid: string, num: string): Promise<void> {
    try {
      await this.cards?.add(uid, num)
    } catch (e) {
      this.logger?.warn(`robot-payment: card ${num} of ${uid} was registered but could not be kept for listing: ${(e as Error).message}`)
    }
  }

  private async readCardOrNull(uid: string, key: string, num: string): Promise<RpCard | null> {
    try {
      return await this.client.readCard({ uid, key, num })
    } catch (e) {
      // [?] The code for an unused card number is undocumented: any refusal means "no card here".
      if (e instanceof GatewayError && e.kind !== "retry" && e.kind !== "unknown_outcome") return null
      throw e
    }
  }
}

function refs(r: PaymentRecord, base: Record<string, string>): Record<string, string> {
  const out = { ...base }
  for (const k of ["gid", "god", "ap", "cod"] as const) if (r[k]) out[k] = r[k]
  return out
}

function cardSummary(c: RpCard): { masked: string; expiry: string } {
  const ed = /^\d{4}$/.test(c.ed) ? `${c.ed.slice(2)}/${c.ed.slice(0, 2)}` : c.ed
  return { masked: c.cn, expiry: ed }
}


/** The em/pn a token payment sends (gateway_token.aspx), as ThreeDSAdapter.authenticate must repeat them. */
export function threeDSPayer(p: { email?: string; phone?: string }): { em?: string; pn?: string } {
  const { em, pn } = toPayer(p)
  return { ...(em ? { em } : {}), ...(pn ? { pn } : {}) }
}

function toPayer(p: { email?: string; phone?: string }): Payer {
  return { em: p.email && p.email.length <= 254 ? p.email : undefined, pn: normalisePhone(p.phone) }
}

function normaliseIp(ip: string | undefined): string {
  return (ip ?? "").replace(/^::ffff:/, "")
}
