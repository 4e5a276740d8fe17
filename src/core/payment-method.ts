// 支払方法: how a Japanese card payment is split — 一括払い (one payment), 分割払い (a number of 回),
// ボーナス一括払い (paid with the next bonus), リボ払い (revolving). Each gateway documents which it can
// send (its definition's `paymentMethods`); the merchant's contract with the card acquirer allows a
// part of that (the provider option `paymentMethods`, checked at boot); the shopper picks one of the
// allowed ones in the session data (`payment_method`). 一括 is always allowed. No Medusa import at run
// time: gateway code reads this too.
import { z } from "@medusajs/framework/zod"
import { invalid } from "./vocabulary"

export type PaymentMethodType = "lump" | "installments" | "bonus" | "revolving"

/** A shopper's 支払方法. `count` (回数) only and always for installments. */
export interface PaymentMethod {
  type: PaymentMethodType
  count?: number
}

/** What a gateway documents beside 一括: the 回数 it can send, and whether it sends ボーナス一括 and リボ. */
export interface DocumentedPaymentMethods {
  installments: readonly number[]
  bonus: boolean
  revolving: boolean
}

/** The provider option as the merchant writes it: what the contract allows beside 一括 (default: nothing). */
export interface PaymentMethodsOption {
  installments?: number[]
  bonus?: boolean
  revolving?: boolean
}

const NONE: DocumentedPaymentMethods = { installments: [], bonus: false, revolving: false }

/**
 * The zod schema of the provider option `paymentMethods` for a gateway that documents `doc`. A count
 * or a type the gateway cannot send is refused at boot, naming what it can.
 */
export function paymentMethodsOption(doc: DocumentedPaymentMethods) {
  return z
    .object({
      /** 分割払い: the 回数 the contract allows. */
      installments: z.array(z.number().int()).optional(),
      /** ボーナス一括払い. */
      bonus: z.boolean().optional(),
      /** リボ払い. */
      revolving: z.boolean().optional(),
    })
    .strict()
    .superRefine((o, ctx) => {
      const bad = (o.installments ?? []).filter((n) => !doc.installments.includes(n))
      if (bad.length > 0) {
        ctx.addIssue({
          code: "custom",
          path: ["installments"],
          message:
            doc.installments.length > 0
              ? `the gateway documents 分割払い in ${doc.installments.join(", ")} 回 only (not ${bad.join(", ")})`
              : "the gateway documents no 分割払い",
        })
      }
      if (new Set(o.installments ?? []).size !== (o.installments ?? []).length) {
        ctx.addIssue({ code: "custom", path: ["installments"], message: "a 回数 is listed twice" })
      }
      if (o.bonus && !doc.bonus) ctx.addIssue({ code: "custom", path: ["bonus"], message: "the gateway documents no ボーナス一括払い" })
      if (o.revolving && !doc.revolving) ctx.addIssue({ code: "custom", path: ["revolving"], message: "the gateway documents no リボ払い" })
    })
}

/**
 * The 支払方法 a shopper may choose, 一括 first, then 分割 by 回数, ボーナス, リボ: what the option
 * allows of what the gateway documents (a gateway documenting none allows 一括 only, whatever the option).
 */
export function allowedPaymentMethods(opt: PaymentMethodsOption | undefined | null, doc?: DocumentedPaymentMethods): PaymentMethod[] {
  const d = doc ?? NONE
  const o = opt ?? {}
  const out: PaymentMethod[] = [{ type: "lump" }]
  const counts = [...new Set(o.installments ?? [])].filter((n) => d.installments.includes(n)).sort((a, b) => a - b)
  for (const count of counts) out.push({ type: "installments", count })
  if (o.bonus && d.bonus) out.push({ type: "bonus" })
  if (o.revolving && d.revolving) out.push({ type: "revolving" })
  return out
}

export function samePaymentMethod(a: PaymentMethod, b: PaymentMethod): boolean {
  return a.type === b.type && (a.type !== "installments" || a.count === b.count)
}

/** How a method is written in the session data and in messages: lump, installments:3, bonus, revolving. */
function wire(m: PaymentMethod): string {
  return m.type === "installments" ? `installments:${m.count}` : m.type
}

const TYPES: readonly string[] = ["lump", "installments", "bonus", "revolving"]

/**
 * The storefront's `payment_method` ({ type, count? }) as one of `allowed`. Absent: 一括. Anything
 * else — a malformed value, a type or 回数 the provider does not allow — is refused naming the field
 * and what is allowed.
 */
export function readPaymentMethod(v: unknown, allowed: PaymentMethod[]): PaymentMethod {
  if (v === undefined || v === null) return { type: "lump" }
  const list = allowed.map(wire).join(", ")
  const refuse = (why: string) => invalid(`payment_method ${why}; allowed: ${list}`)
  if (typeof v !== "object" || Array.isArray(v)) throw refuse("must be an object { type, count? }")
  const { type, count, ...rest } = v as Record<string, unknown>
  if (Object.keys(rest).length > 0) throw refuse(`has unknown fields (${Object.keys(rest).join(", ")})`)
  if (typeof type !== "string" || !TYPES.includes(type)) throw refuse("type must be lump, installments, bonus or revolving")
  let m: PaymentMethod
  if (type === "installments") {
    if (typeof count !== "number" || !Number.isInteger(count)) throw refuse("count (回数) must be a whole number for installments")
    m = { type, count }
  } else {
    if (count !== undefined && count !== null) throw refuse(`count is for installments only, not ${type}`)
    m = { type: type as PaymentMethodType }
  }
  if (!allowed.some((a) => samePaymentMethod(a, m))) throw refuse(`${wire(m)} is not allowed for this shop`)
  return m
}

/**
 * Defence in depth for a gateway's request builder: a method its definition does not document never
 * reaches the wire (core has refused it already; this catches a bug, not a shopper).
 */
export function assertDocumented(m: PaymentMethod, doc: DocumentedPaymentMethods | undefined, gateway: string): void {
  const d = doc ?? NONE
  const ok =
    m.type === "lump" ||
    (m.type === "installments" && typeof m.count === "number" && d.installments.includes(m.count)) ||
    (m.type === "bonus" && d.bonus) ||
    (m.type === "revolving" && d.revolving)
  if (!ok) throw invalid(`payment_method ${wire(m)} is not one ${gateway} documents`)
}
