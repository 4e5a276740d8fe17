// The widgets' labels, merged by Medusa's admin (2.11+) into its own translations: the admin user's
// language setting picks them. Keys live under `jpPayments.` so that they cannot collide with the
// dashboard's or another plugin's. `en` and `ja` are complete (a unit test compares their keys).
import en from "./en.json"
import ja from "./ja.json"

export default {
  en: { translation: en },
  ja: { translation: ja },
}
