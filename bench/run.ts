// `npm run bench`: the plugin's cost as ratios to the same work without it, measured side by side in
// one run, each against its goal. Prints the table, writes bench/results.md, exits 1 when a goal is missed.
import { readFileSync, writeFileSync } from "node:fs"
import { fork } from "node:child_process"
import os from "node:os"
import { join } from "node:path"
import { codecRows } from "./codecs"
import { medusaRows } from "./medusa"
import { memoryRows } from "./memory"
import { measureOverhead } from "./overhead"
import * as scenarios from "./scenarios"
import { startSimHost } from "./sims"
import { markdownTable, passes, type Row } from "./stats"

const only = (process.env.BENCH_ONLY ?? "").split(",").filter(Boolean)
const want = (part: string) => only.length === 0 || only.includes(part)
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 1000)
const BOOTS = Number(process.env.BENCH_BOOTS ?? 3)
const BATCHES = Number(process.env.BENCH_BATCHES ?? 6)
const P3_ROUNDS = Number(process.env.BENCH_P3_ROUNDS ?? 10)
const ALONE = Number(process.env.BENCH_ALONE ?? 8)

async function main() {
  const started = Date.now()
  const rows: Row[] = []
  const log = (r: Row[]) => {
    for (const x of r) console.log(`${passes(x) ? "pass" : "FAIL"}  ${x.name}: ${x.value.toFixed(3)}${x.unit ? " " + x.unit : ""} (goal ${x.direction === "max" ? "≤" : "≥"} ${x.goal})${x.note ? "  " + x.note : ""}`)
    rows.push(...r)
  }
  const host = await startSimHost()
  try {
    // The in-process parts first, then the Medusa part (P2, P3, P5) in a child process (its own
    // simulators, its allocations out of P4), one after the other: run beside each other, a Medusa
    // boot or migration took the CPU from P1's and P4's arms, and P4's 10 000 authorizations from P5's
    // boots and P2's batches.
    const medusaOnly = only.length === 1 && only[0] === "medusa"
    if (want("codec")) log(await codecRows())
    if (want("p1")) {
      // Rounds per gateway: ROBOT PAYMENT's calls take a few ms, PAYGENT's (mutual TLS) and SBPS's
      // (two calls to authorize) several times that; BENCH_ROUNDS scales all three.
      const plan: Array<[typeof scenarios.robotPayment, number]> = [
        [scenarios.robotPayment, ROUNDS],
        [scenarios.paygent, Math.round(ROUNDS / 2)],
        [scenarios.sbps, Math.round(ROUNDS / 2)],
      ]
      for (const [make, rounds] of plan) {
        const sc = await make(host.urls)
        log(await measureOverhead(sc, { warmup: 30, rounds }))
        await sc.provider.gateway?.close?.()
      }
    }
    if (want("p4")) {
      const sc = await scenarios.robotPayment(host.urls)
      log(await memoryRows(sc, { warmup: 3000, n: Number(process.env.BENCH_P4_N ?? 10_000), concurrency: 8 }))
    }
    if (medusaOnly)
      log(await medusaRows(host, { boots: BOOTS, batches: BATCHES, batchSize: 10, concurrency: 10, p3Rounds: P3_ROUNDS, alone: ALONE }))
    else if (want("medusa")) log(await medusaChild())
  } finally {
    await host.close()
  }
  const minutes = ((Date.now() - started) / 60000).toFixed(1)
  const table = markdownTable(rows)
  const failed = rows.filter((r) => !passes(r))
  const head = [
    "# `npm run bench` — last results",
    "",
    `Node ${process.version}, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? "?"}), load average ${os.loadavg().map((l) => l.toFixed(1)).join(" ")} at the end, ${minutes} min, ${new Date().toISOString()}; ` +
      `P1 ${ROUNDS} rounds (ROBOT PAYMENT; half for PAYGENT and SBPS), P2 ${BATCHES} batches of 10 and ${ALONE} checkouts alone per provider, P3 ${P3_ROUNDS} checkouts per shopper, P5 ${BOOTS}+${BOOTS} boots.`,
    "Ratios are measured side by side in one run (arms interleaved, warm-up dropped); see README › Benchmarks.",
    "",
  ]
  const md = [...head, table, "", `${rows.length - failed.length} passed, ${failed.length} failed.`, ""].join("\n")
  if (process.env.BENCH_ROWS_FILE) writeFileSync(process.env.BENCH_ROWS_FILE, JSON.stringify(rows))
  if (!only.length) {
    writeFileSync(join(__dirname, "results.md"), md)
    // README.md and README.ja.md show the last full run between their bench markers.
    for (const f of ["README.md", "README.ja.md"]) {
      const path = join(__dirname, "..", f)
      const text = readFileSync(path, "utf8")
      const block = `<!-- bench:start -->\n${head[2]}\n\n${table}\n<!-- bench:end -->`
      writeFileSync(path, text.replace(/<!-- bench:start -->[\s\S]*?<!-- bench:end -->/, block))
    }
  }
  console.log("\n" + table + "\n")
  console.log(`${rows.length - failed.length} passed, ${failed.length} failed (${minutes} min)`)
  process.exit(failed.length ? 1 : 0)
}

/** `npm run bench` with BENCH_ONLY=medusa in a child process; its rows come back through a file. */
function medusaChild(): Promise<Row[]> {
  const file = join(os.tmpdir(), `medusa-payment-jp-bench-${process.pid}.json`)
  return new Promise((resolve, reject) => {
    const child = fork(join(__dirname, "..", "scripts", "bench.js"), [], {
      env: { ...process.env, BENCH_ONLY: "medusa", BENCH_ROWS_FILE: file },
      execArgv: ["--expose-gc"],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    })
    child.once("exit", () => {
      try {
        resolve(JSON.parse(readFileSync(file, "utf8")) as Row[])
      } catch (e) {
        reject(new Error(`the Medusa part wrote no rows: ${(e as Error).message}`))
      }
    })
  })
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
