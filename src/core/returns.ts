// The browser's way back from 3-D Secure or a gateway's payment page, for every gateway:
// /jp-payments/return/<orderCode>. The order code names the session (hence the provider); the gateway
// verifies what came back against what the session expects; the verified outcome is recorded once, under
// the cart's lock; the shopper is sent on to the storefront, whose next cart completion finishes the
// payment with the gateway. Nothing here charges: a forged return can at most make completion ask the
// gateway, which knows the truth.
import { MedusaError, Modules } from "@medusajs/framework/utils"
import type { IPaymentModuleService, MedusaContainer } from "@medusajs/framework/types"
import type { CardProvider } from "./card-provider"
import { GatewayError, type IncomingNotification } from "./gateway"
import { recordReturn } from "./machine"
import { withCartLock, type NotificationAnswer } from "./notifications"
import { fromOrderCode } from "./order-code"
import { resolveCardProvider } from "./resolve-provider"
import { readPaymentState, readSessionState } from "./state"

export interface ReturnAnswer extends NotificationAnswer {
  /** Set for a redirect (303). */
  location?: string
}

const text = (status: number, body: string): ReturnAnswer => ({ status, contentType: "text/plain; charset=utf-8", body })

export async function handleReturn(scope: MedusaContainer, orderCode: string, incoming: IncomingNotification): Promise<ReturnAnswer> {
  const logger = scope.resolve("logger") as { warn(m: string): void; info(m: string): void }
  const sessionId = fromOrderCode(orderCode)
  const paymentModule = scope.resolve<IPaymentModuleService>(Modules.PAYMENT)
  const [found] = sessionId ? await paymentModule.listPaymentSessions({ id: sessionId }) : []
  if (!found) return text(404, "no payment session for this order code")
  let provider: CardProvider
  try {
    provider = resolveCardProvider(scope, found.provider_id)
  } catch (e) {
    if (e instanceof MedusaError) return text(404, e.message)
    throw e
  }

  return withCartLock(scope, found, async () => {
    const [session] = await paymentModule.listPaymentSessions({ id: found.id })
    const data = (session.data ?? {}) as Record<string, unknown>
    const jp = readSessionState(data)
    if (!jp) {
      // Already authorized (a second click on the gateway's button, a retried call): send the shopper on.
      return readPaymentState(data) ? onward(provider, null, session.id, "ok") : text(409, "this payment session is not waiting for the gateway")
    }
    if (!jp.redirect_state) return text(409, "this payment session is not waiting for the gateway")
    let result
    try {
      result = provider.receiveReturn(incoming, jp)
    } catch (e) {
      if (e instanceof GatewayError) {
        logger.warn(`${found.provider_id}: return for ${orderCode} refused: ${e.code} ${e.message}`)
        return text(400, e.message)
      }
      throw e
    }
    const updated = jp.attempt === "redirect" ? recordReturn(data, result, new Date()) : null
    if (updated) {
      await paymentModule.updatePaymentSession({ id: session.id, data: updated, amount: session.amount, currency_code: session.currency_code })
      logger.info(`${found.provider_id}: ${orderCode} came back from the gateway: ${result.outcome}`)
    }
    if (result.respond) return { ...result.respond }
    // The first recorded outcome stands: a repeated return is answered as the first was.
    return onward(provider, jp.return_to, session.id, jp.returned?.outcome ?? result.outcome)
  })
}

/** 303 to the storefront (the session's return_url, else the storefrontUrl option), or a plain page. */
function onward(provider: CardProvider, returnTo: string | null, sessionId: string, outcome: "ok" | "failed"): ReturnAnswer {
  const target = returnTo ?? provider.storefrontUrl
  if (!target) {
    const message = outcome === "ok" ? "The card step is finished. Go back to the shop to complete your order." : "The card was not accepted. Go back to the shop and try again."
    return { status: 200, contentType: "text/html; charset=utf-8", body: `<!doctype html><meta charset="utf-8"><title>${outcome}</title><p>${message}</p>` }
  }
  const url = new URL(target)
  url.searchParams.set("payment_session_id", sessionId)
  url.searchParams.set("jp_result", outcome)
  return { status: 303, contentType: "text/plain; charset=utf-8", body: `See ${url}`, location: url.toString() }
}
