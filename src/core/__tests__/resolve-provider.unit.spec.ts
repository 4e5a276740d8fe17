// Reaching a provider instance: a Medusa whose Payment Module is shaped otherwise is said loudly, not
// taken for "no such provider". (The real Payment Module is checked in integration-tests/http/admin-routes.spec.ts.)
import type { MedusaContainer } from "@medusajs/framework/types"
import { MedusaInternalsChanged, resolveCardProvider } from "../resolve-provider"

const container = (paymentModule: unknown) => ({ resolve: () => paymentModule }) as unknown as MedusaContainer

describe("resolveCardProvider", () => {
  it("says so when Medusa's Payment Module no longer has the internals it reads", () => {
    expect(() => resolveCardProvider(container({}), "pp_x_y")).toThrow(MedusaInternalsChanged)
    expect(() => resolveCardProvider(container({ paymentProviderService_: {} }), "pp_x_y")).toThrow(/not supported by this version of the plugin/)
  })

  it("answers 404 for a provider that is not one of the plugin's", () => {
    const unknown = container({ paymentProviderService_: { retrieveProvider: () => { throw new Error("not found") } } })
    expect(() => resolveCardProvider(unknown, "x_y")).toThrow(/no card payment provider pp_x_y is registered/)
    const other = container({ paymentProviderService_: { retrieveProvider: () => ({}) } })
    expect(() => resolveCardProvider(other, "pp_system_default")).toThrow(/no card payment provider/)
  })
})
