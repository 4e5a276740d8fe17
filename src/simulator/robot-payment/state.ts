/**
 * In-memory state of the simulated gateway: stores, tokens, users and their
 * cards, transactions, and the simulated clock.
 */
import { randomBytes } from "node:crypto"
import { SimClock } from "../common/clock"
import { refill } from "../common/state-file"
import type { ThreeDSBehaviour } from "./cards"

export interface StoreConfig {
  aid: string
  kickbackUrl?: string
  allowedIps?: string[]
  allowedReferers?: string[]
  /**
   * 支払方法 beside 一括 the store's card contract allows (「分割払い・リボ払いは契約時のみ指定可」):
   * the 分割回数 (pt) and whether リボ払い (md=80) may be sent. Default: 一括 only.
   */
  paymentMethods?: { installments?: number[]; revolving?: boolean }
}

export const DEFAULT_ALLOWED_IPS = ["127.0.0.1", "::1", "::ffff:127.0.0.1"]

const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

/** Random alphanumeric string (rejection sampling, no modulo bias). */
export function randomAlnum(length: number): string {
  let out = ""
  while (out.length < length) {
    for (const b of randomBytes(length * 2)) {
      if (b < 248 && out.length < length) out += ALNUM[b % 62]
    }
  }
  return out
}

/** What ThreeDSAdapter.authenticate recorded on a token. */
export interface ThreeDSRecord {
  /** "payment": called with am/tx/sf (and em/pn); "registration": called with uid. */
  mode: "payment" | "registration"
  am?: number
  tx?: number
  sf?: number
  em?: string
  pn?: string
  uid?: string
  flow: ThreeDSBehaviour
  /** pending: challenge not answered yet; the payment fails with ER900 unless "success". */
  status: "success" | "failed" | "pending"
  challengeId?: string
  at: number
}

export interface TokenRecord {
  token: string
  aid: string
  pan: string
  ed: string
  fn: string
  ln: string
  cvv: string
  createdAt: number
  used: boolean
  usedAt?: number
  threeDS?: ThreeDSRecord
}

export interface SimCard {
  num: string
  /** Masked number as the カード情報参照 answer shows it. */
  cn: string
  last4: string
  ed: string
  fn: string
  ln: string
  createdAt: string
  updatedAt: string
}

export interface SimUser {
  aid: string
  uid: string
  key: string
  em: string
  pn: string
  createdAt: string
  updatedAt: string
  cards: SimCard[]
}

/** A card kept by the simulator (the full number stays internal). */
export interface CardRecord extends SimCard {
  pan: string
}

export interface UserRecord extends Omit<SimUser, "cards"> {
  cards: CardRecord[]
  nextNum: number
}

export type TxState = "AUTH" | "CAPTURED" | "CHECKED" | "CANCELED" | "FAILED"

export interface SimTransaction {
  /** Order of arrival, unique even for failed attempts. */
  seq: number
  /** 決済番号. "0" for failed payments, as the gateway answers them. */
  gid: string
  /** オーダーコード ("" for failed payments). */
  god: string
  aid: string
  endpoint: "gateway_token" | "onetouch"
  jb: "AUTH" | "CAPTURE" | "CHECK"
  state: TxState
  rst: "1" | "2"
  ap: string
  ec: string
  cod: string
  am: number
  tx: number
  sf: number
  ta: number
  md: string
  pt: string
  rt: "0" | "1"
  uid?: string
  key?: string
  num?: string
  cardLast4: string
  threeDS?: "frictionless" | "challenge"
  free: Record<string, string>
  createdAt: string
  capturedAt?: string
  canceledAt?: string
  /** Every operation on this transaction, including rejected SALES/CANCEL attempts. */
  history: Array<{ op: "AUTH" | "CAPTURE" | "CHECK" | "SALES" | "CANCEL"; at: string; ok: boolean; ec?: string }>
}

export class SimState {
  readonly clock = new SimClock()
  readonly stores = new Map<string, Required<Pick<StoreConfig, "aid" | "allowedIps">> & StoreConfig>()
  readonly tokens = new Map<string, TokenRecord>()
  readonly challenges = new Map<string, string>() // challengeId → token
  /** key: `${aid}\u0000${uid}` */
  readonly users = new Map<string, UserRecord>()
  readonly transactions: SimTransaction[] = []
  private nextGid = 1095729
  private nextGod = 205685
  private nextSeq = 1

  constructor(stores: StoreConfig[]) {
    for (const s of stores) {
      if (!/^\d{6}$/.test(s.aid)) throw new Error(`store aid must be 6 digits: ${JSON.stringify(s.aid)}`)
      this.stores.set(s.aid, { ...s, allowedIps: s.allowedIps ?? [...DEFAULT_ALLOWED_IPS] })
    }
  }

  issueGid(): string {
    return String(this.nextGid++)
  }
  issueGod(): string {
    return String(this.nextGod++)
  }
  issueSeq(): number {
    return this.nextSeq++
  }

  userKey(aid: string, uid: string): string {
    return `${aid}\u0000${uid}`
  }

  findTransaction(aid: string, gid: string): SimTransaction | undefined {
    return this.transactions.find((t) => t.aid === aid && t.gid === gid && t.state !== "FAILED")
  }

  snapshotUsers(): SimUser[] {
    return [...this.users.values()].map((u) => ({
      aid: u.aid,
      uid: u.uid,
      key: u.key,
      em: u.em,
      pn: u.pn,
      createdAt: u.createdAt,
      updatedAt: u.updatedAt,
      cards: u.cards.map(({ pan: _pan, ...c }) => ({ ...c })),
    }))
  }

  snapshotTransactions(): SimTransaction[] {
    return this.transactions.map((t) => structuredClone(t))
  }

  /** What a state file keeps: users and their cards, transactions, the counters (not tokens: minutes-long, they carry the CVV). */
  save(): Record<string, unknown> {
    return { users: this.users, transactions: this.transactions, nextGid: this.nextGid, nextGod: this.nextGod, nextSeq: this.nextSeq }
  }

  load(saved: Record<string, unknown>): void {
    refill(this.users, saved.users)
    refill(this.transactions, saved.transactions)
    this.nextGid = Number(saved.nextGid ?? this.nextGid)
    this.nextGod = Number(saved.nextGod ?? this.nextGod)
    this.nextSeq = Number(saved.nextSeq ?? this.nextSeq)
  }
}
