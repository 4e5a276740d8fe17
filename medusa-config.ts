import { loadEnv, defineConfig } from "@medusajs/framework/utils"

loadEnv(process.env.NODE_ENV || "development", process.cwd())

// The app the integration tests boot: the plugin's own src/ (routes, subscribers) is the app,
// and the providers are registered in the Payment Module from their source folders.
// The simulator's URL comes from the environment the test sets before the app starts.
const simulator = process.env.ROBOT_PAYMENT_BASE_URL || "http://127.0.0.1:9"
// PaymentOptions: its simulator, and the app's own URL (webhooks and returns come back to it).
const paymentOptions = {
  baseUrl: process.env.PAYMENT_OPTIONS_BASE_URL || "http://127.0.0.1:9",
  backendUrl: process.env.PAYMENT_OPTIONS_BACKEND_URL || "http://localhost:9000",
  storefrontUrl: process.env.PAYMENT_OPTIONS_STOREFRONT_URL || "http://localhost:8000",
  xApiKey: "sim-x-api-key",
  webhookSecret: "payment-options-test-webhook-secret",
  merchantEmail: "shop@example.jp",
  timeoutMs: 5000,
}

module.exports = defineConfig({
  projectConfig: {
    databaseUrl: process.env.DATABASE_URL,
    http: {
      storeCors: process.env.STORE_CORS || "http://localhost:8000",
      adminCors: process.env.ADMIN_CORS || "http://localhost:9000",
      authCors: process.env.AUTH_CORS || "http://localhost:9000",
      jwtSecret: process.env.JWT_SECRET || "supersecret",
      cookieSecret: process.env.COOKIE_SECRET || "supersecret",
    },
  },
  admin: { disable: true },
  modules: [
    {
      resolve: "@medusajs/medusa/payment",
      options: {
        providers: [
          {
            resolve: "./src/providers/robot-payment",
            id: "rp",
            options: { aid: "123456", baseUrl: simulator, jobType: "AUTH", timeoutMs: 3000 },
          },
          {
            resolve: "./src/providers/robot-payment",
            id: "rpc",
            options: {
              aid: "123456",
              baseUrl: simulator,
              jobType: "CAPTURE",
              partialRefund: "cancel-and-recharge",
              kickbackAllowedIps: ["127.0.0.1", "::1", "::ffff:127.0.0.1"],
              timeoutMs: 3000,
            },
          },
          {
            resolve: "./src/providers/payment-options",
            id: "po",
            options: { ...paymentOptions, merchantId: "JP00000472", apiKey: "sim-api-key", captureMode: "authorize" },
          },
          {
            resolve: "./src/providers/payment-options",
            id: "poc",
            options: {
              ...paymentOptions,
              merchantId: "JP00000328",
              authorization: `Basic ${Buffer.from("sim-api-key-2").toString("base64")}`,
              captureMode: "purchase",
            },
          },
        ],
      },
    },
  ],
})
