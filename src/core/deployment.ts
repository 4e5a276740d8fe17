// A Medusa split across processes (MEDUSA_WORKER_MODE=server|worker) needs shared locking, a shared event
// bus and a shared workflow engine: the in-memory ones exclude and deliver only within one process, so
// the plugin's cart lock (notification vs. cart completion) would protect nothing and a notification
// taken by a server would never reach the worker. Said once per process at boot.

type ModuleEntry = { resolve?: unknown; disable?: boolean; options?: { providers?: { resolve?: unknown }[] } } | boolean | undefined

function entryOf(modules: unknown, key: string): ModuleEntry {
  if (!modules || typeof modules !== "object") return undefined
  if (Array.isArray(modules)) return modules.find((m) => m && typeof m === "object" && ((m as { key?: string }).key === key || String((m as { resolve?: unknown }).resolve ?? "").endsWith(`/${key.replace(/_/g, "-")}`)))
  return (modules as Record<string, ModuleEntry>)[key]
}

const resolveOf = (e: ModuleEntry) => (e && typeof e === "object" && typeof e.resolve === "string" ? e.resolve : "")

/** What is wrong with this configuration for a process of a split deployment (empty when nothing is). */
export function splitDeploymentProblems(workerMode: string | undefined, modules: unknown): string[] {
  if (!workerMode || workerMode === "shared") return []
  const problems: string[] = []
  const locking = entryOf(modules, "locking")
  const lockProviders = (locking && typeof locking === "object" ? locking.options?.providers : undefined) ?? []
  if (!lockProviders.some((p) => typeof p?.resolve === "string" && !/in-?memory/i.test(p.resolve))) {
    problems.push(
      "locking is in memory: the cart lock that keeps a gateway notification and a cart completion apart excludes nothing across processes " +
        "(register @medusajs/medusa/locking-redis or @medusajs/medusa/locking-postgres as the Locking Module's default provider)"
    )
  }
  const eventBus = resolveOf(entryOf(modules, "event_bus"))
  if (!eventBus || /event-bus-local/.test(eventBus)) {
    problems.push("the event bus is local: a notification a server takes never reaches the worker that completes the order (use @medusajs/medusa/event-bus-redis)")
  }
  const engine = resolveOf(entryOf(modules, "workflows"))
  if (!engine || /inmemory/.test(engine)) {
    problems.push("the workflow engine is in memory: workflows started on one process are not seen by the others (use @medusajs/medusa/workflow-engine-redis)")
  }
  return problems
}

let told = false

/** Logs the problems of this process's configuration once (the first provider built does it). */
export function warnSplitDeployment(logger: { warn(m: string): void }, config?: { projectConfig?: { workerMode?: string }; modules?: unknown }): void {
  if (told) return
  let c = config
  if (!c) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-var-requires
      const { configManager } = require("@medusajs/framework/config")
      if (!configManager.baseDir) return // not loaded yet (reading it would log a warning of its own)
      c = configManager.config
    } catch {
      return // no loaded Medusa configuration (a test without an app): nothing to say
    }
  }
  told = true
  const mode = c?.projectConfig?.workerMode ?? process.env.MEDUSA_WORKER_MODE
  for (const p of splitDeploymentProblems(mode, c?.modules)) logger.warn(`medusa-payment-jp: this process runs as "${mode}" of a split deployment, but ${p}.`)
}

/** For tests: forget that the warning was given. */
export function resetSplitDeploymentWarning(): void {
  told = false
}
