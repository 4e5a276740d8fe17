// Unit tests stay light: no `@medusajs/framework/utils` import here and no database for TEST_TYPE=unit.
const TEST_TYPE = process.env.TEST_TYPE

module.exports = {
  transform: {
    "^.+\\.[jt]sx?$": ["@swc/jest", { jsc: { parser: { syntax: "typescript", tsx: true, decorators: true } } }],
  },
  testEnvironment: "node",
  moduleFileExtensions: ["js", "ts", "tsx", "json"],
  modulePathIgnorePatterns: ["dist/", "<rootDir>/.medusa/"],
  setupFiles: ["./integration-tests/setup.js"],
  setupFilesAfterEnv: ["./integration-tests/unit-spec-guard.js"],
  testSequencer: "./integration-tests/sequencer.js",
}

if (TEST_TYPE !== "unit") {
  module.exports.globalSetup = "./integration-tests/global-setup.js"
  module.exports.globalTeardown = "./integration-tests/global-teardown.js"
}

if (TEST_TYPE === "integration:http") {
  module.exports.testMatch = ["**/integration-tests/http/**/*.spec.[jt]s"]
} else if (TEST_TYPE === "unit") {
  module.exports.testMatch = ["**/src/**/__tests__/**/*.unit.spec.[jt]s"]
  module.exports.setupFiles = []
} else {
  module.exports.testMatch = ["**/integration-tests/**/*.spec.[jt]s", "**/src/**/__tests__/**/*.spec.[jt]s"]
}
