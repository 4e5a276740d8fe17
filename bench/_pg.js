const setup = require("../integration-tests/global-setup.js")
setup().then(() => { console.log(`postgres://postgres:postgres@localhost:${process.env.DB_PORT}/medusa_bench`); setInterval(() => {}, 1e6) })
process.on("SIGTERM", async () => { await globalThis.__EMBEDDED_PG__.stop(); process.exit(0) })
