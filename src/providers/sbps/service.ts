import { cardProviderFor } from "../../core/card-provider"
import { sbps } from "../../gateways/sbps"

/** SBPS API型 card payments: one-time token (+ 3-D Secure cardholder token) in the browser, then XML API. */
export class SbpsProviderService extends cardProviderFor(sbps) {}

export default SbpsProviderService
