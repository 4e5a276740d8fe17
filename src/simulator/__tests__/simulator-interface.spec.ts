// The interface every simulator shares, checked with the same test names against each one (Active
// Merchant's idea): faults, the request log, the clock and the /__sim router over HTTP. Each
// simulator's own behaviour is in its own __tests__/simulator.spec.ts. Opens sockets.
import { readFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Agent, request, type Dispatcher } from "undici"
import { SIMULATORS } from "../cli"
import { startBillingRoboSimulator } from "../billing-robo"
import { startPaygentSimulator, DEFAULT_MERCHANT as PAYGENT } from "../paygent"
import { startPaymentOptionsSimulator } from "../payment-options"
import { startRobotPaymentSimulator } from "../robot-payment"
import { SANDBOX_MERCHANT, startSbpsSimulator } from "../sbps"
import { InvalidFault } from "../common/faults"
import type { Simulator } from "../common/simulator"

interface Fixture {
  start(): Promise<Simulator>
  /** For HTTPS with the simulator's CA (PAYGENT). */
  dispatcher?: (sim: Simulator) => Dispatcher
  /** One server-to-server request as the gateway's client sends it (what it answers does not matter here). */
  probe: { method: "GET" | "POST"; path: string; headers: Record<string, string>; body?: string }
  /** A fault of the gateway's own kinds (beyond delay, reset, status, malformed). */
  ownFault: { kind: string }
}

const PAYGENT_CERTS = join(tmpdir(), "medusa-payment-jp-paygent-certs")
const paygentAgents = new Map<Simulator, Agent>()

const FIXTURES: Record<string, Fixture> = {
  "robot-payment": {
    start: () => startRobotPaymentSimulator(),
    probe: { method: "POST", path: "/gateway/gateway.aspx", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "aid=123456" },
    ownFault: { kind: "duplicate-kickback" },
  },
  sbps: {
    start: () => startSbpsSimulator(),
    probe: {
      method: "POST",
      path: "/api/xmlapi.do",
      headers: { authorization: `Basic ${Buffer.from(`${SANDBOX_MERCHANT.merchantId}${SANDBOX_MERCHANT.serviceId}:${SANDBOX_MERCHANT.hashKey}`).toString("base64")}`, "content-type": "text/xml" },
      body: '<?xml version="1.0" encoding="Shift_JIS"?><sps-api-request id="MG01-00101-101"></sps-api-request>',
    },
    ownFault: { kind: "wrong-encoding" },
  },
  paygent: {
    start: () => startPaygentSimulator({ certDir: PAYGENT_CERTS }),
    dispatcher: (sim) => {
      const c = (sim as Awaited<ReturnType<typeof startPaygentSimulator>>).certificates
      let a = paygentAgents.get(sim)
      if (!a) {
        a = new Agent({ connect: { ca: readFileSync(c.caFile), cert: readFileSync(c.clientCertFile), key: readFileSync(c.clientKeyFile), passphrase: c.clientKeyPassphrase } })
        paygentAgents.set(sim, a)
      }
      return a
    },
    probe: {
      method: "POST",
      path: "/n/ref/paymentref",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ merchant_id: PAYGENT.merchantId, connect_id: PAYGENT.connectId, connect_password: PAYGENT.connectPassword, telegram_kind: "094", telegram_version: "1.0", trading_id: "none" }).toString(),
    },
    ownFault: { kind: "duplicate-notice" },
  },
  "payment-options": {
    start: () => startPaymentOptionsSimulator(),
    probe: {
      method: "POST",
      path: "/api/v1/server-to-server-interface/payment",
      headers: { authorization: `Basic ${Buffer.from("sim-api-key").toString("base64")}`, "x-api-key": "sim-x-api-key", "content-type": "application/json" },
      body: "{}",
    },
    ownFault: { kind: "duplicate-webhook" },
  },
  "billing-robo": {
    start: () => startBillingRoboSimulator(),
    probe: {
      method: "POST",
      path: "/api/v1.0/billing_payment_method/search",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ user_id: "api@shop.example.jp", access_key: "simaccesskey0123" }),
    },
    ownFault: { kind: "maintenance" },
  },
}

it("has one fixture for each simulator of the registry", () => {
  expect(Object.keys(FIXTURES).sort()).toEqual([...SIMULATORS.keys()].sort())
})

