#!/usr/bin/env node
// `npm test`: type-check every source and test file, run all jest suites (unit + integration),
// then print the closing line `N passed, N failed` that CI reads.
const { spawnSync } = require("node:child_process")
const fs = require("node:fs")
const path = require("node:path")

const root = path.resolve(__dirname, "..")
const results = path.join(root, ".jest-results.json")
const bin = (name) => path.join(root, "node_modules", ".bin", name)

let passed = 0
let failed = 0

const tsc = spawnSync(bin("tsc"), ["-p", "tsconfig.spec.json"], { cwd: root, stdio: "inherit" })
if (tsc.status === 0) {
  passed += 1
  console.log("typecheck: ok")
} else {
  failed += 1
  console.log("typecheck: FAILED")
}

// The browser tests drive Debian's Chromium, and the pages they show speak Japanese (without a CJK
// font, boxes). A fresh machine may have neither: install what is missing when we can.
const CHROMIUM = "/usr/bin/chromium"
const CJK_FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
const missing = [[CHROMIUM, "chromium"], [CJK_FONT, "fonts-noto-cjk"]].filter(([file]) => !fs.existsSync(file)).map(([, pkg]) => pkg)
if (missing.length > 0 && process.getuid && process.getuid() === 0) {
  console.log(`installing ${missing.join(", ")} from Debian's packages for the browser tests …`)
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" }
  spawnSync("apt-get", ["update", "-qq"], { stdio: "inherit", env })
  spawnSync("apt-get", ["install", "-y", "-qq", ...missing], { stdio: "inherit", env })
}

fs.rmSync(results, { force: true })
// The reliability suite (integration-tests/reliability) writes its figures here; printed after jest.
const figures = path.join(root, ".reliability")
fs.rmSync(figures, { recursive: true, force: true })
// The load test (R5: 200 checkouts at once) runs last, alone: beside another suite on 2 cores it
// would measure the other suite. Everything else runs first, two workers.
const LOAD = "integration-tests/reliability/load.spec"
const args = process.argv.slice(2)
const wantsLoad = args.length === 0 || args.some((a) => LOAD.startsWith(a.replace(/^\.\//, "")) || a.includes("load.spec"))
const env = {
  ...process.env,
  MEDUSA_DISABLE_TELEMETRY: "true",
  LOG_LEVEL: process.env.LOG_LEVEL || "error",
  JP_FIGURES_DIR: figures,
  NODE_OPTIONS: [process.env.NODE_OPTIONS, "--experimental-vm-modules"].filter(Boolean).join(" "),
}
let jestOk = true
function runJest(jestArgs) {
  fs.rmSync(results, { force: true })
  const run = spawnSync(bin("jest"), ["--forceExit", "--json", `--outputFile=${results}`, ...jestArgs], { cwd: root, stdio: "inherit", env })
  if (run.status !== 0) jestOk = false
  if (fs.existsSync(results)) {
    const r = JSON.parse(fs.readFileSync(results, "utf8"))
    passed += r.numPassedTests
    failed += r.numFailedTests
    // a suite that fails to load has no failed test of its own: count it
    failed += r.testResults.filter((s) => s.status === "failed" && s.assertionResults.length === 0).length
  } else {
    failed += 1
  }
}
// the caller's arguments first: an array option would take a path after it as one more pattern
runJest([...args, "--maxWorkers=2", "--passWithNoTests", "--testPathIgnorePatterns=/node_modules/", "--testPathIgnorePatterns=/integration-tests/reliability/load\\.spec"])
if (wantsLoad) runJest(["--runInBand", `${LOAD}.ts`])
if (fs.existsSync(figures)) {
  const rows = fs.readdirSync(figures).filter((f) => f.endsWith(".json")).sort()
  if (rows.length > 0) console.log("\nreliability figures:")
  for (const f of rows) {
    const x = JSON.parse(fs.readFileSync(path.join(figures, f), "utf8"))
    console.log(`  ${x.id} ${x.title}: ${x.passed}/${x.total}${x.detail ? ` (${x.detail})` : ""}`)
  }
}
console.log(`${passed} passed, ${failed} failed`)
process.exit(failed === 0 && jestOk ? 0 : 1)
