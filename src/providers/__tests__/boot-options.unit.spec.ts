// Issue 10 point 5: a configuration that cannot take a payment fails when Medusa boots (each
// provider's static validateOptions), with a message naming the missing option — not at the first
// checkout with NO_RETURN_URL / NO_TERM_URL.
import { MedusaError } from "@medusajs/framework/utils"
import { PaygentProviderService } from "../paygent/service"
import { PaymentOptionsProviderService } from "../payment-options/service"
import { RobotPaymentProviderService } from "../robot-payment/service"
import { SbpsProviderService } from "../sbps/service"

const BACKEND = "https://api.shop.jp"
const STOREFRONT = "https://shop.jp"

const providers: Array<{ name: string; Provider: { validateOptions(o: Record<string, unknown>): void }; base: Record<string, unknown> }> = [
  { name: "robot-payment", Provider: RobotPaymentProviderService, base: { aid: "123456" } },
  { name: "sbps", Provider: SbpsProviderService, base: { merchantId: "30132", serviceId: "002", hashKey: "k" } },
  {
    name: "paygent",
    Provider: PaygentProviderService,
    base: { merchantId: "100000001", connectId: "conn", connectPassword: "pass1", clientCertificate: "/kit/client.pem", merchantName: "Shop", threeDSResultHashKey: "k", tokenGenerationKey: "g" },
  },
  {
    name: "payment-options",
    Provider: PaymentOptionsProviderService,
    base: { merchantId: "JP00000472", apiKey: "k", xApiKey: "x", webhookSecret: "0123456789abcdef", merchantEmail: "shop@example.jp" },
  },
]

function refusal(Provider: { validateOptions(o: Record<string, unknown>): void }, o: Record<string, unknown>): string | null {
  try {
    Provider.validateOptions(o)
    return null
  } catch (e) {
    expect(e).toBeInstanceOf(MedusaError)
    return (e as Error).message
  }
}

describe("options a configuration needs are checked at boot", () => {
  it.each(providers)("$name boots with its options and the Medusa server's URLs", ({ Provider, base }) => {
    expect(refusal(Provider, { ...base, backendUrl: BACKEND, storefrontUrl: STOREFRONT })).toBeNull()
  })

  it.each(providers.filter((p) => p.name === "sbps" || p.name === "paygent"))(
    "$name with 3-D Secure and no backendUrl refuses to boot, naming backendUrl",
    ({ name, Provider, base }) => {
      expect(refusal(Provider, base)).toMatch(new RegExp(`${name} options are invalid: .*backendUrl`))
      // A contract without 3-D Secure never redirects: it needs no return URL.
      expect(refusal(Provider, { ...base, threeDSecure: false })).toBeNull()
    }
  )

  it("payment-options without backendUrl or storefrontUrl refuses to boot, naming them", () => {
    const po = providers.find((p) => p.name === "payment-options")!
    expect(refusal(po.Provider, { ...po.base, storefrontUrl: STOREFRONT })).toMatch(/backendUrl/)
    expect(refusal(po.Provider, { ...po.base, backendUrl: BACKEND })).toMatch(/storefrontUrl/)
  })

  it("robot-payment runs 3-D Secure in the browser and boots without backendUrl", () => {
    expect(refusal(RobotPaymentProviderService, { aid: "123456" })).toBeNull()
  })
})

describe("支払方法 the contract allows (paymentMethods) are checked at boot against what the gateway documents", () => {
  const rp = providers.find((p) => p.name === "robot-payment")!
  const po = providers.find((p) => p.name === "payment-options")!

  it("robot-payment boots with 分割 回数 and リボ that ROBOT PAYMENT documents", () => {
    expect(refusal(rp.Provider, { ...rp.base, paymentMethods: { installments: [3, 6, 24], revolving: true } })).toBeNull()
    expect(refusal(rp.Provider, { ...rp.base, paymentMethods: {} })).toBeNull()
  })

  it("robot-payment refuses a 回数 or a type it does not document, naming the option and what it documents", () => {
    expect(refusal(rp.Provider, { ...rp.base, paymentMethods: { installments: [2] } })).toBe(
      "robot-payment options are invalid: paymentMethods.installments: the gateway documents 分割払い in 3, 5, 6, 10, 12, 15, 18, 20, 24 回 only (not 2)"
    )
    expect(refusal(rp.Provider, { ...rp.base, paymentMethods: { bonus: true } })).toBe("robot-payment options are invalid: paymentMethods.bonus: the gateway documents no ボーナス一括払い")
    expect(refusal(rp.Provider, { ...rp.base, paymentMethods: { installments: 3 } })).toMatch(/paymentMethods\.installments/)
  })

  it("payment-options documents no 支払方法 but 一括: the option is refused", () => {
    expect(refusal(po.Provider, { ...po.base, backendUrl: BACKEND, storefrontUrl: STOREFRONT, paymentMethods: { installments: [3] } })).toMatch(/payment-options options are invalid: .*paymentMethods/)
  })
})
