// Order page, side column: each card payment of the order as the Japanese gateway holds it — state,
// amounts, the gateway's references, the card, the 3-D Secure outcome and the history of operations.
// Renders nothing for an order without a card payment of this plugin.
import { defineWidgetConfig } from "@medusajs/admin-sdk"
import type { AdminOrder, DetailWidgetProps } from "@medusajs/framework/types"
import type { JpOrderPayment } from "../../api/admin/jp-payments/orders/[id]/route"
import { JA, gatewayLabel, sdk } from "../lib/common"
import { refreshAfterPaymentAction } from "../lib/refresh"
import { Button, Container, Heading, Input, StatusBadge, Text } from "@medusajs/ui"
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query"
import { useState, type ReactNode } from "react"

type JpPayment = JpOrderPayment
type ChargeState = JpPayment["jp"]["state"]

const LABELS = {
  en: {
    title: "Card payment",
    authorized: "Authorized",
    charged: "Now charged",
    refunded: "Refunded",
    references: "Gateway references",
    orderCode: "Order code",
    card: "Card",
    cardUnavailable: "not returned by the gateway",
    expiry: "Expiry",
    savedCard: "Saved card",
    threeDS: "3-D Secure",
    liability: "Chargeback liability",
    history: "History",
    op: "Operation",
    reference: "Reference",
    amount: "Amount",
    time: "Time",
    lastError: "Last error",
    loadError: "Could not load the card payments",
    sold: "Sold (smaller capture)",
    captureAmount: "Capture an amount",
    captureHelp: "Sells this amount now and releases the rest of the authorization.",
    capture: "Capture",
    captureFailed: "Capture failed",
    state: { authorized: "Authorized", captured: "Captured", canceled: "Canceled", refunded: "Refunded", partially_refunded: "Partially refunded" },
    ops: { authorize: "Authorize", capture: "Capture", cancel: "Cancel", refund: "Refund", recharge: "Re-charge", notification: "Notification" },
    threeDSStatus: {
      frictionless: "Frictionless",
      challenge: "Challenge passed",
      attempt: "Attempted",
      failed: "Failed",
      not_performed: "Not performed",
      unknown: "Done (result at the gateway)",
    },
    liabilityWho: { issuer: "Card issuer", merchant: "Merchant", unknown: "Unknown" },
  },
  ja: {
    title: "カード決済",
    authorized: "与信額",
    charged: "現在の請求額",
    refunded: "返金額",
    references: "決済ゲートウェイの番号",
    orderCode: "オーダー番号",
    card: "カード",
    cardUnavailable: "決済代行会社から返されません",
    expiry: "有効期限",
    savedCard: "登録カード",
    threeDS: "3Dセキュア",
    liability: "チャージバック責任",
    history: "履歴",
    op: "処理",
    reference: "番号",
    amount: "金額",
    time: "日時",
    lastError: "直近のエラー",
    loadError: "カード決済を読み込めませんでした",
    sold: "売上確定額 (減額)",
    captureAmount: "金額を指定して売上確定",
    captureHelp: "この金額で売上を確定し、残りの与信は解放されます。",
    capture: "売上確定",
    captureFailed: "売上確定に失敗しました",
    state: { authorized: "与信済み", captured: "売上確定", canceled: "取消済み", refunded: "返金済み", partially_refunded: "一部返金" },
    ops: { authorize: "与信", capture: "売上確定", cancel: "取消", refund: "返金", recharge: "再決済", notification: "結果通知" },
    threeDSStatus: {
      frictionless: "フリクションレス",
      challenge: "チャレンジ認証済み",
      attempt: "アテンプト",
      failed: "失敗",
      not_performed: "未実施",
      unknown: "実施済み (結果はゲートウェイ側)",
    },
    liabilityWho: { issuer: "カード発行会社", merchant: "加盟店", unknown: "不明" },
  },
}

const L = JA ? LABELS.ja : LABELS.en


const STATE_COLOR: Record<ChargeState, "green" | "red" | "blue" | "orange" | "grey"> = {
  authorized: "blue",
  captured: "green",
  canceled: "grey",
  refunded: "red",
  partially_refunded: "orange",
}

/** Whole minor units (yen for JPY) → "￥3,000". */
function money(minor: number | null | undefined, currency: string): string {
  if (minor === null || minor === undefined || Number.isNaN(minor)) return "—"
  const code = (currency || "jpy").toUpperCase()
  try {
    const f = new Intl.NumberFormat("ja-JP", { style: "currency", currency: code })
    const digits = f.resolvedOptions().maximumFractionDigits ?? 0
    return f.format(minor / 10 ** digits)
  } catch {
    return `${minor} ${code}`
  }
}

