// After the plugin's admin acts on a payment (a capture of an amount …), Medusa's own order page
// must show it at once: its panels read Medusa's queries, keyed "orders" (detail, preview, changes)
// and "payments" by the dashboard's query-key factory, so those are invalidated with the widget's own.
import type { QueryClient } from "@tanstack/react-query"

export const WIDGET_QUERY_KEY = "medusa-payment-jp"
/** The dashboard's query-key roots (Medusa 2.21 `queryKeysFactory("orders")`, `("payments")`). */
export const MEDUSA_QUERY_ROOTS = ["orders", "payments", "payment_collections"] as const

export async function refreshAfterPaymentAction(client: QueryClient, orderId: string): Promise<void> {
  await Promise.all([
    ...[WIDGET_QUERY_KEY, ...MEDUSA_QUERY_ROOTS].map((root) => client.invalidateQueries({ queryKey: [root] })),
    // the order preview's key nests the detail key: [["orders", "detail", id], "preview"]
    client.invalidateQueries({ queryKey: [["orders", "detail", orderId]] }),
  ])
}

/**
 * Calls `then` whenever a mutation of the page settles, failed ones included: Medusa's own refund,
 * capture or cancel that loses its answer changes nothing on the order it passes to a widget (so no
 * query key moves), yet the payment now carries a mark the widget must show. Returns the unsubscribe.
 */
export function onAnyMutationSettled(client: QueryClient, then: () => void): () => void {
  return client.getMutationCache().subscribe((event) => {
    if (event.type !== "updated") return
    const t = event.action.type
    if (t === "success" || t === "error") then()
  })
}
