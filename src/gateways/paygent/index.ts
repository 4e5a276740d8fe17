// PAYGENT (ペイジェント) module type over mutual TLS: PaygentToken.js token, EMV 3-D Secure (450 →
// the ACS page → term_url, verified by hc) then 020; 022 capture and 028 + 022 for less; 021/023
// cancel; 023/029 refunds; 094 status query; saved cards (025–027); 決済情報差分通知.
import type { GatewayDefinition } from "../../core/definition"
import { checkTlsAtBoot } from "./client"
import { SECRET_FIELDS } from "./codec"
import { PaygentGateway } from "./gateway"
import { PAYGENT_PAYMENT_METHODS, paygentOptionsSchema, type PaygentOptions } from "./options"

export const paygent: GatewayDefinition<PaygentOptions> = {
  name: "paygent",
  displayName: { en: "PAYGENT", ja: "ペイジェント" },
  currencies: ["jpy"],
  options: paygentOptionsSchema,
  secretFields: SECRET_FIELDS,
  tokenFields: ["token", "masked_card_number", "valid_until", "fingerprint", "hc"],
  // 450 does not spend the token: 020 sends it again after the shopper comes back.
  tokenAfterRedirect: true,
  capabilities: {
    // 028 decreases the authorization, then 022 sells the new payment.
    partialCapture: true,
    partialRefund: true,
    statusQuery: true,
    savedCards: true,
    // 020's payment_class / split_count.
    installments: true,
    redirect: true,
    notifications: true,
  },
  paymentMethods: PAYGENT_PAYMENT_METHODS,
  // The 接続キット's files (certificate, key, passphrase, CA) must make a TLS context when they are there.
  // 450's term_url is built from backendUrl: without it every 3-D Secure payment would fail.
  check: (options) =>
    options.threeDSecure && !options.backendUrl
      ? "backendUrl is required with threeDSecure: 450's term_url is <backendUrl>/jp-payments/return/…"
      : checkTlsAtBoot(options),
  create: (options, env) => new PaygentGateway(options, env),
}

export { PaygentGateway, type PaygentOptions }
