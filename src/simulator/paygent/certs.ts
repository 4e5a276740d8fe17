/**
 * Test certificates for the PAYGENT simulator, made at run time with the `openssl` CLI (node's crypto
 * cannot sign X.509): a CA, a server certificate for localhost/127.0.0.1, and a client certificate
 * in the shapes of PAYGENT's 接続キット — a PEM bundle with an encrypted legacy RSA key
 * (Proc-Type: 4,ENCRYPTED, DES-EDE3-CBC), the same as PKCS#12 — plus a client certificate from
 * another CA that the simulator must refuse. Test-only: nothing here is a real secret.
 */
import { execFileSync } from "node:child_process"
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { dirname, join } from "node:path"

/** The passphrase of the simulator's test client key (the real one comes with the 接続キット). */
export const TEST_CLIENT_KEY_PASSPHRASE = "paygent-simulator-test"

export interface SimCertificates {
  dir: string
  /** CA that signs the server and the accepted client certificates (give it to the client as caCertificate). */
  caFile: string
  serverCertFile: string
  serverKeyFile: string
  /** The client certificate alone, its encrypted key alone, and both in one bundle with the CA. */
  clientCertFile: string
  clientKeyFile: string
  clientBundleFile: string
  clientPfxFile: string
  clientKeyPassphrase: string
  /** A client certificate (bundle, unencrypted key) from another CA: must be refused with P016. */
  rogueBundleFile: string
}

function openssl(args: string[], cwd: string): void {
  execFileSync("openssl", args, { cwd, stdio: ["ignore", "ignore", "pipe"] })
}

/** Says how to get the `openssl` command when it is missing, before anything is made. */
function requireOpenssl(): void {
  try {
    // env given as this module sees it: under jest, process.env is the test's copy, where a test may empty PATH
    execFileSync("openssl", ["version"], { stdio: "ignore", env: process.env })
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e
    throw new Error(
      "The PAYGENT simulator makes its test certificates with the `openssl` command, which was not found: install it (Debian/Ubuntu: apt-get install openssl; macOS: brew install openssl) and start again."
    )
  }
}

/** Makes the certificates in `dir` (default: a fixed folder under the OS temp dir), reusing them when present. */
export function ensureCertificates(dir = join(tmpdir(), "medusa-payment-jp-paygent-certs")): SimCertificates {
  const certs = certificatesIn(dir)
  if (existsSync(join(dir, "complete"))) return certs
  requireOpenssl()
  // Made beside the target and renamed into place, so that parallel test workers never see half a set.
  mkdirSync(dirname(dir), { recursive: true })
  const work = mkdtempSync(`${dir}.tmp-`)
  generate(work)
  try {
    if (existsSync(join(dir, "complete"))) throw new Error("made meanwhile by another process")
    if (existsSync(dir)) rmSync(dir, { recursive: true, force: true })
    renameSync(work, dir)
  } catch {
    rmSync(work, { recursive: true, force: true })
  }
  if (!existsSync(join(dir, "complete"))) throw new Error(`could not write the PAYGENT simulator certificates to ${dir}`)
  return certs
}

function certificatesIn(dir: string): SimCertificates {
  const f = (n: string) => join(dir, n)
  return {
    dir,
    caFile: f("ca.pem"),
    serverCertFile: f("server.pem"),
    serverKeyFile: f("server.key"),
    clientCertFile: f("client-cert.pem"),
    clientKeyFile: f("client-key.pem"),
    clientBundleFile: f("client.pem"),
    clientPfxFile: f("client.p12"),
    clientKeyPassphrase: TEST_CLIENT_KEY_PASSPHRASE,
    rogueBundleFile: f("rogue-client.pem"),
  }
}

function generate(dir: string): void {
  const f = (n: string) => join(dir, n)
  const pass = `pass:${TEST_CLIENT_KEY_PASSPHRASE}`
  const days = "3650"
  writeFileSync(f("server.ext"), "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1\nextendedKeyUsage=serverAuth\n")
  writeFileSync(f("client.ext"), "extendedKeyUsage=clientAuth\n")
  // CA
  openssl(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", days, "-subj", "/O=PAYGENT Simulator/CN=PAYGENT Simulator Test CA"], dir)
  // server
  openssl(["req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=localhost"], dir)
  openssl(["x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", "server.pem", "-days", days, "-extfile", "server.ext"], dir)
  // client, as in the 接続キット: encrypted legacy PEM key + certificate + CA in one file
  openssl(["req", "-newkey", "rsa:2048", "-nodes", "-keyout", "client-plain.key", "-out", "client.csr", "-subj", "/O=PAYGENT Simulator/OU=PAYGENT B2B Module/CN=test-merchant"], dir)
  openssl(["x509", "-req", "-in", "client.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", "client-cert.pem", "-days", days, "-extfile", "client.ext"], dir)
  openssl(["rsa", "-in", "client-plain.key", "-traditional", "-des3", "-passout", pass, "-out", "client-key.pem"], dir)
  writeFileSync(f("client.pem"), readFileSync(f("client-key.pem"), "utf8") + readFileSync(f("client-cert.pem"), "utf8") + readFileSync(f("ca.pem"), "utf8"))
  openssl(["pkcs12", "-export", "-in", "client-cert.pem", "-inkey", "client-plain.key", "-certfile", "ca.pem", "-passout", pass, "-out", "client.p12"], dir)
  // a client certificate from a CA the simulator does not trust
  openssl(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "rogue.key", "-out", "rogue-cert.pem", "-days", days, "-subj", "/O=Not PAYGENT/CN=rogue"], dir)
  writeFileSync(f("rogue-client.pem"), readFileSync(f("rogue.key"), "utf8") + readFileSync(f("rogue-cert.pem"), "utf8"))
  writeFileSync(f("complete"), new Date().toISOString())
}
