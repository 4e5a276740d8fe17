// The order jest hands suites to its two workers. Jest's own: the last run's times from its cache, and
// without them (a fresh clone, as CI has) the biggest file first. The suites that take minutes are not
// the biggest files: one started last keeps one worker busy alone at the end (medusa-lowest.spec,
// a small file, ran near the end). Those go first here, longest first; the rest keep jest's order.
const fs = require("node:fs")
const path = require("node:path")
const Sequencer = require("@jest/test-sequencer").default

const root = path.resolve(__dirname, "..")
/** Seconds each took in the last full `npm test` on 2 cores (the order matters, not the figures). */
const SLOW = {
  "integration-tests/demo/demo.spec.ts": 412,
  "integration-tests/package/package.spec.ts": 279,
  "integration-tests/reliability/fault-matrix.spec.ts": 250,
  "integration-tests/package/medusa-lowest.spec.ts": 202,
}

class SlowFirst extends Sequencer {
  sort(tests) {
    // helpers/medusa-runner.ts migrates one template database for the run's app suites: it pays from two
    // suites on. A run of one (a single spec; npm test's load spec alone) migrates its own, as before.
    // (Jest sorts before its global setup and before starting the workers: they all see this.)
    const appSuites = tests.filter((t) => /helpers\/medusa-runner"/.test(fs.readFileSync(t.path, "utf8"))).length
    if (appSuites < 2) process.env.JP_TEST_NO_TEMPLATE ??= "1"
    const sorted = super.sort(tests)
    const slow = (t) => SLOW[path.relative(root, t.path).split(path.sep).join("/")]
    // a suite that failed last time still comes first, as jest puts it
    const failed = sorted.filter((t) => this.hasFailed(t))
    const rest = sorted.filter((t) => !this.hasFailed(t))
    return [...failed, ...rest.filter(slow).sort((a, b) => slow(b) - slow(a)), ...rest.filter((t) => !slow(t))]
  }
}

module.exports = SlowFirst
