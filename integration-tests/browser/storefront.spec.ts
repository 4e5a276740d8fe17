// medusa-payment-jp/storefront in a real browser: the helper is bundled with esbuild, served from its
// own origin, and drives the ROBOT PAYMENT simulator's CPToken.js and EMV3DSAdapter.js in Chromium.
// Every token the browser gets is then used server-side against the simulator, to prove it is real.
import { createServer, type Server } from "node:http"
import type { AddressInfo } from "node:net"
import type { Browser, Page } from "playwright-core"
import { bundleStorefront, launchChromium } from "../helpers/browser"
import { startRobotPaymentSimulator, type RobotPaymentSimulator } from "../../src/simulator/robot-payment"

jest.setTimeout(120_000)

const AID = "123456"
const EMAIL = "buyer@example.jp"
const FRICTIONLESS = "4444333322221111"
const CHALLENGE = "4111111111111111"
const ED = "3012"

let sim: RobotPaymentSimulator
let shop: Server
let shopUrl: string
let browser: Browser

interface Outcome {
  ok: boolean
  token?: string
  sessionData?: Record<string, unknown>
  code?: string
  message?: string
  name?: string
}

interface SeenRequest {
  url: string
  method: string
  body: string | null
}

const PAGE = `<!DOCTYPE html>
<html lang="ja"><head><meta charset="utf-8"><title>Storefront checkout (test)</title>
<style>body{font-family:sans-serif;margin:24px}label{display:block;margin:6px 0}</style>
<script src="/storefront.js"></script></head>
<body>
<h1>Checkout</h1>
<p>Total: ¥3,000</p>
<fieldset id="card-fields"><legend>Card</legend>
  <label>Number <input id="cn" autocomplete="cc-number"></label>
  <label>Expiry (YYMM) <input id="ed"></label>
  <label>First name <input id="fn"></label>
  <label>Last name <input id="ln"></label>
  <label>CVV <input id="cvv"></label>
</fieldset>
<div id="payment-area"></div>
</body></html>`

function browserConfig(uid: string | null = null) {
  return {
    gateway: "robot-payment",
    aid: AID,
    scripts: [`${sim.url}/gateway/js/jquery.js`, `${sim.url}/gateway/js/CPToken.js`, `${sim.url}/gateway/js/EMV3DSAdapter.js`],
    // what the server hands out: the amounts and the em the payment (payWithToken) sends
    three_ds: { am: 3000, tx: 0, sf: 0, em: EMAIL },
    uid,
  }
}

/** A payment session as the Store API returns it. */
function sessionFor(uid: string | null = null) {
  return { id: "payses_01TEST", status: "pending", data: { jp: { v: 1, gateway: "robot-payment", amount: 3000, browser: browserConfig(uid) } } }
}

async function openShop(): Promise<{ page: Page; requests: SeenRequest[]; close: () => Promise<void> }> {
  const context = await browser.newContext({ viewport: { width: 900, height: 700 }, locale: "ja-JP" })
  const page = await context.newPage()
  const requests: SeenRequest[] = []
  page.on("request", (r) => requests.push({ url: r.url(), method: r.method(), body: r.postData() }))
  page.on("pageerror", (e) => requests.push({ url: "pageerror", method: "", body: String(e) }))
  await page.goto(`${shopUrl}/`)
  await page.waitForFunction(() => typeof (window as unknown as { MedusaPaymentJp?: unknown }).MedusaPaymentJp === "object")
  return { page, requests, close: () => context.close() }
}

/** Starts tokenize() in the page without waiting for it (the test acts on the gateway's UI meanwhile). */
async function startTokenize(page: Page, session: unknown, input: { mode: "popup" } | { mode: "custom-inputs" }, options: Record<string, unknown> = {}) {
  await page.evaluate(
    ({ session, input, options }) => {
      const w = window as unknown as Record<string, any>
      const inp =
        input.mode === "popup"
          ? { mode: "popup", container: document.getElementById("payment-area") }
          : {
              mode: "custom",
              card: {
                cn: document.getElementById("cn"),
                ed: document.getElementById("ed"),
                fn: document.getElementById("fn"),
                ln: document.getElementById("ln"),
                cvv: document.getElementById("cvv"),
              },
            }
      w.__result = w.MedusaPaymentJp.tokenize(session, inp, options).then(
        (r: { token: string; sessionData: unknown }) => ({ ok: true, token: r.token, sessionData: r.sessionData }),
        (e: { code?: string; message?: string; name?: string }) => ({ ok: false, code: e.code, message: e.message, name: e.name })
      )
    },
    { session, input, options }
  )
}

