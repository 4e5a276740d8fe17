module.exports = async function globalTeardown() {
  const pg = globalThis.__EMBEDDED_PG__
  if (pg) return pg.stop()
  // a server of DB_HOST outlives the run: drop the run's migrated template (helpers/medusa-runner.ts)
  if (!process.env.JP_TEST_RUN_ID) return
  const { Client } = require("pg")
  const c = new Client({ host: process.env.DB_HOST, port: Number(process.env.DB_PORT), user: process.env.DB_USERNAME, password: process.env.DB_PASSWORD || undefined, database: "postgres" })
  await c.connect()
  try {
    await c.query(`DROP DATABASE IF EXISTS "jp-migrated-${process.env.JP_TEST_RUN_ID}"`)
  } finally {
    await c.end()
  }
}
