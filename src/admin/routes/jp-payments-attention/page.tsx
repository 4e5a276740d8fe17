// Admin page "card payments that need you": payments sent without an answer that the plugin cannot
// (or can no longer) ask the gateway about — the merchant checks each in the gateway's control panel
// and marks it resolved — and payments whose capture, refund or cancel lost its answer (jp.pending):
// the merchant says what the control panel shows. "Not done" clears the mark (the next try sends it);
// "done at the gateway" confirms it, and the same operation repeated on the order in Medusa is then
// recorded without being sent again.
import { defineRouteConfig } from "@medusajs/admin-sdk"
import { Button, Container, Heading, Table, Text } from "@medusajs/ui"
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query"
import { useTranslation } from "react-i18next"
import type { Attention } from "../../../core/reconcile"
import { formatMoney, gatewayLabelIn, isJapanese, sdk } from "../../lib/common"
import { usePendingWord, type PendingVars } from "../../lib/pending"

// Labels: src/admin/i18n (jpPayments.attention.*), in the language the admin user picked.

const AttentionPage = () => {
  const { t, i18n } = useTranslation()
  const ja = isJapanese(i18n.language)
  const L = (key: string) => t(`jpPayments.attention.${key}`)
  const qc = useQueryClient()
  const { data, isError } = useQuery({
    queryKey: ["jp-payments-attention"],
    queryFn: () => sdk.client.fetch<{ payments: Attention[] }>("/admin/jp-payments/attention"),
  })
  const resolve = useMutation({
    mutationFn: (id: string) => sdk.client.fetch(`/admin/jp-payments/attention/${id}/resolve`, { method: "POST" }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["jp-payments-attention"] }),
  })
  // the merchant's word on a lost operation (asked first, then saved; lib/pending)
  const word = usePendingWord(() => qc.invalidateQueries({ queryKey: ["jp-payments-attention"] }))
  const payments = data?.payments ?? []
  // The order page of this admin (its base path is the admin's, /app by default).
  const orderUrl = (id: string) => `${window.location.pathname.replace(/\/jp-payments-attention.*$/, "")}/orders/${id}`
  // the operation inside a sentence ("a refund of ¥2,300"), not the history's label ("Refund")
  const opLabel = (op: string) => (i18n.exists(`jpPayments.pending.ops.${op}`) ? t(`jpPayments.pending.ops.${op}`) : op)
  return (
    <Container className="divide-y p-0">
      <div className="px-6 py-4">
        <Heading level="h1">{L("title")}</Heading>
        <Text size="small" className="text-ui-fg-subtle">{L("intro")}</Text>
      </div>
      {isError ? (
        <Text className="px-6 py-4">{L("loadError")}</Text>
      ) : payments.length === 0 ? (
        <Text className="px-6 py-4">{L("none")}</Text>
      ) : (
        <Table>
          <Table.Header>
            <Table.Row>
              <Table.HeaderCell>{L("code")}</Table.HeaderCell>
              <Table.HeaderCell>{L("amount")}</Table.HeaderCell>
              <Table.HeaderCell>{L("time")}</Table.HeaderCell>
              <Table.HeaderCell>{L("why")}</Table.HeaderCell>
              <Table.HeaderCell>{L("check")}</Table.HeaderCell>
              <Table.HeaderCell />
            </Table.Row>
          </Table.Header>
          <Table.Body>
            {payments.map((p) => {
              const gateway = gatewayLabelIn(p.gateway_name, p.gateway, ja)
              const pending = p.kind === "operation" ? p.pending : null
              const vars = pending
                ? { op: opLabel(pending.op), amount: formatMoney(pending.amount, p.currency), gateway, when: pending.confirmed ? new Date(pending.confirmed.at).toLocaleString(ja ? "ja-JP" : "en-US") : "" }
                : {}
              return (
                <Table.Row key={p.session_id ?? p.payment_id ?? p.order_code} data-jp-attention={p.kind}>
                  <Table.Cell className="font-mono">{p.order_code}</Table.Cell>
                  <Table.Cell>{formatMoney(p.amount, p.currency)}</Table.Cell>
                  <Table.Cell>{new Date(p.created_at).toLocaleString(ja ? "ja-JP" : "en-US")}</Table.Cell>
                  <Table.Cell className="whitespace-normal py-3">{pending ? t("jpPayments.attention.pendingWhy", vars) : p.why}</Table.Cell>
                  <Table.Cell className="whitespace-normal py-3">
                    {pending ? t(pending.confirmed ? "jpPayments.attention.pendingConfirmed" : "jpPayments.attention.pendingCheck", vars) : p.check}
                  </Table.Cell>
                  <Table.Cell className="min-w-[232px] py-3 align-top">
                    {pending ? (
                      <div className="flex flex-col items-stretch gap-y-2">
                        {!pending.confirmed && (
                          <Button size="small" variant="secondary" className="whitespace-nowrap" data-jp-pending-action="done" isLoading={word.saying(p.payment_id!, true)} onClick={() => word.say({ id: p.payment_id!, done: true, at: pending.at }, vars as PendingVars)}>
                            {L("pendingDone")}
                          </Button>
                        )}
                        <Button size="small" variant="secondary" className="whitespace-nowrap" data-jp-pending-action="not-done" isLoading={word.saying(p.payment_id!, false)} onClick={() => word.say({ id: p.payment_id!, done: false, at: pending.at }, vars as PendingVars)}>
                          {L("pendingNotDone")}
                        </Button>
                        {p.order_id ? (
                          <a className="txt-compact-small text-ui-fg-interactive hover:text-ui-fg-interactive-hover" href={orderUrl(p.order_id)}>
                            {L("openOrder")}
                          </a>
                        ) : null}
                        {word.failed(p.payment_id!) ? (
                          <Text size="xsmall" className="max-w-[232px] whitespace-normal text-ui-fg-error">
                            {L("pendingActionFailed")}: {word.failed(p.payment_id!)!.message}
                          </Text>
                        ) : null}
                      </div>
                    ) : (
                      <Button size="small" variant="secondary" isLoading={resolve.isPending && resolve.variables === p.session_id} onClick={() => resolve.mutate(p.session_id!)}>
                        {L("resolve")}
                      </Button>
                    )}
                  </Table.Cell>
                </Table.Row>
              )
            })}
          </Table.Body>
        </Table>
      )}
    </Container>
  )
}

// The sidebar label: a key of the plugin's translations (merged into the dashboard's default namespace),
// so that it follows the admin user's language like the page.
export const config = defineRouteConfig({ label: "jpPayments.attention.title", translationNs: "translation" })

export default AttentionPage
