// Medusa scheduled job (runs in the worker): settles card payments whose answer was lost, where the
// gateway can be asked; see src/core/reconcile.ts. MEDUSA_PAYMENT_JP_RECONCILE=off turns it off (the
// test suites do, so that it never races them).
import type { MedusaContainer } from "@medusajs/framework/types"
import { reconcileCardPayments } from "../core/reconcile"

export default async function reconcileCardPaymentsJob(container: MedusaContainer) {
  if (process.env.MEDUSA_PAYMENT_JP_RECONCILE === "off") return
  const logger = container.resolve("logger") as { info(m: string): void }
  const r = await reconcileCardPayments(container)
  if (r.asked.length) logger.info(`medusa-payment-jp: reconciliation asked ${r.asked.length}, settled ${r.settled.length}`)
}

export const config = {
  name: "medusa-payment-jp-reconcile-card-payments",
  schedule: "*/10 * * * *",
}
