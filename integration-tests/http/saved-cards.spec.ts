// Saving a card outside checkout, for every gateway, through the plugin's store route (issue 10 point 4),
// and ROBOT PAYMENT's saved-card list when deleted cards leave gaps in the card numbers (point 3).
// One Medusa app on a real PostgreSQL, the simulators over HTTP.
import { medusaIntegrationTestRunner } from "../helpers/medusa-runner"
import type { RobotPaymentSimulator } from "../../src/simulator/robot-payment"
import type { SbpsSimulator } from "../../src/simulator/sbps"
import type { PaygentSimulator } from "../../src/simulator/paygent"
import { authenticate, createToken } from "../../src/simulator/robot-payment/shopper"
import { createPaygentToken } from "../../src/simulator/paygent/shopper"
import { logInCustomer, setUpStore, type Store, responseOf } from "../helpers/store"
import { AID, useRobotPaymentSimulator } from "../helpers/robot-payment"
import { sbpsTokens, SBPS_MERCHANT, useSbpsSimulator } from "../helpers/sbps"
import { PAYGENT_MERCHANT as M, usePaygentSimulator } from "../helpers/paygent"

jest.setTimeout(240_000)

const RP = "pp_robot-payment_rp"
const SBPS = "pp_sbps_sbps"
const PG = "pp_paygent_pg"
const PO = "pp_payment-options_po"

const rp = useRobotPaymentSimulator()
const sbps = useSbpsSimulator()
const pg = usePaygentSimulator()
let rpSim: RobotPaymentSimulator
let sbpsSim: SbpsSimulator
let pgSim: PaygentSimulator
beforeAll(() => {
  rpSim = rp.sim
  sbpsSim = sbps.sim
  pgSim = pg.sim
})

medusaIntegrationTestRunner({
  inApp: true,
  env: {},
  testSuite: ({ api, getContainer }) => {
    let s: Store
    beforeEach(async () => {
      s = await setUpStore(api, getContainer(), [RP, SBPS, PG, PO])
    })

    const list = async (provider: string, headers: Record<string, string>) =>
      (await api.get(`/store/jp-payments/payment-methods?provider_id=${provider}`, { headers })).data as {
        payment_methods: Array<{ id: string; data: { card: Record<string, string> } }>
        account_holder: { ref: string }
      }
    const save = (provider: string, data: Record<string, unknown>, headers: Record<string, string>) =>
      api.post(`/store/jp-payments/payment-methods`, { provider_id: provider, data }, { headers }).catch(responseOf)

    /** A ROBOT PAYMENT card: token, then 3-D Secure for the customer's uid, as the storefront does to save a card. */
    async function rpToken(uid: string, cn = "4444333322221111", ed = "3012") {
      const tkn = await createToken(rpSim.url, AID, { cn, ed })
      await authenticate(rpSim.url, AID, tkn, { uid })
      return tkn
    }

    it("ROBOT PAYMENT: a logged-in customer saves a card outside checkout, lists it and deletes it", async () => {
      const customer = await logInCustomer(api, s, "rp-save@example.jp")
      const { account_holder } = await list(RP, customer.headers)
      const res = await save(RP, { token: await rpToken(account_holder.ref) }, customer.headers)
      expect(res.status).toBe(201)
      expect(res.data.payment_method).toMatchObject({ id: "1", data: { card: { masked: expect.stringMatching(/1111$/), expiry: "12/30" } } })
      expect((await list(RP, customer.headers)).payment_methods.map((m) => m.id)).toEqual(["1"])
      await api.delete(`/store/jp-payments/payment-methods/1?provider_id=${RP}`, { headers: customer.headers })
      expect((await list(RP, customer.headers)).payment_methods).toEqual([])
    })

    it("ROBOT PAYMENT lists every saved card when deleted ones leave gaps: cards 1–5 deleted, card 6 still listed", async () => {
      const customer = await logInCustomer(api, s, "rp-gaps@example.jp")
      const { account_holder } = await list(RP, customer.headers)
      const ids: string[] = []
      for (let i = 0; i < 6; i++) {
        const res = await save(RP, { token: await rpToken(account_holder.ref) }, customer.headers)
        expect(res.status).toBe(201)
        ids.push(res.data.payment_method.id)
      }
      expect(ids).toEqual(["1", "2", "3", "4", "5", "6"])
      for (const id of ids.slice(0, 5)) await api.delete(`/store/jp-payments/payment-methods/${id}?provider_id=${RP}`, { headers: customer.headers })
      expect((await list(RP, customer.headers)).payment_methods.map((m) => m.id)).toEqual(["6"])
    })

    it("SBPS: a card is saved outside checkout with token and token_key, as the README documents", async () => {
      const customer = await logInCustomer(api, s, "sbps-save@example.jp")
      const tokens = await sbpsTokens(sbpsSim.url, { merchant_id: SBPS_MERCHANT.merchantId, service_id: SBPS_MERCHANT.serviceId }, "4111111111111111")
      expect(Object.keys(tokens).sort()).toEqual(["token", "token_key"])
      const res = await save(SBPS, tokens, customer.headers)
      expect(res.status).toBe(201)
      const { payment_methods, account_holder } = await list(SBPS, customer.headers)
      expect(payment_methods).toEqual([expect.objectContaining({ id: account_holder.ref, data: { card: expect.objectContaining({ masked: "************1111" }) } })])
      expect(sbpsSim.customers().map((c) => c.custCode)).toContain(account_holder.ref)
      // without token_key SBPS cannot use the token: a clear 400, nothing saved
      const other = await logInCustomer(api, s, "sbps-nokey@example.jp")
      const fresh = await sbpsTokens(sbpsSim.url, { merchant_id: SBPS_MERCHANT.merchantId, service_id: SBPS_MERCHANT.serviceId }, "4111111111111111")
      const bad = await save(SBPS, { token: fresh.token }, other.headers)
      expect(bad.status).toBe(400)
      expect(bad.data.message).toMatch(/token_key/)
      expect((await list(SBPS, other.headers)).payment_methods).toEqual([])
    })

    it("PAYGENT: a card is saved outside checkout with every value PaygentToken.js gave (025)", async () => {
      const customer = await logInCustomer(api, s, "pg-save@example.jp")
      const t = await createPaygentToken(pgSim.browserUrl, pgSim.certificates.caFile, M.merchantId, M.tokenGenerationKey, { card_number: "3540111111111111", expire_month: "11", expire_year: "29" })
      const res = await save(PG, { ...t }, customer.headers)
      expect(res.status).toBe(201)
      expect(res.data.payment_method).toMatchObject({ id: expect.stringMatching(/^\d+$/), data: { card: { masked: "************1111", expiry: "11/29" } } })
      expect((await list(PG, customer.headers)).payment_methods.map((m) => m.id)).toEqual([res.data.payment_method.id])
    })

    it("PaymentOptions keeps a card only with a payment (hosted page): the route says so and saves nothing", async () => {
      const customer = await logInCustomer(api, s, "po-save@example.jp")
      const res = await save(PO, { token: "anything-at-all" }, customer.headers)
      expect(res.status).toBe(400)
      expect(res.data.message).toMatch(/saves a card only with a payment/)
    })
  },
})
