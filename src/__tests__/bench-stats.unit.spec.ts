// The statistics `npm run bench` judges by (bench/stats.ts): if these are wrong, every ratio is.
import { interleave, markdownTable, passes, percentile, ratioInterval, reuseShare, runInterleaved, summarize } from "../../bench/stats"

describe("bench statistics", () => {
  it("percentile interpolates between ranks and ignores input order", () => {
    const xs = [5, 1, 4, 2, 3]
    expect(percentile(xs, 0)).toBe(1)
    expect(percentile(xs, 50)).toBe(3)
    expect(percentile(xs, 100)).toBe(5)
    expect(percentile(xs, 25)).toBe(2)
    expect(percentile([10, 20], 50)).toBe(15)
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90)).toBeCloseTo(9.1)
    expect(xs).toEqual([5, 1, 4, 2, 3]) // not sorted in place
  })

  it("p99 of 1000 samples sees the slow tail, p50 does not", () => {
    const xs = Array.from({ length: 1000 }, (_, i) => (i < 985 ? 1 : 100))
    const s = summarize(xs)
    expect(s.p50).toBe(1)
    expect(s.p99).toBe(100)
    expect(s.n).toBe(1000)
  })

  it("ratioInterval: around 2 for samples twice as long, around 1 for the same samples, narrower with more of them, the same twice", () => {
    const base = Array.from({ length: 1000 }, (_, i) => 1 + ((i * 7919) % 1000) / 100)
    const [lo, hi] = ratioInterval(base.map((v) => 2 * v), base, 99)
    expect(lo).toBeGreaterThan(1.5)
    expect(hi).toBeLessThan(2.7)
    const [l1, h1] = ratioInterval(base, base, 50)
    expect(l1).toBeLessThanOrEqual(1)
    expect(h1).toBeGreaterThanOrEqual(1)
    // a p99 on a tail of 15 slow rounds in 1000 moves a lot; on 10 000 rounds, much less
    const tail = (n: number) => Array.from({ length: n }, (_, i) => (i % 100 < 98 ? 1 : 1 + ((i * 31) % 97)))
    const wide = ratioInterval(tail(1000), tail(1000), 99)
    const narrow = ratioInterval(tail(10_000), tail(10_000), 99)
    expect(wide[1] - wide[0]).toBeGreaterThan(narrow[1] - narrow[0])
    expect(ratioInterval(tail(1000), tail(1000), 99)).toEqual(wide)
    expect(() => ratioInterval([], [1], 50)).toThrow(/no samples/)
  })

  it("refuses what has no percentile", () => {
    expect(() => percentile([], 50)).toThrow(/no samples/)
    expect(() => percentile([1], 101)).toThrow(/outside/)
  })

  it("interleave runs every arm once a round and turns the order each round", () => {
    expect(interleave(2, 3)).toEqual([0, 1, 1, 0, 0, 1])
    expect(interleave(3, 3)).toEqual([0, 1, 2, 1, 2, 0, 2, 0, 1])
    const counts = [0, 0, 0]
    for (const a of interleave(3, 30)) counts[a]++
    expect(counts).toEqual([30, 30, 30])
  })

  it("runInterleaved drops the warm-up rounds and keeps each arm's own timings", async () => {
    const calls: string[] = []
    const arms = [
      (i: number) => (calls.push(`a${i}`), 1000 + i),
      async (i: number) => (calls.push(`b${i}`), 2000 + i),
    ]
    const [a, b] = await runInterleaved(arms, { warmup: 2, rounds: 3 })
    expect(calls).toEqual(["a0", "b0", "b1", "a1", "a2", "b2", "b3", "a3", "a4", "b4"])
    expect(a).toEqual([1002, 1003, 1004])
    expect(b).toEqual([2002, 2003, 2004])
  })

  it("reuseShare: every new connection costs one request its reuse; nothing to share of no requests", () => {
    expect(reuseShare(500, 5)).toBe(99)
    expect(reuseShare(500, 0)).toBe(100)
    expect(reuseShare(50, 50)).toBe(0)
    expect(reuseShare(0, 0)).toBeNaN()
    expect(() => reuseShare(10, 11)).toThrow(/different windows/)
  })

  it("a row passes only on its side of the goal", () => {
    expect(passes({ value: 1.1, direction: "max", goal: 1.1 })).toBe(true)
    expect(passes({ value: 1.11, direction: "max", goal: 1.1 })).toBe(false)
    expect(passes({ value: 0.89, direction: "min", goal: 0.9 })).toBe(false)
    expect(passes({ value: NaN, direction: "min", goal: 0.9 })).toBe(false)
    const md = markdownTable([
      { name: "x", value: 1.2, direction: "max", goal: 1.1 },
      { name: "reuse", value: 99.5, direction: "min", goal: 99, unit: "%" },
    ])
    expect(md).toContain("| x | 1.200 | ≤ 1.100 | **FAIL** |")
    expect(md).toContain("| reuse | 99.5 % | ≥ 99.0 % | pass |")
  })
})
