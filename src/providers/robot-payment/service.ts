import { MedusaError } from "@medusajs/framework/utils"
import { CardProvider } from "../../core/card-provider"
import type { Logger } from "../../core/http"
import { RobotPaymentGateway } from "../../gateways/robot-payment/gateway"
import { parseRobotPaymentOptions, type RobotPaymentOptions, type RobotPaymentOptionsInput } from "../../gateways/robot-payment/options"

/** ROBOT PAYMENT card payments: CPToken.js token + EMV 3-D Secure in the browser, then gateway_token.aspx. */
export class RobotPaymentProviderService extends CardProvider<RobotPaymentOptionsInput & Record<string, unknown>> {
  static identifier = "robot-payment"

  protected readonly gateway: RobotPaymentGateway
  protected readonly captureOnAuthorize: boolean
  readonly options: RobotPaymentOptions

  constructor(cradle: Record<string, unknown>, options: RobotPaymentOptionsInput & Record<string, unknown>) {
    super(cradle, options)
    this.options = parseRobotPaymentOptions(options)
    this.gateway = new RobotPaymentGateway(this.options, cradle.logger as Logger | undefined)
    this.captureOnAuthorize = this.options.jobType === "CAPTURE"
  }

  static validateOptions(options: Record<string, unknown>): void {
    try {
      parseRobotPaymentOptions(options)
    } catch (e) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, (e as Error).message)
    }
  }
}

export default RobotPaymentProviderService
