// Order page, side column: each card payment of the order as the Japanese gateway holds it — state,
// amounts, the 支払方法, the gateway's references, the card, the 3-D Secure outcome and the history of operations.
// Renders nothing for an order without a card payment of this plugin.
import { defineWidgetConfig } from "@medusajs/admin-sdk"
import type { AdminOrder, DetailWidgetProps } from "@medusajs/framework/types"
import type { JpOrderPayment } from "../../api/admin/jp-payments/orders/[id]/route"
import { formatMoney as money, gatewayLabelIn, isJapanese, sdk } from "../lib/common"
import { threeDSDetailKey } from "../lib/format"
import { usePendingWord } from "../lib/pending"
import { onAnyMutationSettled, refreshAfterPaymentAction, WIDGET_QUERY_KEY } from "../lib/refresh"
import { Button, Container, Heading, Input, StatusBadge, Text } from "@medusajs/ui"
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query"
import { useEffect, useState, type ReactNode } from "react"
import { useTranslation } from "react-i18next"
import en from "../i18n/en.json"

type JpPayment = JpOrderPayment
type ChargeState = JpPayment["jp"]["state"]

// Labels: src/admin/i18n (jpPayments.orderPayments.*), in the language the admin user picked.
function useLabels() {
  const { t, i18n } = useTranslation()
  const ja = isJapanese(i18n.language)
  const L = (key: string) => t(`jpPayments.orderPayments.${key}`)
  /** A label of a group (state, ops, …) for a value the gateway may extend: the value itself when unknown. */
  const of = (group: string, value: string) => {
    const key = `jpPayments.orderPayments.${group}.${value}`
    return i18n.exists(key) ? t(key) : value
  }
  /** 一括払い, 分割払い（3回）… in the admin's language (jpPayments.paymentMethod.*); absent: 一括 (payments made before it was kept). */
  const method = (m: JpPayment["jp"]["payment_method"]) => {
    const type = m?.type ?? "lump"
    const key = `jpPayments.paymentMethod.${type}`
    return i18n.exists(key) ? t(key, { n: m?.count }) : type
  }
  /**
   * The 3-D Secure outcome's detail in the admin's language (jpPayments.threeDSDetail.*). A payment
   * recorded before detail_key has the English text only: its label is found from the words (lib/format).
   */
  const threeDSDetail = (o: NonNullable<JpPayment["jp"]["three_ds"]>, gateway: string) => {
    const found = threeDSDetailKey(o, DETAIL_LABELS, gateway)
    const detailKey = found ? `jpPayments.threeDSDetail.${found.key}` : undefined
    return found && detailKey && i18n.exists(detailKey) ? t(detailKey, found.values) : o.detail
  }
  return { L, of, ja, method, threeDSDetail, methodTitle: t("jpPayments.paymentMethod.title") }
}

/** The English labels of 3-D Secure details: what older payments' texts are matched against. */
const DETAIL_LABELS = en.jpPayments.threeDSDetail as Record<string, string>

const STATE_COLOR: Record<ChargeState, "green" | "red" | "blue" | "orange" | "grey"> = {
  authorized: "blue",
  captured: "green",
  canceled: "grey",
  refunded: "red",
  partially_refunded: "orange",
}

