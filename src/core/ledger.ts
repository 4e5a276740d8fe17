// A provider's own payments as Medusa keeps them, for gateways that cannot list a customer's saved
// cards: each payment that saved or used a card keeps its reference under data.jp.saved_card. The
// Payment Module's payment service is in the provider's container (Medusa 2.21: `paymentService`).
import type { PaymentLedger, SavedCardPayment } from "./definition"
import type { JpPaymentState } from "./state"

interface PaymentService {
  list(filters: unknown, config: unknown): Promise<Array<{ data?: Record<string, unknown> | null }>>
}

/** The ledger of `gateway`'s payments, or undefined when Medusa's payment service is not in the container. */
export function paymentLedger(cradle: Record<string, unknown>, gateway: string): PaymentLedger | undefined {
  let service: PaymentService | undefined
  try {
    service = cradle.paymentService as PaymentService | undefined
  } catch {
    service = undefined // an awilix cradle throws for a name it does not know
  }
  if (!service) return undefined
  return {
    async withSavedCard(customerRef: string): Promise<SavedCardPayment[]> {
      const rows = await service!.list(
        { data: { jp: { gateway, saved_card: { customerRef } } } },
        { select: ["id", "data", "created_at"], order: { created_at: "DESC" }, take: 500 }
      )
      const out: SavedCardPayment[] = []
      for (const row of rows) {
        const jp = (row.data?.jp ?? {}) as Partial<JpPaymentState>
        const saved = jp.saved_card
        if (jp.gateway !== gateway || saved?.customerRef !== customerRef || !saved.cardRef) continue
        out.push({ savedCard: saved, references: jp.references ?? {}, card: jp.card ?? null })
      }
      return out
    },
  }
}

interface WritableService {
  list(filters: unknown, config: unknown): Promise<Array<{ id: string }>>
  update(data: { id: string; data: Record<string, unknown> }): Promise<unknown>
}

/**
 * Writes a step of a multi-step operation into Medusa's own records before the next step, through the
 * Payment Module's services in the provider's container (Medusa 2.21: `paymentService`,
 * `paymentSessionService`). Medusa calls a provider outside its transactions, so the write stands even
 * when the operation then fails. Undefined when the services are not in the container.
 */
export interface StepStore {
  /** The payment whose `data.jp.order_code` is `orderCode` gets `data`. */
  payment(orderCode: string, data: Record<string, unknown>): Promise<void>
  /** The payment session `sessionId` gets `data`. */
  session(sessionId: string, data: Record<string, unknown>): Promise<void>
}

export function stepStore(cradle: Record<string, unknown>, gateway: string): StepStore | undefined {
  const resolve = (name: string): WritableService | undefined => {
    try {
      return cradle[name] as WritableService | undefined
    } catch {
      return undefined
    }
  }
  const payments = resolve("paymentService")
  const sessions = resolve("paymentSessionService")
  if (!payments || !sessions) return undefined
  return {
    async payment(orderCode, data) {
      const rows = await payments.list({ data: { jp: { gateway, order_code: orderCode } } }, { select: ["id"], take: 2 })
      if (rows.length !== 1) throw new Error(`${gateway}: ${rows.length} payments for ${orderCode}; the step cannot be recorded`)
      await payments.update({ id: rows[0].id, data })
    },
    async session(sessionId, data) {
      await sessions.update({ id: sessionId, data })
    },
  }
}
