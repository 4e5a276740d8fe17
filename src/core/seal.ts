// The browser's card token between the session's creation and its authorization. Medusa keeps a
// session's `data` in its tables, and its complete-cart workflow keeps the cart it read (sessions
// included) for days: the token itself must not be there. The provider replaces it in `data` with
// null and keeps an AES-256-GCM sealed copy under `jp.card_seal`; authorization opens it. The key is
// derived (HKDF-SHA256) from a server-side secret that is never in the database — the provider option
// `sealKey`, or Medusa's own `http.cookieSecret` — so every process of a deployment opens what another sealed.
//
// Rotation: a seal is made with the current key only, and opened with the current key or, failing
// that, each key of the option `previousSealKeys` in turn. No key id is written in the seal: GCM's tag
// already tells a wrong key apart (a false match is 2^-128), a tag check costs microseconds and the
// option allows a few keys, so trying them is cheap; the format stays `s1` (seals made before this
// change open unchanged) and a seal says nothing of which secret made it.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto"

const VERSION = "s1"
const SALT = "medusa-payment-jp card seal v1"
const IV_BYTES = 12
const TAG_BYTES = 16

/** The shortest `sealKey` taken: a guessable key seals nothing. */
export const SEAL_KEY_MIN = 32

/** The most `previousSealKeys` taken: each is tried in turn on a seal the current key does not open. */
export const PREVIOUS_SEAL_KEYS_MAX = 3

/** A sealed copy that cannot be opened: altered, sealed for another session, or with another key. */
export class SealError extends Error {
  constructor(message: string) {
    super(message)
    this.name = "SealError"
  }
}

/** The 256-bit key of one gateway, from the server-side secret (`info` keeps gateways' keys apart). */
export function sealKeyOf(secret: string, gateway: string): Buffer {
  if (!secret) throw new SealError("no secret to derive the seal key from")
  return Buffer.from(hkdfSync("sha256", Buffer.from(secret, "utf8"), Buffer.from(SALT, "utf8"), Buffer.from(gateway, "utf8"), 32))
}

/**
 * `values` sealed for one session: `context` (gateway and order code) is authenticated with it, so a
 * copy moved to another session does not open. A fresh IV every time: the same token seals differently.
 */
export function seal(values: Record<string, string>, key: Buffer, context: string): string {
  const iv = randomBytes(IV_BYTES)
  const cipher = createCipheriv("aes-256-gcm", key, iv)
  cipher.setAAD(Buffer.from(context, "utf8"))
  const body = Buffer.concat([cipher.update(JSON.stringify(values), "utf8"), cipher.final()])
  return `${VERSION}.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64url")}`
}

/**
 * The values `seal` sealed, with `keys` (one key, or the current key first and then the previous
 * ones); throws SealError for anything else (nothing is half-read).
 */
export function unseal(sealed: unknown, keys: Buffer | readonly Buffer[], context: string): Record<string, string> {
  if (typeof sealed !== "string" || !sealed.startsWith(`${VERSION}.`)) throw new SealError("not a sealed card token")
  const raw = Buffer.from(sealed.slice(VERSION.length + 1), "base64url")
  if (raw.length <= IV_BYTES + TAG_BYTES) throw new SealError("the sealed card token is cut short")
  let text: string | null = null
  for (const key of Buffer.isBuffer(keys) ? [keys] : keys) {
    text = opened(raw, key, context)
    if (text !== null) break
  }
  if (text === null) throw new SealError("the sealed card token does not open: altered, sealed for another session, or with another key")
  const values = JSON.parse(text) as unknown
  if (!values || typeof values !== "object" || Array.isArray(values) || !Object.values(values).every((v) => typeof v === "string")) {
    throw new SealError("the sealed card token holds no card values")
  }
  return values as Record<string, string>
}

/** The plaintext of `raw` under `key`, or null when the tag does not match (another key, altered, another context). */
function opened(raw: Buffer, key: Buffer, context: string): string | null {
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, raw.subarray(0, IV_BYTES))
    decipher.setAAD(Buffer.from(context, "utf8"))
    decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES))
    return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString("utf8")
  } catch {
    return null
  }
}

/** The card fields of session data: `token` and the gateway's companions (its tokenFields). */
export function cardFields(tokenFields: readonly string[]): string[] {
  return [...new Set(["token", ...tokenFields])]
}

/** The card values `data` holds in the clear (non-empty strings only). */
export function cardValues(data: Record<string, unknown>, fields: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {}
  for (const f of fields) if (typeof data[f] === "string" && (data[f] as string).length > 0) out[f] = data[f] as string
  return out
}
