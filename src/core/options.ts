// Every gateway's options are checked the same way at boot: one message naming each bad field.
import type { GatewayDefinition } from "./definition"

/** Parses `raw` with the gateway's schema; throws an Error that names the gateway and every bad field. */
export function parseOptions<O extends object>(def: Pick<GatewayDefinition<O>, "name" | "options">, raw: unknown): O {
  const r = def.options.safeParse(raw ?? {})
  if (!r.success) {
    const issues = r.error.issues.map((i) => `${i.path.join(".") || "(options)"}: ${i.message}`).join("; ")
    throw new Error(`${def.name} options are invalid: ${issues}`)
  }
  return r.data
}
