// The SBPS storefront helper's pure parts; the DOM parts run in Chromium (integration-tests/browser/sbps-storefront.spec.ts).
import { JpPaymentError, browserConfigOf, isSbpsConfig, sbpsConfig } from "../index"

const b = { gateway: "sbps", merchant_id: "30132", service_id: "002", scripts: ["https://x/token.js", "https://x/tds2.js"], three_ds: true, amount: 3000 }

describe("SBPS browser config", () => {
  it("is recognised and read", () => {
    const c = browserConfigOf({ data: { jp: { browser: b } } })
    expect(isSbpsConfig(c)).toBe(true)
    expect(sbpsConfig(c as unknown as Record<string, unknown>)).toEqual(b)
  })
  it("refuses malformed ids, scripts or a 3-D Secure config without its script", () => {
    for (const bad of [{ ...b, merchant_id: "1" }, { ...b, service_id: "x" }, { ...b, scripts: [] }, { ...b, scripts: ["https://x/token.js"] }, { ...b, three_ds: "yes" }]) {
      expect(() => sbpsConfig(bad as Record<string, unknown>)).toThrow(JpPaymentError)
    }
    expect(sbpsConfig({ ...b, scripts: ["https://x/token.js"], three_ds: false }).three_ds).toBe(false)
  })
})
