// The merchant's PaymentOptions settings, validated when Medusa boots.
import { z } from "@medusajs/framework/zod"

export const LIVE_BASE_URL = "https://api.paymentoptions.com"
export const DEV_BASE_URL = "https://api-dev.paymentoptions.com"

export const paymentOptionsOptionsSchema = z
  .object({
    /** DASMID, e.g. JP00000472 (at most 10 characters: capture, void and refund take no more). */
    merchantId: z.string().regex(/^[A-Za-z0-9]{1,10}$/, "merchantId must be the DASMID (at most 10 letters and digits)"),
    /** The Secret API Key; sent as `Authorization: Basic base64(apiKey)`. */
    apiKey: z.string().min(1).optional(),
    /** Or the portal's pre-encoded value ("ENCODE BASE64"), sent as it is: `Basic …`. */
    authorization: z.string().regex(/^Basic \S+$/, 'authorization must be the portal value "Basic …"').optional(),
    /** The separate x-api-key header value "provided along with credentials". */
    xApiKey: z.string().min(1),
    /** API origin: live by default, https://api-dev.paymentoptions.com for the sandbox, or a simulator. */
    baseUrl: z.string().url().default(LIVE_BASE_URL),
    /** "authorize" (default): authorizationv2, capture later from the admin; "purchase": paymentv2, captured at once. */
    captureMode: z.enum(["authorize", "purchase"]).default("authorize"),
    /** Signs the per-transaction webhook URLs (HMAC-SHA256 of the order code); at least 16 characters. */
    webhookSecret: z.string().min(16, "webhookSecret must be at least 16 characters"),
    /** merchant_email, required by the hosted payment page link (and the billing e-mail when a cart has none). */
    merchantEmail: z.string().email().max(45),
    /** Country for billing_address when the cart gives none (the gateway requires the address). */
    defaultCountry: z.string().regex(/^[A-Z]{2}$/).default("JP"),
    /** IANA time zone sent as time_zone. */
    timeZone: z.string().min(1).default("Asia/Tokyo"),
    /** Time allowed for an answer, in ms. */
    timeoutMs: z.number().int().positive().default(30_000),
    connectTimeoutMs: z.number().int().positive().default(5_000),
  })
  .strict()
  .refine((o) => (o.apiKey === undefined) !== (o.authorization === undefined), {
    message: "give exactly one of apiKey or authorization",
    path: ["apiKey"],
  })

export type PaymentOptionsOptionsInput = z.input<typeof paymentOptionsOptionsSchema>
export type PaymentOptionsOptions = z.output<typeof paymentOptionsOptionsSchema>


/**
 * The Authorization header value: the portal's pre-encoded value, or base64(apiKey) with no ":"
 * (docs/gateways/payment-options.md §2).
 */
export function authorizationHeader(o: Pick<PaymentOptionsOptions, "apiKey" | "authorization">): string {
  if (o.authorization) return o.authorization
  return `Basic ${Buffer.from(o.apiKey ?? "", "utf8").toString("base64")}`
}
