// Imported first by at-rest.spec.ts: Medusa's logger reads LOG_LEVEL when it is loaded, and R3 scans
// every line the app writes at debug level (the plugin's transport logs each gateway call there).
process.env.LOG_LEVEL = "debug"
export {}
