// Card registration at a gateway that keeps the customer's card itself (請求管理ロボ's 請求先): which
// provider, which customer, and what the plugin remembers of the registration. The customer is always
// the logged-in one (auth_context): a customer can only ever reach their own 請求先, whose code the
// gateway derives from the customer id on the server.
// The registration state is kept on the customer's metadata under `jp_card_registration.<provider id>`
// (public values only: codes, statuses, the e-mail and phone 3-D Secure must repeat).
import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, MedusaError, Modules } from "@medusajs/framework/utils"
import type { ICustomerModuleService, ILockingModule } from "@medusajs/framework/types"
import { toMedusaError } from "../../../../core/errors"
import { GatewayError } from "../../../../core/gateway"
import type { CardRegistration, CardRegistrationGateway, RegistrationCustomer, RegistrationState } from "../../../../core/card-registration"
import type { Gateway } from "../../../../core/gateway"
import { resolveCardProvider } from "../../../../core/resolve-provider"
import { gatewayNamed } from "../../../../gateways"

export const METADATA_KEY = "jp_card_registration"

export type { CardRegistrationGateway }

export interface StoredRegistration {
  /** The gateway's reference of the customer (RegistrationState.customer_ref), under the key it has always been stored as. */
  billing_code: string
  payment_code?: string
  register_status: number | null
  registered: boolean
  credit_status?: number | null
  credit_error_code?: string | null
  /** The e-mail and phone the 部署 holds: 3-D Secure and the token call must repeat them. */
  em?: string
  pn?: string
  error?: { code: string; message: string; message_ja?: string } | null
  /** Webhooks already applied (their dedupe keys, newest last, at most 20). */
  events?: string[]
  /** The newest webhook applied (its `id`): an older one arriving late changes no status. */
  last_event_id?: number | null
  updated_at: string
}

/**
 * The provider's card registration: its gateway's definition in the registry says whether it has one
 * and how to read its statuses; the calls go to the gateway the provider built (its options).
 */
export function registrationGateway(
  scope: MedusaContainer,
  providerId: unknown
): { id: string; provider: ReturnType<typeof resolveCardProvider>; gateway: CardRegistrationGateway; registration: CardRegistration } {
  if (typeof providerId !== "string" || !/^pp_[a-z0-9-]+_[A-Za-z0-9_-]+$/.test(providerId)) {
    throw new MedusaError(MedusaError.Types.INVALID_DATA, "provider_id must be a payment provider id of this plugin: pp_<gateway>_<id>")
  }
  const provider = resolveCardProvider(scope, providerId)
  const registration = gatewayNamed(provider.definition.name)?.cardRegistration
  const gateway = registration?.of((provider as unknown as { gateway: Gateway }).gateway) ?? null
  if (!registration || !gateway) {
    throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `${providerId} does not register cards at the gateway (use /store/jp-payments/payment-methods for saved cards)`)
  }
  return { id: providerId, provider, gateway, registration }
}

export async function customerOf(scope: MedusaContainer, customerId: string) {
  const query = scope.resolve(ContainerRegistrationKeys.QUERY)
  const { data: [customer] } = await query.graph({
    entity: "customer",
    fields: ["id", "email", "first_name", "last_name", "company_name", "phone", "metadata", "addresses.*"],
    filters: { id: customerId },
  })
  if (!customer) throw new MedusaError(MedusaError.Types.NOT_FOUND, "customer not found")
  return customer as {
    id: string
    email: string | null
    first_name: string | null
    last_name: string | null
    company_name: string | null
    phone: string | null
    metadata: Record<string, unknown> | null
    addresses: Array<Record<string, any> | null> | null
  }
}

type Customer = Awaited<ReturnType<typeof customerOf>>

