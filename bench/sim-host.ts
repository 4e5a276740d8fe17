// The simulators for `npm run bench`, in their own process so that their work and their memory
// (request logs, transactions) stay out of what the bench measures. Counts the TCP connections each
// one accepts, so connection reuse is measured where it happens. Talks to its parent over IPC.
import net from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"

const connections = new Map<number, number>()
// Connections opened when none was open and the last answer on that port was sent more than
// IDLE_MS before: the client's keep-alive had expired (Node's server announces 5 s; undici closes
// 2 s before that), so a new connection is the only way. P3 reports them apart.
const IDLE_MS = 3000
const afterIdle = new Map<number, number>()
const open = new Map<number, number>()
const lastAnswer = new Map<number, number>()
// The most connections open at once on a port among those opened since the last "counts" (P3: how
// many a peak needed; connections already open then, the shoppers' own to the simulator, left out).
const peak = new Map<number, number>()
const openSince = new Map<number, number>()
let epoch = 0
const listen = net.Server.prototype.listen
net.Server.prototype.listen = function (this: net.Server, ...args: unknown[]) {
  const port = () => {
    const addr = this.address()
    return addr && typeof addr === "object" ? addr.port : 0
  }
  this.on("connection", (socket: net.Socket) => {
    const p = port()
    connections.set(p, (connections.get(p) ?? 0) + 1)
    const last = lastAnswer.get(p)
    if (!open.get(p) && last !== undefined && Date.now() - last > IDLE_MS) afterIdle.set(p, (afterIdle.get(p) ?? 0) + 1)
    open.set(p, (open.get(p) ?? 0) + 1)
    const since = epoch
    openSince.set(p, (openSince.get(p) ?? 0) + 1)
    peak.set(p, Math.max(peak.get(p) ?? 0, openSince.get(p)!))
    socket.once("close", () => {
      open.set(p, (open.get(p) ?? 1) - 1)
      if (since === epoch) openSince.set(p, (openSince.get(p) ?? 1) - 1)
    })
  })
  this.on("request", (_req: unknown, res: { once(e: string, f: () => void): void }) => {
    const p = port()
    res.once("finish", () => lastAnswer.set(p, Date.now()))
  })
  return (listen as (...a: unknown[]) => net.Server).apply(this, args)
} as typeof listen

async function main() {
  const { startRobotPaymentSimulator } = await import("../src/simulator/robot-payment")
  const { startSbpsSimulator, SANDBOX_MERCHANT } = await import("../src/simulator/sbps")
  const { startPaygentSimulator } = await import("../src/simulator/paygent")
  const { startPaymentOptionsSimulator } = await import("../src/simulator/payment-options")
  const rp = await startRobotPaymentSimulator({ stores: [{ aid: "123456" }] })
  const sbps = await startSbpsSimulator({ merchants: [SANDBOX_MERCHANT] })
  const certDir = join(tmpdir(), "medusa-payment-jp-bench-paygent-certs")
  const pg = await startPaygentSimulator({ certDir })
  const po = await startPaymentOptionsSimulator({
    merchants: [{ merchantId: "JP00000472", apiKey: "sim-api-key", xApiKey: "sim-x-api-key", hppTransactionType: "PRE_AUTH" }],
  })
  const sims = { "robot-payment": rp, sbps, paygent: pg, "payment-options": po } as const
  const port = (url: string) => Number(new URL(url).port)
  process.on("message", (m: { id: number; op: string }) => {
    if (m.op === "counts") {
      const out: Record<string, { connections: number; afterIdle: number; requests: number; peak: number }> = {}
      for (const [name, sim] of Object.entries(sims)) {
        const p = port(sim.url)
        out[name] = { connections: connections.get(p) ?? 0, afterIdle: afterIdle.get(p) ?? 0, requests: sim.requests().length, peak: peak.get(p) ?? 0 }
      }
      epoch++
      openSince.clear()
      peak.clear()
      process.send!({ id: m.id, result: out })
    } else if (m.op === "cpu") {
      // the simulators' CPU time so far (ms): P2 reports what a checkout costs them apart from the app's
      const u = process.cpuUsage()
      process.send!({ id: m.id, result: (u.user + u.system) / 1000 })
    } else if (m.op === "close") {
      Promise.all(Object.values(sims).map((s) => s.close())).then(() => process.exit(0))
    }
  })
  process.send!({
    ready: {
      "robot-payment": rp.url,
      sbps: sbps.url,
      paygent: pg.url,
      paygentBrowser: (pg as unknown as { browserUrl: string }).browserUrl,
      paygentCertDir: certDir,
      paygentCerts: pg.certificates,
      "payment-options": po.url,
    },
  })
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
