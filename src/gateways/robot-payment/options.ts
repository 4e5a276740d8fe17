// The merchant's ROBOT PAYMENT settings, validated when Medusa boots.
import { z } from "@medusajs/framework/zod"
import { paymentMethodsOption, type DocumentedPaymentMethods } from "../../core/payment-method"

/**
 * 支払方法 beside 一括 that ROBOT PAYMENT documents (ワンタッチ課金 仕様: md 「61」分割払い with pt
 * 「3,5,6,10,12,15,18,20,24」, md 「80」リボ払い, both 「契約時のみ指定可」). No ボーナス一括払い.
 */
export const PAYMENT_METHODS: DocumentedPaymentMethods = { installments: [3, 5, 6, 10, 12, 15, 18, 20, 24], bonus: false, revolving: true }

export const DEFAULT_BASE_URL = "https://credit.j-payment.co.jp"

export const robotPaymentOptionsSchema = z
  .object({
    /** 店舗ID: the 6-digit store id issued with the contract. */
    aid: z.string().regex(/^\d{6}$/, "aid must be the 6-digit 店舗ID"),
    /** Gateway origin; point it at the simulator in development and tests. */
    baseUrl: z.string().url().default(DEFAULT_BASE_URL),
    /** AUTH = 仮売上 (capture later from the admin, within 90 days); CAPTURE = 仮実同時売上. */
    jobType: z.enum(["AUTH", "CAPTURE"]).default("AUTH"),
    /** Source addresses a kickback may come from; empty or absent = not checked. */
    kickbackAllowedIps: z.array(z.string().min(1)).optional(),
    /**
     * ROBOT PAYMENT has no documented partial refund. "refuse" (default) refuses one with an error;
     * "cancel-and-recharge" cancels the sale and charges the rest again on the customer's saved card.
     */
    partialRefund: z.enum(["refuse", "cancel-and-recharge"]).default("refuse"),
    /**
     * 支払方法 beside 一括 the card contract allows: `installments` (回数 from 3, 5, 6, 10, 12, 15, 18, 20,
     * 24) and `revolving`. Default: 一括 only.
     */
    paymentMethods: paymentMethodsOption(PAYMENT_METHODS).optional(),
    /** Time allowed for an answer, in ms. */
    timeoutMs: z.number().int().positive().default(20_000),
    connectTimeoutMs: z.number().int().positive().default(5_000),
  })
  .strict()

export type RobotPaymentOptionsInput = z.input<typeof robotPaymentOptionsSchema>
export type RobotPaymentOptions = z.output<typeof robotPaymentOptionsSchema>

