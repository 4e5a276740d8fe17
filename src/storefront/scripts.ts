// Loading the gateway's own scripts, one after the other, once per URL and document.
import { JpPaymentError } from "./errors"

const MARK = "data-medusa-payment-jp"
const loads = new WeakMap<Document, Map<string, Promise<void>>>()

function absolute(url: string, doc: Document): string {
  try {
    return new URL(url, doc.baseURI).href
  } catch {
    throw new JpPaymentError("SCRIPT_LOAD_FAILED", `not a script URL: ${JSON.stringify(url)}`, { stage: "scripts" })
  }
}

function existingTag(href: string, doc: Document): HTMLScriptElement | undefined {
  const tags = doc.getElementsByTagName("script")
  for (let i = 0; i < tags.length; i++) {
    const t = tags[i]
    if (t.src === href) return t
  }
  return undefined
}

function loadOne(href: string, doc: Document): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const failed = () => new JpPaymentError("SCRIPT_LOAD_FAILED", `could not load the gateway script ${href}`, { stage: "scripts" })
    const found = existingTag(href, doc)
    if (found) {
      const state = found.getAttribute(MARK)
      if (state === "loaded") return resolve()
      if (state === "error") return reject(failed())
      if (state === null && doc.readyState === "complete") return resolve() // the page's own tag, run before `load`
      const win = doc.defaultView
      const done = () => {
        found.removeEventListener("load", done)
        found.removeEventListener("error", fail)
        win?.removeEventListener("load", done)
        resolve()
      }
      const fail = () => {
        found.removeEventListener("load", done)
        found.removeEventListener("error", fail)
        win?.removeEventListener("load", done)
        reject(failed())
      }
      found.addEventListener("load", done)
      found.addEventListener("error", fail)
      if (state === null) win?.addEventListener("load", done)
      return
    }
    const script = doc.createElement("script")
    script.src = href
    script.async = false
    script.setAttribute(MARK, "loading")
    script.addEventListener("load", () => {
      script.setAttribute(MARK, "loaded")
      resolve()
    })
    script.addEventListener("error", () => {
      // Remove the tag, so that a later call tries again instead of finding a dead tag.
      script.parentNode?.removeChild(script)
      reject(failed())
    })
    ;(doc.head ?? doc.documentElement).appendChild(script)
  })
}

/**
 * Adds a `<script>` for each URL, in order (each one after the previous has loaded), never twice for
 * the same URL in a document. Resolves once all have run; rejects with a JpPaymentError
 * (code SCRIPT_LOAD_FAILED) naming the first URL that failed. A failed URL may be retried.
 */
export async function loadScripts(urls: string[], doc: Document = document): Promise<void> {
  if (!Array.isArray(urls)) throw new JpPaymentError("SCRIPT_LOAD_FAILED", "loadScripts needs a list of URLs", { stage: "scripts" })
  let cache = loads.get(doc)
  if (!cache) {
    cache = new Map()
    loads.set(doc, cache)
  }
  for (const url of urls) {
    const href = absolute(url, doc)
    let p = cache.get(href)
    if (!p) {
      p = loadOne(href, doc)
      cache.set(href, p)
      p.catch(() => cache!.delete(href))
    }
    await p
  }
}
