import { authenticate, defineMiddlewares } from "@medusajs/framework/http"

export default defineMiddlewares({
  routes: [
    {
      matcher: "/jp-payments/:provider/notify",
      methods: ["POST"],
      bodyParser: { preserveRawBody: true },
    },
    {
      matcher: "/store/jp-payments/payment-methods*",
      middlewares: [authenticate("customer", ["session", "bearer"])],
    },
  ],
})
