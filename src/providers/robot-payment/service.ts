import { cardProviderFor } from "../../core/card-provider"
import { robotPayment } from "../../gateways/robot-payment"

/** ROBOT PAYMENT card payments: CPToken.js token + EMV 3-D Secure in the browser, then gateway_token.aspx. */
export class RobotPaymentProviderService extends cardProviderFor(robotPayment) {}

export default RobotPaymentProviderService
