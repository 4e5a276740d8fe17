// Before Medusa makes the order: a payment session whose 3-D Secure (or gateway page) was started with
// the session, and is not finished, gets its answer here — so an early completion changes nothing
// (no order made and rolled back, no order number spent). The answer has Medusa's payment error types,
// so POST /store/carts/:id/complete replies 200 { type: "cart", error } as for requires_more.
import { completeCartWorkflow } from "@medusajs/medusa/core-flows"
import { MedusaError } from "@medusajs/framework/utils"
import { startedRedirectRefusal } from "../../core/machine"
import { readSessionState } from "../../core/state"

const WAITING = new Set(["pending", "requires_more"])

completeCartWorkflow.hooks.validate(async ({ cart }) => {
  const sessions = ((cart as { payment_collection?: { payment_sessions?: unknown[] } })?.payment_collection?.payment_sessions ?? []) as Array<{
    status?: string
    data?: Record<string, unknown>
  }>
  for (const s of sessions) {
    if (!s || !WAITING.has(String(s.status))) continue
    const jp = readSessionState(s.data ?? undefined)
    // Only sessions started before completion carry redirect_amount; older ones keep the old flow.
    if (!jp || typeof jp.redirect_amount !== "number") continue
    const refusal = startedRedirectRefusal(jp)
    if (!refusal) continue
    const type = refusal.code === "REDIRECT_PENDING" ? MedusaError.Types.PAYMENT_REQUIRES_MORE_ERROR : MedusaError.Types.PAYMENT_AUTHORIZATION_ERROR
    throw new MedusaError(type, `${jp.gateway} ${refusal.code}: ${refusal.message}`)
  }
})
