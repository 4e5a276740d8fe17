// The demo storefront `npm run demo` serves: product → cart → address → shipping → payment with any
// medusa-payment-jp provider → (3-D Secure / the gateway's page) → order. Plain React over Medusa's Store
// API; the payment step is the kit's (medusa-payment-jp/react) and nothing else.
import { useEffect, useMemo, useState } from "react"
import { createRoot } from "react-dom/client"
import { storeClient, useJpCardStep, useJpCheckout } from "medusa-payment-jp/react"

declare global {
  interface Window {
    DEMO_CONFIG: { backendUrl: string; publishableKey: string; regionId: string }
  }
}
const cfg = window.DEMO_CONFIG
const CART = "demo:cart"
const TOKEN = "demo:customer-token"
const yen = (n: number) => `¥${Math.round(n).toLocaleString("ja-JP")}`
const PROVIDER_NAMES: Record<string, string> = {
  "pp_robot-payment_rp": "ROBOT PAYMENT",
  pp_sbps_sbps: "SBペイメントサービス (SBPS)",
  pp_paygent_pg: "PAYGENT",
  "pp_payment-options_po": "PaymentOptions",
}

const client = storeClient({
  baseUrl: cfg.backendUrl,
  publishableKey: cfg.publishableKey,
  headers: (): Record<string, string> => {
    const t = localStorage.getItem(TOKEN)
    return t ? { authorization: `Bearer ${t}` } : {}
  },
})
async function store(method: "GET" | "POST", path: string, body?: unknown) {
  const r = await client.request(method, path, body)
  if (r.status >= 400) throw new Error(r.body?.message ?? `HTTP ${r.status}`)
  return r.body
}

function Login({ onChange }: { onChange: () => void }) {
  const [email, setEmail] = useState("taro@example.jp")
  const [password, setPassword] = useState("")
  const [err, setErr] = useState("")
  const token = localStorage.getItem(TOKEN)
  if (token)
    return (
      <span className="login">
        ログイン中 <button onClick={() => (localStorage.removeItem(TOKEN), localStorage.removeItem(CART), onChange())}>ログアウト</button>
      </span>
    )
  return (
    <form
      className="login"
      onSubmit={async (e) => {
        e.preventDefault()
        const r = await fetch(`${cfg.backendUrl}/auth/customer/emailpass`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email, password }) })
        const j = await r.json()
        if (!r.ok) return setErr(j.message ?? "ログインできませんでした")
        localStorage.setItem(TOKEN, j.token)
        localStorage.removeItem(CART) // a new cart, the customer's
        onChange()
      }}
    >
      <input aria-label="email" value={email} onChange={(e) => setEmail(e.target.value)} />
      <input aria-label="password" type="password" placeholder="パスワード" value={password} onChange={(e) => setPassword(e.target.value)} />
      <button>ログイン</button>
      {err && <span className="error">{err}</span>}
    </form>
  )
}

function Products({ onAdded }: { onAdded: () => void }) {
  const [products, setProducts] = useState<any[]>([])
  useEffect(() => {
    void store("GET", `/store/products?region_id=${cfg.regionId}&fields=*variants.calculated_price`).then((b) => setProducts(b.products))
  }, [])
  const add = async (variantId: string) => {
    let id = localStorage.getItem(CART)
    if (!id) {
      id = (await store("POST", "/store/carts", { region_id: cfg.regionId })).cart.id as string
      localStorage.setItem(CART, id)
    }
    await store("POST", `/store/carts/${id}/line-items`, { variant_id: variantId, quantity: 1 })
    onAdded()
  }
  return (
    <section className="products">
      {products.map((p) => (
        <div className="product" key={p.id}>
          <h3>{p.title}</h3>
          <p>{yen(p.variants[0].calculated_price?.calculated_amount ?? 0)}</p>
          <button onClick={() => add(p.variants[0].id)}>カートに入れる</button>
        </div>
      ))}
    </section>
  )
}

const ADDRESS = { first_name: "太郎", last_name: "山田", postal_code: "100-0001", province: "東京都", city: "千代田区", address_1: "千代田1-1", phone: "09012345678", country_code: "jp" }

