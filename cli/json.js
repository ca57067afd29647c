'use strict';

// `--json` output. Every command prints accounts through `redact()` so that no secret reaches
// stdout, whatever the core returns.
//
// Difference from the reference (spec 10.4 #9, 12.3): `axway auth logout --json` there dumps the
// stored records including `auth.tokens` and any persisted `auth.clientSecret`/`secret`/
// `username`/`password`. We strip those (and the platform session cookie `sid`) from every
// command's JSON. The other token fields (`expires_in`, `token_type`, `scope`, …) are kept.

const AUTH_SECRET_FIELDS = [ 'clientSecret', 'secret', 'password', 'username' ];
const TOKEN_SECRET_FIELDS = [ 'access_token', 'refresh_token', 'id_token' ];

/**
 * Returns a deep copy of an account record without secrets. Non-objects pass through.
 */
function redactAccount(account) {
	if (!account || typeof account !== 'object') {
		return account;
	}
	const copy = JSON.parse(JSON.stringify(account));
	delete copy.sid;
	if (copy.auth && typeof copy.auth === 'object') {
		for (const key of AUTH_SECRET_FIELDS) {
			delete copy.auth[key];
		}
		if (copy.auth.tokens && typeof copy.auth.tokens === 'object') {
			for (const key of TOKEN_SECRET_FIELDS) {
				delete copy.auth.tokens[key];
			}
		}
	}
	return copy;
}

/**
 * Redacts one account or an array of accounts.
 */
function redact(value) {
	return Array.isArray(value) ? value.map(redactAccount) : redactAccount(value);
}

/**
 * The exact text printed for a JSON result: 2-space indentation (the trailing newline is added by
 * the caller's `log`).
 */
function stringify(value) {
	return JSON.stringify(value, null, 2);
}

module.exports = { redact, redactAccount, stringify, AUTH_SECRET_FIELDS, TOKEN_SECRET_FIELDS };
