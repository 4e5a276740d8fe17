/**
 * What the shopper's browser talks to: PaygentToken.js and its token endpoint (SPEC-TOKEN), and the
 * ACS that out_acs_html posts to — frictionless or challenge by the sandbox's rules — which sends
 * the browser to term_url with the result and its hc (SPEC-3DS §1.2).
 */
import { createHash } from "node:crypto"
import { ACQUIRERS, brandOf, challengeOutcome, challengePasswords, type Outcome } from "./cards"
import { MESSAGES } from "./codes"
import { fingerprintOf, maskPan, type SimAuth, type SimState } from "./state"

/** A token's life: the specification gives valid_until but not its length; 30 minutes is the simulator's choice. */
export const TOKEN_TTL_MS = 30 * 60_000

const sha256 = (s: string) => createHash("sha256").update(s, "utf8").digest("hex")

export function paygentTokenJs(origin: string): string {
  return `/* PaygentToken.js — PAYGENT simulator (${origin}) */
(function (global) {
  "use strict";
  var ENDPOINT = ${JSON.stringify(origin + "/n/token/request")};
  function post(body, callback) {
    var xhr = new XMLHttpRequest();
    xhr.open("POST", ENDPOINT, true);
    xhr.setRequestHeader("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8");
    xhr.onreadystatechange = function () {
      if (xhr.readyState !== 4) return;
      var res;
      try { res = JSON.parse(xhr.responseText); } catch (e) { res = { result: "7001" }; }
      if (xhr.status !== 200 && !res.result) res = { result: "7001" };
      callback(res);
    };
    xhr.onerror = function () { callback({ result: "7001" }); };
    var parts = [];
    for (var k in body) if (body[k] !== undefined && body[k] !== null) parts.push(encodeURIComponent(k) + "=" + encodeURIComponent(String(body[k])));
    xhr.send(parts.join("&"));
  }
  function PaygentToken() {}
  PaygentToken.prototype.createToken = function (merchantId, tokenGenerateKey, card, callback) {
    card = card || {};
    post({ merchant_id: merchantId, token_generate_key: tokenGenerateKey, card_number: card.card_number, card_expire_year: card.expire_year,
      card_expire_month: card.expire_month, card_cvc: card.cvc, card_name: card.name }, callback);
  };
  PaygentToken.prototype.createCvcToken = function (merchantId, tokenGenerateKey, card, callback) {
    post({ merchant_id: merchantId, token_generate_key: tokenGenerateKey, card_cvc: (card || {}).cvc, cvc_only_flg: "1" }, callback);
  };
  global.PaygentToken = PaygentToken;
})(typeof window !== "undefined" ? window : this);
`
}

/** The token endpoint behind createToken (JSON answer with 付録A result codes). */
export function createToken(state: SimState, f: Record<string, string>): Record<string, unknown> {
  const err = (result: string) => ({ result })
  if (!f.merchant_id) return err("1100")
  const merchant = state.merchants.get(f.merchant_id)
  if (!f.token_generate_key) return err("1200")
  if (!merchant || merchant.tokenGenerationKey !== f.token_generate_key) return err("1201")
  if (f.cvc_only_flg === "1") return err("2026") // CVC tokens are not simulated
  const pan = (f.card_number ?? "").replace(/[\s-]/g, "")
  if (!pan) return err("1300")
  if (!/^\d{14,16}$/.test(pan) || !brandOf(pan)) return err("1301")
  if (!f.card_expire_year) return err("1400")
  if (!/^\d{2}$/.test(f.card_expire_year)) return err("1401")
  if (!f.card_expire_month) return err("1500")
  if (!/^(0[1-9]|1[0-2])$/.test(f.card_expire_month)) return err("1501")
  const now = new Date(state.clock.now())
  const year = 2000 + Number(f.card_expire_year)
  const month = Number(f.card_expire_month)
  const monthsAhead = (year - now.getUTCFullYear()) * 12 + (month - (now.getUTCMonth() + 1))
  if (monthsAhead < 0 || monthsAhead >= 240) return err("1502")
  if (f.card_cvc && !/^\d{3,4}$/.test(f.card_cvc)) return err("1600")
  if (f.card_name && (!/^[\x20-\x7e\uff61-\uff9f]+$/.test(f.card_name) || Buffer.byteLength(f.card_name) > 64)) return err("1700")
  const token = state.newToken()
  const validUntil = state.clock.now() + TOKEN_TTL_MS
  const masked = maskPan(pan)
  const fingerprint = fingerprintOf(merchant.merchantId, pan)
  const d = new Date(validUntil + 9 * 3600_000)
  const p = (n: number) => String(n).padStart(2, "0")
  const validUntilText = `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}`
  state.tokens.set(token, {
    token,
    merchantId: merchant.merchantId,
    pan,
    validTerm: f.card_expire_month + f.card_expire_year,
    brand: brandOf(pan)!,
    name: f.card_name || undefined,
    masked,
    fingerprint,
    validUntil,
    used: false,
  })
  return {
    result: "0000",
    tokenizedCardObject: { token, masked_card_number: masked, valid_until: validUntilText, fingerprint },
    hc: sha256(token + masked + validUntilText + fingerprint + merchant.tokenReceiptHashKey),
  }
}

