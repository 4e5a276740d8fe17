// PaymentOptions (DAS Gateway): the card is entered on its hosted payment page (no browser token),
// 3-D Secure by redirect; authorize or purchase, one capture of the whole or less, void, refunds,
// status query, stored cards, webhooks signed by the plugin's own URL signature.
import type { GatewayDefinition } from "../../core/definition"
import { SECRET_FIELDS } from "./codec"
import { PaymentOptionsGateway } from "./gateway"
import { paymentOptionsOptionsSchema, type PaymentOptionsOptions } from "./options"

export const paymentOptions: GatewayDefinition<PaymentOptionsOptions> = {
  name: "payment-options",
  displayName: { en: "PaymentOptions", ja: "PaymentOptions" },
  currencies: ["jpy", "usd"],
  options: paymentOptionsOptionsSchema,
  secretFields: SECRET_FIELDS,
  tokenFields: [],
  capabilities: {
    // One capture, of the whole or less; PaymentOptions releases the rest.
    partialCapture: true,
    partialRefund: true,
    // By transaction id only: a lost answer waits for the webhook that names it.
    statusQuery: true,
    savedCards: true,
    installments: false,
    redirect: true,
    notifications: true,
  },
  // Every payment comes back through the browser or the webhook: both URLs are built from backendUrl.
  check: (o) => (!o.backendUrl || !o.storefrontUrl ? "backendUrl and storefrontUrl are required: PaymentOptions sends the shopper and its webhook back to them" : null),
  create: (options, env) => new PaymentOptionsGateway(options, env),
}

export { PaymentOptionsGateway, type PaymentOptionsOptions }
