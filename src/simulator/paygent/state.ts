/** The simulator's memory: merchants, tokens, 3-D Secure authentications, payments, saved cards, notices. */
import { createHash, randomUUID } from "node:crypto"
import { SimClock } from "../common/clock"
import { refill } from "../common/state-file"
import type { Brand, Outcome, Scenario } from "./cards"

export interface MerchantConfig {
  merchantId: string
  connectId: string
  connectPassword: string
  /** 3Dセキュア結果受付ハッシュ鍵; absent = the redirect carries no hc. */
  threeDSResultHashKey?: string
  /** 差分通知 ハッシュ値生成キー; absent = notices carry no hc. */
  noticeHashKey?: string
  /** トークン生成鍵 (public) and トークン受取ハッシュ鍵. */
  tokenGenerationKey: string
  tokenReceiptHashKey: string
  /** 差分通知先URL. */
  noticeUrl?: string
  /** EMV 3-D Secure in the contract (default true; false = 450 answers P063). */
  threeDSecure?: boolean
  /** Brands the acquirer offers no 3-D Secure for: 450 answers 31012 (default ["DISCOVER"]). */
  no3DSBrands?: Brand[]
  /**
   * 支払区分 the contract takes besides 1回払い (payment_class 10, always allowed): 分割 with these
   * split_count values (61), ボーナス1回 (23), リボ (80); anything else is P030. Default: 1回払い only.
   */
  paymentMethods?: PaymentMethodContract
}

export interface PaymentMethodContract {
  installments?: number[]
  bonus?: boolean
  revolving?: boolean
}

/**
 * split_count values 020 takes with payment_class 61. [?] SPEC-MAIN gives the field as 2 digits; the
 * simulator takes the counts Japanese card companies offer and answers P010 for others.
 */
export const SPLIT_COUNTS = [3, 5, 6, 10, 12, 15, 18, 20, 24]

export interface SimCardData {
  pan: string
  /** MMYY */
  validTerm: string
  brand: Brand
  name?: string
  masked: string
  fingerprint: string
}

export interface SimToken extends SimCardData {
  token: string
  merchantId: string
  validUntil: number
  used: boolean
}

export interface SimAuth {
  authId: string
  merchantId: string
  tradingId: string
  termUrl: string
  amount: number
  card: { kind: "token"; token: string } | { kind: "customer"; customerId: string; customerCardId: string }
  data: SimCardData
  scenario: Scenario
  createdAt: number
  state: "pending" | "done" | "timed_out"
  outcome?: Outcome
  usedBy?: string
  timeoutCalls: Array<{ at: number; status: number | null }>
}

export type PaymentStatus = "10" | "11" | "20" | "32" | "33" | "40" | "41" | "60"

export interface SimPayment {
  paymentId: string
  merchantId: string
  tradingId: string
  status: PaymentStatus
  amount: number
  card: SimCardData
  initAt: number
  authorizedAt?: number
  capturedAt?: number
  canceledAt?: number
  ryaku: boolean
  authId?: string
  attemptKbn: string
  basePaymentId?: string
  customerId?: string
  customerCardId?: string
  retries: number
  /** 020's payment_class (10 when omitted) and split_count ("" unless 61), as 094 reports them. */
  paymentClass: string
  splitCount: string
}

export interface SimSavedCard extends SimCardData {
  customerCardId: string
  /** add_info1..4, free text (Windows-31J on the wire). */
  addInfo: string[]
  lastUse?: number
}

export interface SimNotice {
  paymentNoticeId: string
  merchantId: string
  fields: Record<string, string>
  deliveries: Array<{ at: string; status: number | null; body: string }>
}

export const fingerprintOf = (merchantId: string, pan: string) => createHash("sha256").update(`${merchantId}:${pan}`).digest("base64url").slice(0, 43)
export const maskPan = (pan: string) => "*".repeat(pan.length - 4) + pan.slice(-4)

export class SimState {
  readonly clock = new SimClock()
  readonly merchants = new Map<string, MerchantConfig>()
  readonly tokens = new Map<string, SimToken>()
  readonly auths = new Map<string, SimAuth>()
  readonly payments = new Map<string, SimPayment>()
  /** merchantId:customerId → cards */
  readonly customers = new Map<string, SimSavedCard[]>()
  readonly notices: SimNotice[] = []
  private paymentSeq = 100000000000000000n
  private cardSeq = 100000000000000000n
  private noticeSeq = 0

  constructor(merchants: MerchantConfig[]) {
    for (const m of merchants) this.merchants.set(m.merchantId, { threeDSecure: true, no3DSBrands: ["DISCOVER"], ...m })
  }

  newPaymentId(): string {
    this.paymentSeq += BigInt(1 + Math.floor(Math.random() * 7))
    return this.paymentSeq.toString()
  }
  newCardId(): string {
    this.cardSeq += 1n
    return this.cardSeq.toString()
  }
  newAuthId(): string {
    return randomUUID()
  }
  newToken(): string {
    return `tok_${randomUUID().replace(/-/g, "").slice(0, 26)}`
  }
  newNoticeId(): string {
    this.noticeSeq += 1
    return String(this.noticeSeq)
  }
  /** What a state file keeps: 3-D Secure records, payments, saved cards, notices, the counters (not tokens: minutes-long). */
  save(): Record<string, unknown> {
    return {
      auths: this.auths,
      payments: this.payments,
      customers: this.customers,
      notices: this.notices,
      paymentSeq: this.paymentSeq,
      cardSeq: this.cardSeq,
      noticeSeq: this.noticeSeq,
    }
  }

  load(saved: Record<string, unknown>): void {
    refill(this.auths, saved.auths)
    refill(this.payments, saved.payments)
    refill(this.customers, saved.customers)
    refill(this.notices, saved.notices)
    if (typeof saved.paymentSeq === "bigint") this.paymentSeq = saved.paymentSeq
    if (typeof saved.cardSeq === "bigint") this.cardSeq = saved.cardSeq
    if (typeof saved.noticeSeq === "number") this.noticeSeq = saved.noticeSeq
  }

  cardsOf(merchantId: string, customerId: string): SimSavedCard[] {
    const k = `${merchantId}:${customerId}`
    let cards = this.customers.get(k)
    if (!cards) {
      cards = []
      this.customers.set(k, cards)
    }
    return cards
  }
}

/** YYYYMMDDhhmmss in Japan time (PAYGENT's dates; payment_date of the 450 is UTC, which the simulator does not read). */
export function jstStamp(ms: number | undefined): string {
  if (ms === undefined) return ""
  const d = new Date(ms + 9 * 3600_000)
  const p = (n: number) => String(n).padStart(2, "0")
  return `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}`
}
