/**
 * Browser side of the simulator: stand-ins for SBPS's com_sbps_system_token.js and
 * com_sbps_system_tds2infotoken.js (same global names, functions and callback shapes as SBPS's
 * ワンタイムトークン and EMV 3-Dセキュア documents), and the 3-D Secure page the browser is sent to by redirect_url.
 */

const origin = `var __sbpsOrigin = (function () {
    var s = document.currentScript && document.currentScript.src;
    return s ? new URL(s).origin : "";
  })();`

export const TOKEN_JS = `/* SBPS simulator: com_sbps_system_token.js */
(function () {
  ${origin}
  function post(path, body, callback) {
    var xhr = new XMLHttpRequest();
    xhr.open("POST", __sbpsOrigin + path, true);
    xhr.setRequestHeader("Content-Type", "application/json");
    xhr.onload = function () {
      var r;
      try { r = JSON.parse(xhr.responseText); } catch (e) { r = { result: "NG", errorCode: "99999" }; }
      callback(r);
    };
    xhr.onerror = function () { callback({ result: "NG", errorCode: "99999" }); };
    xhr.send(JSON.stringify(body));
  }
  window.com_sbps_system = window.com_sbps_system || {};
  window.com_sbps_system.generateToken = function (tokenRequest, callback) {
    post("/sbpstoken/token", tokenRequest || {}, callback);
  };
})();
`

export const TDS2_JS = `/* SBPS simulator: com_sbps_system_tds2infotoken.js */
(function () {
  ${origin}
  window.com_sbps_system_tds2 = window.com_sbps_system_tds2 || {};
  window.com_sbps_system_tds2.generateToken = function (tokenRequest, callback) {
    var xhr = new XMLHttpRequest();
    xhr.open("POST", __sbpsOrigin + "/sbpstoken/tds2infotoken", true);
    xhr.setRequestHeader("Content-Type", "application/json");
    xhr.onload = function () {
      var r;
      try { r = JSON.parse(xhr.responseText); } catch (e) { r = { result: "NG", errorCode: "99999" }; }
      callback(r);
    };
    xhr.onerror = function () { callback({ result: "NG", errorCode: "99999" }); };
    xhr.send(JSON.stringify(tokenRequest || {}));
  };
})();
`

const esc = (s: string) => s.replace(/[<>&"']/g, (ch) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&#39;" })[ch]!)

export function challengePage(id: string, amount: number, masked: string): string {
  return `<!doctype html><html lang="ja"><head><meta charset="utf-8"><title>本人認証 (3-D Secure) — SBPS simulator</title></head>
<body><h1>本人認証 / 3-D Secure</h1>
<p>ご利用金額: ${amount} 円 &nbsp; カード: ${esc(masked)}</p>
<form method="post" action="/tds2/authenticate/${esc(id)}">
<label>ワンタイムパスワード / one-time code <input id="otp" name="otp" autocomplete="one-time-code"></label>
<button id="submit" type="submit">認証 / Authenticate</button>
</form><p>Simulator: the code is 123456; anything else fails authentication.</p></body></html>`
}

/** The browser goes back to ok_return_url / ng_return_url with GET, as the merchant sent them. */
export function returnPage(url: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><meta http-equiv="refresh" content="0;url=${esc(url)}"><title>SBPS</title></head>
<body><p><a id="continue" href="${esc(url)}">ショップに戻る / back to the shop</a></p><script>location.replace(${JSON.stringify(url)})</script></body></html>`
}

export function errorPage(status: number, message: string): string {
  return `<!doctype html><html><head><title>${status}</title></head><body><h1>${status}</h1><p>${esc(message)}</p></body></html>`
}
