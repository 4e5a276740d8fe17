// Every gateway's options are checked the same way at boot, with one message naming each bad field:
// the options core reads itself (backendUrl, storefrontUrl: every gateway takes them), then the
// gateway's own schema, then the gateway's own check of the whole.
import { z } from "@medusajs/framework/zod"
import type { CoreOptions, GatewayDefinition } from "./definition"
import { SEAL_KEY_MIN } from "./seal"

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
})

const CORE_KEYS = Object.keys(coreOptionsSchema.shape) as Array<keyof CoreOptions>

/** Parses `raw` with the core and gateway schemas and runs the gateway's check; throws an Error that names the gateway and every bad field. */
export function parseOptions<O extends object>(def: Pick<GatewayDefinition<O>, "name" | "options" | "check">, raw: unknown): O & CoreOptions {
  const all = (raw ?? {}) as Record<string, unknown>
  const own: Record<string, unknown> = {}
  const core: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(all)) (CORE_KEYS.includes(k as keyof CoreOptions) ? core : own)[k] = v
  const c = coreOptionsSchema.safeParse(core)
  const g = def.options.safeParse(own)
  const issues = [...(c.success ? [] : c.error.issues), ...(g.success ? [] : g.error.issues)]
  if (!c.success || !g.success) {
    throw new Error(`${def.name} options are invalid: ${issues.map((i) => `${i.path.join(".") || "(options)"}: ${i.message}`).join("; ")}`)
  }
  const options = { ...g.data, ...c.data }
  const problem = def.check?.(options)
  if (problem) throw new Error(`${def.name} options are invalid: ${problem}`)
  return options
}
