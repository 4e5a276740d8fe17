// The package as a Medusa app installs it: `medusa plugin:build` passes (it type-checks), the exports
// map resolves the provider, storefront and simulator entry points from the build, and the
// `medusa-payment-jp` command starts a simulator.
import { execFileSync, spawn } from "node:child_process"
import path from "node:path"
import fs from "node:fs"

jest.setTimeout(180_000)

const root = path.resolve(__dirname, "../..")
const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"))

describe("the medusa-payment-jp package", () => {
  beforeAll(() => {
    execFileSync(path.join(root, "node_modules/.bin/medusa"), ["plugin:build"], {
      cwd: root,
      env: { ...process.env, MEDUSA_DISABLE_TELEMETRY: "true", NODE_OPTIONS: "" },
      stdio: "pipe",
    })
  })

  it("pins the Medusa peers to 2.21.2", () => {
    for (const [name, version] of Object.entries(pkg.peerDependencies as Record<string, string>)) {
      if (name.startsWith("@medusajs/") && name !== "@medusajs/ui") expect(version).toBe("2.21.2")
    }
    expect(pkg.exports["./providers/*"]).toBe("./.medusa/server/src/providers/*/index.js")
  })

  it("resolves its entry points from the build through the exports map", () => {
    const out = execFileSync(
      process.execPath,
      [
        "-e",
        `const p = require("medusa-payment-jp/providers/robot-payment").default
         const s = require("medusa-payment-jp/storefront")
         const sim = require("medusa-payment-jp/simulator/robot-payment")
         const admin = require.resolve("medusa-payment-jp/admin")
         console.log(JSON.stringify({ id: p.services[0].identifier, tokenize: typeof s.tokenize, sim: typeof sim.startRobotPaymentSimulator, admin }))`,
      ],
      { cwd: root, env: { ...process.env, NODE_OPTIONS: "" } }
    ).toString()
    const r = JSON.parse(out.trim().split("\n").pop()!)
    expect(r).toMatchObject({ id: "robot-payment", tokenize: "function", sim: "function" })
    expect(r.admin).toContain(path.join(".medusa", "server", "src", "admin"))
  })

  it("starts a simulator with `medusa-payment-jp simulate robot-payment`", async () => {
    const child = spawn(process.execPath, [path.join(root, "bin/medusa-payment-jp.js"), "simulate", "robot-payment", "--port", "0"], {
      cwd: root,
      env: { ...process.env, NODE_OPTIONS: "" },
    })
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
})
