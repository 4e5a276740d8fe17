// What one gateway's browser side is: every `storefront/<gw>.ts` exports one of these, and
// `gateways.ts` lists them. `tokenize`, `browserConfigOf` and `hostedPageSessionData` read only this.

/** The options `tokenize` takes; each gateway reads those that concern it. */
export interface TokenizeOptions {
  /** Save the card for the logged-in customer (ROBOT PAYMENT: 3-D Secure runs with the session's `uid`). */
  saveCard?: boolean
  /** ROBOT PAYMENT: only if the server sends the very same e-mail with the payment (the cart's): 3-D Secure and payment must agree. */
  email?: string
  /** ROBOT PAYMENT: likewise for the phone number. */
  phone?: string
  /** Aborts the wait (e.g. the shopper left the checkout step); rejects with code CANCELLED. */
  signal?: AbortSignal
  /**
   * ROBOT PAYMENT popup mode: how long to wait for the gateway's answer once its popup has disappeared
   * before treating it as closed by the shopper (code CANCELLED). Default 3000 ms.
   */
  popupCloseGraceMs?: number
}

/** The session data that asks a gateway's own payment page to take the card. */
/** `hosted_page: true` asks the server to make the page's link with the session (before completion). */
export type HostedPageSessionData = { save_card?: true; hosted_page?: true }

export interface StorefrontGateway<Config extends { gateway: string } = { gateway: string }, Input = never, Data extends object = object> {
  /** As `data.jp.browser.gateway` and the server's gateway definition spell it. */
  readonly name: string
  /**
   * The session data fields the gateway's browser token carries (the token and its companions), as
   * the server's gateway definition lists them; empty where the card is entered on the gateway's page.
   */
  readonly tokenFields: readonly string[]
  /** Reads and checks `data.jp.browser`; throws JpPaymentError NO_BROWSER_CONFIG naming the gateway. */
  config(browser: Record<string, unknown>): Config
  /**
   * The payment session `data` for what the gateway's browser step answered (its script's answer,
   * checked here): exactly the token fields, plus `save_card: true` when asked.
   */
  sessionData(answer: unknown, options: { saveCard?: boolean }): Data
  /**
   * The card → the gateway's token, with the gateway's own script (and 3-D Secure where it runs in
   * the browser); resolves with `sessionData`. Absent where the card is entered on the gateway's page.
   */
  tokenize?(config: Config, input: Input, options: TokenizeOptions): Promise<Data>
}

/** Any gateway, whatever its config, input and session data. */
export type AnyStorefrontGateway = StorefrontGateway<any, any, any>

/** The card input the gateways of a list take (never for one without a tokenizer). */
export type TokenizeInputOf<G> = G extends StorefrontGateway<any, infer I, any> ? I : never

/** The session data the tokenizers of a list resolve with. */
export type TokenSessionDataOf<G> = G extends StorefrontGateway<any, infer I, infer D> ? ([I] extends [never] ? never : D) : never
