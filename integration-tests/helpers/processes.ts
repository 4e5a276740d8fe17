// Medusa split across processes for a test: Redis on 127.0.0.1:6379 (started here when none answers)
// and more Medusa processes (`medusa start`, MEDUSA_WORKER_MODE=server|worker) on the test's database.
import { spawn, type ChildProcess } from "node:child_process"
import { createConnection } from "node:net"
import { join } from "node:path"
import { freePort } from "./free-port"

export const REDIS_HOST = "127.0.0.1"
export const REDIS_PORT = 6379

function redisAnswers(): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: REDIS_HOST, port: REDIS_PORT })
    const done = (ok: boolean) => {
      socket.destroy()
      resolve(ok)
    }
    socket.setTimeout(1000, () => done(false))
    socket.on("error", () => done(false))
    socket.on("connect", () => socket.write("PING\r\n"))
    socket.on("data", (d) => done(d.toString().startsWith("+PONG")))
  })
}

const NO_REDIS =
  `The multi-process test needs Redis on ${REDIS_HOST}:${REDIS_PORT}. None answers and \`redis-server\` could not be started here. ` +
  "Install it (Debian/Ubuntu: `apt-get install redis-server`; macOS: `brew install redis`) or start one " +
  `(\`redis-server --port ${REDIS_PORT}\`, or \`docker run -p ${REDIS_PORT}:6379 redis\`), then run the tests again.`

/** Makes sure Redis answers; returns how to stop the one started here (nothing when one was running). */
export async function ensureRedis(): Promise<() => Promise<void>> {
  if (await redisAnswers()) return async () => {}
  let child: ChildProcess
  try {
    child = spawn("redis-server", ["--port", String(REDIS_PORT), "--bind", REDIS_HOST, "--save", "", "--appendonly", "no"], { stdio: "ignore" })
  } catch {
    throw new Error(NO_REDIS)
  }
  const failed = new Promise<boolean>((resolve) => child.once("error", () => resolve(false)).once("exit", () => resolve(false)))
  for (let i = 0; i < 50; i++) {
    const up = await Promise.race([redisAnswers(), failed])
    if (up) return async () => void (child.kill("SIGTERM"), await new Promise((r) => child.once("exit", r)))
    if (child.exitCode !== null || child.pid === undefined) break
    await new Promise((r) => setTimeout(r, 100))
  }
  child.kill("SIGKILL")
  throw new Error(NO_REDIS)
}

export interface MedusaProcess {
  mode: "server" | "worker"
  url: string
  child: ChildProcess
  /** What the process printed (the tail), for a failing test's message. */
  output(): string
  /** SIGSTOP / SIGCONT: a worker that cannot consume anything for a while. */
  pause(): void
  resume(): void
  stop(): Promise<void>
}

/**
 * `medusa start` of this project (medusa-config.ts, src/ through ts-node with swc) in the given worker
 * mode, with the test's environment (database, simulators' URLs, Redis) plus `env`. Resolves when
 * its HTTP server answers /health.
 */
export async function startMedusaProcess(mode: "server" | "worker", env: Record<string, string>, bootMs = 200_000): Promise<MedusaProcess> {
  const root = join(__dirname, "..", "..")
  const port = await freePort()
  const child = spawn(process.execPath, [join(root, "node_modules", "@medusajs", "cli", "cli.js"), "start", "--port", String(port), "--host", "127.0.0.1"], {
    cwd: root,
    env: {
      ...(process.env as Record<string, string>),
      NODE_OPTIONS: "", // not jest's --experimental-vm-modules
      NODE_ENV: "development",
      MEDUSA_DISABLE_TELEMETRY: "true",
      LOG_LEVEL: process.env.LOG_LEVEL || "error",
      TS_NODE_TRANSPILE_ONLY: "true",
      ...env,
      MEDUSA_WORKER_MODE: mode,
      PORT: String(port),
    },
    stdio: ["ignore", "pipe", "pipe"],
  })
  let out = ""
  const keep = (d: Buffer) => {
    out = (out + d.toString()).slice(-20_000)
  }
  child.stdout!.on("data", keep)
  child.stderr!.on("data", keep)
  const url = `http://127.0.0.1:${port}`
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()))
  const proc: MedusaProcess = {
    mode,
    url,
    child,
    output: () => out,
    pause: () => void child.kill("SIGSTOP"),
    resume: () => void child.kill("SIGCONT"),
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return
      child.kill("SIGCONT")
      child.kill("SIGTERM")
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000)
      await exited
      clearTimeout(timer)
    },
  }
  const deadline = Date.now() + bootMs
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`medusa start (${mode}) exited with ${child.exitCode}:\n${out}`)
    const ok = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2000) }).then((r) => r.ok, () => false)
    if (ok) return proc
    await new Promise((r) => setTimeout(r, 500))
  }
  await proc.stop()
  throw new Error(`medusa start (${mode}) did not answer /health within ${bootMs} ms:\n${out}`)
}
