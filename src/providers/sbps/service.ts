import { MedusaError } from "@medusajs/framework/utils"
import { CardProvider } from "../../core/card-provider"
import type { Logger } from "../../core/http"
import { SbpsGateway } from "../../gateways/sbps/gateway"
import { parseSbpsOptions, type SbpsOptions, type SbpsOptionsInput } from "../../gateways/sbps/options"

/** SBPS API型 card payments: one-time token (+ 3-D Secure cardholder token) in the browser, then XML API. */
export class SbpsProviderService extends CardProvider<SbpsOptionsInput & Record<string, unknown>> {
  static identifier = "sbps"

  protected readonly gateway: SbpsGateway
  protected readonly captureOnAuthorize: boolean
  readonly options: SbpsOptions

  constructor(cradle: Record<string, unknown>, options: SbpsOptionsInput & Record<string, unknown>) {
    super(cradle, options)
    this.options = parseSbpsOptions(options)
    this.gateway = new SbpsGateway(this.options, cradle.logger as Logger | undefined)
    this.captureOnAuthorize = this.options.captureOnAuthorize
  }

  static validateOptions(options: Record<string, unknown>): void {
    try {
      parseSbpsOptions(options)
    } catch (e) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, (e as Error).message)
    }
  }
}

export default SbpsProviderService
