'use strict';

// The SDK's `login` as both `Auth.login` and `Authenticator.login` run it: the addon's `login`
// with the SDK's per-call policy (a valid stored token is reused, no platform session, the
// record as stored) and the SDK's interactive options: `code` (exchange a code the caller
// obtained) and `manual` (the URL out, the login waiting, `cancel()`).

const native = require('../index.js');
const { withExpired } = require('./records.js');

/** Whether the options name an owner password as the SDK's `createAuthenticator` reads them:
 * a non-empty username with a password string. */
function ownerPasswordGiven(opts) {
	return typeof opts.username === 'string' && !!opts.username && typeof opts.password === 'string';
}

/** The SDK's `Auth` reads `username`/`password` only as an owner password; otherwise it
 * ignores them. */
function ownerPasswordOnly(call) {
	if (!ownerPasswordGiven(call)) {
		delete call.username;
		delete call.password;
	}
	return call;
}

/** The hooks a login (or a browser step) calls. */
const HOOKS = [ 'onOpenBrowser', 'onDeviceCode', 'onSelectOrg' ];

/** The caller's options for the interactive part of a call, as the addon takes them:
 * `timeout` (milliseconds per browser stage), the hooks, and `launchBrowser`. */
function interactiveOptions(opts) {
	const out = {};
	if (opts.timeout > 0) {
		out.interactiveLoginTimeout = opts.timeout;
	}
	for (const hook of HOOKS) {
		if (typeof opts[hook] === 'function') {
			out[hook] = opts[hook];
		}
	}
	if (opts.launchBrowser !== undefined) {
		out.launchBrowser = opts.launchBrowser;
	}
	return out;
}

/** `code` as the SDK tests it (`!== undefined`: `''` and non-strings are the caller's error,
 * which the core reports), with the redirect URI it was issued for. */
function withCode(call, opts) {
	if (opts.code !== undefined) {
		call.code = opts.code;
		call.redirectUri = opts.redirectUri || opts.redirect || undefined;
	}
	return call;
}

let manualCount = 0;

/**
 * `login({ manual: true })`: the login starts without a browser; resolves once its URL is known
 * with `{ url, cancel, promise, loginAccount }`. The callback server keeps listening until
 * `promise` (SDK 3.2.16: `loginAccount`, the same Promise) settles or `cancel()` (a Promise)
 * stops it; `promise` then rejects with `ERR_LOGIN_CANCELLED`. The cancellation is the core's
 * (`cancelLogin`); this only wires the URL out. Non-browser authenticators are refused by the
 * core (`Manual mode is only supported with PKCE interactive authentication`).
 */
async function manualLogin(call) {
	const loginId = `manual-${process.pid}-${++manualCount}`;
	let show;
	const shown = new Promise(resolve => {
		show = resolve;
	});
	const promise = native.login({ ...call, manual: true, launchBrowser: false, loginId, onOpenBrowser: ({ url }) => show(url) }).then(withExpired);
	promise.catch(() => {}); // a cancelled login the caller does not wait for is no crash
	const url = await Promise.race([ shown, promise.then(() => undefined) ]);
	const cancel = async () => {
		native.cancelLogin(loginId);
		await promise.then(() => {}, () => {});
	};
	return { url, cancel, promise, loginAccount: promise };
}

/**
 * Logs in with the addon options `base` (credentials and store) and the caller's `opts`
 * (`force`, `timeout`, `onOpenBrowser`, `launchBrowser`, `code` with `redirectUri`/`redirect`,
 * and `manual`, which only the browser flow takes). Resolves the account as stored, with
 * `auth.expired`, or with `manual` a `ManualLogin`.
 */
async function login(base, opts) {
	const call = { ...base, existing: 'reuse', platformSession: false, exposure: 'stored', ...interactiveOptions(opts) };
	if (opts.force) {
		call.force = true;
	}
	withCode(call, opts);
	if (opts.manual) {
		// the browser always runs, as in the SDK: a stored token never short-cuts it
		return manualLogin({ ...call, force: true });
	}
	return withExpired(await native.login(call));
}

module.exports = { interactiveOptions, login, manualLogin, ownerPasswordGiven, ownerPasswordOnly, withCode };
