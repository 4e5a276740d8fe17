// 請求管理ロボ (ROBOT PAYMENT's billing service): the customer registers a card on their 請求先 in the
// storefront (CPToken.js, EMV 3-D Secure with amounts 0), and an order is charged through 即時決済
// onto that card, appearing on the customer's 請求書. No cancel or refund API: the control panel does it.
import type { GatewayDefinition } from "../../core/definition"
import { SECRET_FIELDS } from "./codec"
import { BillingRoboGateway, creditStatusText } from "./gateway"
import { REGISTER_STATUS } from "./codes"
import { billingRoboOptionsSchema, type BillingRoboOptions } from "./options"

export const billingRobo: GatewayDefinition<BillingRoboOptions> = {
  name: "billing-robo",
  displayName: { en: "請求管理ロボ (ROBOT PAYMENT billing)", ja: "請求管理ロボ" },
  currencies: ["jpy"],
  options: billingRoboOptionsSchema,
  secretFields: SECRET_FIELDS,
  // The checkout takes no token: the card is registered beforehand at /store/jp-payments/card-registration.
  tokenFields: [],
  capabilities: {
    partialCapture: false,
    partialRefund: false,
    statusQuery: false,
    // The registered card lives on the 請求先, not in Medusa's saved payment methods.
    savedCards: false,
    installments: false,
    redirect: false,
    notifications: true,
    // 即時決済 is a sale; the API has no cancel or refund (the control panel does them).
    adjustments: false,
  },
  create: (options, env) => new BillingRoboGateway(options, env),
  // The card is registered on the customer's 請求先 beforehand (/store/jp-payments/card-registration).
  cardRegistration: {
    of: (gateway) => (gateway instanceof BillingRoboGateway ? gateway : null),
    statusEvent: "credit_status_issue",
    // 決済情報.register_status 5: 登録完了
    isRegistered: (status) => status === 5,
    registerStatusText: (status) => (status === null ? null : REGISTER_STATUS[status] ?? null),
    creditStatusText,
  },
}

export { BillingRoboGateway, type BillingRoboOptions }
