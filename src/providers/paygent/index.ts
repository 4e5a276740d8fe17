import { ModuleProvider, Modules } from "@medusajs/framework/utils"
import { PaygentProviderService } from "./service"

export default ModuleProvider(Modules.PAYMENT, {
  services: [PaygentProviderService],
})
