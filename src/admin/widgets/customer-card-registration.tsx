// Customer page, side column: the card the customer registered at a gateway that keeps it itself
// (請求管理ロボ's 請求先): the 請求先 code, the registration state in words, and the last error.
import { defineWidgetConfig } from "@medusajs/admin-sdk"
import type { AdminCustomer, DetailWidgetProps } from "@medusajs/framework/types"
import { Badge, Container, Heading, Text } from "@medusajs/ui"
import { useQuery } from "@tanstack/react-query"
import { useTranslation } from "react-i18next"
import { type GatewayName, isJapanese, providerNameIn, sdk } from "../lib/common"

interface Registration {
  provider_id: string
  gateway_name: GatewayName
  billing_code: string
  register_status: number | null
  register_status_text: { ja: string; en: string } | null
  registered: boolean
  credit_status: number | null
  credit_status_text: { ja: string; en: string } | null
  credit_error_code: string | null
  card: { masked?: string } | null
  error: { code: string; message: string; message_ja?: string } | null
  fetch_error: string | null
  updated_at: string
}

// Labels: src/admin/i18n (jpPayments.cardRegistration.*), in the language the admin user picked.
const words = (t: { ja: string; en: string } | null, n: number | null, ja: boolean) => (t ? (ja ? t.ja : t.en) : n === null ? "—" : String(n))

const CustomerCardRegistrationWidget = ({ data: customer }: DetailWidgetProps<AdminCustomer>) => {
  const { t, i18n } = useTranslation()
  const ja = isJapanese(i18n.language)
  const L = (key: string) => t(`jpPayments.cardRegistration.${key}`)
  const { data, error, isLoading } = useQuery({
    queryKey: ["medusa-payment-jp", "customer-card-registration", customer.id],
    queryFn: () => sdk.client.fetch<{ registrations: Registration[] }>(`/admin/jp-payments/customers/${customer.id}/card-registration`),
  })
  if (isLoading) return null
  const list = data?.registrations ?? []
  if (!error && list.length === 0) return null
  return (
    <Container className="divide-y p-0">
      <div className="px-6 py-4">
        <Heading level="h2">{L("title")}</Heading>
      </div>
      {error ? (
        <div className="px-6 py-4">
          <Text size="small" className="text-ui-fg-error">
            {L("loadError")}: {(error as Error).message}
          </Text>
        </div>
      ) : null}
      {list.map((r) => (
        <div key={r.provider_id} className="flex flex-col gap-y-1 px-6 py-3">
          <div className="flex items-center justify-between">
            <Text size="small" weight="plus">
              {providerNameIn(r.provider_id, r.gateway_name, ja)}
            </Text>
            <Badge size="2xsmall" color={r.registered ? "green" : r.register_status === 6 || r.register_status === 4 ? "red" : "grey"}>
              {words(r.register_status_text, r.register_status, ja)}
            </Badge>
          </div>
          <Text size="small" leading="compact">
            <span className="text-ui-fg-subtle">{L("code")}</span> <code>{r.billing_code}</code>
          </Text>
          <Text size="small" leading="compact">
            <span className="text-ui-fg-subtle">{L("credit")}</span> {words(r.credit_status_text, r.credit_status, ja)}
            {r.credit_error_code ? ` (${r.credit_error_code})` : ""}
          </Text>
          {r.card?.masked ? (
            <Text size="small" leading="compact">
              <span className="text-ui-fg-subtle">{L("card")}</span> <code>{r.card.masked}</code>
            </Text>
          ) : null}
          {r.error ? (
            <Text size="small" leading="compact" className="text-ui-fg-error">
              {L("error")}: {r.error.code} {ja && r.error.message_ja ? r.error.message_ja : r.error.message}
            </Text>
          ) : null}
          {r.fetch_error ? (
            <Text size="small" leading="compact" className="text-ui-fg-subtle">
              {L("unavailable")}: {r.fetch_error}
            </Text>
          ) : null}
        </div>
      ))}
    </Container>
  )
}

export const config = defineWidgetConfig({
  zone: "customer.details.side.after",
})

export default CustomerCardRegistrationWidget
