import { cardProviderFor } from "../../core/card-provider"
import { paygent } from "../../gateways/paygent"

/** PAYGENT card payments: PaygentToken.js token, EMV 3-D Secure (450 + ACS + term_url), then 020, over mutual TLS. */
export class PaygentProviderService extends cardProviderFor(paygent) {}

export default PaygentProviderService
