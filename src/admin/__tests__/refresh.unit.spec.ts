// The widget's action leaves no stale Medusa panel: the dashboard's order and payment queries are
// invalidated together with the widget's own (a real react-query QueryClient).
import { QueryClient } from "@tanstack/react-query"
import { onAnyMutationSettled, refreshAfterPaymentAction } from "../lib/refresh"

describe("refreshAfterPaymentAction", () => {
  it("invalidates Medusa's order detail, order preview and payment queries, and the widget's", async () => {
    const client = new QueryClient()
    const keys = [
      ["orders", "detail", "order_1", { fields: "*payment_collections" }],
      [["orders", "detail", "order_1"], "preview"],
      ["payments", "detail", "pay_1"],
      ["medusa-payment-jp", "order-card-payments", "order_1"],
    ]
    for (const k of keys) client.setQueryData(k, { v: 1 })
    client.setQueryData(["products", "list"], { v: 1 })
    await refreshAfterPaymentAction(client, "order_1")
    for (const k of keys) expect(client.getQueryState(k)?.isInvalidated).toBe(true)
    expect(client.getQueryState(["products", "list"])?.isInvalidated).toBe(false)
  })
})

describe("onAnyMutationSettled", () => {
  it("calls back when any mutation of the page succeeds or fails (Medusa's refund losing its answer), not while it runs, and stops when unsubscribed", async () => {
    const client = new QueryClient()
    const seen: number[] = []
    let n = 0
    const stop = onAnyMutationSettled(client, () => seen.push(++n))
    const run = (fn: () => Promise<unknown>) => client.getMutationCache().build(client, { mutationFn: fn }).execute(undefined).catch(() => null)
    let release!: () => void
    const slow = run(() => new Promise<void>((r) => (release = r)))
    await new Promise((r) => setTimeout(r, 10))
    expect(seen).toEqual([])
    release()
    await slow
    await run(() => Promise.reject(new Error("NO_ANSWER")))
    expect(seen).toEqual([1, 2])
    stop()
    await run(() => Promise.resolve())
    expect(seen).toEqual([1, 2])
  })
})
