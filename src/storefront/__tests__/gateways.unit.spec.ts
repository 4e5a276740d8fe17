// The storefront's gateways, held to one contract: the same test names for every gateway of the
// registry (the idea of Active Merchant's remote tests), with the config its server sends, configs
// it must refuse, and what its browser step answers. No DOM here: a tokenizer that got as far as
// loading a script would throw a ReferenceError (no `document`), not the JpPaymentError expected.
import fs from "node:fs"
import path from "node:path"
import {
  GATEWAYS,
  JpPaymentError,
  browserConfigOf,
  gatewayNamed,
  hostedPageSessionData,
  registerGateway,
  tokenize,
  type AnyStorefrontGateway,
  type StorefrontGateway,
} from "../index"

interface Case {
  /** What the gateway's server side puts in data.jp.browser. */
  browser: Record<string, unknown>
  /** Configs its reader must refuse. */
  malformed: Array<[string, Record<string, unknown>]>
  /** What its browser step answers, as `sessionData` takes it (nothing for a hosted page). */
  answer: unknown
}

const CASES: Record<string, Case> = {
  "robot-payment": {
    browser: {
      gateway: "robot-payment",
      aid: "123456",
      scripts: ["https://sim.example/gateway/js/jquery.js", "https://sim.example/gateway/js/CPToken.js", "https://sim.example/gateway/js/EMV3DSAdapter.js"],
      three_ds: { am: 3000, tx: 0, sf: 0 },
      uid: null,
    },
    malformed: [
      ["aid", { aid: 123456 }],
      ["scripts", { scripts: [] }],
      ["three_ds.am", { three_ds: { am: -1, tx: 0, sf: 0 } }],
    ],
    answer: "tkn0123456789abcdef",
  },
  sbps: {
    browser: {
      gateway: "sbps",
      merchant_id: "30132",
      service_id: "002",
      scripts: ["https://sim.example/sbpstoken/com_sbps_system_token.js", "https://sim.example/sbpstoken/com_sbps_system_tds2infotoken.js"],
      three_ds: true,
      amount: 3000,
    },
    malformed: [
      ["merchant_id", { merchant_id: "1" }],
      ["scripts", { scripts: ["https://sim.example/sbpstoken/com_sbps_system_token.js"] }],
      ["amount", { amount: "3000" }],
    ],
    answer: { card: { token: "A1B2C3D4E5", tokenKey: "F6A7B8C9D0" }, tds2info: { tds2infoToken: "0A1B2C3D4E", tds2infoTokenKey: "5F6A7B8C9D" } },
  },
  paygent: {
    browser: {
      gateway: "paygent",
      merchant_id: "100000001",
      token_generation_key: "test_gen",
      scripts: ["https://sim.example/js/PaygentToken.js"],
      amount: 3000,
      three_d_secure: true,
    },
    malformed: [
      ["merchant_id", { merchant_id: "x" }],
      ["token_generation_key", { token_generation_key: "" }],
      ["amount", { amount: 1.5 }],
    ],
    answer: {
      result: "0000",
      tokenizedCardObject: { token: "tok_abcdefgh", masked_card_number: "************0002", valid_until: "20301231235959", fingerprint: "fp" },
      hc: "f".repeat(64),
    },
  },
  "payment-options": {
    browser: { gateway: "payment-options", card_entry: "hosted_page", three_ds: "redirect" },
    malformed: [
      ["card_entry", { card_entry: "fields" }],
      ["three_ds", { three_ds: undefined }],
    ],
    answer: undefined,
  },
}

const session = (browser: unknown) => ({ data: { jp: { v: 1, order_code: "x", amount: 3000, browser } } })

async function rejection(p: Promise<unknown>): Promise<JpPaymentError> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x
  )
  expect(e).toBeInstanceOf(JpPaymentError)
  return e as JpPaymentError
}

function thrown(f: () => unknown): JpPaymentError {
  let e: unknown
  try {
    f()
  } catch (x) {
    e = x
  }
  expect(e).toBeInstanceOf(JpPaymentError)
  return e as JpPaymentError
}

const isGateway = (v: unknown): v is AnyStorefrontGateway =>
  v !== null && typeof v === "object" && typeof (v as AnyStorefrontGateway).name === "string" && typeof (v as AnyStorefrontGateway).sessionData === "function"