/** The 部署's data from the customer and one of their addresses (the one named, the default billing one, or the first). */
export function registrationCustomer(c: Customer, addressId?: unknown): RegistrationCustomer {
  const list = (c.addresses ?? []).filter((a): a is Record<string, any> => !!a)
  const address =
    typeof addressId === "string" ? list.find((a) => a.id === addressId) : list.find((a) => a.is_default_billing) ?? list[0]
  if (typeof addressId === "string" && !address) throw new MedusaError(MedusaError.Types.NOT_FOUND, "address not found among the customer's addresses")
  if (!address) throw new MedusaError(MedusaError.Types.INVALID_DATA, "add an address (postal code, prefecture, city, street, phone) to the customer first: 請求管理ロボ needs one for the 請求先")
  if (!c.email) throw new MedusaError(MedusaError.Types.INVALID_DATA, "the customer has no e-mail address")
  const first = address.first_name ?? c.first_name ?? ""
  const last = address.last_name ?? c.last_name ?? ""
  // Japanese names "last first", Latin names "first last".
  const japanese = /[\u3040-\u30ff\u3400-\u9fff]/.test(`${first}${last}`)
  const name = (japanese ? `${last} ${first}` : `${first} ${last}`).trim()
  const phone = address.phone ?? c.phone
  if (!phone) throw new MedusaError(MedusaError.Types.INVALID_DATA, "the address needs a phone number: 3-D Secure and 請求管理ロボ need it")
  return {
    id: c.id,
    email: c.email,
    name,
    company: address.company ?? c.company_name ?? undefined,
    phone,
    postal_code: address.postal_code ?? "",
    province: address.province ?? "",
    city: address.city ?? "",
    address_1: address.address_1 ?? "",
    address_2: address.address_2 ?? undefined,
  }
}

export function storedOf(c: { metadata: Record<string, unknown> | null }, providerId: string): StoredRegistration | null {
  const all = c.metadata?.[METADATA_KEY]
  const mine = all && typeof all === "object" ? (all as Record<string, unknown>)[providerId] : null
  return mine && typeof mine === "object" ? (mine as StoredRegistration) : null
}

/**
 * Changes the provider's registration on the customer, keeping every other metadata key: `change`
 * gets what is stored at the time of writing (a webhook may have written since the caller read it).
 */
export async function saveStored(
  scope: MedusaContainer,
  customerId: string,
  providerId: string,
  change: (current: StoredRegistration | null) => StoredRegistration
): Promise<void> {
  const customers = scope.resolve<ICustomerModuleService>(Modules.CUSTOMER)
  // The webhook and the route that caused it write at the same moment: one at a time per customer.
  const locking = scope.resolve<ILockingModule>(Modules.LOCKING)
  await locking.execute(
    [`medusa-payment-jp:card-registration:${customerId}`],
    async () => {
      const current = await customers.retrieveCustomer(customerId, { select: ["id", "metadata"] })
      const next = change(storedOf(current as { metadata: Record<string, unknown> | null }, providerId))
      const all = { ...((current.metadata?.[METADATA_KEY] as Record<string, unknown>) ?? {}), [providerId]: next }
      await customers.updateCustomers(customerId, { metadata: { ...(current.metadata ?? {}), [METADATA_KEY]: all } })
    },
    { timeout: 30 }
  )
}

/** The registration as the routes answer it: the customer's reference under the API's field `billing_code`. */
export function registrationAnswer(state: RegistrationState) {
  const { customer_ref, ...rest } = state
  return { billing_code: customer_ref, ...rest }
}

/** The customer whose registration with `providerId` has this customer reference (請求先コード), or null. */
export async function customerIdByRef(scope: MedusaContainer, providerId: string, customerRef: string): Promise<string | null> {
  const knex = scope.resolve(ContainerRegistrationKeys.PG_CONNECTION) as any
  const row = await knex("customer")
    .whereRaw("metadata #>> ? = ?", [`{${METADATA_KEY},${providerId},billing_code}`, customerRef])
    .whereNull("deleted_at")
    .first("id")
  return row?.id ?? null
}

/** A gateway error as the route's answer: the error recorded on the registration, then a MedusaError. */
export function errorRecord(e: unknown): StoredRegistration["error"] {
  return e instanceof GatewayError ? { code: e.code, message: e.message, ...(e.messageJa ? { message_ja: e.messageJa } : {}) } : null
}

export function asMedusa(e: unknown, providerId: string): Error {
  return e instanceof GatewayError ? toMedusaError(providerId, e) : (e as Error)
}
