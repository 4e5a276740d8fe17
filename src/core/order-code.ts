// One rule for every gateway: a Medusa payment session id (`payses_` + ULID) becomes an order code
// that fits the strictest order field of the four gateways (PAYGENT trading_id: at most 25 characters
// of [A-Za-z0-9_]) and turns back into the session id, so a notification that carries only the order
// code finds its session. The 128-bit ULID is written in base62 (22 characters) behind a 2-letter tag.

const SESSION_PREFIX = "payses_"
const TAG = "MJ"
const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
const BODY_LENGTH = 22

export const ORDER_CODE_LENGTH = TAG.length + BODY_LENGTH

export class OrderCodeError extends Error {
  constructor(message: string) {
    super(message)
    this.name = "OrderCodeError"
  }
}

function ulidToBigInt(ulid: string): bigint {
  if (!/^[0-7][0-9A-HJKMNP-TV-Z]{25}$/i.test(ulid)) {
    throw new OrderCodeError(`not a ULID: ${ulid}`)
  }
  let n = 0n
  for (const ch of ulid.toUpperCase()) n = n * 32n + BigInt(CROCKFORD.indexOf(ch))
  return n
}

function bigIntToUlid(n: bigint): string {
  let out = ""
  for (let i = 0; i < 26; i++) {
    out = CROCKFORD[Number(n % 32n)] + out
    n /= 32n
  }
  return out
}

/** `payses_01J…` → `MJ` + 22 base62 characters. */
export function toOrderCode(sessionId: string): string {
  if (!sessionId.startsWith(SESSION_PREFIX)) {
    throw new OrderCodeError(`not a Medusa payment session id: ${sessionId}`)
  }
  let n = ulidToBigInt(sessionId.slice(SESSION_PREFIX.length))
  let body = ""
  for (let i = 0; i < BODY_LENGTH; i++) {
    body = BASE62[Number(n % 62n)] + body
    n /= 62n
  }
  return TAG + body
}

/** The session id an order code was made from, or null when the code is not one of ours. */
export function fromOrderCode(code: string): string | null {
  if (code.length !== ORDER_CODE_LENGTH || !code.startsWith(TAG)) return null
  let n = 0n
  for (const ch of code.slice(TAG.length)) {
    const d = BASE62.indexOf(ch)
    if (d < 0) return null
    n = n * 62n + BigInt(d)
  }
  if (n >= 1n << 128n) return null
  return SESSION_PREFIX + bigIntToUlid(n)
}
