import { loadEnv, defineConfig } from "@medusajs/framework/utils"

loadEnv(process.env.NODE_ENV || "development", process.cwd())

// The app the integration tests boot: the plugin's own src/ (routes, subscribers) is the app,
// and the providers are registered in the Payment Module from their source folders.
// The simulator's URL comes from the environment the test sets before the app starts.
// The reliability suite shortens every provider's gateway timeout (its slow-answer faults stay quick).
const gatewayTimeoutMs = Number(process.env.JP_TEST_GATEWAY_TIMEOUT_MS) || undefined
// R3 (reliability/at-rest.spec.ts) runs its providers in the middle of a seal-key rotation: a sealKey
// and the old keys in previousSealKeys (JSON in JP_TEST_SEAL_ROTATION), so its scan looks for those too.
const sealRotation: { sealKey?: string; previousSealKeys?: string[] } = process.env.JP_TEST_SEAL_ROTATION ? JSON.parse(process.env.JP_TEST_SEAL_ROTATION) : {}
const simulator = process.env.ROBOT_PAYMENT_BASE_URL || "http://127.0.0.1:9"
const sbpsSimulator = process.env.SBPS_BASE_URL || "http://127.0.0.1:9"
// PaymentOptions: its simulator, and the app's own URL (webhooks and returns come back to it).
const paymentOptions = {
  baseUrl: process.env.PAYMENT_OPTIONS_BASE_URL || "http://127.0.0.1:9",
  backendUrl: process.env.PAYMENT_OPTIONS_BACKEND_URL || "http://localhost:9000",
  storefrontUrl: process.env.PAYMENT_OPTIONS_STOREFRONT_URL || "http://localhost:8000",
  xApiKey: "sim-x-api-key",
  webhookSecret: "payment-options-test-webhook-secret",
  merchantEmail: "shop@example.jp",
  timeoutMs: gatewayTimeoutMs ?? 5000,
  ...sealRotation,
}

// PAYGENT: the simulator's URL, its certificate folder and the app's own public URL (term_url) come
// from integration-tests/helpers/paygent.ts. Certificate files are read on the first telegram, so the
// app boots without them (every suite boots this config).
const paygentCerts = process.env.PAYGENT_CERT_DIR || require("node:path").join(require("node:os").tmpdir(), "medusa-payment-jp-paygent-certs")
const paygent = {
  merchantId: "100000001",
  connectId: "testconnect",
  connectPassword: "testpassword1",
  clientCertificate: `${paygentCerts}/client.pem`,
  clientKeyPassphrase: "paygent-simulator-test",
  caCertificate: `${paygentCerts}/ca.pem`,
  baseUrl: process.env.PAYGENT_BASE_URL || "https://127.0.0.1:9",
  ...(process.env.PAYGENT_TOKEN_SCRIPT_URL ? { tokenScriptUrl: process.env.PAYGENT_TOKEN_SCRIPT_URL } : {}),
  merchantName: "medusa-payment-jp test",
  threeDSResultHashKey: "test_3ds_result_hash_key",
  noticeHashKey: "test_notice_hash_key",
  tokenGenerationKey: "test_token_generation_key",
  tokenReceiptHashKey: "test_token_receipt_hash_key",
  backendUrl: process.env.PAYGENT_BACKEND_URL || "http://localhost:9000",
  storefrontUrl: "http://localhost:8000",
  timeoutMs: gatewayTimeoutMs ?? 3000,
  ...sealRotation,
}

