// ROBOT PAYMENT (ロボットペイメント, formerly J-Payment): CPToken.js token and EMV 3-D Secure in the
// browser, then gateway_token.aspx; saved cards (carduser) and one-touch charges; kickbacks.
import type { GatewayDefinition } from "../../core/definition"
import { SECRET_FIELDS } from "./codec"
import { RobotPaymentGateway } from "./gateway"
import { PAYMENT_METHODS, robotPaymentOptionsSchema, type RobotPaymentOptions } from "./options"

export const robotPayment: GatewayDefinition<RobotPaymentOptions> = {
  name: "robot-payment",
  displayName: { en: "ROBOT PAYMENT", ja: "ロボットペイメント" },
  currencies: ["jpy"],
  options: robotPaymentOptionsSchema,
  secretFields: SECRET_FIELDS,
  tokenFields: ["token"],
  capabilities: {
    partialCapture: false,
    // No refund call: a partial refund cancels the sale and charges the rest again (option partialRefund).
    partialRefund: "option",
    statusQuery: false,
    savedCards: true,
    installments: true,
    // 3-D Secure runs in the browser before the session is sent: the browser never leaves the shop.
    redirect: false,
    notifications: true,
  },
  paymentMethods: PAYMENT_METHODS,
  create: (options, env) => new RobotPaymentGateway(options, env),
}

export { RobotPaymentGateway, type RobotPaymentOptions }
