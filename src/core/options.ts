// Every gateway's options are checked the same way at boot: one message naming each bad field.
import type { z } from "@medusajs/framework/zod"

/** Parses `raw` with the gateway's schema; throws an Error that names the gateway and every bad field. */
export function parseOptions<S extends z.ZodType>(gateway: string, schema: S, raw: unknown): z.output<S> {
  const r = schema.safeParse(raw ?? {})
  if (!r.success) {
    const issues = r.error.issues.map((i) => `${i.path.join(".") || "(options)"}: ${i.message}`).join("; ")
    throw new Error(`${gateway} options are invalid: ${issues}`)
  }
  return r.data
}
