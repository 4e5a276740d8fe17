// The demo store's configuration: the plugin installed as any store installs it (the built package,
// its entry points), every gateway's provider pointed at its local simulator. `npm run demo`
// (scripts/demo.js) starts the simulators and puts their URLs in the environment before Medusa reads this.
import { defineConfig } from "@medusajs/framework/utils"

const env = (name: string): string => {
  const v = process.env[name]
  if (!v) throw new Error(`${name} is not set: start the demo with \`npm run demo\``)
  return v
}

const backendUrl = env("DEMO_BACKEND_URL")
// where the providers send the shopper back: the demo storefront, or another one's checkout page (DEMO_RETURN_URL)
const storefrontUrl = process.env.DEMO_RETURN_URL || env("DEMO_STOREFRONT_URL")
const storefrontOrigins = [...new Set([env("DEMO_STOREFRONT_URL"), storefrontUrl].map((u) => new URL(u).origin))].join(",")

module.exports = defineConfig({
  projectConfig: {
    databaseUrl: env("DATABASE_URL"),
    http: {
      storeCors: storefrontOrigins,
      adminCors: backendUrl,
      authCors: `${backendUrl},${storefrontOrigins}`,
      jwtSecret: "demo-jwt-secret",
      cookieSecret: "demo-cookie-secret",
    },
  },
  admin: { disable: process.env.DEMO_ADMIN === "off", backendUrl },
  plugins: [{ resolve: "medusa-payment-jp", options: {} }],
  modules: [
    {
      resolve: "@medusajs/medusa/payment",
      options: {
        providers: [
          {
            resolve: "medusa-payment-jp/providers/robot-payment",
            id: "rp",
            // 支払方法: the shopper chooses 一括, 分割 (3–12 回) or リボ; the simulator's contract allows the same
            options: { aid: "123456", baseUrl: env("DEMO_ROBOT_PAYMENT_URL"), jobType: "AUTH", paymentMethods: { installments: [3, 6, 10, 12], revolving: true } },
          },
          {
            resolve: "medusa-payment-jp/providers/sbps",
            id: "sbps",
            options: {
              // the simulator's defaults: SBPS's public sandbox merchant
              merchantId: "30132",
              serviceId: "002",
              hashKey: "8435dbd48f2249807ec216c3d5ecab714264cc4a",
              baseUrl: env("DEMO_SBPS_URL"),
              backendUrl,
              storefrontUrl,
            },
          },
          {
            resolve: "medusa-payment-jp/providers/paygent",
            id: "pg",
            options: {
              merchantId: "100000001",
              connectId: "testconnect",
              connectPassword: "testpassword1",
              // made by the simulator at its start; the browser side is plain HTTP (no CA to trust)
              clientCertificate: `${env("DEMO_PAYGENT_CERT_DIR")}/client.pem`,
              clientKeyPassphrase: "paygent-simulator-test",
              caCertificate: `${env("DEMO_PAYGENT_CERT_DIR")}/ca.pem`,
              baseUrl: env("DEMO_PAYGENT_URL"),
              tokenScriptUrl: `${env("DEMO_PAYGENT_BROWSER_URL")}/js/PaygentToken.js`,
              merchantName: "medusa-payment-jp demo",
              threeDSResultHashKey: "test_3ds_result_hash_key",
              noticeHashKey: "test_notice_hash_key",
              tokenGenerationKey: "test_token_generation_key",
              tokenReceiptHashKey: "test_token_receipt_hash_key",
              backendUrl,
              storefrontUrl,
            },
          },
          {
            resolve: "medusa-payment-jp/providers/payment-options",
            id: "po",
            options: {
              merchantId: "JP00000472",
              apiKey: "sim-api-key",
              xApiKey: "sim-x-api-key",
              webhookSecret: "demo-webhook-secret",
              merchantEmail: "shop@example.jp",
              captureMode: "authorize",
              baseUrl: env("DEMO_PAYMENT_OPTIONS_URL"),
              backendUrl,
              storefrontUrl,
            },
          },
        ],
      },
    },
  ],
})