/** The query PAYGENT sends the browser (or its timeout call) to term_url with, hc included when the key is set. */
export function resultQuery(state: SimState, auth: SimAuth, outcome: Outcome | "timeout"): Record<string, string> {
  const merchant = state.merchants.get(auth.merchantId)!
  const acq = ACQUIRERS[auth.data.brand]
  const ok = outcome === "success" || outcome === "attempt0" || outcome === "attempt1"
  const attemptKbn = outcome === "attempt0" ? "0" : outcome === "attempt1" ? "1" : ""
  const q: Record<string, string> = { result: ok ? "0" : "1", "3ds_auth_id": auth.authId }
  if (outcome === "timeout") {
    Object.assign(q, { response_code: "31013", response_detail: MESSAGES["31013"], fingerprint: "XXXX", masked_card_number: "XXXX" })
  } else {
    Object.assign(q, {
      card_brand: auth.data.brand,
      issur_class: auth.data.pan.startsWith("4000") ? "1" : "0",
      acq_name: acq.acqName,
      acq_id: acq.acqId,
      issur_name: acq.issurName,
      issur_id: acq.issurId,
      fingerprint: auth.data.fingerprint,
      masked_card_number: auth.data.masked,
      "3dsecure_requestor_error_code": "",
      "3dsecure_server_error_code": outcome === "attempt1" ? "203" : "",
    })
    if (ok && outcome !== "success") q.attempt_kbn = attemptKbn
    if (!ok) Object.assign(q, { response_code: "31007", response_detail: MESSAGES["31007"] })
  }
  if (merchant.threeDSResultHashKey) q.hc = sha256(q.result + auth.authId + (q.attempt_kbn ?? "") + merchant.threeDSResultHashKey)
  return q
}

export function withQuery(url: string, q: Record<string, string>): string {
  const qs = Object.entries(q)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join("&")
  return url + (url.includes("?") ? "&" : "?") + qs
}

export type BrowserAnswer = { status: number; html?: string; location?: string }

function page(title: string, body: string): string {
  return `<!DOCTYPE html><html lang="ja"><head><meta charset="UTF-8"><title>${title}</title>
<style>body{font-family:sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem}input,button{font-size:1rem;padding:.4rem}</style></head>
<body>${body}</body></html>`
}

/** ACS entry point (the form of out_acs_html): frictionless → straight to term_url; challenge → the password page. */
export function acsStart(state: SimState, authId: string | undefined): BrowserAnswer {
  const auth = authId ? state.auths.get(authId) : undefined
  if (!auth) return { status: 404, html: page("Error", "<h1>3-D Secure</h1><p>Unknown authentication.</p>") }
  if (auth.state !== "pending") return { status: 409, html: page("Error", "<h1>3-D Secure</h1><p>この認証は完了しています。ショップにお問い合わせください。</p>") }
  if (auth.scenario.flow === "frictionless") return finish(state, auth, auth.scenario.outcome)
  const pw = challengePasswords(auth.data.brand)
  return {
    status: 200,
    html: page(
      "3-D Secure challenge",
      `<h1>本人認証 (3-D Secure)</h1>
<p>${auth.data.brand} ${auth.data.masked} — ¥${auth.amount.toLocaleString("ja-JP")}</p>
<form method="POST" action="/3ds/challenge" id="challenge">
<input type="hidden" name="threeDSServerTransID" value="${auth.authId}">
<label>パスワード <input name="password" id="password" autocomplete="off"></label>
<button type="submit" id="submit">認証</button>
</form>
<p><small>Simulator: ${pw.success} = success, ${pw.attempt} = attempt (merchant liability), ${pw.failed} = failure.</small></p>`
    ),
  }
}

export function acsChallenge(state: SimState, f: Record<string, string>): BrowserAnswer {
  const auth = f.threeDSServerTransID ? state.auths.get(f.threeDSServerTransID) : undefined
  if (!auth || auth.scenario.flow !== "challenge") return { status: 404, html: page("Error", "<p>Unknown authentication.</p>") }
  if (auth.state !== "pending") return { status: 409, html: page("Error", "<p>この認証は完了しています。</p>") }
  const outcome = challengeOutcome(auth.data.brand, f.password ?? "") ?? "failed"
  return finish(state, auth, outcome)
}

function finish(state: SimState, auth: SimAuth, outcome: Outcome): BrowserAnswer {
  auth.state = "done"
  auth.outcome = outcome
  return { status: 303, location: withQuery(auth.termUrl, resultQuery(state, auth, outcome)) }
}
