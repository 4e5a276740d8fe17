/**
 * Browser scripts and HTML pages served by the simulator. They live in TS
 * string constants because tsc only emits .ts files. The scripts are plain
 * ES5, without dependencies, and find the simulator's origin from
 * document.currentScript.src. Class "rpemvtds" is used only by these scripts
 * (the vendor reserves it).
 */
import { TEST_CARDS, CHALLENGE_OTP } from "./cards"

const esc = (s: string): string =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;")
const jsStr = (s: string): string => JSON.stringify(s).replace(/</g, "\\u003c")

/** Shared helpers prepended to CPToken.js and EMV3DSAdapter.js. */
const COMMON = String.raw`
  var SCRIPT = document.currentScript;
  function findBase(name) {
    var src = SCRIPT && SCRIPT.src;
    if (!src) {
      var list = document.getElementsByTagName('script');
      for (var i = list.length - 1; i >= 0; i--) {
        if (list[i].src && list[i].src.indexOf('/gateway/js/' + name) >= 0) { src = list[i].src; break; }
      }
    }
    var m = src && /^(https?:\/\/[^\/]+)/.exec(src);
    return m ? m[1] : window.location.protocol + '//' + window.location.host;
  }
  function call(cb, code, msg) {
    if (typeof cb === 'function') { cb(code, msg); }
  }
  function str(v) {
    return v === undefined || v === null ? undefined : String(v);
  }
  function postJson(base, path, payload, done) {
    var xhr = new XMLHttpRequest();
    xhr.open('POST', base + path, true);
    // text/plain keeps this a "simple" CORS request (no preflight).
    xhr.setRequestHeader('Content-Type', 'text/plain;charset=UTF-8');
    xhr.onreadystatechange = function () {
      if (xhr.readyState !== 4) { return; }
      var data = null;
      try { data = JSON.parse(xhr.responseText); } catch (e) { data = null; }
      if (xhr.status !== 200 || !data || typeof data.resultCode !== 'string') {
        done({ resultCode: 'ER000', errMsg: '決済システム内部エラー (HTTP ' + xhr.status + ')' });
        return;
      }
      done(data);
    };
    xhr.send(JSON.stringify(payload));
  }
`

export const JQUERY_JS = String.raw`/*
 * ROBOT PAYMENT simulator — jquery.js stub.
 * The simulator's CPToken.js and EMV3DSAdapter.js do not need jQuery. When the
 * page has no jQuery, this file defines a tiny $ that covers what the vendor's
 * sample pages use: $("#id").val(), $("#id").val(v) and $("#form").submit().
 */
(function (w, d) {
  'use strict';
  if (w.jQuery) { return; }
  function Q(sel) {
    this.els = typeof sel === 'string' ? Array.prototype.slice.call(d.querySelectorAll(sel)) : (sel && sel.nodeType ? [sel] : []);
    this.length = this.els.length;
  }
  Q.prototype.val = function (v) {
    if (arguments.length === 0) { return this.els[0] ? this.els[0].value : undefined; }
    for (var i = 0; i < this.els.length; i++) { this.els[i].value = v; }
    return this;
  };
  Q.prototype.submit = function () {
    for (var i = 0; i < this.els.length; i++) {
      if (this.els[i].tagName === 'FORM') { HTMLFormElement.prototype.submit.call(this.els[i]); }
    }
    return this;
  };
  function $(sel) { return new Q(sel); }
  w.jQuery = w.$ = $;
})(window, document);
`

