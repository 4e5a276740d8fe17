import { authenticate, defineMiddlewares } from "@medusajs/framework/http"
import { payerFromCart } from "./payer-from-cart"

export default defineMiddlewares({
  routes: [
    {
      matcher: "/jp-payments/:provider/notify",
      methods: ["POST"],
      bodyParser: { preserveRawBody: true },
    },
    {
      matcher: "/jp-payments/notify/:code",
      methods: ["POST"],
      bodyParser: { preserveRawBody: true },
    },
    {
      matcher: "/jp-payments/return/:code",
      methods: ["POST"],
      bodyParser: { preserveRawBody: true },
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
  ],
})
