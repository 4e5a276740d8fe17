import { resetSplitDeploymentWarning, splitDeploymentProblems, warnSplitDeployment } from "../deployment"

const redis = {
  locking: { resolve: "@medusajs/medusa/locking", options: { providers: [{ resolve: "@medusajs/medusa/locking-redis", id: "locking-redis", is_default: true }] } },
  event_bus: { resolve: "@medusajs/medusa/event-bus-redis", options: { redisUrl: "redis://r" } },
  workflows: { resolve: "@medusajs/medusa/workflow-engine-redis", options: { redis: { redisUrl: "redis://r" } } },
}
// what defineConfig gives when medusa-config.ts names none of them
const defaults = {
  locking: { resolve: "@medusajs/medusa/locking" },
  event_bus: { resolve: "@medusajs/medusa/event-bus-local" },
  workflows: { resolve: "@medusajs/medusa/workflow-engine-inmemory" },
}

describe("split deployment check", () => {
  it("says nothing for one process (shared, or no worker mode)", () => {
    expect(splitDeploymentProblems(undefined, defaults)).toEqual([])
    expect(splitDeploymentProblems("shared", defaults)).toEqual([])
  })

  it("names the in-memory locking, the local event bus and the in-memory workflow engine of a server or worker", () => {
    for (const mode of ["server", "worker"]) {
      const problems = splitDeploymentProblems(mode, defaults)
      expect(problems).toHaveLength(3)
      expect(problems[0]).toMatch(/^locking is in memory: .*locking-redis or @medusajs\/medusa\/locking-postgres/)
      expect(problems[1]).toMatch(/event bus is local.*event-bus-redis/)
      expect(problems[2]).toMatch(/workflow engine is in memory.*workflow-engine-redis/)
    }
  })

  it("is satisfied by Redis (or PostgreSQL) locking, the Redis event bus and workflow engine", () => {
    expect(splitDeploymentProblems("server", redis)).toEqual([])
    const pg = { ...redis, locking: { resolve: "@medusajs/medusa/locking", options: { providers: [{ resolve: "@medusajs/medusa/locking-postgres", id: "pg" }] } } }
    expect(splitDeploymentProblems("worker", pg)).toEqual([])
    // the in-memory provider named explicitly is still in memory
    const mem = { ...redis, locking: { options: { providers: [{ resolve: "@medusajs/locking/providers/in-memory" }] } } }
    expect(splitDeploymentProblems("worker", mem)).toHaveLength(1)
  })

  it("warns once per process, with the worker mode", () => {
    resetSplitDeploymentWarning()
    const warn = jest.fn()
    warnSplitDeployment({ warn }, { projectConfig: { workerMode: "server" }, modules: { ...redis, locking: defaults.locking } })
    warnSplitDeployment({ warn }, { projectConfig: { workerMode: "server" }, modules: defaults })
    expect(warn).toHaveBeenCalledTimes(1)
    expect(warn.mock.calls[0][0]).toMatch(/^medusa-payment-jp: this process runs as "server" of a split deployment, but locking is in memory/)
    resetSplitDeploymentWarning()
  })
})
