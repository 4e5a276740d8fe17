// The lowest Medusa of the peer range, proved: the packed plugin installed into a fresh store pinned to it
// (npm accepts the peers: no ERESOLVE), the store's migrations, a boot with the four gateways' providers,
// and one gateway end to end over HTTP — ROBOT PAYMENT with the simulator: cart, card token, 3-D Secure
// (frictionless), order, capture and refund through the admin API. package.spec does the rest on the
// highest Medusa of the range.
import fs from "node:fs"
import os from "node:os"
import path from "node:path"
import axios, { type AxiosInstance } from "axios"
import { startRobotPaymentSimulator, type RobotPaymentSimulator } from "../../src/simulator/robot-payment"
import { authenticate, createToken } from "../../src/simulator/robot-payment/shopper"
import { cartWithCollection, orderPayment, paymentSession, responseOf, setUpCatalog, type Store } from "../helpers/store"
import { removeTree } from "../helpers/remove-tree"
import { LOWEST, freshStore, packPlugin, type FreshStore } from "./fresh-store"

jest.setTimeout(1_200_000)

const AID = "123456" // the store's medusa-config (fresh-store.ts)
const RP = "pp_robot-payment_rp" // jobType AUTH
const GOOD = { cn: "4444333322221111" } // frictionless 3-D Secure

const work = fs.mkdtempSync(path.join(os.tmpdir(), "medusa-payment-jp-lowest-"))
let sim: RobotPaymentSimulator
let store: FreshStore | undefined
let api: AxiosInstance
let s: Store

beforeAll(async () => {
  sim = await startRobotPaymentSimulator({ stores: [{ aid: AID }] })
  const started = Date.now()
  const { tarball } = await packPlugin(work)
  const packed = Math.round((Date.now() - started) / 1000)
  store = await freshStore({ medusa: LOWEST, tarball, work, env: { ROBOT_PAYMENT_BASE_URL: sim.url } })
  // what this proof costs, for CI's budget
  process.stdout.write(`medusa-lowest.spec: Medusa ${LOWEST} store — build+pack ${packed}s, ${Object.entries(store.seconds).map(([k, v]) => `${k} ${v}s`).join(", ")}\n`)
  api = axios.create({ baseURL: store.base })
  s = await setUpCatalog(api, { headers: { authorization: store.admin.authorization } }, [RP])
})

afterAll(async () => {
  await store?.close()
  await sim?.close()
  removeTree(work)
})

describe(`the packed plugin on the lowest Medusa of its peer range (${LOWEST})`, () => {
  it("installs next to that Medusa and boots with the four gateways' providers", async () => {
    expect(store!.medusa).toBe(LOWEST)
    for (const n of ["@medusajs/framework", "@medusajs/admin-sdk", "@medusajs/cli", "@medusajs/core-flows"]) {
      const v = JSON.parse(fs.readFileSync(path.join(store!.app, "node_modules", n, "package.json"), "utf8")).version
      expect({ n, v }).toEqual({ n, v: LOWEST })
    }
    // one copy of the framework: the plugin's providers extend the store's AbstractPaymentProvider
    expect(fs.existsSync(path.join(store!.app, "node_modules/medusa-payment-jp/node_modules/@medusajs"))).toBe(false)
    const r = await api.get("/admin/payments/payment-providers?limit=100", s.admin)
    const ids = (r.data.payment_providers as Array<{ id: string; is_enabled: boolean }>).filter((p) => p.is_enabled).map((p) => p.id)
    expect(ids).toEqual(expect.arrayContaining([RP, "pp_sbps_sbps", "pp_paygent_pg", "pp_payment-options_po"]))
  })

  it("ROBOT PAYMENT: cart → token → 3-D Secure (frictionless) → order; admin capture; admin refund", async () => {
    const { cart, collectionId, headers } = await cartWithCollection(api, s, { quantity: 2 })
    const first = await paymentSession(api, collectionId, RP, headers)
    expect(first.data.jp.browser).toMatchObject({ gateway: "robot-payment", aid: AID, three_ds: { am: 3000, tx: 0, sf: 0 } })
    const tkn = await createToken(sim.url, first.data.jp.browser.aid, GOOD)
    await authenticate(sim.url, AID, tkn, first.data.jp.browser.three_ds)
    const session = await paymentSession(api, collectionId, RP, headers, { token: tkn })
    const done = await api.post(`/store/carts/${cart.id}/complete`, {}, { headers }).catch(responseOf)
    expect({ status: done.status, type: done.data.type }).toEqual({ status: 200, type: "order" })
    const orderId = done.data.order.id as string

    const [tx] = sim.transactions().filter((t) => t.cod === session.data.jp.order_code)
    expect(tx).toMatchObject({ jb: "AUTH", am: 3000, state: "AUTH" })
    let payment = await orderPayment(api, s, orderId)
    expect(payment.data.jp).toMatchObject({ state: "authorized", amount: 3000, reference: tx.gid })
    expect(payment.data.token ?? null).toBeNull()

    await api.post(`/admin/payments/${payment.id}/capture`, {}, s.admin)
    payment = await orderPayment(api, s, orderId)
    expect(payment.captured_at).toBeTruthy()
    expect(payment.data.jp.state).toBe("captured")
    expect(sim.transactions().find((t) => t.gid === tx.gid)?.state).toBe("CAPTURED")

    await api.post(`/admin/payments/${payment.id}/refund`, {}, s.admin)
    payment = await orderPayment(api, s, orderId)
    expect(payment.refunds).toHaveLength(1)
    expect(payment.data.jp).toMatchObject({ state: "refunded", refunded_amount: 3000, amount: 0 })
    expect(sim.transactions().find((t) => t.gid === tx.gid)?.state).toBe("CANCELED")
    expect(payment.data.jp.history.map((h: { op: string }) => h.op)).toEqual(["authorize", "capture", "refund"])
  })

  it("serves the plugin's own admin route (a customer's saved cards)", async () => {
    const created = await api.post("/admin/customers", { email: "hanako@fresh-store.test" }, s.admin)
    const r = await api.get(`/admin/jp-payments/customers/${created.data.customer.id}/payment-methods`, s.admin)
    expect(r.status).toBe(200)
    expect(r.data).toMatchObject({ payment_methods: [] })
  })
})
