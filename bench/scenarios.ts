// The four gateways' P1 scenarios: each provider built from src/providers/<gw> with the options a
// merchant would give, pointed at the bench's simulators.
import type { Scenario } from "./overhead"
import type { SimUrls } from "./sims"

// Medusa's logger at its default level (info): it says debug is off, so the transport builds no debug line.
export const quiet = { info() {}, warn() {}, error() {}, debug() {}, shouldLog: (level: string) => level !== "debug" }
/** What Medusa hands a provider besides its logger: its config, whose cookieSecret the card token is sealed with. */
const medusa = { logger: quiet, configModule: { projectConfig: { http: { cookieSecret: "bench-cookie-secret" } } } }

export async function robotPayment(urls: SimUrls): Promise<Scenario> {
  const { RobotPaymentProviderService } = await import("../src/providers/robot-payment/service")
  const { createToken, authenticate } = await import("../src/simulator/robot-payment/shopper")
  const sim = urls["robot-payment"]
  return {
    gateway: "ROBOT PAYMENT",
    provider: new RobotPaymentProviderService(medusa, { aid: "123456", baseUrl: sim, jobType: "AUTH", timeoutMs: 5000 }),
    amount: 3000,
    // 3-D Secure is bound to the amount and payer the payment will send: the browser repeats the
    // session's three_ds values (am, tx, sf, em), as EMV3DSAdapter.js does in a storefront.
    async browser(_i, session) {
      const token = await createToken(sim, "123456", { cn: "4444333322221111" })
      await authenticate(sim, "123456", token, session.jp.browser.three_ds)
      return { token }
    },
    referenceOf: (answer) => answer.split(",")[0],
    // gid,rst,... with rst 1 = processed (ROBOT PAYMENT answers 2 and an ER code on a refusal)
    answerOk: (answer) => /^\d+,1,/.test(answer),
    providerReference: (data) => String((data.jp as { reference: string }).reference),
  }
}

export async function paygent(urls: SimUrls): Promise<Scenario> {
  const { PaygentProviderService } = await import("../src/providers/paygent/service")
  const { createPaygentToken } = await import("../src/simulator/paygent/shopper")
  const { readFileSync } = await import("node:fs")
  const c = urls.paygentCerts
  const options = {
    merchantId: "100000001", connectId: "testconnect", connectPassword: "testpassword1",
    clientCertificate: c.clientBundleFile, clientKeyPassphrase: c.clientKeyPassphrase, caCertificate: c.caFile,
    baseUrl: urls.paygent, merchantName: "bench",
    threeDSResultHashKey: "test_3ds_result_hash_key", noticeHashKey: "test_notice_hash_key",
    tokenGenerationKey: "test_token_generation_key", tokenReceiptHashKey: "test_token_receipt_hash_key",
    backendUrl: "http://localhost:9000", storefrontUrl: "http://localhost:8000",
    acceptMerchantLiability: true, allowWithout3DS: true, timeoutMs: 5000,
  }
  const bundle = readFileSync(c.clientBundleFile)
  return {
    gateway: "PAYGENT",
    provider: new PaygentProviderService(medusa, options),
    amount: 3000,
    async browser() {
      const t = await createPaygentToken(urls.paygentBrowser, c.caFile, "100000001", "test_token_generation_key", { card_number: "6011000000000004" })
      return { ...t }
    },
    answerOk: (answer) => /^result=0\r?$/m.test(answer),
    referenceOf: (answer) => /(?:^|\n)payment_id=([^\r\n]*)/.exec(answer)?.[1] ?? "",
    providerReference: (data) => String((data.jp as { reference: string }).reference),
    connect: { cert: bundle, key: bundle, passphrase: c.clientKeyPassphrase, ca: readFileSync(c.caFile) },
  }
}

const SBPS_HASH_KEY = "8435dbd48f2249807ec216c3d5ecab714264cc4a"

export async function sbps(urls: SimUrls): Promise<Scenario> {
  const { SbpsProviderService } = await import("../src/providers/sbps/service")
  const { sbpsTokens } = await import("../src/simulator/sbps/shopper")
  const { createHash } = await import("node:crypto")
  const sim = urls.sbps
  return {
    gateway: "SBPS",
    provider: new SbpsProviderService(
      medusa,
      { merchantId: "30132", serviceId: "002", hashKey: SBPS_HASH_KEY, threeDSecure: false, baseUrl: sim, backendUrl: "http://localhost:9000", storefrontUrl: "http://localhost:8000/checkout", timeoutMs: 5000 }
    ),
    amount: 3000,
    browser: () => sbpsTokens(sim, { merchant_id: "30132", service_id: "002", three_ds: false }, "4111111111111111"),
    answerOk: (answer) => answer.includes("<res_result>OK</res_result>"),
    referenceOf: (answer) => /<res_tracking_id>([^<]*)</.exec(answer)?.[1] ?? "",
    providerReference: (data) => String((data.jp as { reference: string }).reference),
    // The body carries sps_hashcode over its values: recomputed after the swap, as the merchant's
    // own code would compute it (written here from the SBPS interface spec, not with the plugin's codec).
    fixup(req) {
      if (!req.body.includes("<sps_hashcode>")) return req
      const values: string[] = []
      for (const m of req.body.matchAll(/<([A-Za-z0-9_]+)(?: [^>]*)?>([^<]*)<\/\1>/g)) if (m[1] !== "sps_hashcode") values.push(m[2].trim())
      const hash = createHash("sha1").update(Buffer.from(values.join("") + SBPS_HASH_KEY, "latin1")).digest("hex")
      return { ...req, body: req.body.replace(/<sps_hashcode>[^<]*<\/sps_hashcode>/, `<sps_hashcode>${hash}</sps_hashcode>`) }
    },
  }
}
