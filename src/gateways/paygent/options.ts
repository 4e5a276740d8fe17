// The merchant's PAYGENT settings, validated when Medusa boots. Certificates and keys may be PEM
// text or a file path; a path is read on first use (see `loadTls` in client.ts), so a store boots
// while its 接続キット files are being deployed, and a missing file fails the first telegram loudly.
import { z } from "@medusajs/framework/zod"
import { paymentMethodsOption, type DocumentedPaymentMethods } from "../../core/payment-method"

/**
 * 支払区分 020 takes (SPEC-MAIN): payment_class 10 1回払い, 23 ボーナス1回, 61 分割 (with split_count),
 * 80 リボ. [?] split_count is given only as 2 digits: the counts here are the ones Japanese card
 * companies offer; the merchant's contract names its own part of them (others are P030).
 */
export const PAYGENT_PAYMENT_METHODS: DocumentedPaymentMethods = { installments: [3, 5, 6, 10, 12, 15, 18, 20, 24], bonus: true, revolving: true }

export const DEFAULT_BASE_URL = "https://module.paygent.co.jp"

const pemOrPath = z
  .string()
  .min(1)
  .refine((s) => !s.includes("-----BEGIN") || /-----BEGIN [A-Z0-9 ]+-----[\s\S]+-----END [A-Z0-9 ]+-----/.test(s), "is neither a PEM block nor a file path")

const hashKey = z.string().min(1).max(256)

export const paygentOptionsSchema = z
  .object({
    /** マーチャントID (9 digits; sandbox and production differ). */
    merchantId: z.string().regex(/^\d{1,9}$/, "merchantId must be the numeric マーチャントID (at most 9 digits)"),
    /** 接続ID and 接続パスワード from the 接続キット. */
    connectId: z.string().regex(/^[A-Za-z0-9]{1,32}$/, "connectId must be at most 32 letters or digits"),
    connectPassword: z.string().regex(/^[A-Za-z0-9]{1,32}$/, "connectPassword must be at most 32 letters or digits"),
    telegramVersion: z.string().regex(/^[A-Za-z0-9.]{1,6}$/).default("1.0"),
    /** Client certificate: PEM (certificate, or certificate + key) text or file path, or a PKCS#12 (.pfx/.p12) file path. */
    clientCertificate: pemOrPath,
    /** The client certificate's private key (PEM text or path); absent when clientCertificate holds it or is PKCS#12. */
    clientKey: pemOrPath.optional(),
    clientKeyPassphrase: z.string().optional(),
    /** CA bundle (PEM text or path); default: the system's CAs. */
    caCertificate: pemOrPath.optional(),
    /** Gateway origin; default production. Point it at the simulator in development and tests. */
    baseUrl: z.string().url().default(DEFAULT_BASE_URL),
    /** Where PaygentToken.js is loaded from; default from baseUrl (token.paygent.co.jp for production). */
    tokenScriptUrl: z.string().url().optional(),
    /** 450 merchant_name: ASCII printable, at most 40 characters. */
    merchantName: z.string().regex(/^[\x20-\x7e]{1,40}$/, "merchantName must be at most 40 printable ASCII characters"),
    /** 3Dセキュア結果受付ハッシュ鍵: without it a 3-D Secure result cannot be trusted, so it is required. */
    threeDSResultHashKey: hashKey,
    /** 差分通知 ハッシュ値生成キー; absent = notifications are refused (nothing to verify them with). */
    noticeHashKey: hashKey.optional(),
    /** トークン生成鍵: public, handed to the browser for PaygentToken.js. */
    tokenGenerationKey: z.string().min(1).max(128),
    /** トークン受取ハッシュ鍵: when set, the token's hc from the browser is verified. */
    tokenReceiptHashKey: hashKey.optional(),
    /** Accept an attempt where the merchant bears the chargeback (attempt_kbn=1). */
    acceptMerchantLiability: z.boolean().default(false),
    /** A brand without 3-D Secure at the acquirer (31012) may be authorized with 3dsecure_ryaku=1. */
    allowWithout3DS: z.boolean().default(false),
    /** auth = オーソリ only (capture later with 022); auth_capture = sales_mode=1. */
    salesMode: z.enum(["auth", "auth_capture"]).default("auth"),
    /** false: a contract without 3-D Secure; 020 is sent with 3dsecure_ryaku=1. */
    threeDSecure: z.boolean().default(true),
    /** site_id (サイトID), the same on 450 and 020; absent = 基本サイト. */
    siteId: z.string().regex(/^[A-Za-z0-9]{1,4}$/).optional(),
    /** Module default is 35 s (MOD-PHP). */
    /** 支払区分 the merchant's contract allows beside 1回払い (分割 回数, ボーナス1回, リボ); default 1回払い only. */
    paymentMethods: paymentMethodsOption(PAYGENT_PAYMENT_METHODS).optional(),
    timeoutMs: z.number().int().positive().default(35_000),
    connectTimeoutMs: z.number().int().positive().default(10_000),
  })
  .strict()

export type PaygentOptionsInput = z.input<typeof paygentOptionsSchema>
export type PaygentOptions = z.output<typeof paygentOptionsSchema>

