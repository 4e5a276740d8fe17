// The browser pages of the simulator: the hosted payment page (HPP) and the 3-D Secure page. Plain
// HTML forms, usable without JavaScript, so a test may post them over HTTP or drive them in Chromium.

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!)

function layout(title: string, body: string): string {
  return `<!doctype html><html lang="ja"><head><meta charset="utf-8"><title>${esc(title)}</title>
<meta name="viewport" content="width=device-width,initial-scale=1">
<style>body{font-family:sans-serif;max-width:28rem;margin:2rem auto;padding:0 1rem}label{display:block;margin:.6rem 0}
input{width:100%;padding:.4rem;box-sizing:border-box}button{margin-top:1rem;padding:.5rem 1rem}.err{color:#b00}.muted{color:#666;font-size:.9em}</style>
</head><body><p class="muted">PaymentOptions simulator — not a real payment page</p>${body}</body></html>`
}

export function hppPage(p: { code: string; amount: string; currency: string; merchant: string; error?: string; cancelHref: string }): string {
  return layout(
    "PaymentOptions Hosted Payment Page",
    `<h1>お支払い / Payment</h1>
<p data-testid="amount">${esc(p.merchant)} — ${esc(p.amount)} ${esc(p.currency)}</p>
${p.error ? `<p class="err" data-testid="error">${esc(p.error)}</p>` : ""}
<form method="post" action="/jp/HostedPaymentPage/${esc(p.code)}" id="hpp">
<label>カード番号 / Card number <input name="card_number" id="card_number" inputmode="numeric" autocomplete="cc-number" required></label>
<label>有効期限(月) / Expiry month (MM) <input name="expiry_month" id="expiry_month" maxlength="2" required></label>
<label>有効期限(年) / Expiry year (YY or YYYY) <input name="expiry_year" id="expiry_year" maxlength="4" required></label>
<label>セキュリティコード / CVC <input name="cvc" id="cvc" maxlength="4" required></label>
<label>カード名義 / Name on card <input name="card_name" id="card_name" required></label>
<button type="submit" id="pay">支払う / Pay</button>
</form>
<p><a href="${esc(p.cancelHref)}" id="cancel">キャンセル / Cancel</a></p>`
  )
}

export function threeDSPage(p: { token: string; amount: string; currency: string; pan: string; error?: string }): string {
  return layout(
    "3-D Secure",
    `<h1>本人認証 / 3-D Secure</h1>
<p>${esc(p.amount)} ${esc(p.currency)} — ${esc(p.pan)}</p>
${p.error ? `<p class="err" data-testid="error">${esc(p.error)}</p>` : ""}
<form method="post" action="/integration/3ds" id="challenge">
<input type="hidden" name="_token" value="${esc(p.token)}">
<label>ワンタイムパスワード / One-time code <input name="otp" id="otp" autocomplete="one-time-code"></label>
<button type="submit" name="action" value="submit" id="submit">認証 / Submit</button>
<button type="submit" name="action" value="cancel" id="cancel">キャンセル / Cancel</button>
</form>`
  )
}

export function messagePage(title: string, message: string): string {
  return layout(title, `<h1>${esc(title)}</h1><p data-testid="message">${esc(message)}</p>`)
}
