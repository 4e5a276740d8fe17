#!/usr/bin/env node
// `medusa plugin:build` under a lock: the demo, the package test and a developer may build at once,
// and two builds writing .medusa/server together leave it half-made. A build that is already as new
// as every source file is skipped (unless --force).
const { spawnSync } = require("node:child_process")
const fs = require("node:fs")
const path = require("node:path")

const root = path.resolve(__dirname, "..")
const out = path.join(root, ".medusa", "server")
const stamp = path.join(out, ".built-at")
const lock = path.join(root, ".medusa", "build.lock")

function newestSource(dir) {
  let newest = 0
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name)
    if (e.isDirectory()) newest = Math.max(newest, newestSource(p))
    else newest = Math.max(newest, fs.statSync(p).mtimeMs)
  }
  return newest
}

function upToDate() {
  if (!fs.existsSync(stamp)) return false
  const built = fs.statSync(stamp).mtimeMs
  return [path.join(root, "src"), path.join(root, "package.json"), path.join(root, "tsconfig.json")].every((p) =>
    (fs.statSync(p).isDirectory() ? newestSource(p) : fs.statSync(p).mtimeMs) < built
  )
}

function alive(pid) {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return e.code === "EPERM"
  }
}

/** Takes the lock (a directory: mkdir is atomic), waiting for another build; a dead holder's lock is taken over. */
function acquire() {
  fs.mkdirSync(path.dirname(lock), { recursive: true })
  const until = Date.now() + 10 * 60_000
  for (;;) {
    try {
      fs.mkdirSync(lock)
      fs.writeFileSync(path.join(lock, "pid"), String(process.pid))
      return
    } catch (e) {
      if (e.code !== "EEXIST") throw e
    }
    let holder = NaN
    try {
      holder = Number(fs.readFileSync(path.join(lock, "pid"), "utf8"))
    } catch {}
    if (Number.isInteger(holder) && !alive(holder)) {
      fs.rmSync(lock, { recursive: true, force: true })
      continue
    }
    if (Date.now() > until) throw new Error(`another build holds ${lock} for more than 10 minutes`)
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500)
  }
}

/** Builds the plugin into .medusa/server unless it is up to date; throws when the build fails. */
function buildPlugin({ force = false, quiet = false } = {}) {
  if (!force && upToDate()) return { built: false }
  acquire()
  try {
    if (!force && upToDate()) return { built: false } // another process built it while we waited
    const started = Date.now()
    const r = spawnSync(path.join(root, "node_modules", ".bin", "medusa"), ["plugin:build"], {
      cwd: root,
      env: { ...process.env, MEDUSA_DISABLE_TELEMETRY: "true", NODE_OPTIONS: "" },
      stdio: quiet ? "pipe" : "inherit",
      encoding: "utf8",
    })
    if (r.status !== 0) throw new Error(`medusa plugin:build failed (exit ${r.status})${quiet ? `:\n${r.stdout}\n${r.stderr}` : ""}`)
    fs.writeFileSync(stamp, new Date(started).toISOString())
    fs.utimesSync(stamp, new Date(started), new Date(started)) // a source saved during the build makes the next one run
    return { built: true }
  } finally {
    fs.rmSync(lock, { recursive: true, force: true })
  }
}

module.exports = { buildPlugin }

if (require.main === module) {
  try {
    buildPlugin({ force: process.argv.includes("--force") })
  } catch (e) {
    console.error(e.message)
    process.exit(1)
  }
}
