// `npm run demo` as a newcomer runs it: from a clean data folder, the one command brings up the store,
// the simulators and the demo storefront; then a shopper buys in Chromium with each gateway, through
// the demo storefront (built on medusa-payment-jp/react). One demo run serves every test.
// Screenshots go to .artifacts/demo/.
import { spawn, type ChildProcess } from "node:child_process"
import fs from "node:fs"
import net from "node:net"
import os from "node:os"
import path from "node:path"
import type { Browser, Page } from "playwright-core"
import { launchChromium } from "../helpers/browser"

jest.setTimeout(180_000)
// The first start on a 2-core machine: about 3 minutes idle, more when the machine is shared.
const FIRST_START_MS = 540_000

const root = path.resolve(__dirname, "../..")
const shots = path.join(root, ".artifacts", "demo")
let demo: ChildProcess
let output = ""
let dataDir: string
let ready: {
  storefrontUrl: string
  backendUrl: string
  admin: { email: string; password: string }
  customer: { email: string; password: string }
  simulators: Record<string, { url: string }>
}
let browser: Browser

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

beforeAll(async () => {
  fs.mkdirSync(shots, { recursive: true })
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "medusa-payment-jp-demo-"))
  const env: NodeJS.ProcessEnv = { ...process.env, DEMO_DATA_DIR: dataDir, DEMO_PORT: String(await freePort()), DEMO_STOREFRONT_PORT: String(await freePort()), NODE_OPTIONS: "" }
  delete env.DATABASE_URL // the newcomer has none: the demo brings its own PostgreSQL
  demo = spawn("npm", ["run", "demo"], { cwd: root, env, stdio: ["ignore", "pipe", "pipe"], detached: true })
  demo.stdout!.on("data", (d) => (output += d))
  demo.stderr!.on("data", (d) => (output += d))
  const started = Date.now()
  await new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      if (/demo is ready/.test(output)) {
        clearInterval(timer)
        resolve()
      } else if (demo.exitCode !== null || Date.now() - started > FIRST_START_MS) {
        clearInterval(timer)
        reject(new Error(`npm run demo did not get ready:\n${output}`))
      }
    }, 250)
  })
  ready = JSON.parse(fs.readFileSync(path.join(dataDir, "ready.json"), "utf8"))
  browser = await launchChromium()
}, FIRST_START_MS + 60_000)

afterAll(async () => {
  await browser?.close()
  if (demo && demo.exitCode === null) {
    const exited = new Promise((r) => demo.once("exit", r))
    process.kill(-demo.pid!, "SIGINT") // Ctrl-C, as the shopper's terminal sends it: to the whole group
    await Promise.race([exited, new Promise((r) => setTimeout(r, 20_000))])
    if (demo.exitCode === null) process.kill(-demo.pid!, "SIGKILL")
  }
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true })
})

async function newPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1000, height: 1100 }, locale: "ja-JP" })
  const page = await context.newPage()
  page.on("pageerror", (e) => (output += `\n[pageerror] ${e}`))
  return page
}

/** Product → cart → address → shipping → the provider: the card step is on screen. */
async function toPayment(page: Page, provider: string) {
  await page.goto(ready.storefrontUrl)
  // the products of a cold store, too, can take a while on a busy machine
  await page.getByRole("button", { name: "カートに入れる" }).first().click({ timeout: 90_000 })
  // the first cart of a cold store can take a while on a busy machine
  await page.getByRole("button", { name: "この住所に届ける" }).click({ timeout: 90_000 })
  await page.getByRole("radio", { name: /宅配便/ }).click()
  await page.getByText("3. お支払い").waitFor()
  await page.getByRole("radio", { name: provider }).click()
}

const orderNumber = (page: Page) => page.getByTestId("order-number").textContent({ timeout: 120_000 })

