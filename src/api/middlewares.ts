import { authenticate, defineMiddlewares } from "@medusajs/framework/http"
import { payerFromCart } from "./payer-from-cart"

// The gateways' own calls are read raw (incoming.ts): they post forms in Shift_JIS / Windows-31J as
// well as UTF-8, which Medusa's body parser refuses (415) before the gateway could verify them.
export default defineMiddlewares({
  routes: [
    {
      matcher: "/jp-payments/:provider/notify",
      methods: ["POST"],
      bodyParser: false,
    },
    {
      matcher: "/jp-payments/notify/:code",
      methods: ["POST"],
      bodyParser: false,
    },
    {
      matcher: "/jp-payments/return/:code",
      methods: ["POST"],
      bodyParser: false,
    },
    {
      matcher: "/jp-payments/card-registration/:provider/webhook",
      methods: ["POST"],
      bodyParser: false,
    },
    {
      matcher: "/store/payment-collections/:id/payment-sessions",
      methods: ["POST"],
      middlewares: [payerFromCart],
    },
    {
      matcher: "/store/jp-payments/payment-methods*",
      middlewares: [authenticate("customer", ["session", "bearer"])],
    },
    {
      matcher: "/store/jp-payments/card-registration*",
      middlewares: [authenticate("customer", ["session", "bearer"])],
    },
  ],
})
