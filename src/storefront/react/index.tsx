// medusa-payment-jp/react — the card step of a React storefront (Next.js App Router client
// components or a plain React app) for whichever medusa-payment-jp provider a payment session names.
//
//   const checkout = useJpCheckout({ client, cartId })         // session, status, error, order
//   await checkout.select("pp_robot-payment_rp")                 // creates the payment session
//   const step = useJpCardStep(checkout.session, { email })      // the gateway's fields
//   <form onSubmit={() => checkout.pay(step.payInput())}>{step.fields}</form>
//
// Card numbers live only in the gateway script's own UI or in uncontrolled inputs the gateway's
// script reads (and the helper clears): never in React state. Every failure is a value (`error`).
import { useCallback, useEffect, useMemo, useRef, useState, type ReactElement } from "react"
import { browserConfigOf, followRedirect, paymentMethodChoices, paymentMethodFromValue } from "../index"
import type { PaymentMethod, PaymentMethodChoice, TokenizeInput } from "../index"
import { payJp, resumeJpCheckout, startJpSession, takesCardFields, type JpCheckoutError, type JpPayInput, type JpSession, type JpStoreClient } from "./checkout"

export { payJp, resumeJpCheckout, startJpSession, storeClient, takesCardFields } from "./checkout"
export type { JpCheckoutError, JpPayInput, JpPayment, JpResult, JpSession, JpStoreClient } from "./checkout"
export { paymentMethodChoices, paymentMethodLabel, type PaymentMethod, type PaymentMethodChoice } from "../index"

export type JpCheckoutStatus = "idle" | "starting" | "ready" | "paying" | "redirecting" | "done" | "error"

export interface UseJpCheckout {
  status: JpCheckoutStatus
  session: JpSession | null
  error: JpCheckoutError | null
  order: any | null
  /** Creates (or replaces) the cart's payment session with a medusa-payment-jp provider. */
  select(providerId: string): Promise<void>
  /** Pays with the current session; on a gateway page to visit, goes there (the page is left). */
  pay(input: JpPayInput): Promise<void>
}

const RETURN_KEY = "medusa-payment-jp:cart"

/**
 * The checkout's payment state over the Store API. On the page the gateway sends the shopper back to
 * (`?payment_session_id=…&jp_result=…`), it completes the cart by itself (once).
 */
export function useJpCheckout(opts: {
  client: JpStoreClient
  cartId: string | null
  lang?: "ja" | "en"
  /** A payment session the cart already has (e.g. made by the storefront's own payment step). */
  initialSession?: JpSession | null
}): UseJpCheckout {
  const { client, cartId } = opts
  const lang = opts.lang ?? "ja"
  const [status, setStatus] = useState<JpCheckoutStatus>(opts.initialSession ? "ready" : "idle")
  const [session, setSession] = useState<JpSession | null>(opts.initialSession ?? null)
  const [error, setError] = useState<JpCheckoutError | null>(null)
  const [order, setOrder] = useState<any | null>(null)
  const resumed = useRef(false)

  const settle = useCallback((r: Awaited<ReturnType<typeof payJp>>) => {
    if (!r.ok) {
      setError(r.error)
      setStatus("error")
      // back from the gateway's page on a new page load: the refused session, to pay again with another card
      if (r.session) setSession((s) => s ?? r.session!)
    } else if (r.next === "order") {
      setOrder(r.order)
      setStatus("done")
    } else {
      setStatus("redirecting")
      if (typeof window !== "undefined") {
        window.sessionStorage.setItem(RETURN_KEY, cartId ?? "")
        followRedirect(r.session)
      }
    }
  }, [cartId])

  useEffect(() => {
    if (resumed.current || !cartId || typeof window === "undefined") return
    resumed.current = true
    const search = window.location.search
    if (!/jp_result=/.test(search)) return
    setStatus("paying")
    void resumeJpCheckout(client, { cartId, search, lang }).then((r) => {
      window.sessionStorage.removeItem(RETURN_KEY)
      // the query is spent: a reload must not complete again
      window.history.replaceState(null, "", window.location.pathname)
      if (r) settle(r)
      else setStatus("idle")
    })
  }, [client, cartId, lang, settle])

  const select = useCallback(
    async (providerId: string) => {
      if (!cartId) return
      setStatus("starting")
      setError(null)
      setSession(null)
      const r = await startJpSession(client, cartId, providerId)
      if (!r.ok) {
        setError(r.error)
        setStatus("error")
        return
      }
      setSession(r.session)
      setStatus("ready")
    },
    [client, cartId]
  )

  const pay = useCallback(
    async (input: JpPayInput) => {
      if (!cartId || !session) return
      setStatus("paying")
      setError(null)
      settle(await payJp(client, { cartId, session, input, lang }))
    },
    [client, cartId, session, lang, settle]
  )

  return { status, session, error, order, select, pay }
}

/** The cart id the shopper left with for the gateway's page (for a storefront that keeps no cart cookie). */
export function cartIdBeforeRedirect(): string | null {
  return typeof window === "undefined" ? null : window.sessionStorage.getItem(RETURN_KEY) || null
}

