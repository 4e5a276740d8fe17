// The simulators' state file (common/state-file.ts): Maps and bigints kept, security codes never
// written, written only on change by temporary file + rename, a foreign file refused. The restart of
// each simulator over HTTP is in the gateway contract (src/core/__tests__/contract.ts).
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { decodeState, encodeState, openStateFile, StateFile, type Durable } from "../common/state-file"
import { SimState } from "../robot-payment/state"

const dir = () => mkdtempSync(join(tmpdir(), "medusa-payment-jp-state-"))

/** A Durable over a plain object, as the simulators keep theirs. */
function box(initial: Record<string, unknown> = {}): Durable & { data: Record<string, unknown> } {
  const b = {
    data: initial,
    save: () => b.data,
    load: (saved: Record<string, unknown>) => {
      b.data = saved
    },
  }
  return b
}

describe("the simulators' state file", () => {
  it("keeps Maps, bigints and nested records as they were", () => {
    const state = { payments: new Map([["p1", { amount: 3000, history: [{ op: "AUTH" }] }]]), seq: 100000000000000007n, list: [1, "a", null] }
    const back = decodeState(encodeState(state)) as typeof state
    expect(back.payments).toBeInstanceOf(Map)
    expect(back.payments.get("p1")).toEqual({ amount: 3000, history: [{ op: "AUTH" }] })
    expect(back.seq).toBe(100000000000000007n)
    expect(back.list).toEqual([1, "a", null])
  })

  it("never writes a security code, at any depth", () => {
    const text = encodeState({ tokens: new Map([["t", { pan: "4111111111111111", cvv: "123", card: { cvc: "456", security_code: "789", securityCode: "012" } }]]) })
    expect(text).not.toMatch(/cvv|cvc|security_?code|"123"|"456"|"789"|"012"/i)
    expect(text).toContain("4111111111111111")
  })

  it("starts fresh without a file, then writes on change only, by temporary file + rename", () => {
    const path = join(dir(), "nested", "sim.json")
    const b = box({ n: 1 })
    expect(new StateFile(path, b, "robot-payment").load()).toBe(false)
    const file = new StateFile(path, b, "robot-payment")
    file.write()
    expect(JSON.parse(readFileSync(path, "utf8"))).toEqual({ format: 1, simulator: "robot-payment", state: { n: 1 } })
    const first = statSync(path).mtimeMs
    const inode = statSync(path).ino
    file.write() // unchanged: not written again
    expect(statSync(path).ino).toBe(inode)
    expect(statSync(path).mtimeMs).toBe(first)
    b.data = { n: 2 }
    file.write()
    expect(statSync(path).ino).not.toBe(inode) // a new file renamed over the old, never the old one rewritten in place
    expect(readdirSync(join(path, "..")).filter((f) => f.endsWith(".tmp"))).toEqual([])

    const again = box()
    expect(openStateFile(path, "robot-payment", again)).toBeInstanceOf(StateFile)
    expect(again.data).toEqual({ n: 2 })
  })

  it("refuses another simulator's file and one that is not a state file, rather than start over it", () => {
    const d = dir()
    const path = join(d, "sim.json")
    new StateFile(path, box({ n: 1 }), "sbps").write()
    expect(() => openStateFile(path, "paygent", box())).toThrow(/not a paygent simulator state file/)
    writeFileSync(join(d, "bad.json"), "{ half")
    expect(() => openStateFile(join(d, "bad.json"), "paygent", box())).toThrow(SyntaxError)
    expect(openStateFile(undefined, "paygent", box())).toBeUndefined()
  })

  it("puts a simulator's payments, users and counters back (ROBOT PAYMENT), without its tokens", () => {
    const path = join(dir(), "rp.json")
    const a = new SimState([{ aid: "123456" }])
    const gid = a.issueGid()
    a.transactions.push({ seq: a.issueSeq(), gid, god: a.issueGod(), aid: "123456", state: "AUTH", am: 3000 } as never)
    a.tokens.set("tok", { token: "tok", cvv: "123" } as never)
    new StateFile(path, a, "robot-payment").write()
    expect(existsSync(path)).toBe(true)
    expect(readFileSync(path, "utf8")).not.toContain("tok")

    const b = new SimState([{ aid: "123456" }])
    openStateFile(path, "robot-payment", b)
    expect(b.findTransaction("123456", gid)).toMatchObject({ state: "AUTH", am: 3000 })
    expect(b.tokens.size).toBe(0)
    expect(Number(b.issueGid())).toBe(Number(gid) + 1) // numbering goes on: no 決済番号 is issued twice
  })
})