describe.each(Object.entries(FIXTURES))("%s simulator", (name, f) => {
  let sim: Simulator
  beforeAll(async () => {
    sim = await f.start()
  })
  afterAll(async () => {
    await sim.close()
    await paygentAgents.get(sim)?.close()
  })
  beforeEach(() => sim.clearFaults())

  const http = async (method: string, path: string, opts: { headers?: Record<string, string>; body?: string } = {}) => {
    const res = await request(`${sim.url}${path}`, { method: method as Dispatcher.HttpMethod, headers: opts.headers, body: opts.body, dispatcher: f.dispatcher?.(sim) })
    const text = await res.body.text()
    return { status: res.statusCode, text, json: () => JSON.parse(text) }
  }
  const probe = () => http(f.probe.method, f.probe.path, { headers: f.probe.headers, body: f.probe.body })
  const control = (method: string, path: string, body?: unknown) =>
    http(method, `/__sim/${path}`, body === undefined ? {} : { headers: { "content-type": "application/json" }, body: JSON.stringify(body) })

  it("url is an http(s) origin without a trailing slash", () => {
    expect(sim.url).toMatch(/^https?:\/\/127\.0\.0\.1:\d+$/)
  })

  it("inject queues a fault that faults() lists with the uses it has left", () => {
    sim.inject({ kind: "status", status: 503, times: 2 })
    expect(sim.faults()).toEqual([{ kind: "status", status: 503, times: 2, remaining: 2 }])
  })

  it("inject takes the gateway's own fault kinds", () => {
    sim.inject(f.ownFault)
    expect(sim.faults()).toEqual([{ ...f.ownFault, remaining: 1 }])
  })

  it("inject refuses a fault the gateway does not know with InvalidFault", () => {
    expect(() => sim.inject({ kind: "nope" })).toThrow(InvalidFault)
    expect(() => sim.inject({ kind: "status", status: 503, times: 0 })).toThrow(/invalid fault: times must be a positive integer/)
    expect(sim.faults()).toEqual([])
  })

  it("a status fault answers the next server-to-server request, then is used up", async () => {
    const normal = (await probe()).status
    expect(normal).not.toBe(503)
    sim.inject({ kind: "status", status: 503 })
    expect((await probe()).status).toBe(503)
    expect(sim.faults()).toEqual([])
    expect((await probe()).status).toBe(normal)
  })

  it("a delay fault with after holds the answer back after the request was taken (logged at once); without, the request waits", async () => {
    const seen = sim.requests().length
    sim.inject({ kind: "delay", ms: 300, after: true })
    const t0 = Date.now()
    const pending = probe()
    await new Promise((r) => setTimeout(r, 150))
    expect(sim.requests().length).toBe(seen + 1)
    await pending
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290)
    expect(() => sim.inject({ kind: "delay", ms: 1, after: "yes" })).toThrow(/after must be a boolean/)
  })

  it("every simulator has the wrong-encoding fault: the next answer comes, in the other charset", async () => {
    sim.inject({ kind: "wrong-encoding" })
    expect(sim.faults()).toEqual([{ kind: "wrong-encoding", remaining: 1 }])
    const res = await probe()
    expect(res.status).toBeGreaterThanOrEqual(200)
    expect(sim.faults()).toEqual([])
  })

  it("clearFaults removes every queued fault", async () => {
    sim.inject({ kind: "status", status: 503, times: 3 })
    sim.inject(f.ownFault)
    sim.clearFaults()
    expect(sim.faults()).toEqual([])
    expect((await probe()).status).not.toBe(503)
  })

  it("requests() logs every server-to-server request with at, method and path, faulted ones included", async () => {
    const before = sim.requests().length
    sim.inject({ kind: "status", status: 503 })
    await probe()
    await probe()
    const mine = sim.requests().slice(before)
    expect(mine).toHaveLength(2)
    for (const r of mine) {
      expect(r).toMatchObject({ method: f.probe.method, path: f.probe.path })
      expect(Math.abs(Date.parse(r.at) - sim.now().getTime())).toBeLessThan(60_000)
    }
  })

  it("requests() gives copies", async () => {
    await probe()
    const first = sim.requests()
    ;(first[first.length - 1] as { path: string }).path = "/changed"
    expect(sim.requests().at(-1)!.path).toBe(f.probe.path)
  })

  it("advanceClock moves now() and the time requests are logged at; a negative move goes back", async () => {
    const t0 = sim.now().getTime()
    await sim.advanceClock(3 * 3600_000)
    try {
      expect(sim.now().getTime() - t0).toBeGreaterThanOrEqual(3 * 3600_000)
      expect(sim.now().getTime() - t0).toBeLessThan(3 * 3600_000 + 60_000)
      await probe()
      expect(Date.parse(sim.requests().at(-1)!.at)).toBeGreaterThanOrEqual(t0 + 3 * 3600_000)
    } finally {
      await sim.advanceClock(-3 * 3600_000)
    }
    expect(sim.now().getTime() - t0).toBeLessThan(60_000)
  })

  it("/__sim over HTTP: requests, faults, clock; never faulted; unknown routes 404", async () => {
    expect(await control("POST", "faults", { kind: "status", status: 503, times: 5 })).toMatchObject({ status: 201 })
    // a fault without a target never reaches /__sim
    const log = await control("GET", "requests")
    expect(log.status).toBe(200)
    expect(log.json()).toEqual(sim.requests())
    expect((await control("GET", "faults")).json()).toEqual([{ kind: "status", status: 503, times: 5, remaining: 5 }])
    const bad = await control("POST", "faults", { kind: "nope" })
    expect(bad.status).toBe(400)
    expect(bad.json().error).toMatch(/^invalid fault: kind must be one of delay, reset, status, malformed/)
    expect(await control("DELETE", "faults")).toMatchObject({ status: 200 })
    expect((await control("GET", "faults")).json()).toEqual([])

    const { now } = (await control("GET", "clock")).json()
    expect(Math.abs(Date.parse(now) - sim.now().getTime())).toBeLessThan(60_000)
    const moved = await control("POST", "clock", { advanceMs: 60_000 })
    expect(moved.status).toBe(200)
    expect(Date.parse(moved.json().now) - Date.parse(now)).toBeGreaterThanOrEqual(60_000)
    expect((await control("POST", "clock", { advanceMs: "soon" })).status).toBe(400)
    await sim.advanceClock(-60_000)

    expect((await control("GET", "nothing-here")).status).toBe(404)
  })

  it("close() stops listening and may be called again", async () => {
    const other = await f.start()
    await other.close()
    await other.close()
    await expect(request(`${other.url}/__sim/clock`, { dispatcher: f.dispatcher?.(other) })).rejects.toThrow()
    await paygentAgents.get(other)?.close()
  })
})
