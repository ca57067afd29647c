// Comparing this package with the JS SDK (@axway/amplify-sdk 3.2.16): records field by field with
// the per-login values (tokens, expiry instants, session ids) compared by type, and errors by
// class, code and message.
import assert from 'node:assert/strict';

/**
 * An account (or a list of them, or anything) as JSON, with the per-login values replaced by
 * their type: token strings, expiry instants, the session id. Everything else must be equal.
 */
export function comparable(value) {
	const scrub = a => {
		if (!a || typeof a !== 'object' || !a.auth) {
			return a;
		}
		const { tokens = {}, expires = {} } = a.auth;
		for (const key of [ 'access_token', 'refresh_token', 'id_token', 'session_state' ]) {
			if (typeof tokens[key] === 'string') {
				tokens[key] = `<${key}>`;
			}
		}
		// the refresh token's remaining lifetime: the SDK's login waits 3 s longer than ours
		if (typeof tokens.refresh_expires_in === 'number' && tokens.refresh_expires_in > 0) {
			tokens.refresh_expires_in = '<seconds>';
		}
		for (const key of [ 'access', 'refresh' ]) {
			if (typeof expires[key] === 'number') {
				assert.ok(expires[key] > Date.now(), `auth.expires.${key} is in the future`);
				expires[key] = '<ms>';
			}
		}
		if (typeof a.sid === 'string') {
			a.sid = '<sid>';
		}
		return a;
	};
	const json = value === undefined ? undefined : JSON.parse(JSON.stringify(value));
	return Array.isArray(json) ? json.map(scrub) : scrub(json);
}

/** Every path where two JSON values differ (`a.b[2].c: <ours> != <theirs>`). */
export function differences(a, b, path = '') {
	if (a && b && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b)) {
		const keys = [ ...new Set([ ...Object.keys(a), ...Object.keys(b) ]) ];
		return keys.flatMap(k => differences(a[k], b[k], Array.isArray(a) ? `${path}[${k}]` : `${path}.${k}`));
	}
	return JSON.stringify(a) === JSON.stringify(b) ? [] : [ `${path || '(value)'}: ours ${JSON.stringify(a)} != SDK ${JSON.stringify(b)}` ];
}

/** Field by field; the message lists every differing path. */
export function assertSame(ours, theirs, what) {
	const [ mine, other ] = [ comparable(ours), comparable(theirs) ];
	const diff = differences(mine, other);
	assert.ok(diff.length === 0, `${what}: ${diff.slice(0, 10).join('; ')}`);
	assert.deepEqual(mine, other, what);
}

/** The non-enumerable `auth.expired` getter the SDK puts on every account. */
export function assertExpiredGetter(account, value = false) {
	const descriptor = Object.getOwnPropertyDescriptor(account.auth, 'expired');
	assert.ok(descriptor, 'auth.expired exists');
	assert.equal(descriptor.enumerable, false, 'auth.expired is not enumerable');
	assert.equal(account.auth.expired, value);
}

/** Runs `call` on both; both must fail with the same error class and code (and message). */
export async function assertSameError(sdk, ours, call, { message = true, code = true } = {}) {
	const outcome = async who => {
		try {
			await call(who === 'sdk' ? sdk : ours, who);
		} catch (err) {
			return err;
		}
		assert.fail(`${who}: expected ${call} to reject`);
	};
	const theirs = await outcome('sdk');
	const mine = await outcome('ours');
	assert.equal(mine.constructor.name, theirs.constructor.name === 'HTTPError' ? 'Error' : theirs.constructor.name, `error class (${theirs.message})`);
	if (code) {
		assert.equal(mine.code, theirs.code, `err.code (${theirs.message})`);
	}
	if (message) {
		assert.equal(mine.message, theirs.message, 'err.message');
	}
	return { theirs, mine };
}
