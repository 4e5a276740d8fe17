// Debian's Chromium driven by playwright-core, and the storefront helper bundled for a page.
import { existsSync } from "node:fs"
import path from "node:path"
import { chromium, type Browser } from "playwright-core"

export const CHROMIUM = "/usr/bin/chromium"

/** Flags for a closed network: no background calls out. */
const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"]

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`this test needs Chromium at ${CHROMIUM} (apt-get install chromium; npm test installs it when run as root); it was not found`)
  }
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS })
}

/** `medusa-payment-jp/storefront` as one script, exposed as `window.MedusaPaymentJp`. */
export function bundleStorefront(): string {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const esbuild = require("esbuild") as typeof import("esbuild")
  return esbuild.buildSync({
    entryPoints: [path.resolve(__dirname, "../../src/storefront/index.ts")],
    bundle: true,
    format: "iife",
    globalName: "MedusaPaymentJp",
    write: false,
    platform: "browser",
    target: "es2019",
  }).outputFiles[0].text
}