function when(iso: string | null | undefined): string {
  if (!iso) return "—"
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  return d.toLocaleString(JA ? "ja-JP" : undefined, { year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" })
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
        {L.captureAmount}
      </Text>
      <Text size="xsmall" className="text-ui-fg-subtle">
        {L.captureHelp}
      </Text>
      <div className="flex gap-x-2">
        <Input type="number" min={1} max={p.amount ?? undefined} value={value} onChange={(e) => setValue(e.target.value)} size="small" />
        <Button size="small" variant="secondary" isLoading={capture.isPending} disabled={!(amount > 0)} onClick={() => capture.mutate(amount)}>
          {L.capture}
        </Button>
      </div>
      {capture.error && (
        <Text size="xsmall" className="text-ui-fg-error">
          {L.captureFailed}: {(capture.error as Error).message}
        </Text>
      )}
    </div>
  )
}

function PaymentCard({ p, orderId }: { p: JpPayment; orderId: string }) {
  const jp = p.jp
  const cur = jp.currency || p.currency_code
  const refs = Object.entries(jp.references ?? {}).filter(([, v]) => v !== "" && v !== undefined && v !== null)
  const threeDSStatus = jp.three_ds ? (L.threeDSStatus as Record<string, string>)[jp.three_ds.status] ?? jp.three_ds.status : null
  const liability = jp.three_ds ? (L.liabilityWho as Record<string, string>)[jp.three_ds.liability] ?? jp.three_ds.liability : null
  return (
    <div className="divide-y">
      <div className="flex items-center justify-between px-6 py-3">
        <Text size="small" weight="plus">
          {gatewayLabel(p.gateway_name, jp.gateway)}
        </Text>
        <StatusBadge color={STATE_COLOR[jp.state] ?? "grey"}>{(L.state as Record<string, string>)[jp.state] ?? jp.state}</StatusBadge>
      </div>
      <div className="py-2">
        <Row label={L.authorized}>{money(jp.authorized_amount, cur)}</Row>
        <Row label={L.charged}>{money(jp.amount, cur)}</Row>
        {jp.sold_amount != null && jp.sold_amount < jp.authorized_amount && <Row label={L.sold}>{money(jp.sold_amount, cur)}</Row>}
        <Row label={L.refunded}>{money(jp.refunded_amount, cur)}</Row>
      </div>
      <div className="py-2">
        <Row label={L.orderCode}>
          <code>{jp.order_code}</code>
        </Row>
      </div>
      {refs.length > 0 && (
        <div className="py-2">
          <div className="px-6 pb-1 pt-1">
            <Text size="xsmall" weight="plus" className="text-ui-fg-muted">
              {L.references}
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
            <Row label={L.card}>
              {jp.card.unavailable ? L.cardUnavailable : <code>{[jp.card.brand, jp.card.masked].filter(Boolean).join(" ") || "—"}</code>}
            </Row>
          )}
          {jp.card?.expiry && <Row label={L.expiry}>{jp.card.expiry}</Row>}
          {jp.saved_card && <Row label={L.savedCard}>#{jp.saved_card.cardRef}</Row>}
        </div>
      )}
      {jp.three_ds && (
        <div className="py-2">
          <Row label={L.threeDS}>{threeDSStatus}</Row>
          <Row label={L.liability}>{liability}</Row>
          {jp.three_ds.detail && (
            <div className="px-6 pb-2">
              <Text size="xsmall" className="text-ui-fg-muted">
                {jp.three_ds.detail}
              </Text>
            </div>
          )}
        </div>
      )}
      {jp.history && jp.history.length > 0 && (
        <div className="px-6 py-3">
          <Text size="small" weight="plus" className="mb-2">
            {L.history}
          </Text>
          <div className="overflow-x-auto">
            <table className="w-full text-left">
              <thead>
                <tr className="border-b">
                  <th className="py-1 pr-2"><Text size="xsmall" weight="plus" className="text-ui-fg-subtle">{L.op}</Text></th>
                  <th className="py-1 pr-2"><Text size="xsmall" weight="plus" className="text-ui-fg-subtle">{L.reference}</Text></th>
                  <th className="py-1 pr-2 text-right"><Text size="xsmall" weight="plus" className="text-ui-fg-subtle">{L.amount}</Text></th>
                  <th className="py-1"><Text size="xsmall" weight="plus" className="text-ui-fg-subtle">{L.time}</Text></th>
                </tr>
              </thead>
              <tbody>
                {jp.history.map((h, i) => (
                  <tr key={`${h.op}-${h.reference}-${i}`} className="border-b last:border-b-0 align-top">
                    <td className="py-1 pr-2"><Text size="xsmall">{(L.ops as Record<string, string>)[h.op] ?? h.op}</Text></td>
                    <td className="py-1 pr-2"><Text size="xsmall"><code>{h.reference}</code></Text></td>
                    <td className="py-1 pr-2 text-right whitespace-nowrap"><Text size="xsmall">{money(h.amount, cur)}</Text></td>
                    <td className="py-1"><Text size="xsmall" className="text-ui-fg-subtle">{when(h.at)}</Text></td>
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
            {L.lastError}: {p.last_error.code}
          </Text>
          <Text size="small" className="text-ui-fg-subtle">
            {(JA && p.last_error.message_ja) || p.last_error.message}
          </Text>
        </div>
      )}
    </div>
  )
}

const OrderCardPaymentsWidget = ({ data: order }: DetailWidgetProps<AdminOrder>) => {
  const { data, error } = useQuery({
    queryKey: ["medusa-payment-jp", "order-card-payments", order.id],
    queryFn: () => sdk.client.fetch<{ payments: JpPayment[] }>(`/admin/jp-payments/orders/${order.id}`),
  })
  if (error) {
    return (
      <Container className="px-6 py-4">
        <Text size="small" className="text-ui-fg-error">
          {L.loadError}: {(error as Error).message}
        </Text>
      </Container>
    )
  }
  const payments = data?.payments ?? []
  if (payments.length === 0) return null
  return (
    <Container className="divide-y p-0">
      <div className="px-6 py-4">
        <Heading level="h2">{L.title}</Heading>
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
