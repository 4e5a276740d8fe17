// The rule for test names: a `*.unit.spec.ts` never opens a socket (no simulator, no server, no
// database); tests that do are named `*.spec.ts`. Enforced here: in a unit spec, connecting or
// listening throws, and the sockets are given back when the file ends.
const net = require("node:net")

const testPath = expect.getState().testPath ?? ""
if (/\.unit\.spec\.[jt]sx?$/.test(testPath)) {
  const connect = net.Socket.prototype.connect
  const listen = net.Server.prototype.listen
  const refuse = (what) =>
    function () {
      throw new Error(`${testPath} is a *.unit.spec test and tried to ${what} a socket: name it *.spec.ts, or keep the network out of it`)
    }
  net.Socket.prototype.connect = refuse("connect")
  net.Server.prototype.listen = refuse("listen on")
  afterAll(() => {
    net.Socket.prototype.connect = connect
    net.Server.prototype.listen = listen
  })
}
