// The simulators for `npm run bench`, in their own process so that their work and their memory
// (request logs, transactions) stay out of what the bench measures. Counts the TCP connections each
// one accepts, so connection reuse is measured where it happens. Talks to its parent over IPC.
import net from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"

const connections = new Map<number, number>()
const listen = net.Server.prototype.listen
net.Server.prototype.listen = function (this: net.Server, ...args: unknown[]) {
  this.on("connection", () => {
    const addr = this.address()
    if (addr && typeof addr === "object") connections.set(addr.port, (connections.get(addr.port) ?? 0) + 1)
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
      const out: Record<string, { connections: number; requests: number }> = {}
      for (const [name, sim] of Object.entries(sims)) out[name] = { connections: connections.get(port(sim.url)) ?? 0, requests: sim.requests().length }
      process.send!({ id: m.id, result: out })
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