function Checkout({ cart, reload }: { cart: any; reload: () => void }) {
  const checkout = useJpCheckout({ client, cartId: cart.id })
  const [email, setEmail] = useState(cart.email ?? "taro@example.jp")
  const [options, setOptions] = useState<any[]>([])
  const [providers, setProviders] = useState<string[]>([])
  const [saved, setSaved] = useState<any[]>([])
  const [savedId, setSavedId] = useState("")
  const [saveCard, setSaveCard] = useState(false)
  const [savedMethod, setSavedMethod] = useState("lump")
  const step = useJpCardStep(checkout.session, { cardholder: { email: cart.email } })
  const loggedIn = Boolean(localStorage.getItem(TOKEN))
  const addressed = Boolean(cart.shipping_address?.address_1)
  const shipped = (cart.shipping_methods ?? []).length > 0

  useEffect(() => {
    if (addressed) void store("GET", `/store/shipping-options?cart_id=${cart.id}`).then((b) => setOptions(b.shipping_options))
    void store("GET", `/store/payment-providers?region_id=${cfg.regionId}`).then((b) => setProviders(b.payment_providers.map((p: any) => p.id)))
  }, [cart.id, addressed])
  useEffect(() => {
    setSavedId("")
    setSaved([])
    if (loggedIn && checkout.session) {
      void store("GET", `/store/jp-payments/payment-methods?provider_id=${checkout.session.provider_id}`).then(
        (b) => setSaved(b.payment_methods),
        () => setSaved([])
      )
    }
  }, [checkout.session?.id])

  if (checkout.order) {
    return (
      <section className="done" data-testid="order">
        <h2>ご注文ありがとうございました</h2>
        <p>
          注文番号 <strong data-testid="order-number">#{checkout.order.display_id}</strong> — 合計 {yen(checkout.order.total)}
        </p>
        <button onClick={() => (localStorage.removeItem(CART), reload())}>買い物を続ける</button>
      </section>
    )
  }
  return (
    <section className="checkout">
      <h2>ご注文手続き</h2>
      <ul className="lines">
        {cart.items.map((i: any) => (
          <li key={i.id}>
            {i.product_title} × {i.quantity} <span>{yen(i.total)}</span>
          </li>
        ))}
        {shipped && <li>送料 <span>{yen(cart.shipping_total)}</span></li>}
        <li className="total">
          合計 <span data-testid="total">{yen(cart.total)}</span>
        </li>
      </ul>

      <h3>1. お届け先</h3>
      <form
        onSubmit={async (e) => {
          e.preventDefault()
          await store("POST", `/store/carts/${cart.id}`, { email, shipping_address: ADDRESS, billing_address: ADDRESS })
          reload()
        }}
      >
        <input aria-label="メールアドレス" value={email} onChange={(e) => setEmail(e.target.value)} />
        <p className="address">〒{ADDRESS.postal_code} {ADDRESS.province}{ADDRESS.city}{ADDRESS.address_1} {ADDRESS.last_name} {ADDRESS.first_name} 様</p>
        <button>{addressed ? "更新する" : "この住所に届ける"}</button>
      </form>

      {addressed && (
        <>
          <h3>2. 配送方法</h3>
          {options.map((o) => (
            <label key={o.id} className="choice">
              <input
                type="radio"
                name="shipping"
                checked={cart.shipping_methods?.[0]?.shipping_option_id === o.id}
                onChange={async () => {
                  await store("POST", `/store/carts/${cart.id}/shipping-methods`, { option_id: o.id })
                  reload()
                }}
              />
              {o.name} {yen(o.amount)}
            </label>
          ))}
        </>
      )}

      {shipped && (
        <>
          <h3>3. お支払い（クレジットカード）</h3>
          {providers.map((id) => (
            <label key={id} className="choice">
              <input type="radio" name="provider" value={id} checked={checkout.session?.provider_id === id} onChange={() => checkout.select(id)} />
              {PROVIDER_NAMES[id] ?? id}
            </label>
          ))}
          {checkout.session && (
            <form
              className="card-step"
              onSubmit={(e) => {
                e.preventDefault()
                // a saved card: the demo's own 支払方法 select (the card step's is part of its fields)
                const method = step.paymentMethods.find((c) => c.value === savedMethod)?.method
                void checkout.pay(savedId ? { savedCardId: savedId, ...(method && method.type !== "lump" ? { paymentMethod: method } : {}) } : step.payInput({ saveCard }))
              }}
            >
              {saved.length > 0 && (
                <fieldset>
                  <legend>保存したカード</legend>
                  {saved.map((m) => (
                    <label key={m.id} className="choice">
                      <input type="radio" name="saved" checked={savedId === m.id} onChange={() => setSavedId(m.id)} />
                      {m.data?.masked_card_number ?? m.data?.card?.masked ?? m.data?.last4 ?? m.id}
                    </label>
                  ))}
                  <label className="choice">
                    <input type="radio" name="saved" checked={savedId === ""} onChange={() => setSavedId("")} />
                    新しいカード
                  </label>
                </fieldset>
              )}
              {savedId && step.paymentMethods.length > 1 && (
                <label className="jp-field">
                  <span>支払方法</span>
                  <select data-testid="saved-payment-method" value={savedMethod} onChange={(e) => setSavedMethod(e.target.value)}>
                    {step.paymentMethods.map((c) => (
                      <option key={c.value} value={c.value}>
                        {c.label}
                      </option>
                    ))}
                  </select>
                </label>
              )}
              {!savedId && step.fields}
              {loggedIn && !savedId && (
                <label className="choice">
                  <input type="checkbox" checked={saveCard} onChange={(e) => setSaveCard(e.target.checked)} /> このカードを保存する
                </label>
              )}
              <button disabled={checkout.status === "paying" || checkout.status === "redirecting"} data-testid="pay">
                {checkout.status === "paying" ? "処理中…" : `${yen(cart.total)} を支払う`}
              </button>
            </form>
          )}
        </>
      )}
      {checkout.error && (
        <p className="error" role="alert" data-testid="error">
          {checkout.error.message} <small>({checkout.error.code})</small>
        </p>
      )}
    </section>
  )
}

function App() {
  const [cart, setCart] = useState<any>(null)
  const [tick, setTick] = useState(0)
  const reload = () => setTick((t) => t + 1)
  useEffect(() => {
    const id = localStorage.getItem(CART)
    if (!id) return setCart(null)
    void store("GET", `/store/carts/${id}?fields=*items,*shipping_methods,+total,+shipping_total`).then(
      (b) => setCart(b.cart.completed_at ? null : b.cart),
      () => (localStorage.removeItem(CART), setCart(null))
    )
  }, [tick])
  const returning = useMemo(() => /jp_result=/.test(location.search), [])
  return (
    <main>
      <header>
        <h1>medusa-payment-jp デモストア</h1>
        <Login onChange={reload} />
      </header>
      <Products onAdded={reload} />
      {cart && cart.items?.length > 0 ? <Checkout key={cart.id} cart={cart} reload={reload} /> : !returning && <p className="empty">カートは空です。</p>}
    </main>
  )
}

createRoot(document.getElementById("root")!).render(<App />)
