// medusa-payment-jp-storefront (packages/storefront) as a storefront gets it: `npm pack` (prepack builds
// it from src/storefront), `npm install <tarball>` into an empty folder, and a look at what came — the
// package alone, no @medusajs/*, no pg — then `require` and `import` of its entries. React is an
// optional peer: installed next, it brings only itself, and the React kit loads.
import { execFile } from "node:child_process"
import fs from "node:fs"
import os from "node:os"
import path from "node:path"
import { promisify } from "node:util"
import { removeTree } from "../helpers/remove-tree"

jest.setTimeout(300_000)

const run = promisify(execFile)
const root = path.resolve(__dirname, "../..")
const dir = path.join(root, "packages/storefront")
const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"))
const env = { ...process.env, NODE_OPTIONS: "", npm_config_update_notifier: "false" }
const npmInstall = ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"]

const work = fs.mkdtempSync(path.join(os.tmpdir(), "medusa-payment-jp-storefront-"))
const shop = path.join(work, "shop")
let packed: string[] = []
let tarball = ""

/** The packages npm put in the folder (its hidden lockfile lists every one, nested or not). */
function installed(): string[] {
  const lock = JSON.parse(fs.readFileSync(path.join(shop, "node_modules/.package-lock.json"), "utf8"))
  return Object.keys(lock.packages)
    .filter((k) => k.startsWith("node_modules/"))
    .map((k) => k.slice(k.lastIndexOf("node_modules/") + "node_modules/".length))
    .sort()
}

async function node(args: string[]): Promise<any> {
  const { stdout } = await run(process.execPath, args, { cwd: shop, env })
  return JSON.parse(stdout.trim().split("\n").pop()!)
}

beforeAll(async () => {
  const { stdout } = await run("npm", ["pack", "--json", "--pack-destination", work], { cwd: dir, env, maxBuffer: 16 << 20 })
  const info = JSON.parse(stdout.slice(stdout.indexOf("[")))[0]
  packed = (info.files as Array<{ path: string }>).map((f) => f.path).sort()
  tarball = path.join(work, info.filename)
  fs.mkdirSync(shop) // empty: npm writes its package.json
  await run("npm", [...npmInstall, tarball], { cwd: shop, env, maxBuffer: 16 << 20 })
})

afterAll(() => {
  removeTree(work)
})

