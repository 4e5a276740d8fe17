/**
 * The one list naming every simulator, one line each: a new gateway's simulator is its folder
 * (exporting its module from cli.ts) and a line here. The CLI lists them by default port.
 */
export { simulator as robotPayment } from "./robot-payment/cli"
export { simulator as sbps } from "./sbps/cli"
export { simulator as paygent } from "./paygent/cli"
export { simulator as paymentOptions } from "./payment-options/cli"
export { simulator as billingRobo } from "./billing-robo/cli"
