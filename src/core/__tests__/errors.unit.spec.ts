import { MedusaError } from "@medusajs/framework/utils"
import { toMedusaError } from "../errors"
import { GatewayError } from "../gateway"
import { AmountError } from "../money"

describe("gateway errors as Medusa errors", () => {
  it("say which gateway, the code, both languages and what to do", () => {
    const e = toMedusaError("some-gateway", new GatewayError({ code: "ER003", kind: "merchant", message: "Source IP not allowed", messageJa: "決済送信元IPエラー" }))
    expect(e).toBeInstanceOf(MedusaError)
    expect(e.message).toBe("some-gateway ER003: Source IP not allowed (決済送信元IPエラー) — the shop's gateway set-up needs attention")
    expect(e.type).toBe(MedusaError.Types.UNEXPECTED_STATE)
  })

  it("map kinds to Medusa error types", () => {
    const t = (kind: GatewayError["kind"]) => toMedusaError("g", new GatewayError({ code: "X", kind, message: "m" })).type
    expect(t("invalid")).toBe(MedusaError.Types.INVALID_DATA)
    expect(t("declined")).toBe(MedusaError.Types.NOT_ALLOWED)
    expect(t("unsupported")).toBe(MedusaError.Types.NOT_ALLOWED)
    expect(t("unknown_outcome")).toBe(MedusaError.Types.UNEXPECTED_STATE)
    expect(toMedusaError("g", new GatewayError({ code: "X", kind: "unknown_outcome", message: "m" })).message).toMatch(/control panel before trying again/)
  })

  it("keep bad input a clear INVALID_DATA", () => {
    expect(toMedusaError("g", new AmountError("amount is missing")).type).toBe(MedusaError.Types.INVALID_DATA)
  })
})
