// Admin page "card payments that need you": payments sent without an answer that the plugin cannot
// (or can no longer) ask the gateway about. The merchant checks each in the gateway's control panel
// and marks it resolved.
import { defineRouteConfig } from "@medusajs/admin-sdk"
import { Button, Container, Heading, Table, Text } from "@medusajs/ui"
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query"
import type { Attention } from "../../../core/reconcile"
import { JA, sdk } from "../../lib/common"

const L = JA
  ? {
      title: "対応が必要なカード決済",
      intro: "応答が失われ、ゲートウェイに照会できない決済です。各ゲートウェイの管理画面で確認し、確認済みにしてください。",
      none: "対応が必要な決済はありません。",
      code: "オーダー番号",
      amount: "金額",
      time: "日時",
      why: "理由",
      check: "確認すること",
      resolve: "確認済みにする",
      loadError: "読み込めませんでした",
    }
  : {
      title: "Card payments that need you",
      intro: "Payments sent without an answer that the gateway cannot be asked about. Check each in the gateway's control panel, then mark it resolved.",
      none: "No card payment needs you.",
      code: "Order code",
      amount: "Amount",
      time: "Time",
      why: "Why",
      check: "What to check",
      resolve: "Mark resolved",
      loadError: "Could not load",
    }

const yen = (n: number, currency: string) => new Intl.NumberFormat(JA ? "ja-JP" : "en-US", { style: "currency", currency: currency.toUpperCase() }).format(n)

const AttentionPage = () => {
  const qc = useQueryClient()
  const { data, isError } = useQuery({
    queryKey: ["jp-payments-attention"],
    queryFn: () => sdk.client.fetch<{ payments: Attention[] }>("/admin/jp-payments/attention"),
  })
  const resolve = useMutation({
    mutationFn: (id: string) => sdk.client.fetch(`/admin/jp-payments/attention/${id}/resolve`, { method: "POST" }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["jp-payments-attention"] }),
  })
  const payments = data?.payments ?? []
  return (
    <Container className="divide-y p-0">
      <div className="px-6 py-4">
        <Heading level="h1">{L.title}</Heading>
        <Text size="small" className="text-ui-fg-subtle">{L.intro}</Text>
      </div>
      {isError ? (
        <Text className="px-6 py-4">{L.loadError}</Text>
      ) : payments.length === 0 ? (
        <Text className="px-6 py-4">{L.none}</Text>
      ) : (
        <Table>
          <Table.Header>
            <Table.Row>
              <Table.HeaderCell>{L.code}</Table.HeaderCell>
              <Table.HeaderCell>{L.amount}</Table.HeaderCell>
              <Table.HeaderCell>{L.time}</Table.HeaderCell>
              <Table.HeaderCell>{L.why}</Table.HeaderCell>
              <Table.HeaderCell>{L.check}</Table.HeaderCell>
              <Table.HeaderCell />
            </Table.Row>
          </Table.Header>
          <Table.Body>
            {payments.map((p) => (
              <Table.Row key={p.session_id}>
                <Table.Cell className="font-mono">{p.order_code}</Table.Cell>
                <Table.Cell>{yen(p.amount, p.currency)}</Table.Cell>
                <Table.Cell>{new Date(p.created_at).toLocaleString(JA ? "ja-JP" : "en-US")}</Table.Cell>
                <Table.Cell>{p.why}</Table.Cell>
                <Table.Cell className="whitespace-normal">{p.check}</Table.Cell>
                <Table.Cell>
                  <Button size="small" variant="secondary" isLoading={resolve.isPending && resolve.variables === p.session_id} onClick={() => resolve.mutate(p.session_id)}>
                    {L.resolve}
                  </Button>
                </Table.Cell>
              </Table.Row>
            ))}
          </Table.Body>
        </Table>
      )}
    </Container>
  )
}

export const config = defineRouteConfig({ label: JA ? "対応が必要なカード決済" : "Card payments that need you" })

export default AttentionPage