function when(iso: string | null | undefined, ja: boolean): string {
  if (!iso) return "—"
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  return d.toLocaleString(ja ? "ja-JP" : "en-US", { year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" })
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="grid grid-cols-2 items-start gap-x-4 px-6 py-2">
      <Text size="small" leading="compact" weight="plus" className="text-ui-fg-subtle">
        {label}
      </Text>
      <Text size="small" leading="compact" className="break-words">
        {children}
      </Text>
    </div>
  )
}

/** A capture of less than the authorized amount, through the plugin's admin route. */
function CaptureAmount({ p, orderId }: { p: JpPayment; orderId: string }) {
  const { L } = useLabels()
  const [value, setValue] = useState(String(p.amount ?? ""))
  const client = useQueryClient()
  const capture = useMutation({
    mutationFn: (amount: number) => sdk.client.fetch(`/admin/jp-payments/payments/${p.id}/capture`, { method: "POST", body: { amount } }),
    // Medusa's own panels (summary, payments) read its queries: refresh them with the widget's.
    onSuccess: () => refreshAfterPaymentAction(client, orderId),
  })
  const amount = Number(value)
  return (
    <div className="flex flex-col gap-y-2 px-6 py-3">
      <Text size="small" weight="plus">
        {L("captureAmount")}
      </Text>
      <Text size="xsmall" className="text-ui-fg-subtle">
        {L("captureHelp")}
      </Text>
      <div className="flex gap-x-2">
        <Input type="number" min={1} max={p.amount ?? undefined} value={value} onChange={(e) => setValue(e.target.value)} size="small" />
        <Button size="small" variant="secondary" isLoading={capture.isPending} disabled={!(amount > 0)} onClick={() => capture.mutate(amount)}>
          {L("capture")}
        </Button>
      </div>
      {capture.error && (
        <Text size="xsmall" className="text-ui-fg-error">
          {L("captureFailed")}: {(capture.error as Error).message}
        </Text>
      )}
    </div>
  )
}

/**
 * A capture, refund or cancel sent without an answer (jp.pending): the plugin does not resend it. The
 * merchant checks the gateway's control panel; "not done" clears the mark so that the next try sends it,
 * "done at the gateway" confirms it, and the same operation repeated here is recorded without being sent.
 */
function PendingNotice({ p, orderId }: { p: JpPayment; orderId: string }) {
  const { L, ja } = useLabels()
  const { t, i18n } = useTranslation()
  const client = useQueryClient()
  // asked first, then saved; Medusa's panels and this widget refreshed (lib/pending)
  const word = usePendingWord(() => refreshAfterPaymentAction(client, orderId))
  const pending = p.jp.pending
  if (!pending) return null
  // the operation inside a sentence ("a refund of ¥2,300"), not the history's label ("Refund")
  const opKey = `jpPayments.pending.ops.${pending.op}`
  const vars = {
    op: i18n.exists(opKey) ? t(opKey) : pending.op,
    amount: money(pending.amount, p.jp.currency || p.currency_code),
    gateway: gatewayLabelIn(p.gateway_name, p.jp.gateway, ja),
    code: p.jp.order_code,
    at: when(pending.at, ja),
    when: pending.confirmed ? when(pending.confirmed.at, ja) : "",
  }
  const failed = word.failed(p.id)
  return (
    <div className="flex flex-col gap-y-2 bg-ui-bg-subtle px-6 py-3" data-jp-pending={pending.op}>
      <Text size="small" weight="plus" className={pending.confirmed ? "text-ui-fg-base" : "text-ui-fg-error"}>
        {pending.confirmed ? L("pendingConfirmedTitle") : L("pendingTitle")}
      </Text>
      <Text size="small" className="text-ui-fg-subtle">
        {t(pending.confirmed ? "jpPayments.orderPayments.pendingConfirmedText" : "jpPayments.orderPayments.pendingText", vars)}
      </Text>
      <div className="flex flex-col items-start gap-y-2">
        {!pending.confirmed && (
          <Button size="small" variant="secondary" data-jp-pending-action="done" isLoading={word.saying(p.id, true)} onClick={() => word.say({ id: p.id, done: true, at: pending.at }, vars)}>
            {L("pendingDone")}
          </Button>
        )}
        <Button size="small" variant="secondary" data-jp-pending-action="not-done" isLoading={word.saying(p.id, false)} onClick={() => word.say({ id: p.id, done: false, at: pending.at }, vars)}>
          {L("pendingClear")}
        </Button>
      </div>
      {failed && (
        <Text size="xsmall" className="text-ui-fg-error">
          {failed.done ? L("pendingDoneFailed") : L("pendingClearFailed")}: {failed.message}
        </Text>
      )}
    </div>
  )
}

function PaymentCard({ p, orderId }: { p: JpPayment; orderId: string }) {
  const { L, of, ja, method, threeDSDetail, methodTitle } = useLabels()
  const jp = p.jp
  const cur = jp.currency || p.currency_code
  const refs = Object.entries(jp.references ?? {}).filter(([, v]) => v !== "" && v !== undefined && v !== null)
  const threeDSStatus = jp.three_ds ? of("threeDSStatus", jp.three_ds.status) : null
  const liability = jp.three_ds ? of("liabilityWho", jp.three_ds.liability) : null
  return (
    <div className="divide-y">
      <div className="flex items-center justify-between px-6 py-3">
        <Text size="small" weight="plus">
          {gatewayLabelIn(p.gateway_name, jp.gateway, ja)}
        </Text>
        <StatusBadge color={STATE_COLOR[jp.state] ?? "grey"}>{of("state", jp.state)}</StatusBadge>
      </div>
      {/* what the merchant must do comes first: the rest of the card is as the gateway last answered */}
      <PendingNotice p={p} orderId={orderId} />
      <div className="py-2">
        <Row label={L("authorized")}>{money(jp.authorized_amount, cur)}</Row>
        {/* An authorization (仮売上) is not a charge yet: say so until it is captured. */}
        <Row label={jp.state === "authorized" ? L("toCapture") : L("charged")}>{money(jp.amount, cur)}</Row>
        {jp.sold_amount != null && jp.sold_amount < jp.authorized_amount && <Row label={L("sold")}>{money(jp.sold_amount, cur)}</Row>}
        <Row label={L("refunded")}>{money(jp.refunded_amount, cur)}</Row>
        <Row label={methodTitle}>
          <span data-jp-payment-method={jp.payment_method?.type ?? "lump"}>{method(jp.payment_method)}</span>
        </Row>
      </div>
      <div className="py-2">
        <Row label={L("orderCode")}>
          <code>{jp.order_code}</code>
        </Row>
      </div>
      {refs.length > 0 && (
        <div className="py-2">
          <div className="px-6 pb-1 pt-1">
            <Text size="xsmall" weight="plus" className="text-ui-fg-muted">
              {L("references")}
            </Text>
          </div>
          {refs.map(([k, v]) => (
            <Row key={k} label={k}>
              <code>{v}</code>
            </Row>
          ))}
        </div>
      )}
      {(jp.card || jp.saved_card) && (
        <div className="py-2">
          {jp.card && (
            <Row label={L("card")}>
              {jp.card.unavailable ? L("cardUnavailable") : <code>{[jp.card.brand, jp.card.masked].filter(Boolean).join(" ") || "—"}</code>}
            </Row>
          )}
          {jp.card?.expiry && <Row label={L("expiry")}>{jp.card.expiry}</Row>}
          {jp.saved_card && <Row label={L("savedCard")}>#{jp.saved_card.cardRef}</Row>}
        </div>
      )}
      {jp.three_ds && (
        <div className="py-2">
          <Row label={L("threeDS")}>{threeDSStatus}</Row>
          <Row label={L("liability")}>{liability}</Row>
          {jp.three_ds.detail && (
            <div className="px-6 pb-2">
              <Text size="xsmall" className="text-ui-fg-muted" data-jp-three-ds-detail={jp.three_ds.detail_key ?? ""}>
                {threeDSDetail(jp.three_ds, jp.gateway)}
              </Text>
            </div>
          )}
        </div>
      )}
      {jp.history && jp.history.length > 0 && (
        <div className="px-6 py-3">
          <Text size="small" weight="plus" className="mb-2">
            {L("history")}
          </Text>
          <div className="overflow-x-auto">
            <table className="w-full text-left">
              <thead>
                <tr className="border-b">
                  <th className="py-1 pr-2 whitespace-nowrap"><Text size="xsmall" weight="plus" className="text-ui-fg-subtle">{L("op")}</Text></th>
                  <th className="py-1 pr-2"><Text size="xsmall" weight="plus" className="text-ui-fg-subtle">{L("reference")}</Text></th>
                  <th className="py-1 pr-2 text-right"><Text size="xsmall" weight="plus" className="text-ui-fg-subtle">{L("amount")}</Text></th>
                  <th className="py-1"><Text size="xsmall" weight="plus" className="text-ui-fg-subtle">{L("time")}</Text></th>
                </tr>
              </thead>
              <tbody>
                {jp.history.map((h, i) => (
                  <tr key={`${h.op}-${h.reference}-${i}`} className="border-b last:border-b-0 align-top">
                    <td className="py-1 pr-2 whitespace-nowrap">
                      <Text size="xsmall">{of("ops", h.op)}</Text>
                      {/* recorded on the merchant's word after a lost answer, not on a gateway answer */}
                      {h.confirmed && <Text size="xsmall" className="whitespace-normal text-ui-fg-subtle">{L("historyConfirmed")}</Text>}
                    </td>
                    <td className="py-1 pr-2"><Text size="xsmall"><code>{h.reference}</code></Text></td>
                    <td className="py-1 pr-2 text-right whitespace-nowrap"><Text size="xsmall">{money(h.amount, cur)}</Text></td>
                    <td className="py-1"><Text size="xsmall" className="text-ui-fg-subtle">{when(h.at, ja)}</Text></td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      )}
      {jp.state === "authorized" && !p.canceled_at && p.captures.length === 0 && p.can_capture_amount && <CaptureAmount p={p} orderId={orderId} />}
      {p.last_error && (
        <div className="px-6 py-3">
          <Text size="small" weight="plus" className="text-ui-fg-error">
            {L("lastError")}: {p.last_error.code}
          </Text>
          <Text size="small" className="text-ui-fg-subtle">
            {/* without a Japanese text, a Japanese admin sees the gateway's own words, labelled as such */}
            {ja && !p.last_error.message_ja ? `${L("gatewayMessage")}: ` : ""}
            {(ja && p.last_error.message_ja) || p.last_error.message}
          </Text>
        </div>
      )}
    </div>
  )
}

/** What changes on the order when a payment is captured, canceled or refunded (by this widget or by Medusa's). */
function paymentsVersion(order: AdminOrder): string {
  const payments = (order.payment_collections ?? []).flatMap((pc) => pc?.payments ?? [])
  return [order.payment_status, ...payments.map((p) => `${p.id}:${p.captured_at ?? ""}:${p.canceled_at ?? ""}:${p.captures?.length ?? 0}:${p.refunds?.length ?? 0}`)].join("|")
}

const OrderCardPaymentsWidget = ({ data: order }: DetailWidgetProps<AdminOrder>) => {
  const { L } = useLabels()
  const client = useQueryClient()
  // a refund, capture or cancel on this page that failed (its answer lost) leaves the order as it was:
  // read the payments again after any of them, so that what the merchant must do shows at once
  useEffect(() => onAnyMutationSettled(client, () => void client.invalidateQueries({ queryKey: [WIDGET_QUERY_KEY, "order-card-payments", order.id] })), [client, order.id])
  const { data, error } = useQuery({
    // Medusa's own capture or refund refetches the order it passes here, not this query: what its payments
    // went through is part of the key, so the widget follows (showing the last answer meanwhile).
    queryKey: [WIDGET_QUERY_KEY, "order-card-payments", order.id, paymentsVersion(order)],
    queryFn: () => sdk.client.fetch<{ payments: JpPayment[] }>(`/admin/jp-payments/orders/${order.id}`),
    placeholderData: (previous) => previous,
  })
  if (error) {
    return (
      <Container className="px-6 py-4">
        <Text size="small" className="text-ui-fg-error">
          {L("loadError")}: {(error as Error).message}
        </Text>
      </Container>
    )
  }
  const payments = data?.payments ?? []
  if (payments.length === 0) return null
  return (
    <Container className="divide-y p-0">
      <div className="px-6 py-4">
        <Heading level="h2">{L("title")}</Heading>
      </div>
      {payments.map((p) => (
        <PaymentCard key={p.id} p={p} orderId={order.id} />
      ))}
    </Container>
  )
}

export const config = defineWidgetConfig({
  zone: "order.details.side",
  id: "medusa-payment-jp:order-card-payments",
})

export default OrderCardPaymentsWidget
