import { MedusaError } from "@medusajs/framework/utils"
import { CardProvider } from "../../core/card-provider"
import type { SavedCard } from "../../core/gateway"
import type { Logger } from "../../core/http"
import { PaymentOptionsGateway, type StoredCardIndex } from "../../gateways/payment-options/gateway"
import { parsePaymentOptionsOptions, type PaymentOptionsOptions, type PaymentOptionsOptionsInput } from "../../gateways/payment-options/options"

/** PaymentOptions card payments: the hosted payment page or a stored card, 3-D Secure by redirect. */
export class PaymentOptionsProviderService extends CardProvider<PaymentOptionsOptionsInput & Record<string, unknown>> {
  static identifier = "payment-options"

  protected readonly gateway: PaymentOptionsGateway
  protected readonly captureOnAuthorize: boolean
  readonly options: PaymentOptionsOptions

  constructor(cradle: Record<string, unknown>, options: PaymentOptionsOptionsInput & Record<string, unknown>) {
    super(cradle, options)
    this.options = parsePaymentOptionsOptions(options)
    this.gateway = new PaymentOptionsGateway(this.options, cradle.logger as Logger | undefined)
    this.captureOnAuthorize = this.options.captureMode === "purchase"
    this.gateway.storedCards = storedCardIndex(cradle, this.options.merchantId)
  }

  static validateOptions(options: Record<string, unknown>): void {
    try {
      parsePaymentOptionsOptions(options)
    } catch (e) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, (e as Error).message)
    }
  }
}

interface PaymentRow {
  data?: Record<string, unknown> | null
}

/**
 * PaymentOptions has no call that lists a customer's stored cards, so the list is read from Medusa's
 * own payments: each one paid with save_card keeps the stored_payment_method_id it made (with the
 * merchant id, since a stored id belongs to one DASMID). The Payment Module's own payment service is
 * in the provider's container.
 */
function storedCardIndex(cradle: Record<string, unknown>, merchantId: string): StoredCardIndex | undefined {
  let service: { list(filters: unknown, config: unknown): Promise<PaymentRow[]> } | undefined
  try {
    service = cradle.paymentService as typeof service
  } catch {
    service = undefined
  }
  if (!service) return undefined
  return {
    async list(customerRef: string): Promise<SavedCard[]> {
      const rows = await service!.list(
        { data: { jp: { gateway: "payment-options", saved_card: { customerRef } } } },
        { select: ["id", "data", "created_at"], order: { created_at: "DESC" }, take: 500 }
      )
      const seen = new Map<string, SavedCard>()
      for (const row of rows) {
        const jp = (row.data?.jp ?? {}) as { saved_card?: { customerRef?: string; cardRef?: string }; references?: Record<string, string>; card?: SavedCard["card"] }
        const ref = jp.saved_card
        if (ref?.customerRef !== customerRef || !ref.cardRef || jp.references?.mid !== merchantId) continue
        if (!seen.has(ref.cardRef)) seen.set(ref.cardRef, { id: ref.cardRef, card: jp.card ?? {} })
      }
      return [...seen.values()]
    },
  }
}

export default PaymentOptionsProviderService