export const CPTOKEN_JS = String.raw`/*
 * ROBOT PAYMENT simulator — CPToken.js (offline re-creation, not the vendor's code).
 *   CPToken.TokenCreate({aid, cn, ed, fn, ln, cvv?}, callback)        カスタマイズ方式
 *   CPToken.CardInfo({aid}, callback)                                  ポップアップ方式
 * On success the token is written to <form id="mainform"> <input id="tkn"> and
 * callback("Success", "") is called; on error callback("<ERcode>", "<message>").
 */
(function (window, document) {
  'use strict';
` + COMMON + String.raw`
  var BASE = findBase('CPToken.js');

  function tokenInput() {
    var form = document.getElementById('mainform');
    if (!form) { return null; }
    var el = form.querySelector('#tkn');
    return el || null;
  }

  function create(req, cb) {
    req = req || {};
    var input = tokenInput();
    if (!input) {
      call(cb, 'ER001', 'リクエストエラー: <form id="mainform"> の中に <input id="tkn"> がありません');
      return;
    }
    input.value = '';
    postJson(BASE, '/gateway/token/create', {
      aid: str(req.aid), cn: str(req.cn), ed: str(req.ed), fn: str(req.fn), ln: str(req.ln),
      cvv: str(req.cvv)
    }, function (res) {
      if (res.resultCode === 'Success' && res.token) {
        input.value = res.token;
        call(cb, 'Success', '');
      } else {
        call(cb, res.resultCode, res.errMsg || '');
      }
    });
  }

  function field(label, id, attrs) {
    return '<label class="rpemvtds-label" for="' + id + '">' + label + '</label>' +
      '<input class="rpemvtds-input" type="text" id="' + id + '" autocomplete="off" ' + (attrs || '') + ' />';
  }

  function cardInfo(req, cb) {
    req = req || {};
    var host = document.getElementById('CARD_INPUT_FORM');
    if (!host) {
      call(cb, 'ER001', 'リクエストエラー: <div id="CARD_INPUT_FORM"> がありません');
      return;
    }
    var old = document.getElementById('rp-card-form');
    if (old && old.parentNode) { old.parentNode.removeChild(old); }
    var box = document.createElement('div');
    box.id = 'rp-card-form';
    box.className = 'rpemvtds';
    box.setAttribute('role', 'dialog');
    box.setAttribute('aria-label', 'カード情報入力');
    box.style.cssText = 'position:fixed;left:0;top:0;right:0;bottom:0;background:rgba(0,0,0,.45);z-index:2147483000;display:flex;align-items:center;justify-content:center;font-family:sans-serif;';
    // Inputs have ids only, no name attribute: they sit inside the merchant's
    // form and must never be submitted with it.
    box.innerHTML =
      '<div class="rpemvtds-panel" style="background:#fff;padding:20px;border-radius:8px;min-width:300px;max-width:90vw;display:grid;gap:6px;">' +
      '<div class="rpemvtds-title" style="font-weight:bold;">カード情報入力 (ROBOT PAYMENT simulator)</div>' +
      field('カード番号', 'rp-cn', 'inputmode="numeric" autocomplete="cc-number" maxlength="16"') +
      field('有効期限 (YYMM)', 'rp-ed', 'inputmode="numeric" maxlength="4" placeholder="YYMM"') +
      field('カード名義 (名)', 'rp-fn', 'autocomplete="cc-given-name"') +
      field('カード名義 (姓)', 'rp-ln', 'autocomplete="cc-family-name"') +
      field('セキュリティコード', 'rp-cvv', 'inputmode="numeric" maxlength="4"') +
      '<div id="rp-error" role="alert" style="color:#c00;min-height:1em;"></div>' +
      '<div style="display:flex;gap:8px;justify-content:flex-end;">' +
      '<button type="button" id="rp-cancel">閉じる</button>' +
      '<button type="button" id="rp-submit">登録する</button>' +
      '</div></div>';
    host.appendChild(box);
    var busy = false;
    function val(id) { return document.getElementById(id).value; }
    function close() { if (box.parentNode) { box.parentNode.removeChild(box); } }
    function submit() {
      if (busy) { return; }
      busy = true;
      document.getElementById('rp-submit').disabled = true;
      create({ aid: req.aid, cn: val('rp-cn'), ed: val('rp-ed'), fn: val('rp-fn'), ln: val('rp-ln'), cvv: val('rp-cvv') }, function (code, msg) {
        close();
        call(cb, code, msg);
      });
    }
    document.getElementById('rp-submit').onclick = submit;
    document.getElementById('rp-cancel').onclick = close;
    var inputs = box.getElementsByTagName('input');
    for (var i = 0; i < inputs.length; i++) {
      inputs[i].onkeydown = function (ev) {
        // Enter inside the merchant's form would submit it: handle it here.
        if ((ev.key || '') === 'Enter' || ev.keyCode === 13) { ev.preventDefault(); submit(); }
      };
    }
    document.getElementById('rp-cn').focus();
  }

  window.CPToken = { TokenCreate: create, CardInfo: cardInfo };
})(window, document);
`

