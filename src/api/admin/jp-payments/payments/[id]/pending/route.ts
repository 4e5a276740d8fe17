// DELETE /admin/jp-payments/payments/:id/pending — the merchant looked in the gateway's control panel
// and found that a capture, refund or cancel whose answer was lost was NOT done there: the plugin's
// pending mark goes, and the next try sends the operation. (Where the gateway can be asked, the plugin
// asks it on the next try by itself; this is for the gateways that cannot be asked.)
import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import type { IPaymentModuleService } from "@medusajs/framework/types"
import { MedusaError, Modules } from "@medusajs/framework/utils"
import { readPaymentState } from "../../../../../../core/state"

export async function DELETE(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const paymentModule = req.scope.resolve<IPaymentModuleService>(Modules.PAYMENT)
  const payment = await paymentModule.retrievePayment(req.params.id, { select: ["id", "data"] })
  const data = (payment.data ?? {}) as Record<string, unknown>
  const p = readPaymentState(data)
  if (!p) throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `payment ${payment.id} holds no card payment of this plugin`)
  if (!p.pending) throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `payment ${payment.id} has no operation waiting for its outcome`)
  req.scope.resolve("logger").info(`jp-payments: ${p.gateway} ${p.pending.op} of ${p.pending.amount} on ${p.order_code}: cleared by ${req.auth_context?.actor_id ?? "an admin"} (not done at the gateway)`)
  await paymentModule.updatePayment({ id: payment.id, data: { ...data, jp: { ...p, pending: null } } } as { id: string })
  res.json({ payment_id: payment.id, cleared: p.pending })
}
