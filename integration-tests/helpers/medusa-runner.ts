// medusaIntegrationTestRunner with the database migrated once per jest run, not once per suite. The
// first suite to boot migrates a template database (`medusa db:migrate`, the same module migrations
// and link tables the runner makes); every suite's database is then a copy of it, on which the
// runner's own migrations and link sync still run (they find nothing to do, or make what the copy
// lacks). That halves a suite's boot before its app loads (about 40 → 20 s on a busy 2-core machine),
// and 20 suites boot an app. A suite whose configuration has other modules (JP_TEST_REDIS_URL: Redis
// event bus, workflow engine and locking) migrates as before, and so does every suite with
// JP_TEST_NO_TEMPLATE=1 (to compare; integration-tests/sequencer.js sets it for a run of one suite).
import { execFile } from "node:child_process"
import path from "node:path"
import { promisify } from "node:util"
import { medusaIntegrationTestRunner as runner } from "@medusajs/test-utils"

type Options = Parameters<typeof runner>[0]

const root = path.resolve(__dirname, "../..")

function credentials() {
  return { host: process.env.DB_HOST, port: Number(process.env.DB_PORT), user: process.env.DB_USERNAME, password: process.env.DB_PASSWORD || undefined }
}

async function withClient<T>(f: (c: import("pg").Client) => Promise<T>): Promise<T> {
  const { Client } = require("pg") as typeof import("pg")
  const c = new Client({ ...credentials(), database: "postgres" })
  await c.connect()
  try {
    return await f(c)
  } finally {
    await c.end()
  }
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`

/** The migrated template of this jest run (global-setup.js names the run), made by the first suite that asks. */
async function migratedTemplate(run: string): Promise<string> {
  const name = `jp-migrated-${run}`
  await withClient(async (c) => {
    // one jest worker migrates; the other waits for it
    await c.query("SELECT pg_advisory_lock(hashtext($1))", [name])
    try {
      const exists = await c.query("SELECT 1 FROM pg_database WHERE datname = $1", [name])
      if (exists.rowCount) return
      const building = `${name}-building`
      await c.query(`DROP DATABASE IF EXISTS ${quote(building)}`)
      await c.query(`CREATE DATABASE ${quote(building)}`)
      const { host, port, user, password } = credentials()
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        DATABASE_URL: `postgres://${user}:${password ?? ""}@${host}:${port}/${building}`,
        NODE_OPTIONS: "",
        LOG_LEVEL: "error",
        MEDUSA_DISABLE_TELEMETRY: "true",
      }
      delete env.JP_TEST_REDIS_URL // the in-memory modules every other suite has
      await promisify(execFile)(path.join(root, "node_modules", ".bin", "medusa"), ["db:migrate", "--skip-scripts", "--skip-search", "--execute-all-links"], {
        cwd: root,
        env,
        maxBuffer: 64 << 20,
      })
      // renamed only once complete: a failed migration leaves no template behind
      await c.query(`ALTER DATABASE ${quote(building)} RENAME TO ${quote(name)}`)
    } finally {
      await c.query("SELECT pg_advisory_unlock(hashtext($1))", [name])
    }
  })
  return name
}

export function medusaIntegrationTestRunner(options: Options): void {
  const run = process.env.JP_TEST_RUN_ID
  if (!run || process.env.JP_TEST_NO_TEMPLATE || process.env.JP_TEST_REDIS_URL || options.dbName || options.hooks) return runner(options)
  // the runner's own form of name, chosen here so the hook knows it
  const dbName = `medusa-jp-${Math.random().toString(36).slice(2, 10)}-integration-${process.env.JEST_WORKER_ID || "1"}`
  return runner({
    ...options,
    dbName,
    hooks: {
      // before the runner creates the database (it finds it made) and migrates it
      beforeServerStart: async () => {
        const template = await migratedTemplate(run)
        await withClient((c) => c.query(`CREATE DATABASE ${quote(dbName)} TEMPLATE ${quote(template)}`))
      },
    },
  })
}
