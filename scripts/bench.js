#!/usr/bin/env node
// `npm run bench` (node --expose-gc): runs bench/run.ts through ts-node. Not part of `npm test`.
// BENCH_ONLY=codec,p1,p4,medusa runs a part (and writes no results.md); README › Benchmarks lists the other settings.
process.env.TS_NODE_COMPILER_OPTIONS ??= JSON.stringify({ module: "commonjs" })
require("ts-node").register({ transpileOnly: true })
require("../bench/run.ts")
