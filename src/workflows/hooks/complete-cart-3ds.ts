// Before Medusa makes the order: a payment session whose 3-D Secure (or gateway page) was started with
// the session, and is not finished, gets its answer here — so an early completion changes nothing
// (no order made and rolled back, no order number spent). The answer has Medusa's payment error types,
// so POST /store/carts/:id/complete replies 200 { type: "cart", error } as for requires_more.
import { completeCartWorkflow } from "@medusajs/medusa/core-flows"
import { MedusaError, Modules } from "@medusajs/framework/utils"
import type { IPaymentModuleService } from "@medusajs/framework/types"
import { startedRedirectRefusal } from "../../core/machine"
import { readSessionState } from "../../core/state"

const WAITING = new Set(["pending", "requires_more"])

completeCartWorkflow.hooks.validate(async ({ cart }, { container }) => {
  const sessions = ((cart as { payment_collection?: { payment_sessions?: unknown[] } })?.payment_collection?.payment_sessions ?? []) as Array<{
    id?: string
    status?: string
    data?: Record<string, unknown>
  }>
  for (const s of sessions) {
    if (!s || !WAITING.has(String(s.status))) continue
    const jp = readSessionState(s.data ?? undefined)
    if (jp?.pay_before_order === true && s.id) {
      await payBeforeOrder(container.resolve<IPaymentModuleService>(Modules.PAYMENT), s.id, jp.gateway)
      continue
    }
    // Only sessions started before completion carry redirect_amount; older ones keep the old flow.
    if (!jp || typeof jp.redirect_amount !== "number") continue
    const refusal = startedRedirectRefusal(jp)
    if (!refusal) continue
    const type = refusal.code === "REDIRECT_PENDING" ? MedusaError.Types.PAYMENT_REQUIRES_MORE_ERROR : MedusaError.Types.PAYMENT_AUTHORIZATION_ERROR
    throw new MedusaError(type, `${jp.gateway} ${refusal.code}: ${refusal.message}`)
  }
})

/**
 * A payment whose own call may answer with a 3-D Secure page (no call authenticates alone): sent now,
 * before the order. Authorized: Medusa's own authorization step finds the session authorized and does
 * not call the provider again. Otherwise the session keeps what the provider answered (the page to go
 * to, or why it was refused) and completion stops here, with no order made.
 */
async function payBeforeOrder(payment: IPaymentModuleService, sessionId: string, gateway: string): Promise<void> {
  try {
    await payment.authorizePaymentSession(sessionId, {})
    return
  } catch (e) {
    const [after] = await payment.listPaymentSessions({ id: sessionId })
    if (after?.status === "authorized") return
    const jp = readSessionState((after?.data ?? undefined) as Record<string, unknown> | undefined)
    if (after?.status === "requires_more") {
      throw new MedusaError(
        MedusaError.Types.PAYMENT_REQUIRES_MORE_ERROR,
        `${gateway} REDIRECT_PENDING: the card needs 3-D Secure (or the gateway's page): follow the session's redirect, then complete the cart`
      )
    }
    const why = jp?.error ? `${jp.error.code}: ${jp.error.message}` : (e as Error).message
    throw new MedusaError(MedusaError.Types.PAYMENT_AUTHORIZATION_ERROR, `${gateway} ${why}`)
  }
}
