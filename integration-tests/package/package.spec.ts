// What a user does first, from the packed tarball: `npm pack` (prepack builds the plugin), install it
// into a fresh Medusa store — its own folder and node_modules, not this source tree — run the store's
// migrations, boot it with the four gateways' providers, and use the plugin's routes, admin extension
// and command from the installed package.
// MEDUSA_VERSION picks the store's Medusa (default: the highest of the peer range, 2.21.2; CI also runs
// the lowest, 2.20.0). The install is `npm install --prefer-offline`: from npm's cache when it can.
import { execFile, spawn, type ChildProcess } from "node:child_process"
import fs from "node:fs"
import net from "node:net"
import os from "node:os"
import path from "node:path"
import { promisify } from "node:util"
import { launchChromium } from "../helpers/browser"

// ~4 minutes on an idle machine (most of it the build and the install); far longer on a busy one
jest.setTimeout(1_200_000)

const run = promisify(execFile)
const root = path.resolve(__dirname, "../..")
const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"))
const MEDUSA = process.env.MEDUSA_VERSION || "2.21.2"
const env = { ...process.env, NODE_OPTIONS: "", MEDUSA_DISABLE_TELEMETRY: "true", npm_config_update_notifier: "false" }

const work = fs.mkdtempSync(path.join(os.tmpdir(), "medusa-payment-jp-store-"))
const app = path.join(work, "store")
const dbName = `jp_pkg_${process.pid}_${Date.now()}`
const databaseUrl = `postgres://${process.env.DB_USERNAME}:${process.env.DB_PASSWORD}@${process.env.DB_HOST}:${process.env.DB_PORT}/${dbName}`

let packed: string[] = []
let server: ChildProcess | undefined
let serverLog = ""
let base = ""
let admin: Record<string, string> = {}
let customerId = ""
const EMAIL = "admin@fresh-store.test"
const PASSWORD = "supersecret-password"

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer()
    srv.on("error", reject)
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo
      srv.close(() => resolve(port))
    })
  })
}

async function sql(statement: string) {
  const { Client } = require("pg")
  const c = new Client({ host: process.env.DB_HOST, port: Number(process.env.DB_PORT), user: process.env.DB_USERNAME, password: process.env.DB_PASSWORD, database: "postgres" })
  await c.connect()
  try {
    await c.query(statement)
  } finally {
    await c.end()
  }
}

// The store's medusa-config.js: the plugin for its routes and admin, each gateway's provider from the
// package's entry points, with the options each one's validateOptions asks for (nothing is sent at boot).
const MEDUSA_CONFIG = `const { defineConfig } = require("@medusajs/framework/utils")
const urls = { backendUrl: "http://localhost:9000", storefrontUrl: "http://localhost:8000" }
module.exports = defineConfig({
  projectConfig: {
    databaseUrl: process.env.DATABASE_URL,
    http: { storeCors: "http://localhost:8000", adminCors: "http://localhost:9000", authCors: "http://localhost:9000", jwtSecret: "supersecret", cookieSecret: "supersecret" },
  },
  // the admin through its development server (NODE_ENV=development): no dashboard build to wait for
  admin: { disable: false, path: "/app" },
  plugins: [{ resolve: "medusa-payment-jp", options: {} }],
  modules: [{
    resolve: "@medusajs/medusa/payment",
    options: { providers: [
      { resolve: "medusa-payment-jp/providers/robot-payment", id: "rp", options: { aid: "123456", jobType: "AUTH", baseUrl: "http://127.0.0.1:8900" } },
      { resolve: "medusa-payment-jp/providers/sbps", id: "sbps", options: { merchantId: "30132", serviceId: "002", hashKey: "8435dbd48f2249807ec216c3d5ecab714264cc4a", baseUrl: "http://127.0.0.1:8901", ...urls } },
      { resolve: "medusa-payment-jp/providers/paygent", id: "pg", options: { merchantId: "100000001", connectId: "testconnect", connectPassword: "testpassword1",
          clientCertificate: "/nonexistent/client.pem", clientKeyPassphrase: "x", caCertificate: "/nonexistent/ca.pem", baseUrl: "https://127.0.0.1:8902",
          merchantName: "fresh store", threeDSResultHashKey: "k1", noticeHashKey: "k2", tokenGenerationKey: "k3", tokenReceiptHashKey: "k4", ...urls } },
      { resolve: "medusa-payment-jp/providers/payment-options", id: "po", options: { merchantId: "JP00000472", apiKey: "sim-api-key", xApiKey: "sim-x-api-key",
          webhookSecret: "fresh-store-webhook-secret", merchantEmail: "shop@example.jp", baseUrl: "http://127.0.0.1:8903", ...urls } },
    ] },
  }],
})
`

