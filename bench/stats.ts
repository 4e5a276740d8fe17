// Pure statistics for `npm run bench`: percentiles, the interleaved schedule of the arms, and the
// ratio rows checked against their goals. No I/O here, so unit tests cover it (src/__tests__).

/** The p-th percentile (0..100) of the samples, linearly interpolated between the closest ranks. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) throw new Error("percentile of no samples")
  if (!(p >= 0 && p <= 100)) throw new Error(`percentile ${p} is outside 0..100`)
  const s = [...samples].sort((a, b) => a - b)
  const rank = (p / 100) * (s.length - 1)
  const lo = Math.floor(rank)
  const hi = Math.ceil(rank)
  return s[lo] + (s[hi] - s[lo]) * (rank - lo)
}

export interface Summary {
  n: number
  p50: number
  p99: number
  mean: number
}

export function summarize(samples: readonly number[]): Summary {
  return {
    n: samples.length,
    p50: percentile(samples, 50),
    p99: percentile(samples, 99),
    mean: samples.reduce((a, b) => a + b, 0) / samples.length,
  }
}

/**
 * The order in which `arms` arms run for `rounds` rounds: every round runs each arm once, and the
 * order turns by one each round (A B C, B C A, C A B, ...), so no arm always goes first or last and
 * a slow drift of the machine (another process starting) falls on every arm alike.
 */
export function interleave(arms: number, rounds: number): number[] {
  if (!Number.isInteger(arms) || arms < 1) throw new Error(`arms must be a positive integer, got ${arms}`)
  const order: number[] = []
  for (let r = 0; r < rounds; r++) for (let k = 0; k < arms; k++) order.push((r + k) % arms)
  return order
}

/**
 * Runs the arms interleaved: `warmup` rounds whose timings are dropped, then `rounds` timed rounds.
 * Each arm is `(i) => Promise<number>` returning the milliseconds it measured itself (so set-up that is
 * not the thing measured, such as making a fresh card token, stays outside the clock).
 */
export async function runInterleaved(
  arms: ReadonlyArray<(i: number) => Promise<number> | number>,
  opts: { warmup: number; rounds: number }
): Promise<number[][]> {
  const samples: number[][] = arms.map(() => [])
  const order = interleave(arms.length, opts.warmup + opts.rounds)
  for (let j = 0; j < order.length; j++) {
    const round = Math.floor(j / arms.length)
    const ms = await arms[order[j]](round)
    if (round >= opts.warmup) samples[order[j]].push(ms)
  }
  return samples
}

/**
 * How far a ratio of percentiles can move with the samples drawn: the 2.5th and 97.5th percentiles of
 * `percentile(a*, p) / percentile(b*, p)` over `resamples` bootstrap resamples (a* and b* drawn with
 * replacement from a and b). Seeded, so a run's interval does not change when printed twice. A wide
 * interval says that the samples do not settle the ratio (a p99 on a few slow rounds).
 */
export function ratioInterval(a: readonly number[], b: readonly number[], p: number, resamples = 500, seed = 1): [number, number] {
  if (a.length === 0 || b.length === 0) throw new Error("ratioInterval of no samples")
  let x = seed >>> 0
  // mulberry32: a small seeded generator, enough to draw indices
  const next = () => {
    x = (x + 0x6d2b79f5) >>> 0
    let t = x
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const draw = (xs: readonly number[]) => {
    const out = new Array<number>(xs.length)
    for (let i = 0; i < xs.length; i++) out[i] = xs[Math.floor(next() * xs.length)]
    return out
  }
  const ratios: number[] = []
  for (let r = 0; r < resamples; r++) ratios.push(percentile(draw(a), p) / percentile(draw(b), p))
  return [percentile(ratios, 2.5), percentile(ratios, 97.5)]
}

export type Direction = "max" | "min"

export interface Row {
  name: string
  value: number
  /** "max": the value must be ≤ goal; "min": ≥ goal. */
  direction: Direction
  goal: number
  unit?: string
  note?: string
}

export function passes(row: Pick<Row, "value" | "direction" | "goal">): boolean {
  if (!Number.isFinite(row.value)) return false
  return row.direction === "max" ? row.value <= row.goal : row.value >= row.goal
}

/** A Markdown table of the rows with a pass/FAIL column. */
export function markdownTable(rows: readonly Row[]): string {
  const fmt = (v: number, unit?: string) => (unit === "%" ? `${v.toFixed(1)} %` : unit ? `${v.toFixed(2)} ${unit}` : v.toFixed(3))
  const lines = ["| measure | value | goal | |", "|---|---:|---:|---|"]
  for (const r of rows) {
    const goal = `${r.direction === "max" ? "≤" : "≥"} ${fmt(r.goal, r.unit)}`
    lines.push(`| ${r.name}${r.note ? ` (${r.note})` : ""} | ${fmt(r.value, r.unit)} | ${goal} | ${passes(r) ? "pass" : "**FAIL**"} |`)
  }
  return lines.join("\n")
}

/**
 * P3: the share (%) of `requests` that went over a connection already open, when the server accepted
 * `opened` connections for them (each new connection carried at least its first request).
 */
export function reuseShare(requests: number, opened: number): number {
  if (!(requests > 0)) return NaN
  if (opened < 0 || opened > requests) throw new Error(`${opened} connections for ${requests} requests: counted in different windows?`)
  return (100 * (requests - opened)) / requests
}
