// The SDK-compatible `Auth`'s other ways in (issue 14), against the local identity server and,
// where the SDK behaves the same, side by side with @axway/amplify-sdk 3.2.16 (each tool in its
// own home): the owner password grant (`username` + `password`), `login({ code })` with a code
// obtained from the identity server, `login({ manual: true })` with `cancel()` and with a
// completed login, and the errors the SDK's callers see (401, invalid grant, unusable token
// response, unreachable server, timeout).
//
//   node --test __test__/sdk-flows.test.mjs
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import { createRequire } from 'node:module';

import { decodeStoreFile, makeHome, seed, usePlatform } from './helpers/env.mjs';
import { loginInBrowser } from './helpers/browser.mjs';
import { loopbackGot } from './helpers/js-sdk.mjs';

const require = createRequire(import.meta.url);
const { Auth: SdkAuth } = require('@axway/amplify-sdk');
const { Auth } = require('..');

const { USERS, SERVICE_ACCOUNTS, PASSWORD_CLIENT_ID, PUBLIC_CLIENT_ID } = seed;
const { alice, bob } = USERS;
const OWNER = { username: alice.email, password: alice.password };

const platform = usePlatform();
const got = loopbackGot();

/** Constructor options (file store, as the SDK's tests without keytar). */
const options = (h, more = {}) => ({
	baseUrl: platform.baseUrl,
	platformUrl: platform.platformUrl,
	realm: 'Broker',
	homeDir: h.homeDir,
	tokenStoreType: 'file',
	...more
});

/** Runs `body(auth, who, home)` for this package's `Auth` and the SDK's, each in its own home. */
async function both(more, body) {
	for (const who of [ 'ours', 'sdk' ]) {
		const h = makeHome(platform);
		try {
			const auth = who === 'sdk' ? new SdkAuth(options(h, { got, ...more })) : new Auth(options(h, more));
			await body(auth, who, h);
		} finally {
			h.cleanup();
		}
	}
}

/** An account as JSON with the per-login values (tokens, expiry instants) replaced by their type. */
function comparable(account) {
	const a = JSON.parse(JSON.stringify(account));
	for (const key of [ 'access_token', 'refresh_token', 'id_token' ]) {
		if (typeof a.auth.tokens[key] === 'string') {
			a.auth.tokens[key] = `<${key}>`;
		}
	}
	for (const key of [ 'expires_in', 'refresh_expires_in' ]) {
		if (typeof a.auth.tokens[key] === 'number') {
			a.auth.tokens[key] = '<seconds>';
		}
	}
	for (const key of [ 'access', 'refresh' ]) {
		if (typeof a.auth.expires[key] === 'number') {
			assert.ok(a.auth.expires[key] > Date.now(), `auth.expires.${key} is in the future`);
			a.auth.expires[key] = '<ms>';
		}
	}
	return a;
}

/** The rejection of `promise` (fails when it resolves). */
const rejection = promise => promise.then(value => assert.fail(`expected a rejection, got ${JSON.stringify(value)?.slice(0, 200)}`), err => err);

/** Both reject alike: class, message and `code`; returns ours. */
async function sameError(call) {
	const errors = {};
	await both({}, async (auth, who) => {
		errors[who] = await rejection(call(auth, who));
	});
	const { ours, sdk } = errors;
	assert.equal(ours.constructor.name, [ 'HTTPError', 'RequestError' ].includes(sdk.constructor.name) ? 'Error' : sdk.constructor.name, `class (${sdk.message})`);
	assert.equal(ours.message, sdk.message);
	assert.equal(ours.code, sdk.code, `code (${sdk.message})`);
	return errors;
}

/** How many token requests of this grant type the identity server has answered so far. */
const grants = (grantType, clientId) => platform.state().tokenRequests.filter(r => r.grantType === grantType && r.clientId === clientId && r.status === 200).length;

