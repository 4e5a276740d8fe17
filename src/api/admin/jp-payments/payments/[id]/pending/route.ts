// The merchant's word on a capture, refund or cancel whose answer was lost (jp.pending), after looking
// at the payment in the gateway's control panel. (Where the gateway can be asked, the plugin asks it on
// the next try by itself; these are for the gateways, or the cases, that cannot be asked.)
//
// DELETE /admin/jp-payments/payments/:id/pending — NOT done at the gateway: the mark goes, and the next
// try sends the operation.
//
// POST /admin/jp-payments/payments/:id/pending { done: true, at? } — it WAS done at the gateway: the
// mark records who confirmed it and when. The merchant then repeats the same operation (same amount) in
// Medusa's admin as usual; the provider records it from the mark without sending it again (Medusa makes
// its capture or refund record as for any answer; a status query that can see the operation is read
// first, and one that shows nothing done refuses). `at` is the mark's time as the admin page showed it:
// a mark that changed since is refused, so a confirmation never lands on another operation.
import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import type { IPaymentModuleService } from "@medusajs/framework/types"
import { MedusaError, Modules } from "@medusajs/framework/utils"
import { z } from "@medusajs/framework/zod"
import { confirmPending } from "../../../../../../core/machine"
import { readPaymentState } from "../../../../../../core/state"

const body = z.object({ done: z.literal(true), at: z.string().min(1).optional() }).strict()

async function markedPayment(req: AuthenticatedMedusaRequest) {
  const paymentModule = req.scope.resolve<IPaymentModuleService>(Modules.PAYMENT)
  const payment = await paymentModule.retrievePayment(req.params.id, { select: ["id", "data"] })
  const data = (payment.data ?? {}) as Record<string, unknown>
  const p = readPaymentState(data)
  if (!p) throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `payment ${payment.id} holds no card payment of this plugin`)
  if (!p.pending) throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `payment ${payment.id} has no operation waiting for its outcome`)
  return { paymentModule, payment, data, p, pending: p.pending }
}

export async function POST(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const parsed = body.safeParse(req.body ?? {})
  if (!parsed.success) {
    throw new MedusaError(
      MedusaError.Types.INVALID_DATA,
      'send { "done": true } (optionally with "at", the time of the lost operation as listed) when the operation was done at the gateway; ' +
        "when it was not, DELETE this resource instead"
    )
  }
  const { paymentModule, payment, data, p, pending } = await markedPayment(req)
  const by = req.auth_context?.actor_id ?? null
  const confirmed = confirmPending(p, by, new Date(), parsed.data.at)
  if ("refusal" in confirmed) throw new MedusaError(MedusaError.Types.NOT_ALLOWED, confirmed.refusal)
  if (!pending.confirmed) {
    req.scope.resolve("logger").info(`jp-payments: ${p.gateway} ${pending.op} of ${pending.amount} on ${p.order_code}: confirmed done at the gateway by ${by ?? "an admin"}; the next ${pending.op} of ${pending.amount} records it without sending it`)
    await paymentModule.updatePayment({ id: payment.id, data: { ...data, jp: confirmed.jp } } as { id: string })
  }
  res.json({ payment_id: payment.id, pending: confirmed.jp.pending, next: `repeat the ${pending.op} of ${pending.amount} in Medusa's admin: it is recorded without being sent again` })
}

export async function DELETE(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const { paymentModule, payment, data, p, pending } = await markedPayment(req)
  req.scope.resolve("logger").info(`jp-payments: ${p.gateway} ${pending.op} of ${pending.amount} on ${p.order_code}: cleared by ${req.auth_context?.actor_id ?? "an admin"} (not done at the gateway)`)
  await paymentModule.updatePayment({ id: payment.id, data: { ...data, jp: { ...p, pending: null } } } as { id: string })
  res.json({ payment_id: payment.id, cleared: pending })
}
