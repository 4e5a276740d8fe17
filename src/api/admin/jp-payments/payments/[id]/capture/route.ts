// POST /admin/jp-payments/payments/:id/capture { amount } — capture less than the authorized amount
// (gateways that sell a smaller amount and release the rest). Medusa's own capture passes no amount to
// a provider, so the gateway is called here first, then Medusa records the capture with `is_captured`
// (the provider is not called a second time). `amount` is in Medusa's units (whole yen for JPY).
import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import type { IPaymentModuleService } from "@medusajs/framework/types"
import { MedusaError, Modules } from "@medusajs/framework/utils"
import { z } from "@medusajs/framework/zod"
import { capturePaymentWorkflow, type CapturePaymentWorkflowInput } from "@medusajs/medusa/core-flows"
import { fromMinorUnits, toMinorUnits } from "../../../../../../core/money"
import { resolveCardProvider } from "../../../../../../core/resolve-provider"
import { readPaymentState } from "../../../../../../core/state"

const body = z.object({ amount: z.number().positive() }).strict()

export async function POST(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const parsed = body.safeParse(req.body ?? {})
  if (!parsed.success) throw new MedusaError(MedusaError.Types.INVALID_DATA, "send { amount }: the amount to capture, a positive number in the order's currency")
  const paymentModule = req.scope.resolve<IPaymentModuleService>(Modules.PAYMENT)
  const payment = await paymentModule.retrievePayment(req.params.id, {
    select: ["id", "provider_id", "data", "amount", "currency_code", "captured_at", "canceled_at"],
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
  // UpdatePaymentDTO declares only `id`; the module writes every given column (data included).
  await paymentModule.updatePayment({ id: payment.id, data: next } as { id: string })
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
