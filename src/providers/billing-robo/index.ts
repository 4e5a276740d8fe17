import { ModuleProvider, Modules } from "@medusajs/framework/utils"
import { BillingRoboProviderService } from "./service"

export default ModuleProvider(Modules.PAYMENT, {
  services: [BillingRoboProviderService],
})
