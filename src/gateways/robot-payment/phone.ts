// ROBOT PAYMENT's pn. The server and the browser's ThreeDSAdapter.authenticate must send the same
// value, or the payment fails: the one rule lives in the storefront helper (which imports nothing from
// the server), and the server takes it from there.
export { normalisePhone } from "../../storefront/phone"