/** A port nothing listens on. */
async function closedPort() {
	const server = createTcpServer();
	await new Promise(resolve => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address();
	await new Promise(resolve => server.close(resolve));
	return port;
}

// ---- the owner password grant ----------------------------------------------------------------

describe('owner password (username + password)', () => {
	it('logs in with the password grant; the record, list, find and logout are the SDK\'s', async () => {
		const results = {};
		await both({ clientId: PASSWORD_CLIENT_ID, persistSecrets: true }, async (auth, who, h) => {
			const before = grants('password', PASSWORD_CLIENT_ID);
			const account = await auth.login({ ...OWNER });
			assert.equal(grants('password', PASSWORD_CLIENT_ID), before + 1, `${who}: one password grant`);
			assert.equal(account.auth.expired, false);
			const [ stored ] = decodeStoreFile(h.storeFile);
			const listed = await auth.list();
			const found = await auth.find({ ...OWNER });
			const again = await auth.login({ ...OWNER });
			assert.equal(again.auth.tokens.access_token, account.auth.tokens.access_token, `${who}: a valid stored token is reused`);
			const removed = await auth.logout({ accounts: [ account.name ] });
			results[who] = { account, stored, listed: listed.map(a => a.name), found: found?.name, removed: removed.map(a => a.name), after: await auth.list() };
		});
		const { ours, sdk } = results;
		assert.deepEqual(comparable(ours.account), comparable(sdk.account), 'login result');
		assert.deepEqual(comparable(ours.stored), comparable(sdk.stored), 'stored record');
		assert.equal(ours.account.auth.authenticator, 'OwnerPassword');
		assert.equal(ours.account.name, `${PASSWORD_CLIENT_ID}:${alice.email}`);
		assert.equal(ours.stored.auth.username, alice.email, 'persistSecrets keeps the username…');
		assert.equal(ours.stored.auth.password, alice.password, '…and the password');
		assert.equal(typeof ours.stored.auth.tokens.refresh_token, 'string');
		assert.equal(ours.account.user.email, alice.email, 'userinfo read');
		assert.equal(ours.account.org.guid, seed.ORGS.acme.guid);
		for (const key of [ 'listed', 'found', 'removed', 'after' ]) {
			assert.deepEqual(ours[key], sdk[key], key);
		}
		assert.deepEqual(ours.listed, [ ours.account.name ]);
		assert.deepEqual(ours.after, []);
	});

	it('without persistSecrets the store keeps no password, as the SDK\'s file store', async () => {
		await both({ clientId: PASSWORD_CLIENT_ID }, async (auth, who, h) => {
			await auth.login({ ...OWNER });
			const [ stored ] = decodeStoreFile(h.storeFile);
			assert.equal(stored.auth.authenticator, 'OwnerPassword', who);
			assert.equal(stored.auth.password, undefined, who);
			assert.equal(stored.auth.username, undefined, who);
		});
	});

	it('find refreshes with the refresh token, and logs in again with the stored password when there is none', async () => {
		// a threshold beyond the refresh token's lifetime: every find renews
		await both({ clientId: PASSWORD_CLIENT_ID, persistSecrets: true, tokenRefreshThreshold: 200_000 }, async (auth, who) => {
			const account = await auth.login({ ...OWNER });
			const refreshes = grants('refresh_token', PASSWORD_CLIENT_ID);
			const passwords = grants('password', PASSWORD_CLIENT_ID);
			const refreshed = await auth.find({ ...OWNER });
			assert.equal(grants('refresh_token', PASSWORD_CLIENT_ID), refreshes + 1, `${who}: refreshed with the refresh token`);
			assert.notEqual(refreshed.auth.tokens.access_token, account.auth.tokens.access_token, who);

			const withoutRefresh = { ...refreshed, auth: { ...refreshed.auth, tokens: { ...refreshed.auth.tokens }, expires: { ...refreshed.auth.expires, refresh: null } } };
			delete withoutRefresh.auth.tokens.refresh_token;
			await auth.updateAccount(withoutRefresh);
			const again = await auth.find(account.name);
			assert.equal(grants('password', PASSWORD_CLIENT_ID), passwords + 1, `${who}: logged in again with the stored password`);
			assert.equal(again.auth.authenticator, 'OwnerPassword', who);
			assert.equal(typeof again.auth.tokens.refresh_token, 'string', `${who}: a new refresh token`);
		});
	});

	it('a wrong password is the SDK\'s EINVALIDGRANT, and a client secret does not turn it into a service account login', async () => {
		const { ours } = await sameError(auth => auth.login({ clientId: PASSWORD_CLIENT_ID, username: alice.email, password: 'wrong' }));
		assert.equal(ours.code, 'EINVALIDGRANT');
		assert.equal(ours.message, 'Invalid Grant: Invalid user credentials');
		assert.ok(!ours.message.includes('wrong'));
		const before = grants('client_credentials', SERVICE_ACCOUNTS.secret.clientId);
		await both({ clientId: PASSWORD_CLIENT_ID, clientSecret: 'ignored-secret' }, async (auth, who) => {
			const account = await auth.login({ ...OWNER });
			assert.equal(account.auth.authenticator, 'OwnerPassword', who);
		});
		assert.equal(grants('client_credentials', SERVICE_ACCOUNTS.secret.clientId), before);
	});
});

// ---- login({ code }) ---------------------------------------------------------------------------

/** A loopback page that records the query of every request (the redirect URI of an
 * authorization the test drives itself). */
async function redirectTarget() {
	const hits = [];
	const server = createHttpServer((req, res) => {
		hits.push(new URL(req.url, 'http://127.0.0.1').searchParams);
		res.writeHead(200, { 'Content-Type': 'text/plain', Connection: 'close' });
		res.end('ok');
	});
	await new Promise(resolve => server.listen(0, '127.0.0.1', resolve));
	return { url: `http://127.0.0.1:${server.address().port}/callback`, hits, close: () => new Promise(resolve => server.close(resolve)) };
}

/** Drives an authorization with PKCE for `user` in the HTTP browser; resolves its code. */
async function obtainCode(user, { redirect, verifier }) {
	const challenge = createHash('sha256').update(verifier).digest('base64url');
	const url = new URL(`${platform.baseUrl}/auth/realms/Broker/protocol/openid-connect/auth`);
	for (const [ k, v ] of Object.entries({ client_id: PUBLIC_CLIENT_ID, response_type: 'code', scope: 'openid', redirect_uri: redirect.url, code_challenge: challenge, code_challenge_method: 'S256', state: 'test-state' })) {
		url.searchParams.set(k, v);
	}
	const page = await loginInBrowser(url.href, user);
	assert.equal(page.res.status, 200, page.text.slice(0, 200));
	const query = redirect.hits.at(-1);
	assert.equal(query?.get('state'), 'test-state');
	return query.get('code');
}

describe('login({ code })', () => {
	it('exchanges a code obtained from the identity server (PKCE verifier, redirect URI), stores it, and never reuses a token', async () => {
		const h = makeHome(platform);
		const redirect = await redirectTarget();
		try {
			const auth = new Auth(options(h, { clientId: PUBLIC_CLIENT_ID }));
			const verifier = randomBytes(32).toString('base64url');
			const code = await obtainCode(bob, { redirect, verifier });
			const before = grants('authorization_code', PUBLIC_CLIENT_ID);
			const account = await auth.login({ code, redirect: redirect.url, codeVerifier: verifier });
			assert.equal(grants('authorization_code', PUBLIC_CLIENT_ID), before + 1);
			assert.equal(account.auth.authenticator, 'PKCE');
			assert.equal(account.name, `${PUBLIC_CLIENT_ID}:${bob.email}`);
			assert.equal(account.user.email, bob.email);
			assert.equal(account.auth.expired, false);
			assert.equal(typeof account.auth.tokens.refresh_token, 'string');
			assert.equal(account.sid, undefined, 'no platform session for Auth');
			assert.deepEqual((await auth.list()).map(a => a.name), [ account.name ]);
			assert.deepEqual(decodeStoreFile(h.storeFile).map(a => a.name), [ account.name ]);

			// the same code again: a code login always asks the server (which refuses a used code)
			const reused = await rejection(auth.login({ code, redirectUri: redirect.url, codeVerifier: verifier }));
			assert.equal(reused.code, 'EINVALIDGRANT');
			// a code from an authorization with another verifier is refused too
			const other = await obtainCode(bob, { redirect, verifier: randomBytes(32).toString('base64url') });
			assert.equal((await rejection(auth.login({ code: other, redirect: redirect.url, codeVerifier: verifier }))).code, 'EINVALIDGRANT');
		} finally {
			await redirect.close();
			h.cleanup();
		}
	});

	it('a PKCE authenticator exchanges a code obtained with its own verifier (getToken(code, redirectUri)), as the SDK\'s', async () => {
		const redirect = await redirectTarget();
		const results = {};
		try {
			for (const [ who, lib ] of [ [ 'ours', require('..') ], [ 'sdk', require('@axway/amplify-sdk') ] ]) {
				const pkce = new lib.PKCE({ baseUrl: platform.baseUrl, platformUrl: platform.platformUrl, realm: 'Broker', clientId: PUBLIC_CLIENT_ID, ...(who === 'sdk' ? { got } : {}) });
				const code = await obtainCode(bob, { redirect, verifier: pkce.codeVerifier });
				results[who] = await pkce.getToken(code, redirect.url);
			}
		} finally {
			await redirect.close();
		}
		assert.deepEqual(comparable(results.ours), comparable(results.sdk));
		assert.equal(results.ours.name, `${PUBLIC_CLIENT_ID}:${bob.email}`);
		assert.equal(results.ours.auth.expired, false);
	});

	it('an empty or non-string code is the SDK\'s TypeError ERR_MISSING_AUTH_CODE', async () => {
		for (const code of [ '', 42 ]) {
			const { ours } = await sameError(auth => auth.login({ clientId: PUBLIC_CLIENT_ID, code }));
			assert.ok(ours instanceof TypeError);
			assert.equal(ours.code, 'ERR_MISSING_AUTH_CODE');
			assert.equal(ours.message, 'Expected code for interactive authentication to be a non-empty string');
		}
	});

	it('a code the server refuses fails as in the SDK (message, code, statusCode)', async () => {
		const { ours, sdk } = await sameError(auth => auth.login({ clientId: PUBLIC_CLIENT_ID, code: 'not-a-code' }));
		assert.equal(ours.message, 'Authentication failed: missing required parameter \'redirect_uri\': Response code 400 (Bad Request)');
		assert.equal(ours.code, 'ERR_AUTH_FAILED');
		assert.equal(ours.statusCode, 400);
		assert.equal(ours.statusCode, sdk.statusCode);
	});
});

// ---- login({ manual: true }) -------------------------------------------------------------------

describe('login({ manual: true })', () => {
	it('returns the authorization URL with the SDK\'s parameters; cancel() stops the server and rejects the promise', async () => {
		const urls = {};
		await both({ clientId: PUBLIC_CLIENT_ID }, async (auth, who) => {
			const handle = await auth.login({ manual: true });
			assert.equal(typeof handle.cancel, 'function', who);
			assert.ok(handle.loginAccount instanceof Promise, who);
			urls[who] = new URL(handle.url);
			if (who === 'sdk') {
				await handle.cancel();
				return;
			}
			assert.equal(handle.promise, handle.loginAccount, 'promise and loginAccount are the same Promise');
			const redirect = new URL(urls.ours.searchParams.get('redirect_uri'));
			const port = Number(redirect.port);
			const listening = await fetch(`http://127.0.0.1:${port}/`).then(r => r.status);
			assert.equal(listening, 400, 'the callback server listens until cancelled');
			const cancelled = handle.cancel();
			assert.ok(cancelled instanceof Promise);
			await cancelled;
			const err = await rejection(handle.promise);
			assert.equal(err.code, 'ERR_LOGIN_CANCELLED');
			await assert.rejects(fetch(`http://127.0.0.1:${port}/`), 'the callback server is stopped');
			await handle.cancel(); // a second cancel is harmless
		});
		const { ours, sdk } = urls;
		assert.equal(`${ours.origin}${ours.pathname}`, `${sdk.origin}${sdk.pathname}`, 'the same authorization endpoint');
		for (const [ key, value ] of sdk.searchParams) {
			assert.ok(ours.searchParams.has(key), `our URL has ${key}`);
			if (![ 'code_challenge', 'redirect_uri' ].includes(key)) {
				assert.equal(ours.searchParams.get(key), value, key);
			}
		}
		assert.ok(ours.searchParams.get('state'), 'ours also carries state');
	});

	it('completes when the user logs in at the URL: the promise resolves the stored account', async () => {
		const h = makeHome(platform);
		try {
			const auth = new Auth(options(h, { clientId: PUBLIC_CLIENT_ID }));
			const { url, promise } = await auth.login({ manual: true });
			const [ account, page ] = await Promise.all([ promise, loginInBrowser(url, bob) ]);
			assert.match(page.text, /Authorization Successful/);
			assert.equal(account.auth.authenticator, 'PKCE');
			assert.equal(account.name, `${PUBLIC_CLIENT_ID}:${bob.email}`);
			assert.equal(account.auth.expired, false);
			assert.deepEqual((await auth.list()).map(a => a.name), [ account.name ]);
			// a stored valid token does not skip the browser in manual mode (as in the SDK)
			const second = await auth.login({ manual: true });
			assert.ok(second.url, 'a new URL');
			await second.cancel();
		} finally {
			h.cleanup();
		}
	});

	it('works on a PKCE authenticator instance too (its login({ manual: true }))', async () => {
		const { PKCE } = require('..');
		const pkce = new PKCE({ baseUrl: platform.baseUrl, platformUrl: platform.platformUrl, realm: 'Broker', clientId: PUBLIC_CLIENT_ID });
		const { url, promise, cancel } = await pkce.login({ manual: true });
		assert.equal(new URL(url).searchParams.get('client_id'), PUBLIC_CLIENT_ID);
		const [ account ] = await Promise.all([ promise, loginInBrowser(url, bob) ]);
		assert.equal(account.auth.authenticator, 'PKCE');
		assert.equal(account.name, `${PUBLIC_CLIENT_ID}:${bob.email}`);
		await cancel(); // after completion: nothing to cancel, resolves
	});

	it('is refused for a non-interactive authenticator, with the SDK\'s error', async () => {
		const { ours } = await sameError(auth => auth.login({ manual: true, clientId: SERVICE_ACCOUNTS.secret.clientId, clientSecret: SERVICE_ACCOUNTS.secret.clientSecret }));
		assert.equal(ours.message, 'Manual mode is only supported with PKCE interactive authentication');
		assert.equal(ours.code, undefined);
		await sameError(auth => auth.login({ manual: true, clientId: PASSWORD_CLIENT_ID, ...OWNER }));
	});

	it('times out with the SDK\'s error', async () => {
		const errors = {};
		await both({ clientId: PUBLIC_CLIENT_ID }, async (auth, who) => {
			const { promise, loginAccount } = await auth.login({ manual: true, timeout: 300 });
			errors[who] = await rejection(promise ?? loginAccount);
		});
		assert.equal(errors.ours.message, errors.sdk.message);
		assert.equal(errors.ours.message, 'Authentication failed: Timed out');
		assert.equal(errors.ours.code, errors.sdk.code);
		assert.equal(errors.ours.code, 'ERR_AUTH_TIMEOUT');
		// and without manual mode (no browser is opened: launchBrowser false)
		const h = makeHome(platform);
		try {
			const err = await rejection(new Auth(options(h, { clientId: PUBLIC_CLIENT_ID })).login({ launchBrowser: false, timeout: 300 }));
			assert.equal(err.message, 'Authentication failed: Timed out');
			assert.equal(err.code, 'ERR_AUTH_TIMEOUT');
		} finally {
			h.cleanup();
		}
	});
});

// ---- errors as the SDK's callers see them ------------------------------------------------------

describe('token endpoint errors as the SDK reports them', () => {
	it('a 401 from the token endpoint: `Authentication failed: … Response code 401 (Unauthorized)`, ERR_AUTH_FAILED, statusCode', async () => {
		const { ours, sdk } = await sameError(auth => auth.login({ clientId: SERVICE_ACCOUNTS.secret.clientId, clientSecret: 'wrong-secret' }));
		assert.match(ours.message, /^Authentication failed: .*Response code 401 \(Unauthorized\)$/);
		assert.equal(ours.code, 'ERR_AUTH_FAILED');
		assert.equal(ours.axwayCode, 'ERR_AUTH_FAILED');
		assert.equal(ours.statusCode, 401);
		assert.equal(sdk.statusCode, 401);
		assert.ok(!ours.message.includes('wrong-secret'));

		// a bare 401 (text/plain), as in the SDK's own tests
		const bare = await sameError(auth => {
			platform.fault('token', 'unauthorized');
			return auth.login({ clientId: PASSWORD_CLIENT_ID, ...OWNER });
		});
		assert.equal(bare.ours.message, 'Authentication failed: Response code 401 (Unauthorized)');
		assert.equal(bare.ours.code, 'ERR_AUTH_FAILED');
		assert.equal(bare.ours.axwayCode, 'ERR_BAD_RESPONSE', 'our own code stays on axwayCode');
		assert.equal(bare.ours.statusCode, 401);
	});

	it('a token reply without an access token: `Authentication failed: Invalid server response`', async () => {
		const { ours } = await sameError(auth => {
			platform.fault('token', 'noaccesstoken');
			return auth.login({ clientId: PUBLIC_CLIENT_ID, code: 'any' });
		});
		assert.equal(ours.message, 'Authentication failed: Invalid server response');
		assert.equal(ours.code, 'ERR_AUTH_FAILED');
	});

	it('an unreachable server: Node\'s ECONNREFUSED, for the owner password and the code login', async () => {
		const port = await closedPort();
		for (const opts of [ { clientId: PASSWORD_CLIENT_ID, ...OWNER }, { clientId: PUBLIC_CLIENT_ID, code: 'any' } ]) {
			const { ours } = await sameError(auth => auth.login({ ...opts, baseUrl: `http://127.0.0.1:${port}` }));
			assert.equal(ours.code, 'ECONNREFUSED');
			assert.equal(ours.axwayCode, 'ERR_UNREACHABLE');
			assert.equal(ours.message, `connect ECONNREFUSED 127.0.0.1:${port}`);
		}
	});

	it('the command keeps its own messages (not the SDK\'s)', async () => {
		const { login } = require('..');
		const h = makeHome(platform);
		try {
			const err = await rejection(login({ homeDir: h.homeDir, clientId: SERVICE_ACCOUNTS.secret.clientId, clientSecret: 'wrong-secret' }));
			assert.equal(err.code, 'ERR_AUTH_FAILED');
			assert.match(err.message, /^Authentication failed: .*Check the client id and credentials/);
		} finally {
			h.cleanup();
		}
	});
});
