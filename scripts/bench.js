#!/usr/bin/env node
// `npm run bench` (node --expose-gc): runs bench/run.ts through ts-node. Not part of `npm test`.
// BENCH_ONLY=codec,p1,p2,p3,p4,p5 runs a part (and writes no results.md); BENCH_ROUNDS sets P1's rounds.
process.env.TS_NODE_COMPILER_OPTIONS ??= JSON.stringify({ module: "commonjs" })
require("ts-node").register({ transpileOnly: true })
require("../bench/run.ts")
