import { defineConfig, loadEnv } from "@medusajs/framework/utils"

loadEnv(process.env.NODE_ENV || "development", process.cwd())

// The bench's store WITH the plugin: its routes and middleware (src/ is the plugin's own) and one
// provider per gateway, pointed at the bench's simulators (URLs from bench/medusa.ts).
const env = (k: string) => process.env[k] || "http://127.0.0.1:9"
const backendUrl = process.env.BENCH_BACKEND_URL || "http://localhost:9000"
const certs = process.env.PAYGENT_CERT_DIR || "/nonexistent"

module.exports = defineConfig({
  projectConfig: {
    databaseUrl: process.env.DATABASE_URL,
    http: { storeCors: "*", adminCors: "*", authCors: "*", jwtSecret: "bench", cookieSecret: "bench" },
  },
  admin: { disable: true },
  modules: [
    {
      resolve: "@medusajs/medusa/payment",
      options: {
        providers: [
          { resolve: "./src/providers/robot-payment", id: "rp", options: { aid: "123456", baseUrl: env("ROBOT_PAYMENT_BASE_URL"), jobType: "AUTH" } },
          {
            resolve: "./src/providers/sbps",
            id: "sbps",
            options: { merchantId: "30132", serviceId: "002", hashKey: "8435dbd48f2249807ec216c3d5ecab714264cc4a", baseUrl: env("SBPS_BASE_URL"), backendUrl, storefrontUrl: "http://localhost:8000/checkout" },
          },
          {
            resolve: "./src/providers/paygent",
            id: "pg",
            options: {
              merchantId: "100000001", connectId: "testconnect", connectPassword: "testpassword1",
              clientCertificate: `${certs}/client.pem`, clientKeyPassphrase: "paygent-simulator-test", caCertificate: `${certs}/ca.pem`,
              baseUrl: env("PAYGENT_BASE_URL").replace("http:", "https:"), merchantName: "bench",
              threeDSResultHashKey: "test_3ds_result_hash_key", noticeHashKey: "test_notice_hash_key",
              tokenGenerationKey: "test_token_generation_key", tokenReceiptHashKey: "test_token_receipt_hash_key",
              backendUrl, storefrontUrl: "http://localhost:8000",
            },
          },
          {
            resolve: "./src/providers/payment-options",
            id: "po",
            options: {
              merchantId: "JP00000472", apiKey: "sim-api-key", xApiKey: "sim-x-api-key", captureMode: "authorize",
              baseUrl: env("PAYMENT_OPTIONS_BASE_URL"), backendUrl, storefrontUrl: "http://localhost:8000",
              webhookSecret: "bench-webhook-secret", merchantEmail: "shop@example.jp",
            },
          },
        ],
      },
    },
  ],
})
