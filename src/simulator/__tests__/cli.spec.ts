// `medusa-payment-jp simulate <gateway>` for every simulator of the registry: started on port 0 through
// the generic CLI, its banner read (URL, test credentials, test cards, 3-D Secure code) and its /__sim
// answered; --help says the same before anything starts. Opens sockets.
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Agent, request } from "undici"
import { readFileSync } from "node:fs"
import { runCli, SIMULATORS, type CliResult } from "../cli"
import { SANDBOX_MERCHANT } from "../sbps"
import { CliOptions } from "../common/module"

const io = (out: string[], err: string[] = []) => ({ out: (l: string) => out.push(...l.split("\n")), err: (l: string) => err.push(...l.split("\n")), handleSignals: false })
const EXTRA_ARGS: Record<string, string[]> = { paygent: ["--cert-dir", join(tmpdir(), "medusa-payment-jp-paygent-certs")] }

describe.each([...SIMULATORS.values()])("simulate $name", (m) => {
  it("starts on port 0 and prints where it listens, its test credentials, test cards and 3-D Secure code", async () => {
    const out: string[] = []
    const r: CliResult = await runCli(["simulate", m.name, "--port", "0", ...(EXTRA_ARGS[m.name] ?? [])], io(out))
    expect(r.exitCode).toBe(0)
    try {
      const url = r.running!.url
      expect(out[0]).toBe(`${m.title} simulator listening on ${url}`)
      expect(url).toMatch(/^https?:\/\/127\.0\.0\.1:\d+$/)
      expect(url).not.toMatch(new RegExp(`:${m.defaultPort}$`))
      for (const line of m.credentials(new CliOptions())) expect(out).toContain(line)
      expect(out).toContain("test credentials (the provider's options):")
      expect(out.find((l) => l.startsWith("3-D Secure challenge: "))).toBeDefined()
      expect(out).toContain(`  control: ${url}/__sim/requests, /__sim/faults, /__sim/clock`)
      const ca = url.startsWith("https:") ? readFileSync(join(tmpdir(), "medusa-payment-jp-paygent-certs", "ca.pem")) : undefined
      const dispatcher = ca ? new Agent({ connect: { ca } }) : undefined
      const clock = await request(`${url}/__sim/clock`, { dispatcher })
      expect(clock.statusCode).toBe(200)
      expect(await clock.body.json()).toHaveProperty("now")
      await dispatcher?.close()
    } finally {
      await r.running?.close()
    }
  })

  it("--help lists the options with the default port, what the machine needs, the credentials and test cards", async () => {
    const out: string[] = []
    expect((await runCli(["simulate", m.name, "--help"], io(out))).exitCode).toBe(0)
    expect(out[0]).toBe(`usage: medusa-payment-jp simulate ${m.name} [options]`)
    expect(out.find((l) => l.trimStart().startsWith("--port <n>"))).toContain(`default ${m.defaultPort}`)
    for (const o of m.options) expect(out.some((l) => l.trimStart().startsWith(`--${o.name}`))).toBe(true)
    for (const n of m.needs ?? []) expect(out).toContain(`  ${n}`)
    for (const line of m.credentials(new CliOptions())) expect(out).toContain(line)
  })

  it("refuses an unknown option with its help (exit 2)", async () => {
    const err: string[] = []
    expect((await runCli(["simulate", m.name, "--no-such-option"], io([], err))).exitCode).toBe(2)
    expect(err[0]).toBe("unknown option --no-such-option")
    expect(err).toContain(`usage: medusa-payment-jp simulate ${m.name} [options]`)
  })
})

describe("the simulator registry", () => {
  it("gives each simulator its own default port, keeping 8904 for billing-robo", () => {
    expect(Object.fromEntries([...SIMULATORS.values()].map((m) => [m.name, m.defaultPort]))).toEqual({ "robot-payment": 8900, sbps: 8901, paygent: 8902, "payment-options": 8903, "billing-robo": 8940 })
  })

  it("lists every simulator with its port", async () => {
    const out: string[] = []
    expect((await runCli(["--help"], io(out))).exitCode).toBe(0)
    for (const m of SIMULATORS.values()) expect(out.some((l) => l.startsWith(`  ${m.name} `) && l.endsWith(`(port ${m.defaultPort})`))).toBe(true)
    const err: string[] = []
    expect((await runCli(["simulate", "nosuch"], io([], err))).exitCode).toBe(2)
    expect(err[0]).toBe(`unknown gateway: nosuch. Available: ${[...SIMULATORS.keys()].join(", ")}`)
  })

  it("SBPS prints its hash key, and PAYGENT its keys, the openssl it needs and its browser origin", async () => {
    const sbps: string[] = []
    await runCli(["simulate", "sbps", "--help"], io(sbps))
    expect(sbps.some((l) => /^\s+hashKey\s+/.test(l) && l.endsWith(SANDBOX_MERCHANT.hashKey))).toBe(true)
    const help: string[] = []
    await runCli(["simulate", "paygent", "--help"], io(help))
    expect(help.join("\n")).toMatch(/apt-get install openssl/)
    expect(help.join("\n")).toMatch(/tokenGenerationKey\s+test_token_generation_key/)
    const out: string[] = []
    const r = await runCli(["simulate", "paygent", "--port", "0", ...EXTRA_ARGS.paygent], io(out))
    try {
      const browser = out.find((l) => l.startsWith("  browser: "))!
      const origin = /browser: (http:\/\/127\.0\.0\.1:\d+) /.exec(browser)![1]
      expect(browser).toContain(`tokenScriptUrl: ${origin}/js/PaygentToken.js`)
      expect((await fetch(`${origin}/js/PaygentToken.js`)).status).toBe(200)
    } finally {
      await r.running?.close()
    }
  })
})
