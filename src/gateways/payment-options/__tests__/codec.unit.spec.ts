// The codec on the vendor's own samples (the JP トークン使用API page) and on the variants its
// documentation disagrees on (docs/gateways/payment-options.md §4): risk-details/risk_details,
// status_code/statusCode, amount types.
import vendorUseToken from "./vendor-use-token-response.json"
import { CodecError } from "../../../core/vocabulary"
import { parseOptions } from "../../../core/options"
import { paymentOptions } from ".."
import {
  formatAmount,
  isRedirect,
  parseFailure,
  parseHppLink,
  parsePaymentAnswer,
  parseTxn,
  verifyWebhookSignature,
  webhookSignature,
  verifyReturnSignature,
  returnSignature,
} from "../codec"
import { describeCode, ERR_CODES, INFO_CODES, isUnclear, RESPONSE_CODES } from "../codes"
import { authorizationHeader } from "../options"

describe("PaymentOptions codec", () => {
  it("reads the vendor's use-token response", () => {
    const t = parseTxn(vendorUseToken)
    expect(t).toMatchObject({
      success: true,
      statusCode: 201,
      isLive: false,
      transactionType: "CAPTURE",
      code: "INFO0000",
      message: "Payment Successful.",
      merchantTxnRef: "qwe",
      amount: 1000,
      currency: "JPY",
      responseCode: 0,
      authCode: "268004",
      scheme: "MASTERCARD",
      id: "0db1fac1-e064-4644-a387-08d143960c8f",
      ref: 74811,
      storedPaymentMethodId: "094db781-fabc-4c6d-8fcd-18bee06a527a",
      riskScore: null,
    })
    expect(parsePaymentAnswer(vendorUseToken)).toMatchObject({ kind: "txn" })
  })

  it("reads a status response: risk_details, responseDescription, amount as a string, masked number", () => {
    const t = parseTxn({
      success: true,
      status_code: 200,
      transaction_type: "PRE_AUTH",
      gateway_response: { version: "1", type: "INFO", message: "Payment Successful.", code: "INFO0000" },
      payment_details: { amount: "3000", response_code: "0", responseDescription: "Approved", currency: "jpy", card: { number: "545454******5454" } },
      transaction_details: { id: "ab8444e7-fec0-40dd-994d-0ad813785f74", ref: 1, merchant_txn_ref: "MJx" },
      risk_details: { risk_score: 12 },
    })
    expect(t).toMatchObject({ statusCode: 200, transactionType: "PRE_AUTH", amount: 3000, responseCode: 0, currency: "JPY", riskScore: 12, responseDescription: "Approved" })
    expect(t.card?.number).toBe("545454******5454")
  })

  it("tells the 3-D Secure redirect (statusCode, no transaction) from a transaction", () => {
    const redirect = { url: "https://checkout-dev.paymentoptions.com/integration/3ds?_token=x", statusCode: 200, success: true, redirect_url: "https://checkout-dev.paymentoptions.com/integration/3ds?_token=x" }
    expect(isRedirect(redirect)).toBe(true)
    expect(parsePaymentAnswer(redirect)).toEqual({ kind: "redirect", redirect: { url: redirect.redirect_url } })
    expect(isRedirect({ url: "https://x", success: true, transaction_details: { id: "a" } })).toBe(false)
    expect(() => parsePaymentAnswer({ redirect_url: "javascript:alert(1)" })).toThrow(CodecError)
  })

  it("accepts the JP page's misspelt store_payment_method_id in a response", () => {
    expect(parseTxn({ success: true, transaction_details: { id: "a", store_payment_method_id: "tok" } }).storedPaymentMethodId).toBe("tok")
  })

  it("refuses a body that is no transaction", () => {
    expect(() => parseTxn({ hello: 1 })).toThrow(CodecError)
    expect(() => parseTxn("x")).toThrow(CodecError)
    expect(() => parseTxn(null)).toThrow(CodecError)
  })

  it("reads failures of every shape", () => {
    expect(parseFailure(400, JSON.stringify({ success: false, status_code: 400, gateway_response: { code: "ERR0204", message: "Insufficient refund balance" }, payment_details: { response_code: -1 } }))).toMatchObject({
      statusCode: 400,
      code: "ERR0204",
      responseCode: -1,
      message: "Insufficient refund balance",
    })
    expect(parseFailure(400, JSON.stringify({ message: ["amount must be a string"], error: "Bad Request", statusCode: 400 }))).toMatchObject({ statusCode: 400, message: "amount must be a string" })
    expect(parseFailure(502, "<html>Bad gateway</html>")).toEqual({ statusCode: 502 })
  })

  it("reads the hosted page link", () => {
    expect(parseHppLink({ id: "9f0c", url: "https://checkout-dev.paymentoptions.com/jp/HostedPaymentPage/hKJsdByR", amount: 1000, merchant_txn_ref: "MJ1" })).toEqual({
      id: "9f0c",
      url: "https://checkout-dev.paymentoptions.com/jp/HostedPaymentPage/hKJsdByR",
      merchantTxnRef: "MJ1",
    })
    expect(() => parseHppLink({ id: "9f0c" })).toThrow(CodecError)
  })

  it("formats amounts in major units: JPY whole, USD with cents", () => {
    expect(formatAmount(1000, "JPY")).toBe("1000")
    expect(formatAmount(6897, "USD")).toBe("68.97")
    expect(formatAmount(5, "USD")).toBe("0.05")
    expect(() => formatAmount(1, "EUR")).toThrow(CodecError)
  })

  it("signs webhook URLs per order code and refuses another order's or a forged signature", () => {
    const secret = "0123456789abcdef0123"
    const sig = webhookSignature(secret, "MJaaaa")
    expect(verifyWebhookSignature(secret, "MJaaaa", sig)).toBe(true)
    expect(verifyWebhookSignature(secret, "MJbbbb", sig)).toBe(false)
    expect(verifyWebhookSignature("another-secret-value", "MJaaaa", sig)).toBe(false)
    expect(verifyWebhookSignature(secret, "MJaaaa", undefined)).toBe(false)
    expect(verifyWebhookSignature(secret, "MJaaaa", "zz")).toBe(false)
    // a return signature is no webhook signature
    expect(verifyWebhookSignature(secret, "MJaaaa", returnSignature(secret, "MJaaaa"))).toBe(false)
    expect(verifyReturnSignature(secret, "MJaaaa", returnSignature(secret, "MJaaaa"))).toBe(true)
  })
})