export const EMV3DS_ADAPTER_JS = String.raw`/*
 * ROBOT PAYMENT simulator — EMV3DSAdapter.js (offline re-creation, not the vendor's code).
 *   ThreeDSAdapter.authenticate({aid, tkn, am, tx, sf, em?, pn?}, callback)   payment / 一括登録決済
 *   ThreeDSAdapter.authenticate({aid, tkn, uid}, callback)                    card registration / update
 * "Success" means the call succeeded, not that 3-D Secure passed: a failed or
 * cancelled challenge makes the later payment fail (ER900).
 */
(function (window, document) {
  'use strict';
` + COMMON + String.raw`
  var BASE = findBase('EMV3DSAdapter.js');

  function authenticate(req, cb) {
    req = req || {};
    var payload = {};
    var keys = ['aid', 'tkn', 'am', 'tx', 'sf', 'em', 'pn', 'uid', 'iid'];
    for (var i = 0; i < keys.length; i++) {
      if (req[keys[i]] !== undefined && req[keys[i]] !== null) { payload[keys[i]] = String(req[keys[i]]); }
    }
    postJson(BASE, '/gateway/3ds/authenticate', payload, function (res) {
      if (res.resultCode !== 'Success') { call(cb, res.resultCode, res.errMsg || ''); return; }
      if (!res.challengeUrl) { call(cb, 'Success', ''); return; }
      var host = document.getElementById('EMV3DS_INPUT_FORM');
      if (!host) { call(cb, 'ER001', 'リクエストエラー: <div id="EMV3DS_INPUT_FORM"> がありません'); return; }
      var overlay = document.createElement('div');
      overlay.id = 'rp-3ds-overlay';
      overlay.className = 'rpemvtds';
      overlay.style.cssText = 'position:fixed;left:0;top:0;right:0;bottom:0;background:rgba(0,0,0,.45);z-index:2147483000;display:flex;align-items:center;justify-content:center;';
      var frame = document.createElement('iframe');
      frame.id = 'rp-3ds-frame';
      frame.className = 'rpemvtds';
      frame.title = '3-D Secure 本人認証';
      frame.style.cssText = 'width:400px;max-width:95vw;height:480px;border:0;border-radius:8px;background:#fff;';
      frame.src = BASE + res.challengeUrl;
      overlay.appendChild(frame);
      function onMessage(ev) {
        var d = ev.data;
        if (ev.origin !== BASE || !d || d.type !== 'rp3ds-complete' || d.id !== res.challengeId) { return; }
        window.removeEventListener('message', onMessage);
        if (overlay.parentNode) { overlay.parentNode.removeChild(overlay); }
        call(cb, 'Success', '');
      }
      window.addEventListener('message', onMessage);
      host.appendChild(overlay);
    });
  }

  window.ThreeDSAdapter = { authenticate: authenticate };
})(window, document);
`

const PAGE_STYLE = `body{font-family:sans-serif;margin:0;padding:16px;color:#222}
h1{font-size:18px;margin:0 0 12px}
dl{display:grid;grid-template-columns:auto 1fr;gap:4px 12px;margin:0 0 12px}
dt{color:#666}
label{display:block;margin:8px 0 4px}
input{font-size:16px;padding:6px;width:12em}
.buttons{display:flex;gap:8px;margin-top:12px}
button{font-size:15px;padding:6px 14px}
.hint{color:#666;font-size:12px}
.ok{color:#070}.ng{color:#c00}`

/** The issuer's challenge page (shown in the EMV3DSAdapter iframe). */
export function challengePage(a: { id: string; aid: string; amount: string; card: string; otpHint: string }): string {
  return `<!DOCTYPE html>
<html lang="ja"><head><meta charset="utf-8"><title>3-D Secure 本人認証 (simulator)</title>
<meta name="viewport" content="width=device-width,initial-scale=1"><style>${PAGE_STYLE}</style></head>
<body>
<h1>本人認証 (3-D Secure)</h1>
<dl><dt>店舗ID</dt><dd>${esc(a.aid)}</dd><dt>金額</dt><dd>${esc(a.amount)}</dd><dt>カード</dt><dd>${esc(a.card)}</dd></dl>
<form id="rp-3ds-form" method="POST" action="/gateway/3ds/challenge">
<input type="hidden" name="id" value="${esc(a.id)}">
<label for="rp-3ds-otp">ワンタイムパスワード</label>
<input id="rp-3ds-otp" name="otp" inputmode="numeric" autocomplete="one-time-code" maxlength="6">
<p class="hint">テスト用コード: ${esc(a.otpHint)}</p>
<div class="buttons">
<button type="submit" id="rp-3ds-submit" name="action" value="submit">認証する</button>
<button type="submit" id="rp-3ds-cancel" name="action" value="cancel">キャンセル</button>
</div>
</form>
</body></html>`
}

/** Page shown after the challenge; tells the merchant page (parent) it is over. */
export function challengeResultPage(a: { id: string; ok: boolean; message: string }): string {
  return `<!DOCTYPE html>
<html lang="ja"><head><meta charset="utf-8"><title>3-D Secure 本人認証 (simulator)</title><style>${PAGE_STYLE}</style></head>
<body>
<h1>本人認証</h1>
<p id="rp-3ds-result" class="${a.ok ? "ok" : "ng"}" data-result="${a.ok ? "success" : "failed"}">${esc(a.message)}</p>
<script>
(function () {
  var msg = { type: 'rp3ds-complete', id: ${jsStr(a.id)} };
  try { if (window.parent && window.parent !== window) { window.parent.postMessage(msg, '*'); } } catch (e) {}
})();
</script>
</body></html>`
}

export function errorPage(status: number, title: string): string {
  return `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>${status} ${esc(title)}</title></head>
<body><h1>${esc(title)}</h1><p>HTTP ${status}</p></body></html>`
}

