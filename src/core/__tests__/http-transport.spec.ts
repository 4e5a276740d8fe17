// The shared transport against a local HTTP server (a socket, so not a *.unit.spec): one kept-alive
// connection for calls in sequence, and no per-call log line built when the logger's debug is off.
import { createServer, type Server } from "node:http"
import type { AddressInfo } from "node:net"
import { Transport, type Logger } from "../http"

let server: Server
let url: string
let connections = 0
const bodies: string[] = []

beforeAll(async () => {
  server = createServer((req, res) => {
    let b = ""
    req.on("data", (c) => (b += c))
    req.on("end", () => {
      bodies.push(b)
      res.writeHead(200, { "content-type": "text/plain; charset=UTF-8" }).end("OK")
    })
  })
  server.on("connection", () => connections++)
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r))
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(async () => {
  server.closeAllConnections()
  await new Promise((r) => server.close(r))
})

function logger(debugOn: boolean) {
  const lines: string[] = []
  const l: Logger = { debug: (m) => lines.push(m), shouldLog: (level) => level !== "debug" || debugOn, info() {}, warn() {}, error() {} }
  return { l, lines }
}

describe("Transport", () => {
  it("keeps one connection open for calls made one after another", async () => {
    const t = new Transport("TEST", [], { baseUrl: url })
    const before = connections
    for (let i = 0; i < 20; i++) {
      const r = await t.request({ method: "POST", path: "/pay", form: { n: i }, effect: "moves" })
      expect(r.body.toString()).toBe("OK")
    }
    // undici may open a second socket once while the first is being handed back (seen with a bare
    // undici Pool too); what matters is that 20 calls do not open 20.
    expect(connections - before).toBeLessThanOrEqual(2)
    await t.close()
  })

  it("writes the redacted debug line when debug is on, and builds none when it is off", async () => {
    const on = logger(true)
    const t1 = new Transport("TEST", ["pwd"], { baseUrl: url, logger: on.l })
    await t1.request({ method: "POST", path: "/pay", form: { pwd: "s3cret", cn: "4111111111111111" }, effect: "moves" })
    expect(on.lines).toHaveLength(1)
    expect(on.lines[0]).toMatch(/^TEST POST \/pay \{"pwd":"\[redacted\]","cn":"\*{12}1111"\} -> 200 in \d+ ms$/)
    expect(bodies[bodies.length - 1]).toBe("pwd=s3cret&cn=4111111111111111")

    const off = logger(false)
    const t2 = new Transport("TEST", ["pwd"], { baseUrl: url, logger: off.l })
    await t2.request({ method: "POST", path: "/pay", form: { pwd: "s3cret" }, effect: "moves" })
    expect(off.lines).toHaveLength(0)
    await t1.close()
    await t2.close()
  })
})