describe("PaymentOptions codes", () => {
  it("has the documented success codes and ERR codes with their response_code", () => {
    expect(INFO_CODES.INFO0001).toBe("Amount successfully captured.")
    expect(ERR_CODES.ERR0204).toMatchObject({ responseCode: -1, kind: "invalid" })
    expect(ERR_CODES.ERR3016.responseCode).toBe(-8006)
    expect(Object.keys(ERR_CODES)).toHaveLength(21)
  })

  it("classes acquirer codes: declined, try again, unclear, merchant", () => {
    expect(describeCode(undefined, 51)).toMatchObject({ kind: "declined", code: "51" })
    expect(describeCode("ERR0001", 54)).toMatchObject({ kind: "declined", code: "ERR0001/54" })
    expect(describeCode(undefined, 444).kind).toBe("retry")
    expect(describeCode(undefined, 676).kind).toBe("unknown_outcome")
    expect(isUnclear(578)).toBe(true)
    expect(isUnclear(0)).toBe(false)
    expect(isUnclear(5)).toBe(false)
    expect(describeCode(undefined, 3).kind).toBe("merchant")
    expect(describeCode("ERR3017", -8017).kind).toBe("merchant")
    expect(describeCode("VAL0999", undefined)).toMatchObject({ kind: "invalid", code: "VAL0999" })
    expect(RESPONSE_CODES[636].en).toBe("Message element Primary account number setting error")
    expect(RESPONSE_CODES[1295].en).toBe("Unknown")
  })
})

describe("PaymentOptions options", () => {
  const base = { merchantId: "JP00000472", xApiKey: "xk", webhookSecret: "0123456789abcdef", backendUrl: "https://api.shop.jp", storefrontUrl: "https://shop.jp", merchantEmail: "shop@example.jp" }
  it("defaults to the live host and authorize, and builds Basic base64(apiKey)", () => {
    const o = parseOptions(paymentOptions, { ...base, apiKey: "secret-key" })
    expect(o).toMatchObject({ baseUrl: "https://api.paymentoptions.com", captureMode: "authorize" })
    expect(authorizationHeader(o)).toBe(`Basic ${Buffer.from("secret-key").toString("base64")}`)
    expect(authorizationHeader(parseOptions(paymentOptions, { ...base, authorization: "Basic c2VjcmV0" }))).toBe("Basic c2VjcmV0")
  })
  it("names every bad field", () => {
    expect(() => parseOptions(paymentOptions, { ...base })).toThrow(/exactly one of apiKey or authorization/)
    expect(() => parseOptions(paymentOptions, { ...base, apiKey: "k", authorization: "Basic x" })).toThrow(/exactly one/)
    expect(() => parseOptions(paymentOptions, { ...base, apiKey: "k", merchantId: "JP-0000000047" })).toThrow(/merchantId/)
    expect(() => parseOptions(paymentOptions, { ...base, apiKey: "k", webhookSecret: "short" })).toThrow(/webhookSecret/)
    expect(() => parseOptions(paymentOptions, { ...base, apiKey: "k", captureMode: "sale" })).toThrow(/captureMode/)
    expect(() => parseOptions(paymentOptions, { ...base, apiKey: "k", merchantEmail: undefined })).toThrow(/merchantEmail/)
  })
})

describe("answers found by fuzzing (integration-tests/reliability/fuzz.spec.ts)", () => {
  it("an error body whose message list holds an object that String() cannot convert is still read", () => {
    expect(parseFailure(400, '{"message":[{"toString":0},"bad card"]}')).toMatchObject({ statusCode: 400, message: '{"toString":0}; bad card' })
  })
})
