// Customer page, side column: the cards the customer saved with this plugin's card providers, per
// provider (masked number and expiry only — the gateways never give more).
import { defineWidgetConfig } from "@medusajs/admin-sdk"
import type { AdminCustomer, DetailWidgetProps } from "@medusajs/framework/types"
import { type GatewayName, isJapanese, providerNameIn, sdk } from "../lib/common"
import { Container, Heading, Text } from "@medusajs/ui"
import { useQuery } from "@tanstack/react-query"
import { useTranslation } from "react-i18next"

interface SavedCard {
  provider_id: string
  gateway_name: GatewayName
  id: string
  data: { card?: { brand?: string; masked?: string; expiry?: string } }
}

interface Answer {
  payment_methods: SavedCard[]
  errors?: Array<{ provider_id: string; gateway_name?: GatewayName; message: string }>
}

// Labels: src/admin/i18n (jpPayments.savedCards.*), in the language the admin user picked.

const CustomerSavedCardsWidget = ({ data: customer }: DetailWidgetProps<AdminCustomer>) => {
  const { t, i18n } = useTranslation()
  const ja = isJapanese(i18n.language)
  const L = (key: string) => t(`jpPayments.savedCards.${key}`)
  const { data, error, isLoading } = useQuery({
    queryKey: ["medusa-payment-jp", "customer-saved-cards", customer.id],
    queryFn: () => sdk.client.fetch<Answer>(`/admin/jp-payments/customers/${customer.id}/payment-methods`),
  })
  if (isLoading) return null

  const groups = new Map<string, SavedCard[]>()
  for (const m of data?.payment_methods ?? []) {
    const list = groups.get(m.provider_id) ?? []
    list.push(m)
    groups.set(m.provider_id, list)
  }
  const failures = data?.errors ?? []

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
      ) : groups.size === 0 && failures.length === 0 ? (
        <div className="px-6 py-4">
          <Text size="small" className="text-ui-fg-subtle">
            {L("none")}
          </Text>
        </div>
      ) : null}
      {[...groups.entries()].map(([providerId, cards]) => (
        <div key={providerId} className="px-6 py-3">
          <Text size="small" weight="plus" className="mb-2">
            {providerNameIn(providerId, cards[0]?.gateway_name, ja)}
          </Text>
          <ul className="flex flex-col gap-y-1">
            {cards.map((c) => (
              <li key={c.id} className="flex items-center justify-between gap-x-4">
                <Text size="small" leading="compact">
                  <span className="text-ui-fg-subtle">#{c.id}</span>{" "}
                  <code>{[c.data.card?.brand, c.data.card?.masked].filter(Boolean).join(" ") || L("card")}</code>
                </Text>
                <Text size="small" leading="compact" className="text-ui-fg-subtle">
                  {c.data.card?.expiry ? `${L("expiry")} ${c.data.card.expiry}` : ""}
                </Text>
              </li>
            ))}
          </ul>
        </div>
      ))}
      {failures.map((f) => (
        <div key={`err-${f.provider_id}`} className="px-6 py-3">
          <Text size="small" weight="plus">
            {providerNameIn(f.provider_id, f.gateway_name, ja)}
          </Text>
          <Text size="small" className="text-ui-fg-error">
            {L("unavailable")}: {f.message}
          </Text>
        </div>
      ))}
    </Container>
  )
}

export const config = defineWidgetConfig({
  zone: "customer.details.side",
  id: "medusa-payment-jp:customer-saved-cards",
})

export default CustomerSavedCardsWidget
