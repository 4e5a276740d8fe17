import { cardsOf, holderCards, withCard } from "../holder-cards"

describe("card ids kept with the account holder", () => {
  it("reads only string ids, adds once at the end, removes", () => {
    expect(cardsOf(undefined)).toEqual([])
    expect(cardsOf({ cards: ["1", 2, "", "6"] })).toEqual(["1", "6"])
    expect(withCard(["1", "6"], "7", true)).toEqual(["1", "6", "7"])
    expect(withCard(["1", "6"], "1", true)).toEqual(["6", "1"])
    expect(withCard(["1", "6"], "1", false)).toEqual(["6"])
  })

  it("keeps the ids in the data of this gateway's holders only, and keeps the rest of their data", async () => {
    const rows = [
      { id: "acchld_1", provider_id: "pp_robot-payment_rp", data: { ref: "u1" } as Record<string, unknown> },
      { id: "acchld_2", provider_id: "pp_sbps_sbps", data: { ref: "u1" } as Record<string, unknown> },
    ]
    const service = {
      list: async (f: { external_id: string }) => rows.filter((r) => r.data.ref === f.external_id),
      update: async (u: { id: string; data: Record<string, unknown> }) => {
        rows.find((r) => r.id === u.id)!.data = u.data
      },
    }
    const reg = holderCards({ accountHolderService: service }, "robot-payment")!
    await reg.add("u1", "6")
    await reg.add("u1", "7")
    await reg.remove("u1", "6")
    expect(await reg.list("u1")).toEqual(["7"])
    expect(rows[0].data).toEqual({ ref: "u1", cards: ["7"] })
    expect(rows[1].data).toEqual({ ref: "u1" })
    expect(holderCards({}, "robot-payment")).toBeUndefined()
  })
})