describe("medusa-payment-jp-storefront, installed into an empty folder", () => {
  it("declares no dependency but an optional React, and nothing of Medusa", () => {
    expect(pkg.dependencies ?? {}).toEqual({})
    expect(Object.keys(pkg.peerDependencies)).toEqual(["react"])
    expect(pkg.peerDependenciesMeta.react.optional).toBe(true)
    expect(JSON.stringify(pkg)).not.toMatch(/@medusajs\//)
    // released together with the plugin it talks to
    expect(pkg.version).toBe(JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")).version)
  })

  it("packs the built JavaScript and its type declarations, and nothing else", () => {
    const other = packed.filter((f) => !/^(package\.json|LICENSE|dist\/.+\.(js|d\.ts))$/.test(f))
    expect(other).toEqual([])
    for (const f of ["LICENSE", "dist/index.js", "dist/index.d.ts", "dist/react/index.js", "dist/react/index.d.ts"]) expect(packed).toContain(f)
    expect(packed.filter((f) => /__tests__|\.spec\./.test(f))).toEqual([])
    // the same modules as the plugin's src/storefront, one for one
    const sources = (d: string, pre = ""): string[] =>
      fs.readdirSync(d, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? (e.name === "__tests__" ? [] : sources(path.join(d, e.name), `${pre}${e.name}/`)) : [`dist/${pre}${e.name.replace(/\.tsx?$/, ".js")}`]
      )
    expect(packed.filter((f) => f.endsWith(".js"))).toEqual(sources(path.join(root, "src/storefront")).sort())
  })

  it("brings the package alone: no @medusajs/*, no pg, no React", () => {
    const names = installed()
    expect(names).toEqual(["medusa-payment-jp-storefront"])
    expect(fs.readdirSync(path.join(shop, "node_modules")).filter((n) => !n.startsWith("."))).toEqual(["medusa-payment-jp-storefront"])
    const lock = JSON.parse(fs.readFileSync(path.join(shop, "package-lock.json"), "utf8"))
    expect(JSON.stringify(lock)).not.toMatch(/@medusajs\/|"node_modules\/pg"/)
  })

  it("exposes the browser helper's API to require and to import, the same as medusa-payment-jp/storefront", async () => {
    const expected = Object.keys(require("../../src/storefront")).sort()
    expect(expected).toEqual(expect.arrayContaining(["tokenize", "followRedirect", "returnedFrom", "browserConfigOf", "JpPaymentError", "registerCard"]))
    const cjs = await node(["-e", `const s = require("medusa-payment-jp-storefront"); console.log(JSON.stringify({ keys: Object.keys(s).sort(), tokenize: typeof s.tokenize, file: require.resolve("medusa-payment-jp-storefront") }))`])
    expect(cjs.keys).toEqual(expected)
    expect(cjs.tokenize).toBe("function")
    expect(cjs.file).toBe(path.join(fs.realpathSync(shop), "node_modules/medusa-payment-jp-storefront/dist/index.js"))
    // named imports from an ES module (what a bundler or Node's ESM loader sees)
    const esm = await node([
      "--input-type=module",
      "-e",
      `import { tokenize, followRedirect, JpPaymentError } from "medusa-payment-jp-storefront"; import * as all from "medusa-payment-jp-storefront"; console.log(JSON.stringify({ types: [typeof tokenize, typeof followRedirect, typeof JpPaymentError], keys: Object.keys(all).filter((k) => k !== "default" && k !== "__esModule").sort() }))`,
    ])
    expect(esm).toEqual({ types: ["function", "function", "function"], keys: expected })
    // it is the browser's code: a call without a page fails with its own error, not a missing module
    const bad = await node(["-e", `const { browserConfigOf } = require("medusa-payment-jp-storefront"); try { browserConfigOf({ data: {} }) } catch (e) { console.log(JSON.stringify({ name: e.name, code: e.code })) }`])
    expect(bad).toMatchObject({ code: expect.any(String) })
  })

  it("with React installed next to it, loads the React kit and brings nothing more than React", async () => {
    await run("npm", [...npmInstall, "react@^18.3.1"], { cwd: shop, env, maxBuffer: 16 << 20 })
    expect(installed()).toEqual(["js-tokens", "loose-envify", "medusa-payment-jp-storefront", "react"])
    const kit = await node(["-e", `const k = require("medusa-payment-jp-storefront/react"); console.log(JSON.stringify(Object.keys(k).sort()))`])
    expect(kit).toEqual(Object.keys(require("../../src/storefront/react")).sort())
    expect(kit).toEqual(expect.arrayContaining(["useJpCheckout", "useJpCardStep", "storeClient", "payJp"]))
  })

  it("ships type declarations a TypeScript storefront resolves through the exports map", async () => {
    fs.writeFileSync(
      path.join(shop, "check.ts"),
      `import { tokenize, type TokenizeInput } from "medusa-payment-jp-storefront"\nimport type { JpSession } from "medusa-payment-jp-storefront/react"\nexport const f: typeof tokenize = tokenize\nexport type T = [TokenizeInput, JpSession]\n`
    )
    const tsc = require.resolve("typescript/bin/tsc", { paths: [root] })
    // "node" (node10) does not read exports: Medusa's Next.js starter uses it, typesVersions serves it
    for (const resolution of [["--module", "esnext", "--moduleResolution", "bundler"], ["--module", "node16", "--moduleResolution", "node16"], ["--module", "commonjs", "--moduleResolution", "node"]]) {
      const r = await run(process.execPath, [tsc, "--noEmit", "--strict", "--skipLibCheck", "--lib", "es2021,dom", ...resolution, "check.ts"], { cwd: shop, env }).then(
        () => "",
        (e: { stdout: string }) => e.stdout
      )
      expect({ resolution: resolution[3], errors: r }).toEqual({ resolution: resolution[3], errors: "" })
    }
  })
})