beforeAll(async () => {
  // 1. pack: prepack builds the plugin (backend with type-check, admin bundle)
  const { stdout } = await run("npm", ["pack", "--json", "--pack-destination", work], { cwd: root, env, maxBuffer: 64 << 20 })
  const info = JSON.parse(stdout.slice(stdout.indexOf("[")))[0]
  packed = (info.files as Array<{ path: string }>).map((f) => f.path)
  const tarball = path.join(work, info.filename)

  // 2. a fresh store: its own package.json, as a Medusa app lists Medusa, plus the tarball
  fs.mkdirSync(app)
  // what a Medusa app (create-medusa-app's starter) lists: no @medusajs/ui or @medusajs/icons of its own.
  // A peer the plugin declared on them would bring the newest ones, which @medusajs/draft-order (pinned
  // peers) refuses: npm then nests it and Medusa cannot load it ("Unable to resolve plugin").
  const medusa = Object.fromEntries(["@medusajs/admin-sdk", "@medusajs/cli", "@medusajs/framework", "@medusajs/medusa"].map((n) => [n, MEDUSA]))
  fs.writeFileSync(
    path.join(app, "package.json"),
    JSON.stringify({ name: "fresh-store", private: true, version: "0.0.0", dependencies: { ...medusa, react: "^18.3.1", "react-dom": "^18.3.1", "medusa-payment-jp": `file:${tarball}` } }, null, 2)
  )
  fs.writeFileSync(path.join(app, "medusa-config.js"), MEDUSA_CONFIG)
  await run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: app, env, maxBuffer: 64 << 20 })

  // 3. its database and migrations
  await sql(`CREATE DATABASE "${dbName}"`)
  const appEnv = { ...env, DATABASE_URL: databaseUrl, LOG_LEVEL: "error", NODE_ENV: "development" }
  const medusaBin = path.join(app, "node_modules/.bin/medusa")
  await run(medusaBin, ["db:migrate"], { cwd: app, env: appEnv, maxBuffer: 64 << 20 })
  await run(medusaBin, ["user", "-e", EMAIL, "-p", PASSWORD], { cwd: app, env: appEnv, maxBuffer: 64 << 20 })

  // 4. boot
  const port = await freePort()
  base = `http://127.0.0.1:${port}`
  server = spawn(medusaBin, ["start"], { cwd: app, env: { ...appEnv, PORT: String(port), LOG_LEVEL: "info" } })
  server.stdout!.on("data", (d) => (serverLog += d))
  server.stderr!.on("data", (d) => (serverLog += d))
  const deadline = Date.now() + 120_000
  for (;;) {
    if (server.exitCode !== null || server.signalCode !== null) throw new Error(`the store exited (${server.exitCode ?? server.signalCode}):\n${serverLog}`)
    const up = await fetch(`${base}/health`).then((r) => r.ok, () => false)
    if (up) break
    if (Date.now() > deadline) throw new Error(`the store did not answer /health:\n${serverLog}`)
    await new Promise((r) => setTimeout(r, 1000))
  }
  const login = await fetch(`${base}/auth/user/emailpass`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email: EMAIL, password: PASSWORD }) })
  admin = { authorization: `Bearer ${((await login.json()) as { token: string }).token}`, "content-type": "application/json" }
})

afterAll(async () => {
  if (server && server.exitCode === null && server.signalCode === null) {
    server.kill("SIGTERM")
    await new Promise((r) => server!.once("exit", r))
  }
  await sql(`DROP DATABASE IF EXISTS "${dbName}"`).catch(() => undefined)
  fs.rmSync(work, { recursive: true, force: true })
})

