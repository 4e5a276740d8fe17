// What README.md and README.ja.md tell a new user, checked against the package they get: links lead to
// files the package ships, the simulator commands run side by side as written, the values the READMEs
// give are those the simulators print, and the store set-up comes before the contributor's.
import { execFileSync, spawn, type ChildProcess } from "node:child_process"
import fs from "node:fs"
import os from "node:os"
import path from "node:path"

jest.setTimeout(120_000)

const root = path.resolve(__dirname, "../..")
const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"))
const READMES = ["README.md", "README.ja.md"].map((f) => ({ file: f, text: fs.readFileSync(path.join(root, f), "utf8") }))

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to dashes. */
function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-")
}

/** The files `npm pack` would put in the package (the build output is not needed for the docs). */
function packedFiles(): string[] {
  const out = execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: root, env: { ...process.env, NODE_OPTIONS: "" } }).toString()
  return (JSON.parse(out)[0].files as Array<{ path: string }>).map((f) => f.path)
}

/** `npx medusa-payment-jp simulate …` lines of the READMEs' code blocks. */
function simulatorCommands(text: string): string[][] {
  return [...text.matchAll(/^npx medusa-payment-jp (simulate .+)$/gm)].map((m) => m[1].trim().split(/\s+/))
}

function flag(args: string[], name: string): string | undefined {
  const i = args.indexOf(name)
  return i >= 0 ? args[i + 1] : undefined
}

describe("the READMEs", () => {
  it.each(READMES)("$file: using the plugin in a store comes before developing it", ({ text }) => {
    const headings = [...text.matchAll(/^## (.+)$/gm)].map((m) => m[1])
    const use = headings.findIndex((h) => /Use it in a Medusa store|Medusa のストアで使う/.test(h))
    const dev = headings.findIndex((h) => /development of this package|このパッケージの開発/.test(h))
    expect(use).toBeGreaterThanOrEqual(0)
    expect(dev).toBeGreaterThan(use)
  })

  it("link only to files the package ships, and to headings that exist", () => {
    const files = new Set(packedFiles())
    expect(files.has("LICENSE")).toBe(true)
    const broken: string[] = []
    for (const { file, text } of READMES) {
      const anchors = new Set([...text.matchAll(/^#+ (.+)$/gm)].map((m) => slug(m[1])))
      for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        const target = m[1]
        if (/^[a-z]+:/.test(target)) continue
        const [p, anchor] = target.split("#")
        if (p === "" && anchor && !anchors.has(anchor)) broken.push(`${file}: #${anchor}`)
        if (p !== "" && !files.has(path.posix.normalize(p))) broken.push(`${file}: ${p}`)
      }
      if (/\.\.\/shared|\/work\//.test(text)) broken.push(`${file}: names a path outside the repository`)
    }
    expect(broken).toEqual([])
  })

  it("register providers from entry points the exports map serves", () => {
    for (const { text } of READMES) {
      const entries = [...text.matchAll(/medusa-payment-jp\/providers\/([a-z-]+)/g)].map((m) => m[1])
      expect(entries.length).toBeGreaterThan(0)
      for (const gw of new Set(entries)) expect(fs.existsSync(path.join(root, "src/providers", gw, "index.ts"))).toBe(true)
    }
    expect(pkg.exports["./providers/*"]).toBe("./.medusa/server/src/providers/*/index.js")
  })

  it("give each simulator its own ports, the same in both languages", () => {
    const en = simulatorCommands(READMES[0].text)
    const ja = simulatorCommands(READMES[1].text)
    expect(ja).toEqual(en)
    expect(en.map((a) => a[1]).sort()).toEqual(["billing-robo", "paygent", "payment-options", "robot-payment", "sbps"])
    const ports = en.flatMap((a) => [flag(a, "--port"), flag(a, "--browser-port")]).filter(Boolean)
    expect(ports.length).toBe(6)
    expect(new Set(ports).size).toBe(ports.length)
  })

  describe("simulator commands, run as written (on free ports: the machine is shared)", () => {
    const children: ChildProcess[] = []
    const certDir = fs.mkdtempSync(path.join(os.tmpdir(), "readme-paygent-"))
    afterAll(() => {
      for (const c of children) c.kill("SIGTERM")
      fs.rmSync(certDir, { recursive: true, force: true })
    })

    it.each(simulatorCommands(READMES[0].text).map((a) => [a[1], a] as const))("%s starts and prints what the README says", async (gw, args) => {
      const argv = args.map((a, i) => (args[i - 1] === "--port" || args[i - 1] === "--browser-port" ? "0" : a))
      if (gw === "paygent") argv.push("--cert-dir", certDir)
      const child = spawn(process.execPath, [path.join(root, "bin/medusa-payment-jp.js"), ...argv], { cwd: root, env: { ...process.env, NODE_OPTIONS: "" } })
      children.push(child)
      const banner = await new Promise<string>((resolve, reject) => {
        let out = ""
        const timer = setTimeout(() => reject(new Error(`no start-up banner: ${out}`)), 90_000)
        child.stdout!.on("data", (d) => {
          out += d
          // the banner ends with the credentials block's last line (the 3-D Secure challenge)
          if (/listening on/.test(out) && /3-D Secure challenge: .*\n/.test(out)) {
            clearTimeout(timer)
            setTimeout(() => resolve(out), 200)
          }
        })
        child.stderr!.on("data", (d) => (out += d))
        child.on("exit", (code) => reject(new Error(`exited with ${code}: ${out}`)))
      })
      expect(banner).toMatch(/simulator listening on https?:\/\/127\.0\.0\.1:\d+/)
      if (gw === "sbps") {
        // the hash key the READMEs give is the one the simulator checks
        const key = /^\s*hashKey\s+([0-9a-f]{40})$/m.exec(banner)?.[1]
        expect(key).toBeDefined()
        for (const { text } of READMES) expect(text).toContain(key!)
      }
      if (gw === "paygent") {
        expect(banner).toMatch(/caCertificate: \S+ca\.pem/)
        for (const { text } of READMES) expect(text).toMatch(/openssl/)
      }
    })
  })
})