describe("npm run demo", () => {
  it("prints the storefront, the admin and its login, and each simulator's test cards", () => {
    expect(output).toContain(`Storefront   ${ready.storefrontUrl}`)
    expect(output).toContain(`Admin        ${ready.backendUrl}/app      ${ready.admin.email} / ${ready.admin.password}`)
    expect(output).toMatch(/robot-payment[\s\S]*4111111111111111 .*challenge.*123456/)
    expect(output).toMatch(/3-D Secure challenge: cardholder name BAVCA/)
  })

  it("serves the admin dashboard, where the printed login works", async () => {
    const app = await fetch(`${ready.backendUrl}/app`)
    expect(app.status).toBe(200)
    expect(app.headers.get("content-type")).toMatch(/text\/html/)
    const login = await fetch(`${ready.backendUrl}/auth/user/emailpass`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: ready.admin.email, password: ready.admin.password }),
    })
    expect(login.status).toBe(200)
    expect((await login.json()).token).toEqual(expect.any(String))
  })

  it("ROBOT PAYMENT: 分割払い（3回） chosen, the card in the gateway's own form, a 3-D Secure challenge, the order", async () => {
    const page = await newPage()
    await toPayment(page, "ROBOT PAYMENT")
    // 支払方法: what demo/medusa-config.ts allows, as shoppers know it
    const method = page.locator('select[name="jp-payment-method"]')
    expect(await method.locator("option").allTextContents()).toEqual(["一括払い", "分割払い（3回）", "分割払い（6回）", "分割払い（10回）", "分割払い（12回）", "リボ払い"])
    await method.selectOption("installments:3")
    await page.getByTestId("pay").click()
    await page.fill("#rp-cn", "4111111111111111")
    await page.fill("#rp-ed", "3012")
    await page.fill("#rp-fn", "TARO")
    await page.fill("#rp-ln", "YAMADA")
    await page.fill("#rp-cvv", "123")
    await page.screenshot({ path: path.join(shots, "robot-payment-card.png") })
    await page.click("#rp-submit")
    const frame = page.frameLocator("iframe#rp-3ds-frame")
    await frame.locator("#rp-3ds-otp").fill("123456")
    await page.screenshot({ path: path.join(shots, "robot-payment-3ds.png") })
    // submitted as its button would (a pointer click can keep missing while the frame still moves on a busy machine)
    await frame.locator("#rp-3ds-submit").evaluate((b: HTMLButtonElement) => b.form!.requestSubmit(b))
    expect(await orderNumber(page)).toMatch(/^#\d+$/)
    // the choice reached the gateway as md=61 pt=3
    const txs = (await (await fetch(`${ready.simulators["robot-payment"].url}/__sim/transactions`)).json()) as Array<{ md: string; pt: string; state: string }>
    expect(txs.filter((t) => t.state !== "FAILED").map((t) => [t.md, t.pt])).toContainEqual(["61", "3"])
    await page.screenshot({ path: path.join(shots, "robot-payment-order.png") })
    await page.context().close()
  })

  it("SBPS: a declined card shows the gateway's message; a frictionless card makes the order", async () => {
    const page = await newPage()
    await toPayment(page, /SBPS/ as unknown as string)
    const card = async (pan: string) => {
      await page.fill("[data-jp-field=number]", pan)
      await page.fill("[data-jp-field=yyyymm]", "203012")
      await page.fill("[data-jp-field=cvc]", "123")
      await page.getByTestId("pay").click()
    }
    // 3-D Secure runs on SBPS's page (frictionless: it sends the shopper straight back), then the
    // completion is declined: the storefront shows SBPS's words and offers the card step again
    await card("4000000000000002")
    await page.getByTestId("error").waitFor({ timeout: 60_000 })
    expect(await page.getByTestId("error").textContent()).toMatch(/利用限度額超過/)
    expect(page.url()).toBe(`${ready.storefrontUrl}/`)
    await page.screenshot({ path: path.join(shots, "sbps-declined.png") })
    expect(await page.inputValue("[data-jp-field=number]")).toBe("")
    await card("4111111111111111")
    expect(await orderNumber(page)).toMatch(/^#\d+$/)
    await page.context().close()
  })

  it("PAYGENT: the card in the fields PaygentToken.js reads, frictionless, the order", async () => {
    const page = await newPage()
    await toPayment(page, "PAYGENT")
    await page.fill("[data-jp-field=number]", "5120790000000000")
    await page.fill("[data-jp-field=month]", "12")
    await page.fill("[data-jp-field=year]", "30")
    await page.fill("[data-jp-field=cvc]", "123")
    await page.fill("[data-jp-field=name]", "TARO YAMADA")
    await page.screenshot({ path: path.join(shots, "paygent-card.png") })
    await page.getByTestId("pay").click()
    expect(await orderNumber(page)).toMatch(/^#\d+$/)
    await page.context().close()
  })

  it("PaymentOptions: the gateway's own page takes the card, back to the storefront, the order", async () => {
    const page = await newPage()
    await toPayment(page, "PaymentOptions")
    await page.getByTestId("pay").click()
    await page.locator("#card_number").waitFor({ timeout: 60_000 })
    await page.fill("#card_number", "4000000000001000")
    await page.fill("#expiry_month", "12")
    await page.fill("#expiry_year", "2030")
    await page.fill("#cvc", "123")
    await page.fill("#card_name", "TARO YAMADA")
    await page.screenshot({ path: path.join(shots, "payment-options-page.png") })
    await page.click("#pay")
    expect(await orderNumber(page)).toMatch(/^#\d+$/)
    expect(page.url()).toBe(`${ready.storefrontUrl}/`) // the return's query is spent
    await page.screenshot({ path: path.join(shots, "payment-options-order.png") })
    await page.context().close()
  })

  it("a logged-in customer saves a card with one order and pays the next with it", async () => {
    const page = await newPage()
    await page.goto(ready.storefrontUrl)
    await page.fill("input[aria-label=password]", ready.customer.password)
    await page.getByRole("button", { name: "ログイン" }).click()
    await page.getByText("ログイン中").waitFor()
    await toPayment(page, "ROBOT PAYMENT")
    await page.getByText("このカードを保存する").click()
    await page.getByTestId("pay").click()
    await page.fill("#rp-cn", "4444333322221111")
    await page.fill("#rp-ed", "3012")
    await page.fill("#rp-fn", "TARO")
    await page.fill("#rp-ln", "YAMADA")
    await page.click("#rp-submit")
    expect(await orderNumber(page)).toMatch(/^#\d+$/)
    await page.getByRole("button", { name: "買い物を続ける" }).click()
    await toPayment(page, "ROBOT PAYMENT")
    const saved = page.getByRole("radio", { name: "************1111" })
    await saved.click()
    await page.screenshot({ path: path.join(shots, "saved-card.png") })
    await page.getByTestId("pay").click()
    expect(await orderNumber(page)).toMatch(/^#\d+$/)
    await page.context().close()
  })
})