describe(`the packed plugin in a fresh Medusa ${MEDUSA} store`, () => {
  it("packs what the exports map, the bin and the READMEs need, and nothing else", () => {
    const allowed = [
      /^package\.json$/,
      /^README(\.ja)?\.md$/,
      /^LICENSE$/,
      /^bin\/medusa-payment-jp\.js$/,
      /^docs\/.+\.md$/,
      /^docs\/images\/[a-z0-9-]+\.png$/, // the README's screenshots
      /^src\/simulator\/[a-z-]+\/README\.md$/,
      /^\.medusa\/server\/src\/.+\.(js|mjs|d\.ts)$/,
    ]
    expect(packed.filter((f) => !allowed.some((re) => re.test(f)))).toEqual([])
    // no tests, sources, images other than the README's, or the development app
    expect(packed.filter((f) => /__tests__|\.spec\.|integration-tests|medusa-config/.test(f) || (/\.(png|jpe?g|svg|gif)$/.test(f) && !f.startsWith("docs/images/")))).toEqual([])
    for (const f of ["LICENSE", "README.md", "README.ja.md", "bin/medusa-payment-jp.js", ".medusa/server/src/admin/index.js", ".medusa/server/src/admin/index.mjs", ".medusa/server/src/storefront/index.js", ".medusa/server/src/simulator/cli.js"]) {
      expect({ f, packed: packed.includes(f) }).toEqual({ f, packed: true })
    }
    for (const gw of ["robot-payment", "sbps", "paygent", "payment-options"]) {
      expect(packed).toContain(`.medusa/server/src/providers/${gw}/index.js`)
      expect(packed).toContain(`.medusa/server/src/simulator/${gw}/index.js`)
    }
    // what Medusa loads from a plugin: its routes
    expect(packed.some((f) => f.startsWith(".medusa/server/src/api/"))).toBe(true)
  })

  it("declares the Medusa range it supports, not one pinned version, and no test tool as a peer", () => {
    const peers = pkg.peerDependencies as Record<string, string>
    for (const n of ["@medusajs/framework", "@medusajs/medusa", "@medusajs/admin-sdk", "@medusajs/cli"]) expect(peers[n]).toBe("^2.20.0")
    expect(peers["@medusajs/test-utils"]).toBeUndefined()
    // the admin widgets run inside Medusa's dashboard, which brings React and @medusajs/ui
    expect(pkg.peerDependenciesMeta?.react?.optional).toBe(true)
    expect(pkg.peerDependenciesMeta?.["@medusajs/ui"]?.optional).toBe(true)
    expect(peers["@medusajs/icons"]).toBeUndefined()
    const installed = JSON.parse(fs.readFileSync(path.join(app, "node_modules/@medusajs/medusa/package.json"), "utf8")).version
    expect(installed).toBe(MEDUSA)
  })

  it("boots with the four gateways' providers registered", async () => {
    const r = await fetch(`${base}/admin/payments/payment-providers?limit=100`, { headers: admin })
    expect(r.status).toBe(200)
    const ids = ((await r.json()) as { payment_providers: Array<{ id: string; is_enabled: boolean }> }).payment_providers.filter((p) => p.is_enabled).map((p) => p.id)
    expect(ids).toEqual(expect.arrayContaining(["pp_robot-payment_rp", "pp_sbps_sbps", "pp_paygent_pg", "pp_payment-options_po"]))
  })

  it("serves the plugin's admin route from the installed package", async () => {
    const created = await fetch(`${base}/admin/customers`, { method: "POST", headers: admin, body: JSON.stringify({ email: "taro@fresh-store.test" }) })
    expect(created.status).toBe(200)
    const customer = ((await created.json()) as { customer: { id: string } }).customer
    customerId = customer.id
    const r = await fetch(`${base}/admin/jp-payments/customers/${customer.id}/payment-methods`, { headers: admin })
    expect(r.status).toBe(200)
    expect(await r.json()).toMatchObject({ payment_methods: [] })
    const missing = await fetch(`${base}/admin/jp-payments/customers/cus_missing/payment-methods`, { headers: admin })
    expect(missing.status).toBe(404)
  })

  it("ships an admin extension with its widgets and the jpPayments translations in en and ja", async () => {
    // Load the bundle as the dashboard does, with the modules it leaves to the dashboard stubbed:
    // what matters here is what the package hands over (zones, components, translations).
    const script = `
      const Module = require("module")
      const load = Module._load
      const stub = new Proxy(function () {}, { get: (t, k) => (k === "__esModule" ? true : k === "default" ? stub : stub), apply: () => stub, construct: () => ({}) })
      Module._load = function (request, parent, isMain) {
        if (/^(react|react-dom|react-i18next|@medusajs\\/(ui|js-sdk|admin-sdk|icons)|@tanstack\\/react-query)(\\/|$)/.test(request)) return stub
        return load.apply(this, arguments)
      }
      globalThis.__BACKEND_URL__ = "/"
      const file = require.resolve("medusa-payment-jp/admin")
      const mod = require(file)
      const ext = mod.widgetModule ? mod : mod.default
      const widgets = ext.widgetModule.widgets.map((w) => [w.zone].flat().join(",")).sort()
      const r = ext.i18nModule.resources
      console.log(JSON.stringify({ file, widgets, langs: Object.keys(r).sort(), en: r.en.translation.jpPayments.orderPayments.title, ja: r.ja.translation.jpPayments.orderPayments.title }))
    `
    const { stdout } = await run(process.execPath, ["-e", script], { cwd: app, env })
    const out = JSON.parse(stdout.trim().split("\n").pop()!)
    expect(out.file).toBe(path.join(fs.realpathSync(app), "node_modules/medusa-payment-jp/.medusa/server/src/admin/index.js"))
    expect(out).toMatchObject({ widgets: ["customer.details.side", "customer.details.side.after", "order.details.side"], langs: ["en", "ja"], en: "Card payment", ja: "カード決済" })
  })

  it("shows its widget in the language the admin user picks: 日本語 and back to English", async () => {
    const browser = await launchChromium()
    try {
      const page = await browser.newPage({ locale: "en-US" })
      page.setDefaultTimeout(240_000) // the first page waits for Vite to prepare the dashboard
      await page.goto(`${base}/app/login`)
      await page.fill('input[name="email"]', EMAIL)
      await page.fill('input[name="password"]', PASSWORD)
      await page.click('button[type="submit"]')
      await page.waitForURL(/\/app\/orders/)
      // the widget's Container: the heading sits in its first row
      const widget = page.getByRole("heading", { name: /^(Saved cards|登録カード)$/ }).locator("xpath=ancestor::div[2]")

      const pick = async (language: string, save: string) => {
        await page.goto(`${base}/app/settings/profile/edit`)
        await page.getByRole("combobox").click()
        await page.getByRole("option", { name: language, exact: true }).click()
        await page.getByRole("button", { name: save }).click()
        await page.getByRole("combobox").waitFor({ state: "detached" })
        await page.goto(`${base}/app/customers/${customerId}`)
      }

      await page.goto(`${base}/app/customers/${customerId}`)
      await page.getByRole("heading", { name: "Saved cards" }).waitFor()
      expect(await widget.innerText()).toContain("No saved cards")
      expect(await widget.innerText()).not.toMatch(/[\u3040-\u30ff\u4e00-\u9fff]/)

      await pick("日本語", "Save")
      await page.getByRole("heading", { name: "登録カード" }).waitFor()
      expect(await widget.innerText()).toContain("登録されたカードはありません")

      await pick("English", "保存")
      await page.getByRole("heading", { name: "Saved cards" }).waitFor()
      expect(await widget.innerText()).toContain("No saved cards")
      expect(await widget.innerText()).not.toMatch(/[\u3040-\u30ff\u4e00-\u9fff]/)
    } finally {
      await browser.close()
    }
  })

  it("runs `medusa-payment-jp simulate robot-payment` from the installed package", async () => {
    const child = spawn(path.join(app, "node_modules/.bin/medusa-payment-jp"), ["simulate", "robot-payment", "--port", "0"], { cwd: app, env })
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = ""
        child.stdout.on("data", (d) => {
          out += d
          const m = out.match(/listening on (http:\/\/\S+)/)
          if (m) resolve(m[1])
        })
        child.on("exit", (code) => reject(new Error(`simulator exited with ${code}: ${out}`)))
      })
      const js = await fetch(`${url}/gateway/js/CPToken.js`)
      expect(js.status).toBe(200)
      expect(await js.text()).toContain("TokenCreate")
      const bad = await fetch(`${url}/gateway/gateway.aspx`, { method: "POST", body: new URLSearchParams({ aid: "12" }) })
      expect((await bad.text()).trim()).toMatch(/ER050/)
    } finally {
      child.kill("SIGTERM")
    }
  })

  it("resolves the storefront and simulator entry points through the exports map", async () => {
    const { stdout } = await run(
      process.execPath,
      ["-e", `const s = require("medusa-payment-jp/storefront"); const sim = require("medusa-payment-jp/simulator/sbps"); console.log(JSON.stringify({ tokenize: typeof s.tokenize, sim: Object.keys(sim).some((k) => /^start/.test(k)) }))`],
      { cwd: app, env }
    )
    expect(JSON.parse(stdout.trim().split("\n").pop()!)).toEqual({ tokenize: "function", sim: true })
  })
})
