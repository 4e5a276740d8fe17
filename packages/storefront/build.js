#!/usr/bin/env node
// Builds medusa-payment-jp-storefront from the plugin's own browser sources (src/storefront, the same
// files medusa-payment-jp/storefront and /react are built from): JavaScript + type declarations in dist/,
// and the repository's LICENSE beside them for the tarball.
const { spawnSync } = require("node:child_process")
const fs = require("node:fs")
const path = require("node:path")

const here = __dirname
const root = path.resolve(here, "../..")
fs.rmSync(path.join(here, "dist"), { recursive: true, force: true })
const tsc = require.resolve("typescript/bin/tsc", { paths: [here, root] })
const r = spawnSync(process.execPath, [tsc, "-p", path.join(here, "tsconfig.build.json")], { cwd: here, stdio: "inherit" })
if (r.status !== 0) process.exit(r.status ?? 1)
fs.copyFileSync(path.join(root, "LICENSE"), path.join(here, "LICENSE"))
