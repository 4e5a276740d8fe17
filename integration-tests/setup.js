const { MetadataStorage } = require("@medusajs/framework/mikro-orm/core")

MetadataStorage.clear()

// The plugin's reconciliation job (src/jobs) stays off in tests, so that it never races a test; the
// tests that exercise it call it themselves.
process.env.MEDUSA_PAYMENT_JP_RECONCILE ??= "off"
