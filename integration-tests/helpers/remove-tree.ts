// A test's temporary folder, removed after it. A process the test just stopped (a store, the demo) may
// still be writing into it, so the removal can meet a folder that is not empty yet (ENOTEMPTY, as CI
// once did): Node's rmSync retries then, with a growing wait.
import fs from "node:fs"

export function removeTree(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 300 })
}
