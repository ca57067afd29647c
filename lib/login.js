'use strict';

// The SDK's `login` as both `Auth.login` and `Authenticator.login` run it: the addon's `login`
// with the SDK's per-call policy (a valid stored token is reused, no platform session, the
// record as stored) and the SDK's interactive options.

const native = require('../index.js');
const { withExpired } = require('./records.js');

/**
 * Logs in with the addon options `base` (credentials and store) and the caller's `opts`
 * (`force`, `timeout`, `onOpenBrowser`, `launchBrowser`, and `code` with
 * `redirectUri`/`redirect`, which only the browser flow uses). Resolves the account as stored, with `auth.expired`.
 */
async function login(base, opts) {
	const call = { ...base, existing: 'reuse', platformSession: false, exposure: 'stored' };
	if (opts.force) {
		call.force = true;
	}
	if (opts.timeout > 0) {
		call.interactiveLoginTimeout = opts.timeout;
	}
	if (typeof opts.onOpenBrowser === 'function') {
		call.onOpenBrowser = opts.onOpenBrowser;
	}
	if (opts.launchBrowser !== undefined) {
		call.launchBrowser = opts.launchBrowser;
	}
	if (opts.code !== undefined) {
		call.code = opts.code;
		call.redirectUri = opts.redirectUri || opts.redirect || undefined;
	}
	return withExpired(await native.login(call));
}

module.exports = { login };
