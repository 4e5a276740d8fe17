// The provider instance behind `pp_<name>_<id>`, for the plugin's routes. Medusa 2.21 offers no public
// way to reach a provider instance: the Payment Module keeps them in its private
// `paymentProviderService_`. Everything that reaches into Medusa's internals is in this one file, and
// a test in a real Medusa app (integration-tests/http/admin-routes.spec.ts) fails if they change.
import { MedusaError, Modules } from "@medusajs/framework/utils"
import type { IPaymentModuleService, MedusaContainer } from "@medusajs/framework/types"
import { CardProvider } from "./card-provider"

interface PaymentModuleInternals {
  paymentProviderService_?: { retrieveProvider?(id: string): unknown }
}

/** Thrown when Medusa's Payment Module is not shaped as this plugin was built for. */
export class MedusaInternalsChanged extends Error {
  constructor(what: string) {
    super(`medusa-payment-jp cannot reach payment provider instances: ${what}. This Medusa version is not supported by this version of the plugin.`)
    this.name = "MedusaInternalsChanged"
  }
}

/** The card provider registered as `pp_<providerKey>` (with or without the `pp_`), or a 404 MedusaError. */
export function resolveCardProvider(scope: MedusaContainer, providerKey: string): CardProvider {
  const payment = scope.resolve<IPaymentModuleService>(Modules.PAYMENT) as unknown as PaymentModuleInternals
  const providers = payment.paymentProviderService_
  if (typeof providers?.retrieveProvider !== "function") throw new MedusaInternalsChanged("the Payment Module has no paymentProviderService_.retrieveProvider")
  const id = providerKey.startsWith("pp_") ? providerKey : `pp_${providerKey}`
  let provider: unknown
  try {
    provider = providers.retrieveProvider(id)
  } catch {
    provider = undefined // Medusa throws for an id it does not know
  }
  if (!(provider instanceof CardProvider)) {
    throw new MedusaError(MedusaError.Types.NOT_FOUND, `no card payment provider ${id} is registered`)
  }
  return provider
}
