import { tmpdir } from "node:os"
import { join } from "node:path"
import { readFileSync } from "node:fs"
import { MedusaError } from "@medusajs/framework/utils"
import { ensureCertificates } from "../../../simulator/paygent/certs"
import { PaygentProviderService } from "../service"
import paygent from "../index"

const base = {
  merchantId: "100000001",
  connectId: "testconnect",
  connectPassword: "testpassword1",
  merchantName: "Shop",
  threeDSResultHashKey: "k",
  tokenGenerationKey: "g",
  backendUrl: "https://api.shop.jp",
}

function bad(o: Record<string, unknown>): string {
  try {
    PaygentProviderService.validateOptions(o)
  } catch (e) {
    expect(e).toBeInstanceOf(MedusaError)
    return (e as Error).message
  }
  throw new Error("no error")
}

describe("the paygent provider", () => {
  const certs = ensureCertificates(join(tmpdir(), "medusa-payment-jp-paygent-certs"))

  it("is a Medusa payment provider with the identifier paygent", () => {
    expect(PaygentProviderService.identifier).toBe("paygent")
    expect((paygent as unknown as { services: unknown[] }).services).toContain(PaygentProviderService)
  })

  it("boots before the 接続キット files are deployed, and names every bad option", () => {
    expect(() => PaygentProviderService.validateOptions({ ...base, clientCertificate: "/not/yet/deployed/client.pem" })).not.toThrow()
    expect(bad({ ...base, clientCertificate: "/x.pem", salesMode: "capture" })).toMatch(/salesMode/)
    expect(bad({ clientCertificate: "/x.pem" })).toMatch(/merchantId.*connectId.*connectPassword.*merchantName.*threeDSResultHashKey.*tokenGenerationKey/)
  })

  it("checks the certificate, key, passphrase and CA at boot when they are there", () => {
    const kit = { ...base, clientCertificate: certs.clientBundleFile, caCertificate: certs.caFile }
    expect(() => PaygentProviderService.validateOptions({ ...kit, clientKeyPassphrase: certs.clientKeyPassphrase })).not.toThrow()
    expect(bad({ ...kit, clientKeyPassphrase: "wrong" })).toMatch(/cannot be used/)
    expect(() => PaygentProviderService.validateOptions({ ...kit, clientCertificate: certs.clientPfxFile, clientKeyPassphrase: certs.clientKeyPassphrase })).not.toThrow()
    expect(bad({ ...kit, clientCertificate: certs.clientPfxFile, clientKeyPassphrase: "wrong" })).toMatch(/cannot be used/)
    // inline PEM: the certificate alone, with its key apart
    const inline = { ...base, clientCertificate: readFileSync(certs.clientCertFile, "utf8"), clientKey: readFileSync(certs.clientKeyFile, "utf8"), clientKeyPassphrase: certs.clientKeyPassphrase }
    expect(() => PaygentProviderService.validateOptions(inline)).not.toThrow()
    expect(bad({ ...inline, clientKey: readFileSync(join(certs.dir, "rogue.key"), "utf8") })).toMatch(/cannot be used/)
  })
})
