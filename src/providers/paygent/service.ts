import { MedusaError } from "@medusajs/framework/utils"
import { CardProvider } from "../../core/card-provider"
import type { Logger } from "../../core/http"
import { checkTlsAtBoot } from "../../gateways/paygent/client"
import { PaygentGateway } from "../../gateways/paygent/gateway"
import { parsePaygentOptions, type PaygentOptions, type PaygentOptionsInput } from "../../gateways/paygent/options"

/** PAYGENT card payments: PaygentToken.js token, EMV 3-D Secure (450 + ACS + term_url), then 020, over mutual TLS. */
export class PaygentProviderService extends CardProvider<PaygentOptionsInput & Record<string, unknown>> {
  static identifier = "paygent"

  protected readonly gateway: PaygentGateway
  protected readonly captureOnAuthorize: boolean
  readonly options: PaygentOptions

  constructor(cradle: Record<string, unknown>, options: PaygentOptionsInput & Record<string, unknown>) {
    super(cradle, options)
    this.options = parsePaygentOptions(options)
    this.gateway = new PaygentGateway(this.options, cradle.logger as Logger | undefined)
    this.captureOnAuthorize = this.options.salesMode === "auth_capture"
  }

  static validateOptions(options: Record<string, unknown>): void {
    let parsed: PaygentOptions
    try {
      parsed = parsePaygentOptions(options)
    } catch (e) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, (e as Error).message)
    }
    const tls = checkTlsAtBoot(parsed)
    if (tls) throw new MedusaError(MedusaError.Types.INVALID_DATA, `paygent options are invalid: ${tls}`)
  }
}

export default PaygentProviderService