const result = (page: Page): Promise<Outcome> => page.evaluate(() => (window as unknown as { __result: Promise<Outcome> }).__result)

async function typeCard(page: Page, card: { cn: string; ed: string; fn: string; ln: string; cvv: string }) {
  await page.fill("#cn", card.cn)
  await page.fill("#ed", card.ed)
  await page.fill("#fn", card.fn)
  await page.fill("#ln", card.ln)
  await page.fill("#cvv", card.cvv)
}

async function gateway(pathname: string, fields: Record<string, string>): Promise<string[]> {
  const res = await fetch(`${sim.url}${pathname}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded; charset=UTF-8" },
    body: new URLSearchParams(fields).toString(),
  })
  expect(res.status).toBe(200)
  return (await res.text()).trim().split(",")
}

/** The shop's server paying with the token, as the provider does (token payment, rt=1). */
function payWithToken(tkn: string, cod: string): Promise<string[]> {
  return gateway("/gateway/gateway_token.aspx", { aid: AID, jb: "AUTH", rt: "1", cod, tkn, em: EMAIL, am: "3000", tx: "0", sf: "0" })
}

/** The card number travelled to the gateway's token endpoint and nowhere else. */
function expectCardOnlyToGateway(requests: SeenRequest[], pan: string) {
  const carrying = requests.filter((r) => (r.body ?? "").includes(pan) || r.url.includes(pan))
  expect(carrying.length).toBeGreaterThan(0)
  for (const r of carrying) expect(r.url).toBe(`${sim.url}/gateway/token/create`)
  const toShop = requests.filter((r) => r.url.startsWith(shopUrl))
  expect(toShop.map((r) => `${r.method} ${new URL(r.url).pathname}`).filter((p) => p !== "GET /favicon.ico")).toEqual(["GET /", "GET /storefront.js"])
  expect(requests.filter((r) => r.url === "pageerror")).toEqual([])
}

beforeAll(async () => {
  sim = await startRobotPaymentSimulator({ stores: [{ aid: AID }] })
  const js = bundleStorefront()
  shop = createServer((req, res) => {
    if (req.url === "/storefront.js") {
      res.writeHead(200, { "content-type": "application/javascript; charset=utf-8" })
      res.end(js)
    } else if (req.url === "/") {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" })
      res.end(PAGE)
    } else {
      res.writeHead(404)
      res.end()
    }
  })
  await new Promise<void>((resolve) => shop.listen(0, "127.0.0.1", resolve))
  shopUrl = `http://127.0.0.1:${(shop.address() as AddressInfo).port}`
  expect(new URL(shopUrl).origin).not.toBe(new URL(sim.url).origin)
  browser = await launchChromium()
})

afterAll(async () => {
  await browser?.close()
  await new Promise<void>((resolve) => (shop ? shop.close(() => resolve()) : resolve()))
  await sim?.close()
})

