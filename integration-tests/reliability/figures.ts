// The reliability suite's figures (R1 … R7): each spec reports what it counted, and `npm test`
// (or `npm run test:reliability`) prints every figure after jest, e.g. `R1 fault matrix: 96/96`.
// A figure is what the suite measured, not a verdict: the spec's own assertions still fail the run.
import fs from "node:fs"
import os from "node:os"
import path from "node:path"

export interface Figure {
  /** "R1" … "R7" */
  id: string
  title: string
  passed: number
  total: number
  /** One line or a few: what was counted, a p99, what was scanned. */
  detail?: string
}

export function figuresDir(): string {
  return process.env.JP_FIGURES_DIR || path.join(os.tmpdir(), "medusa-payment-jp-figures")
}

/** Writes the figure where scripts/test.js reads it. A figure reported twice keeps the last. */
export function reportFigure(f: Figure): void {
  const dir = figuresDir()
  fs.mkdirSync(dir, { recursive: true })
  fs.writeFileSync(path.join(dir, `${f.id}.json`), JSON.stringify(f, null, 2))
}
