// Starts bench/sim-host.ts as a child process and talks to it.
import { fork, type ChildProcess } from "node:child_process"
import { join } from "node:path"

export interface SimUrls {
  "robot-payment": string
  sbps: string
  paygent: string
  paygentBrowser: string
  paygentCertDir: string
  paygentCerts: { caFile: string; clientBundleFile: string; clientKeyPassphrase: string }
  "payment-options": string
}
/**
 * Per simulator: connections accepted, of which opened after the client's keep-alive had expired,
 * requests, and the most of the connections opened since the last call that were open at once.
 */
export type Counts = Record<string, { connections: number; afterIdle: number; requests: number; peak: number }>

export interface SimHost {
  urls: SimUrls
  counts(): Promise<Counts>
  /** CPU time the simulators' process has used so far, in ms. */
  cpu(): Promise<number>
  close(): Promise<void>
}

export async function startSimHost(): Promise<SimHost> {
  const child: ChildProcess = fork(join(__dirname, "sim-host.ts"), [], {
    execArgv: ["-r", "ts-node/register/transpile-only"],
    env: { ...process.env, TS_NODE_COMPILER_OPTIONS: JSON.stringify({ module: "commonjs" }) },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  })
  let next = 1
  const waiting = new Map<number, (v: unknown) => void>()
  const urls = await new Promise<SimUrls>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`simulator host exited (${code})`)))
    child.on("message", (m: { ready?: SimUrls; id?: number; result?: unknown }) => {
      if (m.ready) resolve(m.ready)
      else if (m.id) waiting.get(m.id)?.(m.result)
    })
  })
  const ask = (op: string) =>
    new Promise((resolve) => {
      const id = next++
      waiting.set(id, resolve)
      child.send({ id, op })
    })
  return {
    urls,
    counts: () => ask("counts") as Promise<Counts>,
    cpu: () => ask("cpu") as Promise<number>,
    close: () =>
      new Promise<void>((resolve) => {
        child.removeAllListeners("exit")
        child.once("exit", () => resolve())
        child.send({ id: 0, op: "close" })
      }),
  }
}
