#!/usr/bin/env node
"use strict"
/**
 * medusa-payment-jp command line (gateway simulators).
 * Uses the built package (.medusa/server) when present, otherwise the
 * TypeScript sources through ts-node (development checkout).
 */
const fs = require("node:fs")
const path = require("node:path")

const built = path.join(__dirname, "..", ".medusa", "server", "src", "simulator", "cli.js")
let cli
if (fs.existsSync(built)) {
  cli = require(built)
} else {
  require("ts-node").register({ transpileOnly: true, compilerOptions: { module: "commonjs" } })
  cli = require("../src/simulator/cli.ts")
}

Promise.resolve(cli.runCli(process.argv.slice(2))).then(
  (result) => {
    if (result && result.exitCode) process.exitCode = result.exitCode
  },
  (err) => {
    process.stderr.write(`${err && err.stack ? err.stack : err}\n`)
    process.exitCode = 1
  },
)