// A split deployment (integration-tests/http/multi-process.spec.ts): with JP_TEST_REDIS_URL set, every
// process of the test (servers and the worker, MEDUSA_WORKER_MODE) shares Medusa's Redis event bus,
// workflow engine and locking, under names of its own (JP_TEST_REDIS_PREFIX) so parallel runs do not meet.
const redisUrl = process.env.JP_TEST_REDIS_URL
const redisPrefix = process.env.JP_TEST_REDIS_PREFIX || "medusa-payment-jp"
const splitModules = redisUrl
  ? [
      { resolve: "@medusajs/medusa/event-bus-redis", options: { redisUrl, queueName: `${redisPrefix}-events` } },
      { resolve: "@medusajs/medusa/workflow-engine-redis", options: { redis: { redisUrl, queueName: `${redisPrefix}-workflows` } } },
      {
        resolve: "@medusajs/medusa/locking",
        options: {
          providers: [
            { resolve: "@medusajs/medusa/locking-redis", id: "locking-redis", is_default: true, options: { redisUrl, namespace: `${redisPrefix}:lock:` } },
          ],
        },
      },
    ]
  : []
// 請求管理ロボ: its simulator (which also serves CPToken.js) from integration-tests/helpers/billing-robo.ts.
const billingRobo = {
  userId: "api@shop.example.jp",
  accessKey: "simaccesskey0123",
  aid: "123456",
  baseUrl: process.env.BILLING_ROBO_BASE_URL || "http://127.0.0.1:9",
  scriptBaseUrl: process.env.BILLING_ROBO_BASE_URL || "http://127.0.0.1:9",
  signatureKey: "billing-robo-test-signature-key",
  retryDelayMs: 10,
  timeoutMs: gatewayTimeoutMs ?? 3000,
  ...sealRotation,
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
    ...splitModules,
    {
      resolve: "@medusajs/medusa/payment",
      options: {
        // handed-off notifications are processed at once in tests (Medusa's default: after 5000 ms, 3 attempts);
        // a spec about the storefront's own completion gives them Medusa's default (JP_TEST_WEBHOOK_DELAY_MS)
        webhook_delay: Number(process.env.JP_TEST_WEBHOOK_DELAY_MS) || 1,
        webhook_retries: 4,
        providers: [
          {
            resolve: "./src/providers/robot-payment",
            id: "rp",
            options: { aid: "123456", baseUrl: simulator, jobType: "AUTH", timeoutMs: gatewayTimeoutMs ?? 3000, ...sealRotation },
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
              timeoutMs: gatewayTimeoutMs ?? 3000,
            },
          },
          // Source addresses (integration-tests/reliability/notifications.spec.ts): the tests call from
          // loopback, which these lists leave out; rpxf reads the address from X-Forwarded-For (trustProxy).
          { resolve: "./src/providers/robot-payment", id: "rpip", options: { aid: "123456", baseUrl: simulator, kickbackAllowedIps: ["192.0.2.10"], timeoutMs: 3000 } },
          {
            resolve: "./src/providers/robot-payment",
            id: "rpxf",
            options: { aid: "123456", baseUrl: simulator, kickbackAllowedIps: ["192.0.2.10"], trustProxy: true, timeoutMs: 3000 },
          },
          { resolve: "./src/providers/paygent", id: "pgip", options: { ...paygent, notificationIps: ["192.0.2.10"] } },
          {
            // 支払方法 beyond 一括 (integration-tests/http/installments.spec.ts): the provider allows 分割 3, 6
            // and 12 回 and リボ; the simulator's store contract (helpers/robot-payment.ts) allows 12 回 not.
            resolve: "./src/providers/robot-payment",
            id: "rpi",
            options: {
              aid: "123456",
              baseUrl: simulator,
              jobType: "AUTH",
              partialRefund: "cancel-and-recharge",
              paymentMethods: { installments: [3, 6, 12], revolving: true },
              timeoutMs: 3000,
            },
          },
          { resolve: "./src/providers/paygent", id: "pg", options: paygent },
          { resolve: "./src/providers/billing-robo", id: "br", options: billingRobo },
          // its webhook from one address only (integration-tests/reliability/notifications.spec.ts: the tests call from loopback)
          { resolve: "./src/providers/billing-robo", id: "brip", options: { ...billingRobo, notificationIps: ["192.0.2.10"] } },
          {
            resolve: "./src/providers/paygent",
            id: "pgc",
            options: { ...paygent, salesMode: "auth_capture", acceptMerchantLiability: true, allowWithout3DS: true },
          },
          // 支払区分 beyond 1回払い (paygent.spec.ts): 分割 3, 6 and 10 回, ボーナス1回 and リボ; the simulator's
          // contract (helpers/paygent.ts) takes 分割 3 and 6 and ボーナス only — 10 回 and リボ are its P030.
          { resolve: "./src/providers/paygent", id: "pgi", options: { ...paygent, paymentMethods: { installments: [3, 6, 10], bonus: true, revolving: true } } },
          // a client certificate PAYGENT does not know: every telegram is refused with P016
          { resolve: "./src/providers/paygent", id: "pgbad", options: { ...paygent, clientCertificate: `${paygentCerts}/rogue-client.pem` } },
          {
            resolve: "./src/providers/sbps",
            id: "sbps",
            options: {
              merchantId: "30132",
              serviceId: "002",
              hashKey: "8435dbd48f2249807ec216c3d5ecab714264cc4a",
              baseUrl: sbpsSimulator,
              backendUrl: process.env.SBPS_BACKEND_URL || "http://localhost:9000",
              storefrontUrl: "http://localhost:8000/checkout",
              timeoutMs: gatewayTimeoutMs ?? 3000,
            },
          },
          {
            // A second merchant: no 3-D Secure in its contract, 3DES (encrypted_flg=1), sold at once.
            resolve: "./src/providers/sbps",
            id: "sbpsn",
            options: {
              merchantId: "12345",
              serviceId: "001",
              hashKey: "sbps-second-merchant-hash-key",
              desKey: "abcdefghyjklmn1234567890",
              desIv: "12345678",
              threeDSecure: false,
              captureOnAuthorize: true,
              baseUrl: sbpsSimulator,
              timeoutMs: gatewayTimeoutMs ?? 3000,
              ...sealRotation,
            },
          },
          {
            // 支払方法 beyond 一括 (sbps.spec.ts), with 3-D Secure (ST01-00118): 分割 3, 6, 10 回 and ボーナス一括;
            // the simulator's contract (helpers/sbps.ts) takes 分割 3 and 6 and ボーナス, not 10 回.
            resolve: "./src/providers/sbps",
            id: "sbpsi",
            options: {
              merchantId: "30132",
              serviceId: "002",
              hashKey: "8435dbd48f2249807ec216c3d5ecab714264cc4a",
              baseUrl: sbpsSimulator,
              backendUrl: process.env.SBPS_BACKEND_URL || "http://localhost:9000",
              storefrontUrl: "http://localhost:8000/checkout",
              paymentMethods: { installments: [3, 6, 10], bonus: true },
              timeoutMs: 3000,
            },
          },
          {
            // The second merchant (no 3-D Secure, 3DES, sold at once) with the same 支払方法.
            resolve: "./src/providers/sbps",
            id: "sbpsni",
            options: {
              merchantId: "12345",
              serviceId: "001",
              hashKey: "sbps-second-merchant-hash-key",
              desKey: "abcdefghyjklmn1234567890",
              desIv: "12345678",
              threeDSecure: false,
              captureOnAuthorize: true,
              baseUrl: sbpsSimulator,
              paymentMethods: { installments: [3, 6, 10], bonus: true },
              timeoutMs: 3000,
            },
          },
          {
            // The same merchant with a wrong hash key (Basic auth still right): SBPS refuses every request.
            resolve: "./src/providers/sbps",
            id: "sbpsx",
            options: {
              merchantId: "30132",
              serviceId: "002",
              hashKey: "0000000000000000000000000000000000000000",
              basicAuthPassword: "8435dbd48f2249807ec216c3d5ecab714264cc4a",
              baseUrl: sbpsSimulator,
              backendUrl: process.env.SBPS_BACKEND_URL || "http://localhost:9000",
              timeoutMs: gatewayTimeoutMs ?? 3000,
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
