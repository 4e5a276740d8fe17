// Every gateway's options are checked the same way at boot, with one message naming each bad field:
// the options core reads itself (backendUrl, storefrontUrl: every gateway takes them), then the
// gateway's own schema, then the gateway's own check of the whole.
import { z } from "@medusajs/framework/zod"
import type { CoreOptions, GatewayDefinition } from "./definition"
import { PREVIOUS_SEAL_KEYS_MAX, SEAL_KEY_MIN } from "./seal"

export const coreOptionsSchema = z.object({
  /** The public origin of the Medusa server: the base of the return and notification URLs. */
  backendUrl: z.string().url().optional(),
  /** Where the shopper lands after a redirect; a session's `return_url` must share its origin. */
  storefrontUrl: z.string().url().optional(),
  /**
   * Source addresses a gateway's notification may come from (exact IPv4/IPv6 addresses). Absent or
   * empty: not checked. Off by default: the gateways sign what they can, and few publish their addresses.
   */
  notificationIps: z.array(z.string().min(1)).optional(),
  /**
   * Where a notification's source address is read: false (default) the TCP peer; true Medusa's
   * `req.ip`, the last X-Forwarded-For hop (Medusa sets Express's `trust proxy` 1). Set it only behind
   * exactly one proxy that overwrites X-Forwarded-For: without one, any caller can write that header.
   */
  trustProxy: z.boolean().optional(),
  /**
   * The secret the card token is sealed with between the session's creation and its authorization
   * (seal.ts). Absent: Medusa's `http.cookieSecret`. Every process of a deployment needs the same one.
   */
  sealKey: z.string().min(SEAL_KEY_MIN, `sealKey must be a secret of at least ${SEAL_KEY_MIN} characters`).optional(),
  /**
   * Secrets the card token was sealed with before the current one (an earlier `sealKey`, or Medusa's
   * `http.cookieSecret` when no sealKey was set): they only open seals, new ones use the current key,
   * so a key can change while checkouts are under way. Any length: an old cookieSecret is taken as it
   * was (Medusa sets no minimum, and without sealKey it is the current key at any length today); what
   * it sealed is in the database already, and a seal forged with it holds only a token its maker could
   * send in the clear. The provider warns at boot of one shorter than SEAL_KEY_MIN. Remove a key once
   * the longest checkout sealed under it is over.
   */
  previousSealKeys: z.array(z.string().min(1, "an empty key")).optional(),
})

/**
 * What the schema does not say: too many previous keys (checked here, so that a string given for the
 * list is one error, not two), or one that is the current key or listed twice (a rotation that did
 * not happen). Never names a key's value.
 */
function coreProblems(o: CoreOptions): string[] {
  const prev = o.previousSealKeys ?? []
  const out: string[] = []
  if (prev.length > PREVIOUS_SEAL_KEYS_MAX) out.push(`previousSealKeys: takes at most ${PREVIOUS_SEAL_KEYS_MAX} keys (each is tried on a seal the current key does not open)`)
  prev.forEach((k, i) => {
    if (k === o.sealKey) out.push(`previousSealKeys.${i}: is the sealKey itself (put the old key here, the new one in sealKey)`)
    else if (prev.indexOf(k) < i) out.push(`previousSealKeys.${i}: the same key as previousSealKeys.${prev.indexOf(k)}`)
  })
  return out
}

const CORE_KEYS = Object.keys(coreOptionsSchema.shape) as Array<keyof CoreOptions>

/** Parses `raw` with the core and gateway schemas and runs the gateway's check; throws an Error that names the gateway and every bad field. */
export function parseOptions<O extends object>(def: Pick<GatewayDefinition<O>, "name" | "options" | "check">, raw: unknown): O & CoreOptions {
  const all = (raw ?? {}) as Record<string, unknown>
  const own: Record<string, unknown> = {}
  const core: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(all)) (CORE_KEYS.includes(k as keyof CoreOptions) ? core : own)[k] = v
  const c = coreOptionsSchema.safeParse(core)
  const g = def.options.safeParse(own)
  const issues = [...(c.success ? [] : c.error.issues), ...(g.success ? [] : g.error.issues)].map((i) => `${i.path.join(".") || "(options)"}: ${i.message}`)
  if (c.success) issues.push(...coreProblems(c.data))
  if (!c.success || !g.success || issues.length > 0) throw new Error(`${def.name} options are invalid: ${issues.join("; ")}`)
  const options = { ...g.data, ...c.data }
  const problem = def.check?.(options)
  if (problem) throw new Error(`${def.name} options are invalid: ${problem}`)
  return options
}
