// The card ids a gateway registered for a customer, kept in the customer's Medusa account holder
// (`data.cards`), for a gateway that has no call listing a customer's cards (ROBOT PAYMENT numbers
// them 1, 2, 3 … and a deleted card leaves a gap that no probing can see past). The Payment Module's
// account holder service is in the provider's container (Medusa 2.21: `accountHolderService`).
import type { CardRegistry } from "./definition"

interface AccountHolderRow {
  id: string
  provider_id?: string | null
  data?: Record<string, unknown> | null
}

interface AccountHolderService {
  list(filters: unknown, config: unknown): Promise<AccountHolderRow[]>
  update(data: { id: string; data: Record<string, unknown> }): Promise<unknown>
}

/** The card ids kept in an account holder's data: a list of strings, or none. */
export function cardsOf(data: Record<string, unknown> | null | undefined): string[] {
  const cards = data?.cards
  return Array.isArray(cards) ? cards.filter((c): c is string => typeof c === "string" && c !== "") : []
}

/** `cards` with `id` added (once) or removed, in the order they were registered. */
export function withCard(cards: string[], id: string, present: boolean): string[] {
  const rest = cards.filter((c) => c !== id)
  return present ? [...rest, id] : rest
}

/** The registry of `gateway`'s account holders, or undefined when Medusa's account holder service is not in the container. */
export function holderCards(cradle: Record<string, unknown>, gateway: string): CardRegistry | undefined {
  let service: AccountHolderService | undefined
  try {
    service = cradle.accountHolderService as AccountHolderService | undefined
  } catch {
    service = undefined // an awilix cradle throws for a name it does not know
  }
  if (!service) return undefined
  const prefix = `pp_${gateway}_`
  // Every provider of this gateway whose holder is this gateway customer (two providers may share a store id).
  const holders = async (ref: string) =>
    (await service!.list({ external_id: ref }, { select: ["id", "provider_id", "data"] })).filter((h) => (h.provider_id ?? "").startsWith(prefix))
  const change = async (ref: string, id: string, present: boolean) => {
    for (const h of await holders(ref)) {
      const data = h.data ?? {}
      const cards = withCard(cardsOf(data), id, present)
      if (cards.join(",") !== cardsOf(data).join(",")) await service!.update({ id: h.id, data: { ...data, cards } })
    }
  }
  return {
    async list(ref) {
      const all = new Set<string>()
      for (const h of await holders(ref)) for (const c of cardsOf(h.data)) all.add(c)
      return [...all]
    },
    add: (ref, id) => change(ref, id, true),
    remove: (ref, id) => change(ref, id, false),
  }
}
