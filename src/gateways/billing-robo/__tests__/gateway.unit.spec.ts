// What the storefront may send to 請求管理ロボ at checkout: nothing that names a card (it charges the
// card registered on the customer's 請求先), and so never a payment_method_id, not even an empty one.
import { BillingRoboGateway } from "../gateway"
import { parseOptions } from "../../../core/options"
import { billingRobo } from ".."

const gateway = () =>
  new BillingRoboGateway(parseOptions(billingRobo, { userId: "shop@example.com", accessKey: "abc123", aid: "123456", baseUrl: "http://127.0.0.1:9" }))

describe("BillingRoboGateway session input", () => {
  it("reads no data as the registered card", () => {
    expect(gateway().parseSessionInput({}).source).toEqual({ type: "hosted", saveCard: false })
  })

  it("refuses a payment_method_id, an empty one by name", () => {
    const g = gateway()
    expect(() => g.parseSessionInput({ payment_method_id: "" })).toThrow(/^payment_method_id is empty: .*send no payment_method_id/)
    expect(() => g.parseSessionInput({ payment_method_id: "1" })).toThrow(/send no payment_method_id/)
    expect(() => g.parseSessionInput({ token: "abcdefghijk1234" })).toThrow(/send no token/)
  })
})
