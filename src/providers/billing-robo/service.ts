import { cardProviderFor } from "../../core/card-provider"
import { billingRobo } from "../../gateways/billing-robo"

/** 請求管理ロボ: charges an order through 即時決済 on the card the customer registered on their 請求先. */
export class BillingRoboProviderService extends cardProviderFor(billingRobo) {}

export default BillingRoboProviderService