/** Root page: what the simulator serves. */
export function indexPage(aids: string[]): string {
  const rows = TEST_CARDS.map((c) => `<tr><td><code>${c.pan}</code></td><td>${esc(c.label)}</td></tr>`).join("\n")
  return `<!DOCTYPE html>
<html lang="ja"><head><meta charset="utf-8"><title>ROBOT PAYMENT simulator</title><style>${PAGE_STYLE}
td{padding:2px 8px;border-bottom:1px solid #eee}</style></head>
<body>
<h1>ROBOT PAYMENT gateway simulator</h1>
<p>Stores (aid): ${aids.map((a) => `<code>${esc(a)}</code>`).join(", ")}</p>
<p>Scripts: <code>/gateway/js/jquery.js</code>, <code>/gateway/js/CPToken.js</code>, <code>/gateway/js/EMV3DSAdapter.js</code></p>
<p>Server-to-server: <code>/gateway/gateway_token.aspx</code>, <code>/gateway/gateway.aspx</code>, <code>/gateway/onetouch.aspx</code>,
<code>/gateway/carduser.aspx</code>, <code>/gateway/carduser_token.aspx</code></p>
<p>Demo page: <a href="/__sim/demo">/__sim/demo</a> · Control: <code>/__sim/transactions</code>, <code>/__sim/kickbacks</code>, <code>/__sim/users</code>, <code>/__sim/requests</code>, <code>/__sim/faults</code>, <code>/__sim/clock</code></p>
<table>${rows}</table>
<p>3-D Secure challenge code: <code>${CHALLENGE_OTP}</code></p>
</body></html>`
}

/**
 * A merchant-like page following the vendor's samples (popup and custom
 * mode), posting the token payment straight to gateway_token.aspx (works
 * locally because loopback is an allowed source IP).
 */
export function demoPage(aid: string): string {
  const a = jsStr(aid)
  return `<!DOCTYPE html>
<html lang="ja"><head><meta charset="utf-8"><title>ROBOT PAYMENT simulator — demo</title>
<style>${PAGE_STYLE} input{width:auto}</style>
<script src="/gateway/js/jquery.js"></script>
<script src="/gateway/js/CPToken.js"></script>
<script src="/gateway/js/EMV3DSAdapter.js"></script>
</head>
<body>
<h1>Demo: token + 3-D Secure + gateway_token.aspx (rt=1)</h1>
<form id="mainform" method="POST" action="/gateway/gateway_token.aspx">
  <input type="hidden" id="aid" name="aid" value="${esc(aid)}">
  <input type="hidden" name="jb" value="AUTH">
  <input type="hidden" name="rt" value="1">
  <input type="hidden" name="tx" value="0">
  <input type="hidden" name="sf" value="0">
  <label>金額 am <input type="text" id="am" name="am" value="1000"></label>
  <input type="hidden" value="" id="tkn" name="tkn">
  <div id="CARD_INPUT_FORM"></div>
  <div id="EMV3DS_INPUT_FORM"></div>
  <fieldset><legend>カスタマイズ方式</legend>
    <input type="text" id="cn" placeholder="4444333322221111">
    <input type="text" id="ed" placeholder="YYMM">
    <input type="text" id="fn" placeholder="TARO">
    <input type="text" id="ln" placeholder="YAMADA">
    <button type="button" id="demo-custom">購入する (TokenCreate)</button>
  </fieldset>
  <p><button type="button" id="demo-popup">購入する (CardInfo ポップアップ)</button></p>
  <p id="demo-status" role="status"></p>
</form>
<script>
(function () {
  var AID = ${a};
  function status(t) { document.getElementById('demo-status').textContent = t; }
  function execPurchase(code, msg) {
    if (code !== 'Success') { status(code + ' ' + msg); return; }
    status('3DS done, paying…');
    HTMLFormElement.prototype.submit.call(document.getElementById('mainform'));
  }
  function execAuth(code, msg) {
    if (code !== 'Success') { status(code + ' ' + msg); return; }
    status('token created, 3-D Secure…');
    ThreeDSAdapter.authenticate({ aid: AID, tkn: $('#tkn').val(), am: $('#am').val(), tx: 0, sf: 0 }, execPurchase);
  }
  document.getElementById('demo-popup').onclick = function () { CPToken.CardInfo({ aid: AID }, execAuth); };
  document.getElementById('demo-custom').onclick = function () {
    CPToken.TokenCreate({ aid: AID, cn: $('#cn').val(), ed: $('#ed').val(), fn: $('#fn').val(), ln: $('#ln').val() }, function (code, msg) {
      $('#cn').val(''); $('#ed').val(''); $('#fn').val(''); $('#ln').val('');
      execAuth(code, msg);
    });
  };
})();
</script>
</body></html>`
}
