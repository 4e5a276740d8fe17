// 支払方法 in the browser: the choices a payment session offers (`data.jp.payment_methods`, what the
// shop's provider allows), their labels as shoppers know them, and the session `data` that carries
// the choice (`payment_method`). The server accepts only a choice it offered; absent means 一括払い.
import type { PaymentSessionLike } from "./config"
import { isRecord } from "./config"
import { JpPaymentError } from "./errors"

export type PaymentMethodType = "lump" | "installments" | "bonus" | "revolving"

/** A 支払方法: `count` (回数) only and always for installments. */
export interface PaymentMethod {
  type: PaymentMethodType
  count?: number
}

/** One choice for a select or radio list: `value` is a stable string ("lump", "installments:3" …). */
export interface PaymentMethodChoice {
  value: string
  label: string
  method: PaymentMethod
}

const LUMP: PaymentMethod = { type: "lump" }
const TYPES: readonly string[] = ["lump", "installments", "bonus", "revolving"]

function readMethod(v: unknown): PaymentMethod | null {
  if (!isRecord(v) || typeof v.type !== "string" || !TYPES.includes(v.type)) return null
  if (v.type === "installments") return typeof v.count === "number" && Number.isInteger(v.count) && v.count > 0 ? { type: "installments", count: v.count } : null
  return { type: v.type as PaymentMethodType }
}

/**
 * The 支払方法 the session offers, 一括 first. A session from a provider (or a plugin version) that
 * lists none offers 一括 only.
 */
export function paymentMethodsOf(session: PaymentSessionLike | null | undefined): PaymentMethod[] {
  const jp = isRecord(session?.data) ? (session!.data as Record<string, unknown>).jp : undefined
  const list = isRecord(jp) && Array.isArray(jp.payment_methods) ? jp.payment_methods.map(readMethod).filter((m): m is PaymentMethod => m !== null) : []
  return list.length > 0 ? list : [LUMP]
}

/** 一括払い, 分割払い（3回）, ボーナス一括払い, リボ払い — or One payment, 3 installments, Bonus payment, Revolving. */
export function paymentMethodLabel(m: PaymentMethod, lang: "ja" | "en" = "ja"): string {
  switch (m.type) {
    case "lump":
      return lang === "ja" ? "一括払い" : "One payment"
    case "installments":
      return lang === "ja" ? `分割払い（${m.count}回）` : `${m.count} installments`
    case "bonus":
      return lang === "ja" ? "ボーナス一括払い" : "Bonus payment"
    case "revolving":
      return lang === "ja" ? "リボ払い" : "Revolving"
  }
}

/** A method as a select's value: "lump", "installments:3", "bonus", "revolving". */
export function paymentMethodValue(m: PaymentMethod): string {
  return m.type === "installments" ? `installments:${m.count}` : m.type
}

/** The method a select's value stands for; throws INVALID_INPUT for anything else. */
export function paymentMethodFromValue(value: string): PaymentMethod {
  const m = /^installments:(\d{1,3})$/.exec(value)
  const method = m ? readMethod({ type: "installments", count: Number(m[1]) }) : value === "installments" ? null : readMethod({ type: value })
  if (!method) throw new JpPaymentError("INVALID_INPUT", `"${value}" is not a payment method (lump, installments:<回数>, bonus or revolving)`)
  return method
}

/** The session's choices with their labels, for a select or radio list (one choice: 一括 only, nothing to ask). */
export function paymentMethodChoices(session: PaymentSessionLike | null | undefined, lang: "ja" | "en" = "ja"): PaymentMethodChoice[] {
  return paymentMethodsOf(session).map((method) => ({ value: paymentMethodValue(method), label: paymentMethodLabel(method, lang), method }))
}

/**
 * The session `data` with the shopper's 支払方法 added (`payment_method`). Checked against what the
 * session offers when it is given: a choice it does not offer throws INVALID_INPUT here, before the
 * server refuses it.
 */
export function withPaymentMethod<T extends object>(data: T, method: PaymentMethod | undefined, session?: PaymentSessionLike | null): T & { payment_method?: PaymentMethod } {
  if (!method) return data
  const m = readMethod(method)
  if (!m) throw new JpPaymentError("INVALID_INPUT", "payment_method must be { type: lump | installments | bonus | revolving, count? }")
  if (session && !paymentMethodsOf(session).some((o) => paymentMethodValue(o) === paymentMethodValue(m))) {
    throw new JpPaymentError("INVALID_INPUT", `this payment session does not offer ${paymentMethodLabel(m, "en")} (${paymentMethodValue(m)})`)
  }
  return { ...data, payment_method: m }
}
