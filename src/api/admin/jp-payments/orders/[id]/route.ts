// GET /admin/jp-payments/orders/:id — every card payment of the order that this plugin made, with what
// the gateway holds (data.jp: state, references, amounts, card, 3-D Secure, history). The admin widget
// on the order page reads this. Payments of other providers are left out.
import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ContainerRegistrationKeys, MedusaError } from "@medusajs/framework/utils"
import { resolveCardProvider } from "../../../../../core/resolve-provider"
import { readPaymentState, type JpPaymentState } from "../../../../../core/state"
import { gatewayNamed } from "../../../../../gateways"

type Row = Record<string, any>

/** Query returns amounts as numbers, BigNumber objects or `{ value }` raws depending on the path. */
function amountOf(v: unknown): number | null {
  if (v === null || v === undefined) return null
  if (typeof v === "number") return v
  if (typeof v === "string") return Number(v)
  if (typeof v === "object") {
    const o = v as { numeric?: unknown; value?: unknown; toJSON?: () => unknown }
    if (typeof o.numeric === "number") return o.numeric
    if (o.value !== undefined) return Number(o.value)
    if (typeof o.toJSON === "function") return Number(o.toJSON())
  }
  return Number(v)
}

export interface JpOrderPayment {
  id: string
  provider_id: string
  amount: number | null
  currency_code: string
  captured_at: string | null
  canceled_at: string | null
  created_at: string | null
  captures: Array<{ id: string; amount: number | null; created_at: string | null; created_by: string | null }>
  refunds: Array<{ id: string; amount: number | null; created_at: string | null; note: string | null; refund_reason_id: string | null }>
  jp: JpPaymentState
  /** The gateway's names for people (the admin shows the one of its language). */
  gateway_name: { en: string; ja: string }
  /** Whether the gateway can sell less than the authorized amount (POST /admin/jp-payments/payments/:id/capture). */
  can_capture_amount: boolean
  /** The gateway's last refusal recorded on the payment's session (e.g. a declined first attempt), if any. */
  last_error: { code: string; message: string; message_ja?: string | null; kind?: string } | null
}

export async function GET(req: MedusaRequest, res: MedusaResponse) {
  const id = req.params.id
  const query = req.scope.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({
    entity: "order",
    fields: [
      "id",
      "payment_collections.id",
      "payment_collections.payments.*",
      "payment_collections.payments.data",
      "payment_collections.payments.captures.*",
      "payment_collections.payments.refunds.*",
      "payment_collections.payments.payment_session.id",
      "payment_collections.payments.payment_session.data",
    ],
    filters: { id },
  })
  const order = data[0] as Row | undefined
  if (!order) throw new MedusaError(MedusaError.Types.NOT_FOUND, `Order with id: ${id} was not found`)

  const payments: JpOrderPayment[] = []
  for (const pc of (order.payment_collections ?? []) as Row[]) {
    for (const p of (pc?.payments ?? []) as Row[]) {
      if (!p) continue
      const jp = readPaymentState(p.data ?? undefined)
      if (!jp || jp.v !== 1) continue
      const err = (jp as unknown as { error?: unknown }).error ?? p.payment_session?.data?.jp?.error ?? null
      payments.push({
        id: p.id,
        provider_id: p.provider_id,
        amount: amountOf(p.amount),
        currency_code: p.currency_code,
        captured_at: p.captured_at ?? null,
        canceled_at: p.canceled_at ?? null,
        created_at: p.created_at ?? null,
        captures: ((p.captures ?? []) as Row[]).filter(Boolean).map((c) => ({
          id: c.id,
          amount: amountOf(c.amount),
          created_at: c.created_at ?? null,
          created_by: c.created_by ?? null,
        })),
        refunds: ((p.refunds ?? []) as Row[]).filter(Boolean).map((r) => ({
          id: r.id,
          amount: amountOf(r.amount),
          created_at: r.created_at ?? null,
          note: r.note ?? null,
          refund_reason_id: r.refund_reason_id ?? null,
        })),
        jp,
        gateway_name: displayName(jp.gateway),
        can_capture_amount: capturesAmount(req, p.provider_id),
        last_error: err && typeof err === "object" && typeof (err as Row).code === "string" ? (err as JpOrderPayment["last_error"]) : null,
      })
    }
  }
  payments.sort((a, b) => String(a.created_at).localeCompare(String(b.created_at)))
  res.json({ payments })
}

function capturesAmount(req: MedusaRequest, providerId: string): boolean {
  try {
    return resolveCardProvider(req.scope, providerId).capturesAmount
  } catch {
    return false // a provider no longer registered
  }
}

function displayName(gateway: string): { en: string; ja: string } {
  const d = gatewayNamed(gateway)?.displayName
  return d ? { en: d.en, ja: d.ja } : { en: gateway, ja: gateway }
}
