// The store set-up every end-to-end test needs, over Medusa's own HTTP API: an admin login, a JPY
// region with the card providers, a sales channel with a publishable key, a product at ¥1,500.
import type { AxiosInstance } from "axios"
import { Modules } from "@medusajs/framework/utils"
import type { MedusaContainer } from "@medusajs/framework/types"

export interface Store {
  admin: { headers: Record<string, string> }
  store: { headers: Record<string, string> }
  regionId: string
  salesChannelId: string
  variantId: string
}

const EMAIL = "admin@medusa-payment-jp.test"
const PASSWORD = "supersecret-password"

export async function setUpStore(api: AxiosInstance, container: MedusaContainer, providers: string[]): Promise<Store> {
  const authModule = container.resolve(Modules.AUTH)
  const userModule = container.resolve(Modules.USER)
  const user = await userModule.createUsers({ email: EMAIL })
  const { authIdentity } = await authModule.register("emailpass", { body: { email: EMAIL, password: PASSWORD } } as never)
  await authModule.updateAuthIdentities({ id: authIdentity!.id, app_metadata: { user_id: user.id } })
  const login = await api.post("/auth/user/emailpass", { email: EMAIL, password: PASSWORD })
  const admin = { headers: { authorization: `Bearer ${login.data.token}` } }
  return setUpCatalog(api, admin, providers)
}

/** The store's catalogue through the admin API of any Medusa (the test app or a fresh store over HTTP). */
export async function setUpCatalog(api: AxiosInstance, admin: Store["admin"], providers: string[]): Promise<Store> {
  const region = (
    await api.post("/admin/regions", { name: "Japan", currency_code: "jpy", countries: ["jp"], payment_providers: providers }, admin)
  ).data.region
  const salesChannel = (await api.post("/admin/sales-channels", { name: "Web" }, admin)).data.sales_channel
  const pak = (await api.post("/admin/api-keys", { title: "store", type: "publishable" }, admin)).data.api_key
  await api.post(`/admin/api-keys/${pak.id}/sales-channels`, { add: [salesChannel.id] }, admin)
  const product = (
    await api.post(
      "/admin/products",
      {
        title: "手ぬぐい",
        status: "published",
        options: [{ title: "Size", values: ["M"] }],
        variants: [{ title: "M", options: { Size: "M" }, manage_inventory: false, prices: [{ currency_code: "jpy", amount: 1500 }] }],
        sales_channels: [{ id: salesChannel.id }],
      },
      admin
    )
  ).data.product
  return {
    admin,
    store: { headers: { "x-publishable-api-key": pak.token } },
    regionId: region.id,
    salesChannelId: salesChannel.id,
    variantId: product.variants[0].id,
  }
}

/** A registered, logged-in customer: the store headers plus its bearer token. */
export async function logInCustomer(api: AxiosInstance, s: Store, email: string): Promise<{ headers: Record<string, string>; id: string }> {
  const password = "customer-password-1"
  const reg = await api.post("/auth/customer/emailpass/register", { email, password })
  const customer = (
    await api.post("/store/customers", { email, first_name: "Taro", last_name: "Yamada" }, { headers: { ...s.store.headers, authorization: `Bearer ${reg.data.token}` } })
  ).data.customer
  const login = await api.post("/auth/customer/emailpass", { email, password })
  return { headers: { ...s.store.headers, authorization: `Bearer ${login.data.token}` }, id: customer.id }
}

/** A cart with `quantity` × ¥1,500 and a payment collection. */
export async function cartWithCollection(api: AxiosInstance, s: Store, opts: { quantity?: number; email?: string; headers?: Record<string, string> } = {}) {
  const headers = opts.headers ?? s.store.headers
  let cart = (
    await api.post("/store/carts", { region_id: s.regionId, sales_channel_id: s.salesChannelId, email: opts.email ?? "buyer@example.jp", currency_code: "jpy" }, { headers })
  ).data.cart
  cart = (await api.post(`/store/carts/${cart.id}/line-items`, { variant_id: s.variantId, quantity: opts.quantity ?? 2 }, { headers })).data.cart
  const pc = (await api.post("/store/payment-collections", { cart_id: cart.id }, { headers })).data.payment_collection
  return { cart, collectionId: pc.id as string, headers }
}

/** Creates (or replaces) the cart's payment session; returns the session the storefront sees. */
export async function paymentSession(api: AxiosInstance, collectionId: string, providerId: string, headers: Record<string, string>, data?: Record<string, unknown>) {
  const pc = (await api.post(`/store/payment-collections/${collectionId}/payment-sessions`, { provider_id: providerId, ...(data ? { data } : {}) }, { headers })).data
    .payment_collection
  return pc.payment_sessions[0] as { id: string; data: Record<string, any>; status: string; amount: number }
}

export async function orderPayment(api: AxiosInstance, s: Store, orderId: string) {
  // a webhook-made order can be read a moment before Medusa has linked its payment: wait for it
  const payment = await waitFor(async () => {
    const order = (await api.get(`/admin/orders/${orderId}?fields=*payment_collections,*payment_collections.payments`, s.admin)).data.order
    return order.payment_collections[0]?.payments[0] as { id: string } | undefined
  })
  const full = (await api.get(`/admin/payments/${payment.id}?fields=+data,+canceled_at,+captured_at,*captures,*refunds`, s.admin)).data.payment
  return full as { id: string; data: Record<string, any>; captured_at: string | null; canceled_at: string | null; captures: unknown[]; refunds: unknown[]; amount: number }
}

/** Polls `f` until it gives a value (every 250 ms, for `ms` at most): for work Medusa does after an answer. */
export async function waitFor<T>(f: () => Promise<T | null | undefined>, ms = 20_000): Promise<T> {
  const until = Date.now() + ms
  for (;;) {
    const v = await f()
    if (v) return v
    if (Date.now() > until) throw new Error("timed out waiting")
    await new Promise((r) => setTimeout(r, 250))
  }
}

/** An axios error's response, so a test can assert on a 4xx/5xx answer. */
export function responseOf(e: { response?: any }) {
  if (!e.response) throw e
  return e.response
}
