// 請求管理ロボ in the logged-in customer's browser: register (or replace) the card the customer's 請求先
// is billed on. The server prepares the 請求先 and answers the public values; CPToken.js tokenizes the
// card and EMV3DSAdapter.js runs 3-D Secure with amounts 0 and the 部署's em/pn (the API requires
// them equal); the token goes back to the server, which registers it. The checkout itself has no
// browser step: the provider charges the registered card.
import { JpPaymentError } from "./errors"
import type { TokenizeOptions } from "./gateway"
import { tokenizeWithCPToken, type RobotPaymentInput } from "./robot-payment"

const GATEWAY = "billing-robo"

export interface CardRegistrationOptions extends Pick<TokenizeOptions, "signal" | "popupCloseGraceMs"> {
  /** The Medusa server's origin, e.g. "https://api.shop.example". */
  backendUrl: string
  /** The provider, e.g. "pp_billing-robo_br". */
  providerId: string
  /** The publishable key and the customer's authorization (or use cookies: `credentials: "include"`). */
  headers?: Record<string, string>
  credentials?: RequestCredentials
  /** Which of the customer's addresses the 請求先 takes (default: the default billing one). */
  addressId?: string
}

/** The registration as the server answers it. */
export interface CardRegistration {
  billing_code: string
  register_status: number | null
  register_status_text: { ja: string; en: string } | null
  registered: boolean
}

interface Prepared {
  registration: CardRegistration
  browser: { aid: string; scripts: { jquery: string; cptoken: string; emv3ds: string }; three_ds: { am: 0; tx: 0; sf: 0; em: string; pn: string } }
}

async function call<T>(o: CardRegistrationOptions, path: string, body: Record<string, unknown>, stage: "config" | "token"): Promise<T> {
  const res = await fetch(`${o.backendUrl.replace(/\/+$/, "")}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(o.headers ?? {}) },
    body: JSON.stringify(body),
    ...(o.credentials ? { credentials: o.credentials } : {}),
    ...(o.signal ? { signal: o.signal } : {}),
  })
  const data = (await res.json().catch(() => ({}))) as Record<string, unknown>
  if (!res.ok) {
    throw new JpPaymentError(String(data.type ?? `HTTP_${res.status}`), typeof data.message === "string" ? data.message : `the server answered ${res.status}`, { gateway: GATEWAY, stage })
  }
  return data as T
}

/** Prepares the registration on the server; the public values the browser step needs. */
export function prepareCardRegistration(o: CardRegistrationOptions): Promise<Prepared> {
  return call<Prepared>(o, "/store/jp-payments/card-registration", { provider_id: o.providerId, ...(o.addressId ? { address_id: o.addressId } : {}) }, "config")
}

/**
 * The whole registration: prepare, tokenize (the gateway's popup or the shop's card fields, cleared
 * afterwards), 3-D Secure with amounts 0, then the token to the server. Resolves with the registration.
 */
export async function registerCard(o: CardRegistrationOptions, input: RobotPaymentInput): Promise<CardRegistration> {
  const prep = await prepareCardRegistration(o)
  const b = prep.browser
  const token = await tokenizeWithCPToken(GATEWAY, input, { signal: o.signal, popupCloseGraceMs: o.popupCloseGraceMs }, () => ({
    aid: b.aid,
    scripts: [b.scripts.jquery, b.scripts.cptoken, b.scripts.emv3ds],
    // The 請求管理ロボ API fixes am/tx/sf at 0 and wants the 部署's own e-mail and phone.
    threeDSRequest: (tkn) => ({ tkn, aid: b.aid, am: 0, tx: 0, sf: 0, em: b.three_ds.em, pn: b.three_ds.pn }),
  }))
  const done = await call<{ registration: CardRegistration }>(o, "/store/jp-payments/card-registration/token", { provider_id: o.providerId, token }, "token")
  return done.registration
}
