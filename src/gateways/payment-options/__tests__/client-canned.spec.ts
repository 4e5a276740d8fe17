// The client against canned answers from a local HTTP server: what it sends, what it makes of each
// answer shape, and how it classes failures (no Medusa, no simulator).
import http from "node:http"
import type { AddressInfo } from "node:net"
import { GatewayError } from "../../../core/gateway"
import { PaymentOptionsClient, PaymentOptionsError } from "../client"
import vendorUseToken from "./vendor-use-token-response.json"

type Canned = { status?: number; body: string; contentType?: string; hang?: boolean }

describe("PaymentOptionsClient on canned answers", () => {
  let server: http.Server
  let next: Canned
  let seen: { method: string; path: string; headers: http.IncomingHttpHeaders; body: string }
  let client: PaymentOptionsClient

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = ""
      req.on("data", (c) => (body += c))
      req.on("end", () => {
        seen = { method: req.method ?? "", path: req.url ?? "", headers: req.headers, body }
        if (next.hang) return
        res.writeHead(next.status ?? 201, { "content-type": next.contentType ?? "application/json" })
        res.end(next.body)
      })
    })
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r))
    const { port } = server.address() as AddressInfo
    client = new PaymentOptionsClient({ merchantId: "JP00000472", authorization: "Basic a2V5", xApiKey: "xk", baseUrl: `http://127.0.0.1:${port}`, timeoutMs: 300 })
  })
  afterAll(async () => {
    await client.close()
    server.closeAllConnections()
    await new Promise((r) => server.close(r))
  })

  const req = {
    amount: "1000",
    currency: "JPY",
    merchant_txn_ref: "qwe",
    payment_method: { type: "scheme" as const, stored_payment_method_id: "094db781-fabc-4c6d-8fcd-18bee06a527a" },
    return_url: { webhook_url: "https://x/w", success_url: "https://x/s", decline_url: "https://x/d" },
  }

  it("sends JSON with both headers and the merchant id, and reads the vendor's use-token answer", async () => {
    next = { body: JSON.stringify(vendorUseToken) }
    const a = await client.payment(req)
    expect(a).toMatchObject({ kind: "txn", txn: { id: "0db1fac1-e064-4644-a387-08d143960c8f", storedPaymentMethodId: "094db781-fabc-4c6d-8fcd-18bee06a527a" } })
    expect(seen).toMatchObject({ method: "POST", path: "/api/v1/server-to-server-interface/payment" })
    expect(seen.headers).toMatchObject({ authorization: "Basic a2V5", "x-api-key": "xk", "content-type": "application/json" })
    expect(JSON.parse(seen.body)).toEqual({ ...req, merchant_id: "JP00000472" })
  })

  it("takes the 3-D Secure redirect of paymentv2 / authorizationv2", async () => {
    next = { status: 200, body: JSON.stringify({ url: "https://checkout-dev.paymentoptions.com/integration/3ds?_token=a", statusCode: 200, success: true, redirect_url: "https://checkout-dev.paymentoptions.com/integration/3ds?_token=a" }) }
    expect(await client.authorizationV2(req)).toEqual({ kind: "redirect", redirect: { url: "https://checkout-dev.paymentoptions.com/integration/3ds?_token=a" } })
    expect(seen.path).toBe("/api/v1/server-to-server-interface/authorizationv2")
  })

  it("capture, void, refund: amounts as numbers, the short merchant id, the status by GET", async () => {
    next = { body: JSON.stringify({ success: true, transaction_type: "CAPTURE", gateway_response: { code: "INFO0001" }, transaction_details: { id: "c1" } }) }
    expect((await client.capture("t1", 2000)).id).toBe("c1")
    expect(JSON.parse(seen.body)).toEqual({ transactionId: "t1", amount: 2000, merchant_id: "JP00000472" })
    next = { body: JSON.stringify({ success: true, transaction_type: "REFUND", gateway_response: { code: "INFO0002" }, transaction_details: { id: "r1" } }) }
    await client.refund("c1", 500)
    expect(seen.path).toBe("/api/v1/server-to-server-interface/refund")
    next = { status: 200, body: JSON.stringify({ success: true, status_code: 200, risk_details: {}, transaction_details: { id: "c1" } }) }
    await client.status("c1")
    expect(seen).toMatchObject({ method: "GET", path: "/api/v1/server-to-server-interface/transaction/status/c1", body: "" })
    await expect(client.status("../x")).rejects.toThrow(/not a transaction id/)
  })

  it("a decline is a declined GatewayError with the acquirer's meaning", async () => {
    next = { status: 400, body: JSON.stringify({ success: false, status_code: 400, gateway_response: { type: "ERROR", message: "Do not honour" }, payment_details: { response_code: 51 }, transaction_details: { id: "f1" } }) }
    const e = (await client.paymentV2(req).catch((x) => x)) as PaymentOptionsError
    expect(e).toBeInstanceOf(PaymentOptionsError)
    expect(e).toMatchObject({ code: "51", kind: "declined", transactionId: "f1", messageJa: "残高不足または限度額超過です" })
  })

  it("ERR0204 on a refund is invalid with its meaning; a framework-style 400 keeps its message", async () => {
    next = { status: 400, body: JSON.stringify({ success: false, gateway_response: { code: "ERR0204", message: "You don't have balance amount for refund." }, payment_details: { response_code: -1 } }) }
    await expect(client.refund("c1", 9999)).rejects.toMatchObject({ code: "ERR0204", kind: "invalid", message: expect.stringMatching(/Insufficient refund balance — You don't have balance/) })
    next = { status: 400, body: JSON.stringify({ message: ["amount must be a number"], error: "Bad Request", statusCode: 400 }) }
    await expect(client.capture("t1", 1)).rejects.toMatchObject({ code: "HTTP_400", kind: "invalid", message: expect.stringMatching(/amount must be a number/) })
  })

  it("an unclear response code is never a success nor a failure: unknown outcome, with the transaction id to ask about", async () => {
    next = { body: JSON.stringify({ success: false, payment_details: { response_code: 676 }, transaction_details: { id: "u1" } }) }
    await expect(client.paymentV2(req)).rejects.toMatchObject({ code: "676", kind: "unknown_outcome", transactionId: "u1" })
    next = { body: JSON.stringify({ success: true, payment_details: { response_code: 578 }, transaction_details: { id: "u2" } }) }
    await expect(client.status("u2")).rejects.toMatchObject({ kind: "unknown_outcome", responseCode: 578 })
  })

  it("a 5xx: unknown outcome for a call that moves money, retry for the status call; 401 is the merchant's set-up", async () => {
    next = { status: 502, body: "<html>Bad Gateway</html>", contentType: "text/html" }
    await expect(client.paymentV2(req)).rejects.toMatchObject({ code: "HTTP_502", kind: "unknown_outcome" })
    await expect(client.status("s1")).rejects.toMatchObject({ code: "HTTP_502", kind: "retry" })
    next = { status: 401, body: JSON.stringify({ message: "Unauthorized", statusCode: 401 }) }
    await expect(client.status("s1")).rejects.toMatchObject({ code: "HTTP_401", kind: "merchant" })
  })

  it("an answer that is not JSON, or no transaction, is MALFORMED (unknown outcome), never a crash", async () => {
    next = { body: "<html>ok</html>", contentType: "text/html" }
    await expect(client.paymentV2(req)).rejects.toMatchObject({ code: "MALFORMED", kind: "unknown_outcome" })
    next = { body: JSON.stringify({ hello: "world" }) }
    await expect(client.refund("c1", 1)).rejects.toMatchObject({ code: "MALFORMED" })
    next = { status: 200, body: JSON.stringify({ id: "x" }) }
    await expect(client.hppLink({ amount: 1, currency: "JPY", merchant_txn_ref: "a", merchant_email: "a@b.c", return_url: req.return_url, billing_address: { country: "JP", email: "a@b.c" } })).rejects.toMatchObject({ code: "MALFORMED" })
  })

  it("a hosted page link that gets no answer is only retryable: it moves no money", async () => {
    next = { body: "", hang: true }
    await expect(client.hppLink({ amount: 1, currency: "JPY", merchant_txn_ref: "a", merchant_email: "a@b.c", return_url: req.return_url, billing_address: { country: "JP", email: "a@b.c" } })).rejects.toMatchObject({ code: "NO_ANSWER", kind: "retry" })
  })

  it("no answer in time: unknown outcome (the payment may have been made), never retried", async () => {
    next = { body: "", hang: true }
    let calls = 0
    server.on("request", () => calls++)
    const e = await client.paymentV2(req).catch((x) => x)
    expect(e).toBeInstanceOf(GatewayError)
    expect(e).toMatchObject({ code: "NO_ANSWER", kind: "unknown_outcome" })
    expect(calls).toBe(1)
  })
})
