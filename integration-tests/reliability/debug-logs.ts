// Imported first by at-rest.spec.ts: Medusa's logger reads LOG_LEVEL when it is loaded, and R3 scans
// every line the app writes at debug level (the plugin's transport logs each gateway call there).
// The jest worker's environment outlives the file: at-rest.spec.ts puts the previous level back.
export const previousLogLevel = process.env.LOG_LEVEL
process.env.LOG_LEVEL = "debug"
