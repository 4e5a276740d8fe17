// P4: heap and RSS growth over N authorizations through the provider, after a warm-up, each measured
// after a full GC (node --expose-gc). The simulator runs in another process, so its logs do not count.
import { readFileSync } from "node:fs"
import { checkoutSession, type Scenario } from "./overhead"
import type { Row } from "./stats"

export async function memoryRows(sc: Scenario, opts: { warmup: number; n: number; concurrency: number }): Promise<Row[]> {
  const gc = (globalThis as { gc?: () => void }).gc
  if (!gc) throw new Error("P4 needs node --expose-gc (npm run bench sets it)")
  let k = 0
  const one = async () => {
    const i = k++
    const { tokens, session: s } = await checkoutSession(sc, `payses_01JBM${String(i).padStart(21, "0")}`, i)
    const a = await sc.provider.authorizePayment({ data: { ...tokens, ...s.data } })
    if (a.status !== "authorized") throw new Error(`P4 authorize ${i}: ${a.status}`)
  }
  const run = async (n: number) => {
    const end = k + n
    await Promise.all(Array.from({ length: opts.concurrency }, async () => {
      while (k < end) await one()
    }))
  }
  await run(opts.warmup)
  const settle = async () => {
    for (let i = 0; i < 3; i++) gc(), await new Promise((r) => setTimeout(r, 50))
    return { ...process.memoryUsage(), anon: rssAnon() }
  }
  const before = await settle()
  const t = Date.now()
  await run(opts.n)
  const after = await settle()
  const mb = (b: number) => b / 1048576
  const secs = ((Date.now() - t) / 1000).toFixed(0)
  return [
    { name: `P4 ${sc.gateway}: heap growth over ${opts.n} authorizations`, value: mb(after.heapUsed - before.heapUsed), direction: "max", goal: 5, unit: "MB", note: `${secs} s` },
    {
      name: `P4 ${sc.gateway}: RSS growth over ${opts.n} authorizations${after.anon !== null && before.anon !== null ? " (anonymous memory)" : ""}`,
      value: mb(after.anon !== null && before.anon !== null ? after.anon - before.anon : after.rss - before.rss),
      direction: "max",
      goal: 5,
      unit: "MB",
      note: `total RSS ${mb(after.rss - before.rss).toFixed(1)} MB`,
    },
  ]
}

/**
 * The process's anonymous resident memory (Linux: RssAnon of /proc/self/status), in bytes. The total
 * RSS also holds file-backed pages (node's own code), which the kernel may drop and load again at any
 * time (proactive reclaim on a shared machine): they move the total by tens of MB without any
 * allocation. null where there is no /proc.
 */
function rssAnon(): number | null {
  try {
    const m = /^RssAnon:\s+(\d+) kB/m.exec(readFileSync("/proc/self/status", "utf8"))
    return m ? Number(m[1]) * 1024 : null
  } catch {
    return null
  }
}
