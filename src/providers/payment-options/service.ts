import { cardProviderFor } from "../../core/card-provider"
import { paymentOptions } from "../../gateways/payment-options"

/** PaymentOptions card payments: the hosted payment page or a stored card, 3-D Secure by redirect. */
export class PaymentOptionsProviderService extends cardProviderFor(paymentOptions) {}

export default PaymentOptionsProviderService
