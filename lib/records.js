'use strict';

// Account records as the JS SDK's callers see them: its non-enumerable `auth.expired` getter,
// the shape of removed records, and in-place updates of the caller's object.

function expired() {
	return !this.expires || this.expires.access < Date.now();
}

/** Adds the SDK's non-enumerable `auth.expired` getter (never serialized). */
function withExpired(account) {
	if (account && account.auth && typeof account.auth === 'object' && !Object.getOwnPropertyDescriptor(account.auth, 'expired')) {
		Object.defineProperty(account.auth, 'expired', { configurable: true, get: expired });
	}
	return account;
}

const allWithExpired = accounts => (accounts.forEach(withExpired), accounts);

/** Removed records: `auth.expired` is `true` and no `revoked` marker, as the SDK returns them. */
function asRemoved(accounts) {
	for (const account of accounts) {
		delete account.revoked;
		Object.defineProperty(account.auth, 'expired', { configurable: true, value: true });
	}
	return accounts;
}

/** The SDK updates the account object it is given; so do we. */
function updateInPlace(target, source) {
	if (!target || typeof target !== 'object' || !source) {
		return withExpired(source);
	}
	for (const key of Object.keys(target)) {
		if (!(key in source)) {
			delete target[key];
		}
	}
	return withExpired(Object.assign(target, source));
}

module.exports = { allWithExpired, asRemoved, updateInPlace, withExpired };
