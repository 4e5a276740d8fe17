// The merchant's SBPS settings, validated when Medusa boots.
import { z } from "@medusajs/framework/zod"
import { paymentMethodsOption, type DocumentedPaymentMethods } from "../../core/payment-method"

/**
 * 支払方法 SBPS's API型 takes in pay_method_info › dealings_type: 10 一括, 21 ボーナス一括, 61 分割 (with
 * divide_times), 80 リボ. [?] SBPS's tables give divide_times only as up to 3 digits: the counts here
 * are the ones Japanese card companies offer; the merchant's contract names its own part of them.
 */
export const SBPS_PAYMENT_METHODS: DocumentedPaymentMethods = { installments: [3, 5, 6, 10, 12, 15, 18, 20, 24], bonus: true, revolving: true }

export const PRODUCTION_BASE_URL = "https://api.sps-system.com"
export const SANDBOX_BASE_URL = "https://stbfep.sps-system.com"
export const TOKEN_SCRIPTS = {
  sandbox: {
    token: "https://stbtoken.sps-system.com/sbpstoken/com_sbps_system_token.js",
    tds2: "https://stbtoken.sps-system.com/sbpstoken/com_sbps_system_tds2infotoken.js",
  },
  production: {
    token: "https://token.sps-system.com/sbpstoken/com_sbps_system_token.js",
    tds2: "https://token.sps-system.com/sbpstoken/com_sbps_system_tds2infotoken.js",
  },
} as const

export const sbpsOptionsSchema = z
  .object({
    /** マーチャントID (5 digits) and サービスID (3 digits), issued with the contract. */
    merchantId: z.string().regex(/^\d{5}$/, "merchantId must be the 5-digit マーチャントID"),
    serviceId: z.string().regex(/^\d{3}$/, "serviceId must be the 3-digit サービスID"),
    /** ハッシュキー: signs every request (sps_hashcode). */
    hashKey: z.string().min(1, "hashKey is required"),
    /** Basic auth; SBPS normally issues merchantId+serviceId / hashKey, the defaults. */
    basicAuthUser: z.string().min(1).optional(),
    basicAuthPassword: z.string().min(1).optional(),
    /** 3DES暗号化キー (24 bytes) and 3DES初期化キー (8 bytes): with both, requests go with encrypted_flg=1. */
    desKey: z.string().length(24, "desKey must be the 24-character 3DES暗号化キー").optional(),
    desIv: z.string().length(8, "desIv must be the 8-character 3DES初期化キー").optional(),
    /** Origin of the API (…/api/xmlapi.do is appended); point it at the simulator in development. */
    baseUrl: z.string().url().default(PRODUCTION_BASE_URL),
    /** Which browser scripts the storefront loads; a simulator baseUrl serves its own. */
    tokenScriptUrl: z.string().url().optional(),
    tds2ScriptUrl: z.string().url().optional(),
    /** sandbox → the stbtoken scripts; production → the token scripts (when no URL is set above). */
    environment: z.enum(["sandbox", "production"]).default("production"),
    /** EMV 3-D Secure (TA02); false only for a contract without it. */
    threeDSecure: z.boolean().default(true),
    /** 指定売上: capture later from the admin (ST02-00201-101). true = capture right after the commit. */
    captureOnAuthorize: z.boolean().default(false),
    /** リクエスト許容時間 in seconds; absent = the value set at SBPS. */
    limitSecond: z.number().int().min(1).max(9999).optional(),
    /** 支払方法 the merchant's contract allows beside 一括 (分割 回数, ボーナス一括, リボ); default 一括 only. */
    paymentMethods: paymentMethodsOption(SBPS_PAYMENT_METHODS).optional(),
    timeoutMs: z.number().int().positive().default(30_000),
    connectTimeoutMs: z.number().int().positive().default(5_000),
  })
  .strict()
  .refine((o) => (o.desKey === undefined) === (o.desIv === undefined), { message: "desKey and desIv go together", path: ["desIv"] })

export type SbpsOptionsInput = z.input<typeof sbpsOptionsSchema>
export type SbpsOptions = z.output<typeof sbpsOptionsSchema>

