// PaymentOptions in the shopper's browser: nothing to load and no token. The card is entered on
// PaymentOptions' hosted payment page, where the session's redirect leads (followRedirect);
// 3-D Secure runs there too. The storefront only says whether the card is to be saved.
import { configError } from "./config"
import type { HostedPageSessionData, StorefrontGateway } from "./gateway"

/** What a PaymentOptions payment session hands the browser. */
export interface PaymentOptionsBrowserConfig {
  gateway: "payment-options"
  /** The card is entered on PaymentOptions' hosted payment page. */
  card_entry: "hosted_page"
  /** 3-D Secure is a page the shopper is sent to. */
  three_ds: "redirect"
}

const GATEWAY = "payment-options"

function paymentOptionsConfig(b: Record<string, unknown>): PaymentOptionsBrowserConfig {
  if (b.card_entry !== "hosted_page") throw configError('data.jp.browser.card_entry must be "hosted_page"', GATEWAY)
  if (b.three_ds !== "redirect") throw configError('data.jp.browser.three_ds must be "redirect"', GATEWAY)
  return { gateway: GATEWAY, card_entry: "hosted_page", three_ds: "redirect" }
}

/** PaymentOptions' browser side: its hosted payment page takes the card; no tokenizer. */
export const paymentOptions: StorefrontGateway<PaymentOptionsBrowserConfig, never, HostedPageSessionData> = {
  name: GATEWAY,
  tokenFields: [],
  config: paymentOptionsConfig,
  // The hosted page answers nothing in the browser: the session is asked to make the page's link at
  // once (hosted_page), with the shopper's wish to keep the card.
  sessionData: (_answer, { saveCard }) => (saveCard ? { hosted_page: true, save_card: true } : { hosted_page: true }),
}
