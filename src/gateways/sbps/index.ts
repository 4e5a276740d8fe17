// SBPS (SBペイメントサービス) API型: one-time token (com_sbps_system_token.js) and EMV 3-D Secure
// (TA02 → the ACS page → ST01-00118), 与信 + 確定, 売上 of the whole or a smaller amount, 取消返金 and
// 部分返金, MG01 status query, one saved card per customer (cust_code).
import type { GatewayDefinition } from "../../core/definition"
import { SECRET_FIELDS } from "./codec"
import { SbpsGateway } from "./gateway"
import { SBPS_PAYMENT_METHODS, sbpsOptionsSchema, type SbpsOptions } from "./options"

export const sbps: GatewayDefinition<SbpsOptions> = {
  name: "sbps",
  displayName: { en: "SB Payment Service", ja: "SBペイメントサービス" },
  currencies: ["jpy"],
  options: sbpsOptionsSchema,
  secretFields: SECRET_FIELDS,
  tokenFields: ["token", "token_key", "tds2info_token", "tds2info_token_key"],
  capabilities: {
    // 売上 takes pay_option_manage/amount up to the 与信 amount.
    partialCapture: true,
    partialRefund: true,
    // MG01 needs the tracking_id: it settles a lost commit, not a lost 与信.
    statusQuery: true,
    savedCards: true,
    // pay_method_info › dealings_type / divide_times, in 与信 (ST01-00131 and ST01-00118).
    installments: true,
    redirect: true,
    notifications: false,
  },
  paymentMethods: SBPS_PAYMENT_METHODS,
  // TA02's return addresses are built from backendUrl: without it every 3-D Secure payment would fail.
  check: (o) => (o.threeDSecure && !o.backendUrl ? "backendUrl is required with threeDSecure: 3-D Secure returns the shopper to <backendUrl>/jp-payments/return/…" : null),
  create: (options, env) => new SbpsGateway(options, env),
}

export { SbpsGateway, type SbpsOptions }
