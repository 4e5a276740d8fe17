import { ModuleProvider, Modules } from "@medusajs/framework/utils"
import { RobotPaymentProviderService } from "./service"

export default ModuleProvider(Modules.PAYMENT, {
  services: [RobotPaymentProviderService],
})
