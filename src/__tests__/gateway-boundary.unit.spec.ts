// Nothing outside a gateway's folders knows its quirks: the routes, core, workflows, jobs, the admin
// and the storefront reach a gateway only through the registry (src/gateways/index.ts) and its
// definition. Only the thin providers (src/providers/<gw>/) name their gateway's folder.
import { readdirSync, readFileSync, statSync } from "node:fs"
import { join, relative } from "node:path"

const SRC = join(__dirname, "..")
const GATEWAYS = readdirSync(join(SRC, "gateways")).filter((d) => statSync(join(SRC, "gateways", d)).isDirectory() && d !== "__tests__")

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f)
    if (statSync(p).isDirectory()) return f === "__tests__" ? [] : files(p)
    return /\.tsx?$/.test(f) ? [p] : []
  })
}

describe("gateway boundary", () => {
  it("no source outside src/gateways and src/providers imports a gateway's folder", () => {
    expect(GATEWAYS).toContain("billing-robo")
    const folder = new RegExp(`from ["'][^"']*gateways/(${GATEWAYS.join("|")})(/[^"']*)?["']`)
    const offenders = ["api", "core", "workflows", "jobs", "admin", "storefront"]
      .flatMap((d) => files(join(SRC, d)))
      .filter((f) => readFileSync(f, "utf8").split("\n").some((line) => folder.test(line)))
      .map((f) => relative(SRC, f))
    expect(offenders).toEqual([])
  })
})