export interface JpCardStep {
  /** The session's gateway ("robot-payment", "sbps", "paygent", "payment-options" …), or null. */
  gateway: string | null
  /** "popup": the gateway's script shows its own card form; "fields": card inputs the gateway's script reads; "hosted": the gateway's page takes the card. */
  kind: "popup" | "fields" | "hosted" | null
  /** What to render in the payment step (with a 支払方法 select when the session offers more than 一括). */
  fields: ReactElement | null
  /** The 支払方法 the session offers, labelled (一括払い first); one choice: nothing to ask. */
  paymentMethods: PaymentMethodChoice[]
  /**
   * What `pay` takes for this step (read at the moment of paying: the inputs' current elements and
   * the 支払方法 select; `paymentMethod` overrides the select, for a storefront that renders its own).
   */
  payInput(options?: { saveCard?: boolean; paymentMethod?: PaymentMethod }): JpPayInput
}

const LABELS = {
  ja: { method: "支払方法", number: "カード番号", expiry: "有効期限", month: "月 (MM)", year: "年 (YY)", yyyymm: "有効期限 (YYYYMM)", cvc: "セキュリティコード", name: "カード名義 (半角ローマ字)", hosted: "次の画面（決済代行会社のページ）でカード情報を入力します。" },
  en: { method: "Payment method", number: "Card number", expiry: "Expiry", month: "Month (MM)", year: "Year (YY)", yyyymm: "Expiry (YYYYMM)", cvc: "Security code", name: "Name on card (Latin letters)", hosted: "You will enter your card on the gateway's own page next." },
}

/**
 * The card step for a payment session: the fields its gateway's script reads, and the input `pay`
 * takes. `cardholder` is what 3-D Secure sends the issuer where the gateway asks the browser for it
 * (SBPS: e-mail or phone).
 */
export function useJpCardStep(session: JpSession | null, opts: { cardholder?: { email?: string; phone?: string }; lang?: "ja" | "en" } = {}): JpCardStep {
  const lang = opts.lang ?? "ja"
  const t = LABELS[lang]
  const container = useRef<HTMLDivElement>(null)
  const inputs = useRef<Record<string, HTMLInputElement | null>>({})
  const methodSelect = useRef<HTMLSelectElement | null>(null)
  const paymentMethods = useMemo(() => paymentMethodChoices(session, lang), [session, lang])
  const gateway = useMemo(() => {
    if (!session) return null
    try {
      return browserConfigOf(session).gateway
    } catch {
      return null
    }
  }, [session])
  const hosted = session && gateway ? !takesCardFields(session) : false
  const kind: JpCardStep["kind"] = !gateway ? null : hosted ? "hosted" : gateway === "robot-payment" ? "popup" : "fields"

  const input = (name: string, label: string, props: Record<string, unknown> = {}) => (
    <label className="jp-field" key={name}>
      <span>{label}</span>
      <input name={`jp-${name}`} data-jp-field={name} ref={(el) => void (inputs.current[name] = el)} autoComplete="off" inputMode="numeric" {...props} />
    </label>
  )

  let fields: ReactElement | null = null
  if (kind === "popup") fields = <div className="jp-gateway-form" ref={container} />
  else if (kind === "hosted") fields = <p className="jp-hosted-note">{t.hosted}</p>
  else if (gateway === "sbps") fields = <div className="jp-card-fields">{[input("number", t.number, { autoComplete: "cc-number" }), input("yyyymm", t.yyyymm), input("cvc", t.cvc)]}</div>
  else if (gateway === "paygent")
    fields = (
      <div className="jp-card-fields">
        {[input("number", t.number, { autoComplete: "cc-number" }), input("month", t.month), input("year", t.year), input("cvc", t.cvc), input("name", t.name, { inputMode: "text", autoComplete: "cc-name" })]}
      </div>
    )
  // 支払方法: asked only when the session offers more than 一括払い.
  if (fields && paymentMethods.length > 1) {
    fields = (
      <>
        <label className="jp-field jp-payment-method">
          <span>{t.method}</span>
          <select name="jp-payment-method" data-jp-field="payment_method" ref={methodSelect} defaultValue={paymentMethods[0].value}>
            {paymentMethods.map((c) => (
              <option key={c.value} value={c.value}>
                {c.label}
              </option>
            ))}
          </select>
        </label>
        {fields}
      </>
    )
  }

  const payInput = (o: { saveCard?: boolean; paymentMethod?: PaymentMethod } = {}): JpPayInput => {
    const el = (n: string) => inputs.current[n] as HTMLInputElement
    const chosen = o.paymentMethod ?? (methodSelect.current ? paymentMethodFromValue(methodSelect.current.value) : undefined)
    // 一括払い is what the server takes when nothing is sent: send a choice only when it is another.
    const method = chosen && chosen.type !== "lump" ? { paymentMethod: chosen } : {}
    if (kind === "hosted") return { hostedPage: true, saveCard: o.saveCard, ...method }
    let card: TokenizeInput
    if (gateway === "robot-payment") card = { mode: "popup", container: container.current ?? undefined }
    else if (gateway === "sbps") {
      const holder = opts.cardholder ?? {}
      card = {
        card: { ccNumber: el("number"), ccExpiration: el("yyyymm"), securityCode: el("cvc") },
        cardholder: { ...(holder.email ? { email: holder.email } : {}), ...(holder.phone ? { billingPhone: holder.phone } : {}) },
      } as TokenizeInput
    } else if (gateway === "paygent") {
      card = { mode: "custom", card: { card_number: el("number"), expire_month: el("month"), expire_year: el("year"), cvc: el("cvc"), name: el("name") } } as TokenizeInput
    } else {
      throw new Error(`medusa-payment-jp/react has no card step for the gateway "${gateway}"`)
    }
    return { card, saveCard: o.saveCard, ...method }
  }
  return { gateway, kind, fields, paymentMethods, payInput }
}