describe("the storefront's registry", () => {
  const dir = path.resolve(__dirname, "..")
  const modules = fs.readdirSync(dir).filter((f) => f.endsWith(".ts"))

  it("lists every gateway module's object, once, and this contract has a case for each", () => {
    const found = modules.flatMap((f) => Object.values(require(path.join(dir, f)) as Record<string, unknown>).filter(isGateway))
    expect(found.length).toBeGreaterThanOrEqual(GATEWAYS.length)
    for (const g of found) expect(GATEWAYS).toContain(g)
    const names = GATEWAYS.map((g) => g.name)
    expect(new Set(names).size).toBe(names.length)
    expect(names.sort()).toEqual(Object.keys(CASES).sort())
  })

  it("imports nothing outside src/storefront: no Node module, no package, nothing of the server's", () => {
    for (const f of modules) {
      const source = fs.readFileSync(path.join(dir, f), "utf8")
      const specifiers = [...source.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^import\s+)["']([^"']+)["']/gm)].map((m) => m[1])
      for (const s of specifiers) expect(`${f}: ${s}`).toMatch(/: \.\/[\w-]+$/)
    }
  })

  it("refuses a gateway it does not know: browserConfigOf passes its config through, tokenize says UNSUPPORTED_GATEWAY", async () => {
    const other = session({ gateway: "another-gateway", scripts: ["https://x/y.js"] })
    expect(gatewayNamed("another-gateway")).toBeUndefined()
    expect(browserConfigOf(other)).toEqual({ gateway: "another-gateway", scripts: ["https://x/y.js"] })
    const e = await rejection(tokenize(other, { mode: "popup" }))
    expect(e).toMatchObject({ code: "UNSUPPORTED_GATEWAY", gateway: "another-gateway", stage: "config" })
    expect(thrown(() => hostedPageSessionData(other)).code).toBe("UNSUPPORTED_GATEWAY")
  })

  it("takes a gateway the merchant registers, by its name alone; refuses a name taken or an object that is not a gateway", async () => {
    const acme: StorefrontGateway<{ gateway: "acme-pay"; key: string }, { pan: string }, { token: string; acme_sig: string }> = {
      name: "acme-pay",
      tokenFields: ["token", "acme_sig"],
      config: (b) => {
        if (typeof b.key !== "string") throw new JpPaymentError("NO_BROWSER_CONFIG", "key", { gateway: "acme-pay" })
        return { gateway: "acme-pay", key: b.key }
      },
      sessionData: (answer) => answer as { token: string; acme_sig: string },
      tokenize: async (config, input) => acme.sessionData({ token: `t-${input.pan.slice(-4)}`, acme_sig: config.key }, {}),
    }
    registerGateway(acme)
    expect(gatewayNamed("acme-pay")).toBe(acme)
    const s = session({ gateway: "acme-pay", key: "k1" })
    expect(browserConfigOf(s)).toEqual({ gateway: "acme-pay", key: "k1" })
    expect(await tokenize(s, { pan: "4242" } as never)).toEqual({ token: "t-4242", sessionData: { token: "t-4242", acme_sig: "k1" } })
    expect(thrown(() => registerGateway(acme)).message).toMatch(/registered already/)
    expect(thrown(() => registerGateway({ ...CASES.sbps.browser, name: "x" } as never)).code).toBe("INVALID_INPUT")
  })
})

describe.each(GATEWAYS.map((g) => [g.name, g as AnyStorefrontGateway] as const))("the %s gateway's browser side", (name, gateway) => {
  const c = CASES[name]

  it("is found by its name", () => {
    expect(gatewayNamed(name)).toBe(gateway)
  })

  it("reads the config its server sends, as a copy", () => {
    const browser = structuredClone(c.browser)
    const config = browserConfigOf(session(browser))
    expect(config).toEqual(c.browser)
    expect(config).not.toBe(browser)
  })

  it("refuses a malformed config with NO_BROWSER_CONFIG naming the gateway, in browserConfigOf and in tokenize", async () => {
    for (const [field, change] of c.malformed) {
      const s = session({ ...c.browser, ...change })
      const e = thrown(() => browserConfigOf(s))
      expect(e).toMatchObject({ code: "NO_BROWSER_CONFIG", gateway: name, stage: "config" })
      expect(e.message).toContain(field)
      expect(await rejection(tokenize(s, {} as never))).toMatchObject({ code: "NO_BROWSER_CONFIG", gateway: name })
    }
  })

  it("makes session data of exactly its token fields, and save_card only when asked", () => {
    const data = gateway.sessionData(c.answer, {}) as Record<string, unknown>
    // A hosted page's session also asks the server to make the page's link at once (hosted_page).
    expect(Object.keys(data).sort()).toEqual([...gateway.tokenFields, ...(gateway.tokenize ? [] : ["hosted_page"])].sort())
    for (const f of gateway.tokenFields) expect(data[f]).toEqual(expect.stringMatching(/.+/))
    expect(gateway.sessionData(c.answer, { saveCard: true })).toEqual({ ...data, save_card: true })
  })

  it("refuses an input it does not take before loading any script; a gateway without a tokenizer sends the shopper to its page", async () => {
    for (const input of [null, {}]) {
      const e = await rejection(tokenize(session(c.browser), input as never))
      expect(e).toMatchObject({ code: gateway.tokenize ? "INVALID_INPUT" : "UNSUPPORTED_GATEWAY", gateway: name })
    }
  })

  it("answers hostedPageSessionData only if its own page takes the card", () => {
    const s = session(c.browser)
    if (gateway.tokenize) {
      expect(thrown(() => hostedPageSessionData(s)).code).toBe("UNSUPPORTED_GATEWAY")
    } else {
      expect(gateway.tokenFields).toEqual([])
      expect(hostedPageSessionData(s)).toEqual({ hosted_page: true })
      expect(hostedPageSessionData(s, { saveCard: true })).toEqual({ hosted_page: true, save_card: true })
    }
  })
})
