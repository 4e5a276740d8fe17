import { ModuleProvider, Modules } from "@medusajs/framework/utils"
import { SbpsProviderService } from "./service"

export default ModuleProvider(Modules.PAYMENT, {
  services: [SbpsProviderService],
})