describe("storefront helper in Chromium against the ROBOT PAYMENT simulator", () => {
  it("(a) popup mode: the shopper types a frictionless card into the gateway's form → a real, payable token", async () => {
    const { page, requests, close } = await openShop()
    try {
      await startTokenize(page, sessionFor(), { mode: "popup" })
      const form = page.locator("#CARD_INPUT_FORM #rp-card-form")
      await form.waitFor({ state: "visible" })
      // the hosts were created inside the given container, and without the vendor's reserved class
      const hosts = await page.evaluate(() => ({
        card: document.getElementById("CARD_INPUT_FORM")?.parentElement?.id,
        threeDS: document.getElementById("EMV3DS_INPUT_FORM")?.parentElement?.id,
        form: document.getElementById("mainform")?.parentElement?.id,
        tknInForm: !!document.querySelector("form#mainform > input#tkn[type=hidden]"),
        ourClasses: [document.getElementById("CARD_INPUT_FORM"), document.getElementById("EMV3DS_INPUT_FORM"), document.getElementById("mainform")].map(
          (e) => e?.className ?? "missing"
        ),
      }))
      expect(hosts).toEqual({ card: "payment-area", threeDS: "payment-area", form: "payment-area", tknInForm: true, ourClasses: ["", "", ""] })

      await page.fill("#rp-cn", FRICTIONLESS)
      await page.fill("#rp-ed", ED)
      await page.fill("#rp-fn", "TARO")
      await page.fill("#rp-ln", "YAMADA")
      await page.fill("#rp-cvv", "123")
      await page.screenshot({ path: "/tmp/storefront-popup.png" })
      await page.click("#rp-submit")

      const out = await result(page)
      expect(out).toMatchObject({ ok: true, token: expect.stringMatching(/^[A-Za-z0-9]{20,}$/) })
      expect(out.sessionData).toEqual({ token: out.token })
      expect(await page.locator("#rp-card-form").count()).toBe(0) // the popup went away
      expectCardOnlyToGateway(requests, FRICTIONLESS)

      const answer = await payWithToken(out.token!, `sf-a-${Date.now()}`)
      expect(answer[1]).toBe("1")
      expect(Number(answer[0])).toBeGreaterThan(0) // gid
    } finally {
      await close()
    }
  })

  it("(b) custom mode with the challenge card: the shopper passes the 3-D Secure challenge → payable; a cancelled challenge → ER900", async () => {
    const { page, requests, close } = await openShop()
    try {
      // 1. the challenge is passed with the one-time code
      await typeCard(page, { cn: CHALLENGE, ed: ED, fn: "HANAKO", ln: "SATO", cvv: "123" })
      await startTokenize(page, sessionFor(), { mode: "custom-inputs" })
      const frame = page.frameLocator("#EMV3DS_INPUT_FORM iframe#rp-3ds-frame")
      await frame.locator("#rp-3ds-otp").waitFor({ state: "visible" })
      await frame.locator("#rp-3ds-otp").fill("123456")
      expect(await page.inputValue("#cn")).toBe("") // erased as soon as the gateway had it, before 3-D Secure
      await page.screenshot({ path: "/tmp/storefront-challenge.png" })
      await frame.locator("#rp-3ds-submit").click()
      const passed = await result(page)
      expect(passed).toMatchObject({ ok: true, token: expect.any(String) })
      expect(passed.sessionData).toEqual({ token: passed.token })
      // the card fields it was given are empty now
      expect(await page.evaluate(() => ["cn", "ed", "fn", "ln", "cvv"].map((id) => (document.getElementById(id) as HTMLInputElement).value))).toEqual([
        "",
        "",
        "",
        "",
        "",
      ])
      expect(await page.locator("#rp-3ds-overlay").count()).toBe(0)
      const paid = await payWithToken(passed.token!, `sf-b-${Date.now()}`)
      expect(paid[1]).toBe("1")

      // 2. the shopper cancels the challenge: the helper still gets a token ("Success" = the call
      //    went through), and the payment with it fails as 3-D Secure failed
      await typeCard(page, { cn: CHALLENGE, ed: ED, fn: "HANAKO", ln: "SATO", cvv: "123" })
      await startTokenize(page, sessionFor(), { mode: "custom-inputs" })
      await frame.locator("#rp-3ds-cancel").click()
      const cancelled = await result(page)
      expect(cancelled).toMatchObject({ ok: true, token: expect.any(String) })
      expect(cancelled.token).not.toBe(passed.token)
      const refused = await payWithToken(cancelled.token!, `sf-b2-${Date.now()}`)
      expect(refused[1]).toBe("2")
      expect(refused[3]).toBe("ER900")

      // the gateway scripts were added once each, though two tokenizations ran
      const counts = await page.evaluate(() =>
        ["jquery.js", "CPToken.js", "EMV3DSAdapter.js"].map((f) => document.querySelectorAll(`script[src$="/gateway/js/${f}"]`).length)
      )
      expect(counts).toEqual([1, 1, 1])
      expect(await page.evaluate(() => document.querySelectorAll("#mainform").length)).toBe(1)
      expectCardOnlyToGateway(requests, CHALLENGE)
    } finally {
      await close()
    }
  })

  it("(c) saveCard: 3-D Secure runs for the customer's uid, and the token registers the card for that user", async () => {
    const uid = `cus01STOREFRONT${Date.now()}`
    const { page, requests, close } = await openShop()
    try {
      await typeCard(page, { cn: "5555555555554444", ed: "2911", fn: "JIRO", ln: "SUZUKI", cvv: "" })
      await startTokenize(page, sessionFor(uid), { mode: "custom-inputs" }, { saveCard: true, email: EMAIL })
      const out = await result(page)
      expect(out).toMatchObject({ ok: true, token: expect.any(String) })
      expect(out.sessionData).toEqual({ token: out.token, save_card: true })
      expectCardOnlyToGateway(requests, "5555555555554444")
      const threeDS = requests.filter((r) => r.url === `${sim.url}/gateway/3ds/authenticate`)
      expect(threeDS).toHaveLength(1)
      expect(JSON.parse(threeDS[0].body!)).toEqual({ aid: AID, tkn: out.token, uid })

      const user = await gateway("/gateway/carduser.aspx", { aid: AID, cmd: "0", uid, em: EMAIL })
      expect(user[0]).toBe("1")
      const key = user[3]
      const card = await gateway("/gateway/carduser_token.aspx", { aid: AID, cmd: "4", uid, key, tkn: out.token! })
      expect(card[0]).toBe("1") // rst
      expect(card[4]).toBe("1") // num: the user's first card
      expect(sim.users().find((u) => u.uid === uid)?.cards).toHaveLength(1)
    } finally {
      await close()
    }
  })

  it("a gateway error rejects with its code and message; a guest cannot save a card; a dead script URL is a clear error", async () => {
    const { page, close } = await openShop()
    try {
      await typeCard(page, { cn: "4444333322221112", ed: ED, fn: "TARO", ln: "YAMADA", cvv: "" })
      await startTokenize(page, sessionFor(), { mode: "custom-inputs" })
      const luhn = await result(page)
      expect(luhn).toMatchObject({ ok: false, name: "JpPaymentError", code: "ER014" })
      expect(luhn.message).toMatch(/カードチェックデジットエラー/)
      expect(await page.inputValue("#cn")).toBe("")

      await typeCard(page, { cn: FRICTIONLESS, ed: ED, fn: "TARO", ln: "YAMADA", cvv: "" })
      await startTokenize(page, sessionFor(null), { mode: "custom-inputs" }, { saveCard: true })
      const guest = await result(page)
      expect(guest).toMatchObject({ ok: false, code: "INVALID_INPUT" })
      expect(guest.message).toMatch(/log in to save a card/)

      const dead = await page.evaluate((url) => {
        const w = window as unknown as Record<string, any>
        return w.MedusaPaymentJp.loadScripts([url]).then(
          () => ({ ok: true }),
          (e: { code: string; message: string }) => ({ ok: false, code: e.code, message: e.message })
        )
      }, `${sim.url}/gateway/js/missing.js`)
      expect(dead).toEqual({ ok: false, code: "SCRIPT_LOAD_FAILED", message: `could not load the gateway script ${sim.url}/gateway/js/missing.js` })
      expect(await page.evaluate(() => document.querySelectorAll('script[src$="missing.js"]').length)).toBe(0)

      const unknown = await page.evaluate(() => {
        const w = window as unknown as Record<string, any>
        return w.MedusaPaymentJp.tokenize({ data: { jp: { browser: { gateway: "nosuch-gateway" } } } }, { mode: "popup" }).catch(
          (e: { code: string; message: string }) => ({ code: e.code, message: e.message })
        )
      })
      expect(unknown.code).toBe("UNSUPPORTED_GATEWAY")
    } finally {
      await close()
    }
  })

  it("popup mode: closing the gateway's form rejects with CANCELLED instead of hanging; a new call supersedes a waiting one", async () => {
    const { page, close } = await openShop()
    try {
      await startTokenize(page, sessionFor(), { mode: "popup" }, { popupCloseGraceMs: 200 })
      await page.locator("#rp-card-form").waitFor({ state: "visible" })
      await page.click("#rp-cancel")
      expect(await result(page)).toMatchObject({ ok: false, code: "CANCELLED" })

      // a challenge the shopper walked away from does not block the next attempt
      await typeCard(page, { cn: CHALLENGE, ed: ED, fn: "TARO", ln: "YAMADA", cvv: "" })
      await startTokenize(page, sessionFor(), { mode: "custom-inputs" })
      await page.locator("#EMV3DS_INPUT_FORM iframe#rp-3ds-frame").waitFor({ state: "attached" })
      await page.evaluate(() => {
        const w = window as unknown as Record<string, any>
        w.__first = w.__result
      })
      await typeCard(page, { cn: FRICTIONLESS, ed: ED, fn: "TARO", ln: "YAMADA", cvv: "" })
      await startTokenize(page, sessionFor(), { mode: "custom-inputs" })
      const first = await page.evaluate(() => (window as unknown as { __first: Promise<Outcome> }).__first)
      expect(first).toMatchObject({ ok: false, code: "CANCELLED" })
      const second = await result(page)
      expect(second).toMatchObject({ ok: true, token: expect.any(String) })
      expect(await page.locator("#rp-3ds-frame").count()).toBe(0) // the abandoned challenge was closed
      expect((await payWithToken(second.token!, `sf-e-${Date.now()}`))[1]).toBe("1")
    } finally {
      await close()
    }
  })
})
