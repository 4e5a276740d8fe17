// The merchant's 請求管理ロボ settings, validated when Medusa boots.
import { z } from "@medusajs/framework/zod"

export const LIVE_BASE_URL = "https://billing-robo.jp"
/** Where CPToken.js and EMV3DSAdapter.js are served: ROBOT PAYMENT's card gateway. */
export const LIVE_SCRIPT_BASE_URL = "https://credit.j-payment.co.jp"

export const billingRoboOptionsSchema = z
  .object({
    /** The control panel's login e-mail (the API's `user_id`). */
    userId: z.string().email().max(100),
    /** The API access key (設定 → API接続設定). */
    accessKey: z.string().regex(/^[A-Za-z0-9]{1,100}$/, "accessKey must be the API access key (letters and digits, at most 100)"),
    /** 店舗ID of the payment system the 請求管理ロボ account uses: CPToken.js and ThreeDSAdapter take it as `aid`. */
    aid: z.string().regex(/^\d{6}$/, "aid must be the 6-digit 店舗ID"),
    /** API origin: https://billing-robo.jp, https://demo.billing-robo.jp, or a simulator. */
    baseUrl: z.string().url().default(LIVE_BASE_URL),
    /** Origin of CPToken.js / EMV3DSAdapter.js. */
    scriptBaseUrl: z.string().url().default(LIVE_SCRIPT_BASE_URL),
    /** The webhook's BillingRoboSignaturekey (Webhook管理画面). Without it, webhooks are refused. */
    signatureKey: z.string().min(8).optional(),
    /** Start of every 請求先コード the plugin makes (1–4 letters or digits), so they never clash with the merchant's own. */
    codePrefix: z.string().regex(/^[A-Za-z0-9]{1,4}$/, "codePrefix must be 1–4 letters or digits").default("MD"),
    /** 消費税率 of an order's bill (the Medusa amount includes tax: tax_category 1, 内税). */
    taxRate: z.number().int().min(0).max(99).default(10),
    /** 請求書テンプレートコード: 10000 基本 or 10010 シンプル. */
    billTemplateCode: z.union([z.literal(10000), z.literal(10010)]).default(10000),
    /** 請求方法 of the order's bill: 0 送付なし (default), 1 自動メール, … */
    billingMethod: z.number().int().min(0).max(9).default(0),
    /** Retries of a read (search, upsert) answered 429, with backoff; a charge is never retried. */
    maxRetries: z.number().int().min(0).max(5).default(2),
    /** First backoff after a 429, in ms (doubles each time; a Retry-After header wins). */
    retryDelayMs: z.number().int().min(0).default(2_000),
    timeoutMs: z.number().int().positive().default(30_000),
    connectTimeoutMs: z.number().int().positive().default(5_000),
  })
  .strict()

export type BillingRoboOptions = z.output<typeof billingRoboOptionsSchema>
