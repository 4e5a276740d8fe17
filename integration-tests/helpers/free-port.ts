// A TCP port free on 127.0.0.1 right now, for a server a test starts (a Medusa app, a simulator's
// notification target, a demo). The probe is unref'd: it never keeps the process alive.
// integration-tests/global-setup.js and scripts/demo.js keep their own copy: plain JS run before or
// outside any TypeScript transform.
import { createServer } from "node:net"

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.unref()
    srv.on("error", reject)
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as { port: number }).port
      srv.close(() => resolve(port))
    })
  })
}
