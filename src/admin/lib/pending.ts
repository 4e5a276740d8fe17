// The merchant's word on an operation whose answer was lost (jp.pending), shared by the attention page
// and the order widget: a prompt first (the word decides whether the next try is sent or only recorded),
// then DELETE (not done) or POST { done: true, at } for the mark they saw, a toast saying what next (or
// why not), and the payment read again either way.
import { toast, usePrompt } from "@medusajs/ui"
import { useMutation } from "@tanstack/react-query"
import { useTranslation } from "react-i18next"
import { sdk } from "./common"

export type PendingWord = { id: string; done: boolean; at: string }
/** What the texts interpolate: the operation in running text, the amount, the gateway's name. */
export type PendingVars = { op: string; amount: string; gateway: string }

export function usePendingWord(after: () => Promise<unknown> | unknown) {
  const { t } = useTranslation()
  const prompt = usePrompt()
  const mutation = useMutation({
    mutationFn: ({ id, done, at }: PendingWord) =>
      sdk.client.fetch(`/admin/jp-payments/payments/${id}/pending`, done ? { method: "POST", body: { done: true, at } } : { method: "DELETE" }),
    // a refusal too: the mark may have changed meanwhile (another tab, a retry), so read it again
    onSettled: () => after(),
  })
  const P = (key: string, vars?: PendingVars) => t(`jpPayments.pending.${key}`, vars)
  /** Asks, then sends the word; resolves when it is saved (or the merchant cancelled). */
  const say = async (word: PendingWord, vars: PendingVars) => {
    const ok = await prompt({
      variant: "confirmation",
      title: P(word.done ? "confirmDoneTitle" : "confirmNotDoneTitle", vars),
      description: P(word.done ? "confirmDoneText" : "confirmNotDoneText", vars),
      confirmText: P(word.done ? "confirmDone" : "confirmNotDone", vars),
      cancelText: P("cancel"),
    })
    if (!ok) return
    mutation.mutate(word, {
      onSuccess: () => toast.success(P(word.done ? "doneSaved" : "notDoneSaved", vars)),
      // the row or notice may be gone once read again: the toast keeps the reason in sight
      onError: (e) => toast.error(t("jpPayments.pending.saveFailed", { message: (e as Error).message })),
    })
  }
  /** Whether this word (payment, done or not) is on its way. */
  const saying = (id: string, done: boolean) => mutation.isPending && mutation.variables?.id === id && mutation.variables.done === done
  /** The error of the last word said about this payment, if it failed. */
  const failed = (id: string) => (mutation.isError && mutation.variables?.id === id ? { done: mutation.variables.done, message: (mutation.error as Error).message } : null)
  return { say, saying, failed }
}
