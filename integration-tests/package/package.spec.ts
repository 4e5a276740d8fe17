// What a user does first, from the packed tarball: `npm pack`, install it into a fresh Medusa store — its
// own folder and node_modules, not this source tree — run the store's migrations, boot it with the four
// gateways' providers, and use the plugin's routes, admin extension and command from the installed
// package. The store runs the highest Medusa of the peer range (the one this repository is developed on);
// medusa-lowest.spec runs a checkout on the lowest.
import { spawn } from "node:child_process"
import fs from "node:fs"
import os from "node:os"
import path from "node:path"
import { launchChromium } from "../helpers/browser"
import { removeTree } from "../helpers/remove-tree"
import { EMAIL, HIGHEST, LOWEST, PASSWORD, env, freshStore, packPlugin, root, run, type FreshStore } from "./fresh-store"

// ~4 minutes on an idle machine (most of it the build and the install); far longer on a busy one
jest.setTimeout(1_200_000)

const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"))
const MEDUSA = HIGHEST
const work = fs.mkdtempSync(path.join(os.tmpdir(), "medusa-payment-jp-store-"))

let packed: string[] = []
let store: FreshStore | undefined
let app = ""
let base = ""
let admin: Record<string, string> = {}
let customerId = ""

beforeAll(async () => {
  const started = Date.now()
  const p = await packPlugin(work)
  packed = p.files
  const build = Math.round((Date.now() - started) / 1000)
  store = await freshStore({ medusa: MEDUSA, tarball: p.tarball, work })
  process.stdout.write(`package.spec: Medusa ${MEDUSA} store — build+pack ${build}s, ${Object.entries(store.seconds).map(([k, v]) => `${k} ${v}s`).join(", ")}\n`)
  ;({ app, base, admin } = store)
})

afterAll(async () => {
  await store?.close()
  removeTree(work)
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

  it("packs every file the exports map and the bin point at, with type declarations for the typed entries", () => {
    const has = (f: string) => packed.includes(f.replace(/^\.\//, ""))
    const missing: string[] = []
    const targets = (v: unknown): string[] => (typeof v === "string" ? [v] : Object.values(v as Record<string, unknown>).flatMap(targets))
    for (const [entry, target] of Object.entries(pkg.exports as Record<string, unknown>)) {
      for (const t of targets(target)) {
        if (!t.includes("*")) {
          if (!has(t)) missing.push(`${entry} → ${t}`)
          continue
        }
        // a pattern: it must serve some packed file (the named entries are checked below)
        const re = new RegExp(`^${t.replace(/^\.\//, "").replace(/[.]/g, "\\.").replace("*", "(.+)")}$`)
        if (!packed.some((f) => re.test(f))) missing.push(`${entry} → ${t} (nothing)`)
      }
    }
    for (const b of Object.values(pkg.bin as Record<string, string>)) if (!has(b)) missing.push(`bin ${b}`)
    expect(missing).toEqual([])
    for (const gw of ["robot-payment", "sbps", "paygent", "payment-options", "billing-robo"]) expect(packed).toContain(`.medusa/server/src/providers/${gw}/index.js`)
    for (const f of ["storefront/index", "storefront/react/index", ...["robot-payment", "sbps", "paygent", "payment-options"].map((g) => `providers/${g}/index`)]) {
      expect(packed).toContain(`.medusa/server/src/${f}.js`)
      expect(packed).toContain(`.medusa/server/src/${f}.d.ts`)
    }
  })

  it("declares the Medusa range it is tested on — from the lowest (medusa-lowest.spec) to this store's — and no test tool as a peer", () => {
    const peers = pkg.peerDependencies as Record<string, string>
    // the range ends below the next minor: a Medusa minor this package was not run on is not claimed
    const [major, minor] = HIGHEST.split(".").map(Number)
    for (const n of ["@medusajs/framework", "@medusajs/medusa", "@medusajs/admin-sdk", "@medusajs/cli"]) {
      expect({ n, range: peers[n] }).toEqual({ n, range: `>=${LOWEST} <${major}.${minor + 1}.0` })
      expect({ n, dev: pkg.devDependencies[n] }).toEqual({ n, dev: HIGHEST })
    }
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
      ["-e", `const s = require("medusa-payment-jp/storefront"); const r = require("medusa-payment-jp/react"); const sim = require("medusa-payment-jp/simulator/sbps"); console.log(JSON.stringify({ tokenize: typeof s.tokenize, kit: typeof r.useJpCheckout, sim: Object.keys(sim).some((k) => /^start/.test(k)) }))`],
      { cwd: app, env }
    )
    expect(JSON.parse(stdout.trim().split("\n").pop()!)).toEqual({ tokenize: "function", kit: "function", sim: true })
  })
})
