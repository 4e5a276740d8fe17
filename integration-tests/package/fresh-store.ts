// A fresh Medusa store with the packed plugin, as a user makes one: its own folder and node_modules (not
// this source tree), `npm install` of the tarball next to the Medusa packages a starter lists, the
// store's own database and migrations, an admin user, and `medusa start`. package.spec runs it on the
// highest Medusa of the peer range, medusa-lowest.spec on the lowest. Installs are
// `npm install --prefer-offline`: from npm's shared cache when it can.
import { execFile, spawn, type ChildProcess } from "node:child_process"
import fs from "node:fs"
import path from "node:path"
import { promisify } from "node:util"
import { freePort } from "../helpers/free-port"

export const run = promisify(execFile)
export const root = path.resolve(__dirname, "../..")
export const env = { ...process.env, NODE_OPTIONS: "", MEDUSA_DISABLE_TELEMETRY: "true", npm_config_update_notifier: "false" }

/** The peer range's ends: the newest is the Medusa this repository is developed and tested on. */
export const HIGHEST: string = JSON.parse(fs.readFileSync(path.join(root, "node_modules/@medusajs/medusa/package.json"), "utf8")).version
export const LOWEST = "2.20.1"

export const EMAIL = "admin@fresh-store.test"
export const PASSWORD = "supersecret-password"

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

/**
 * `npm pack` of the plugin into `dest`. The build runs first under scripts/plugin-build.js's lock (the
 * demo spec and the other package spec build too: two builds writing .medusa/server at once leave it
 * half-made), so the pack itself skips prepack, which would build again without the lock.
 */
export async function packPlugin(dest: string): Promise<{ tarball: string; files: string[] }> {
  await run(process.execPath, [path.join(root, "scripts/plugin-build.js")], { cwd: root, env, maxBuffer: 64 << 20 })
  const { stdout } = await run("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", dest], { cwd: root, env, maxBuffer: 64 << 20 })
  const info = JSON.parse(stdout.slice(stdout.indexOf("[")))[0]
  return { tarball: path.join(dest, info.filename), files: (info.files as Array<{ path: string }>).map((f) => f.path) }
}

// The store's medusa-config.js: the plugin for its routes and admin, each gateway's provider from the
// package's entry points, with the options each one's validateOptions asks for (nothing is sent at boot).
// ROBOT_PAYMENT_BASE_URL points the ROBOT PAYMENT provider at a running simulator.
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
      { resolve: "medusa-payment-jp/providers/robot-payment", id: "rp", options: { aid: "123456", jobType: "AUTH", baseUrl: process.env.ROBOT_PAYMENT_BASE_URL || "http://127.0.0.1:8900" } },
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

export interface FreshStore {
  /** the store's folder */
  app: string
  base: string
  /** an admin user's bearer token, with the JSON content type */
  admin: Record<string, string>
  /** the Medusa version npm installed */
  medusa: string
  /** seconds each step took: install, migrate (with the admin user), boot */
  seconds: { install: number; migrate: number; boot: number }
  log(): string
  close(): Promise<void>
}

/**
 * Makes and boots a store on Medusa `medusa` (every @medusajs package a starter lists, pinned to it) with
 * the plugin's tarball. `env` goes to the store's processes. close() stops it and drops its database.
 */
export async function freshStore(opts: { medusa: string; tarball: string; work: string; env?: Record<string, string> }): Promise<FreshStore> {
  const app = path.join(opts.work, "store")
  const dbName = `jp_pkg_${process.pid}_${Date.now()}`
  const databaseUrl = `postgres://${process.env.DB_USERNAME}:${process.env.DB_PASSWORD}@${process.env.DB_HOST}:${process.env.DB_PORT}/${dbName}`
  fs.mkdirSync(app)
  // what a Medusa app (create-medusa-app's starter) lists: no @medusajs/ui or @medusajs/icons of its own.
  // A peer the plugin declared on them would bring the newest ones, which @medusajs/draft-order (pinned
  // peers) refuses: npm then nests it and Medusa cannot load it ("Unable to resolve plugin").
  const medusa = Object.fromEntries(["@medusajs/admin-sdk", "@medusajs/cli", "@medusajs/framework", "@medusajs/medusa"].map((n) => [n, opts.medusa]))
  fs.writeFileSync(
    path.join(app, "package.json"),
    JSON.stringify({ name: "fresh-store", private: true, version: "0.0.0", dependencies: { ...medusa, react: "^18.3.1", "react-dom": "^18.3.1", "medusa-payment-jp": `file:${opts.tarball}` } }, null, 2)
  )
  fs.writeFileSync(path.join(app, "medusa-config.js"), MEDUSA_CONFIG)
  // no --legacy-peer-deps: a peer range that does not admit this Medusa fails here (ERESOLVE)
  let t = Date.now()
  const lap = () => {
    const s = Math.round((Date.now() - t) / 1000)
    t = Date.now()
    return s
  }
  await run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: app, env, maxBuffer: 64 << 20 })
  const seconds = { install: lap(), migrate: 0, boot: 0 }
  const installed = JSON.parse(fs.readFileSync(path.join(app, "node_modules/@medusajs/medusa/package.json"), "utf8")).version

  await sql(`CREATE DATABASE "${dbName}"`)
  const appEnv = { ...env, ...opts.env, DATABASE_URL: databaseUrl, LOG_LEVEL: "error", NODE_ENV: "development" }
  const medusaBin = path.join(app, "node_modules/.bin/medusa")
  let server: ChildProcess | undefined
  let serverLog = ""
  const close = async () => {
    if (server && server.exitCode === null && server.signalCode === null) {
      server.kill("SIGTERM")
      await new Promise((r) => server!.once("exit", r))
    }
    await sql(`DROP DATABASE IF EXISTS "${dbName}"`).catch(() => undefined)
  }
  try {
    await run(medusaBin, ["db:migrate"], { cwd: app, env: appEnv, maxBuffer: 64 << 20 })
    await run(medusaBin, ["user", "-e", EMAIL, "-p", PASSWORD], { cwd: app, env: appEnv, maxBuffer: 64 << 20 })
    seconds.migrate = lap()

    const port = await freePort()
    const base = `http://127.0.0.1:${port}`
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
    seconds.boot = lap()
    const login = await fetch(`${base}/auth/user/emailpass`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email: EMAIL, password: PASSWORD }) })
    const admin = { authorization: `Bearer ${((await login.json()) as { token: string }).token}`, "content-type": "application/json" }
    return { app, base, admin, medusa: installed, seconds, log: () => serverLog, close }
  } catch (e) {
    await close()
    throw e
  }
}
