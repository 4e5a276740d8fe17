// POST /admin/jp-payments/payments/:id/capture { amount } — capture less than the authorized amount
// (gateways that sell a smaller amount and release the rest). Medusa's own capture passes no amount to
// a provider, so the gateway is called here first, then Medusa records the capture with `is_captured`
// (the provider is not called a second time). `amount` is in Medusa's units (whole yen for JPY).
//
// A smaller sale releases the rest of the authorization for good, so Medusa's records are brought to
// what the gateway did with Medusa's own mechanisms: the payment and its collection ask for the sold
// amount (so the capture is whole, nothing is left "to capture", and later refunds count against what
// was sold), and the released rest becomes an order credit line (createOrderCreditLinesWorkflow), so
// the order's total and summary show no outstanding amount.
import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import type { IPaymentModuleService } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, MedusaError, Modules } from "@medusajs/framework/utils"
import { z } from "@medusajs/framework/zod"
import { capturePaymentWorkflow, createOrderCreditLinesWorkflow, type CapturePaymentWorkflowInput } from "@medusajs/medusa/core-flows"
import { fromMinorUnits, toMinorUnits } from "../../../../../../core/money"
import { resolveCardProvider } from "../../../../../../core/resolve-provider"
import { readPaymentState } from "../../../../../../core/state"

const body = z.object({ amount: z.number().positive() }).strict()

export async function POST(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const parsed = body.safeParse(req.body ?? {})
  if (!parsed.success) throw new MedusaError(MedusaError.Types.INVALID_DATA, "send { amount }: the amount to capture, a positive number in the order's currency")
  const paymentModule = req.scope.resolve<IPaymentModuleService>(Modules.PAYMENT)
  const payment = await paymentModule.retrievePayment(req.params.id, {
    select: ["id", "provider_id", "data", "amount", "currency_code", "captured_at", "canceled_at", "payment_collection_id"],
    relations: ["captures"],
  })
  const provider = resolveCardProvider(req.scope, payment.provider_id)
  const data = (payment.data ?? {}) as Record<string, unknown>
  if (!readPaymentState(data)) throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `payment ${payment.id} holds no card payment of this plugin`)
  if (payment.canceled_at || payment.captured_at || (payment.captures ?? []).length > 0) {
    throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `payment ${payment.id} is canceled or already captured`)
  }
  const amount = toMinorUnits(parsed.data.amount, payment.currency_code)
  const next = await provider.captureAmount(data, amount)
  const sold = readPaymentState(next)!.amount
  const released = toMinorUnits(payment.amount, payment.currency_code) - sold
  // UpdatePaymentDTO declares only `id`; the module writes every given column (data, amount).
  await paymentModule.updatePayment({ id: payment.id, data: next, ...(released > 0 ? { amount: fromMinorUnits(sold, payment.currency_code) } : {}) } as { id: string })
  if (released > 0) await recordRelease(req, paymentModule, payment.id, payment.payment_collection_id, released, payment.currency_code)
  // The workflow hands its input to the Payment Module whole; `is_captured` (not in the workflow's
  // type) records the capture without calling the provider again.
  const input: CapturePaymentWorkflowInput & { is_captured: boolean } = {
    payment_id: payment.id,
    amount: fromMinorUnits(sold, payment.currency_code),
    captured_by: req.auth_context?.actor_id,
    is_captured: true,
  }
  await capturePaymentWorkflow(req.scope).run({ input })
  const updated = await paymentModule.retrievePayment(payment.id, { select: ["id", "data", "amount", "captured_at"], relations: ["captures"] })
  res.json({ payment: updated })
}

/** The released rest of a smaller sale, in Medusa's records: the collection asks for less, the order has a credit line. */
async function recordRelease(req: AuthenticatedMedusaRequest, paymentModule: IPaymentModuleService, paymentId: string, collectionId: string, released: number, currency: string) {
  const collection = await paymentModule.retrievePaymentCollection(collectionId, { select: ["id", "amount"] })
  const asked = toMinorUnits(collection.amount, currency)
  await paymentModule.updatePaymentCollections(collectionId, { amount: fromMinorUnits(Math.max(0, asked - released), currency) })
  const query = req.scope.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({ entity: "payment_collection", fields: ["id", "order.id"], filters: { id: collectionId } })
  const orderId = (data[0] as { order?: { id?: string } } | undefined)?.order?.id
  if (!orderId) return // a collection of no order: nothing more to bring in line
  await createOrderCreditLinesWorkflow(req.scope).run({
    input: {
      id: orderId,
      credit_lines: [{ amount: fromMinorUnits(released, currency), reference: "jp_payments_released_authorization", reference_id: paymentId, metadata: { reason: "smaller capture: the rest of the authorization was released at the gateway" } }],
    },
  })
}
