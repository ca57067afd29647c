// Tests for the local test platform itself: node --test __test__/platform.test.mjs
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash, createPublicKey, createSign, createVerify, randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

import { startPlatform } from './platform/server.mjs';
import { usePlatform } from './helpers/env.mjs';
import { JWT_CLIENT_KEY, LOAD_SERVICE_ACCOUNTS, ORGS, PUBLIC_CLIENT_ID, SERVICE_ACCOUNTS, TEAMS, USERS } from './platform/seed.mjs';

const REALM_PATH = '/auth/realms/Broker';
const OIDC = `${REALM_PATH}/protocol/openid-connect`;
const CALLBACK = 'http://localhost:3000/callback/0A1B2C3D';

const platform = usePlatform();

// ---- helpers ---------------------------------------------------------------------------------

const decode = jwt => JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString());
const form = params => ({
	method: 'POST',
	headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
	body: new URLSearchParams(params)
});

async function tokenRequest(params, p = platform) {
	const res = await fetch(p.url(`${OIDC}/token`), form(params));
	return { status: res.status, body: await res.json() };
}

const clientSecretGrant = (sa = SERVICE_ACCOUNTS.secret, p = platform) => tokenRequest({
	client_id: sa.clientId, client_secret: sa.clientSecret, grant_type: 'client_credentials', scope: 'openid'
}, p);

function signedAssertion(pemFile = JWT_CLIENT_KEY.pkcs8) {
	const now = Math.floor(Date.now() / 1000);
	const { clientId } = SERVICE_ACCOUNTS.jwt;
	const enc = obj => Buffer.from(JSON.stringify(obj)).toString('base64url');
	const input = `${enc({ alg: 'RS256', typ: 'JWT' })}.${enc({ aud: platform.url(`${OIDC}/token`), exp: now + 3600, iat: now, iss: clientId, jti: randomUUID(), sub: clientId })}`;
	return `${input}.${createSign('RSA-SHA256').update(input).sign(readFileSync(pemFile, 'utf8'), 'base64url')}`;
}

const api = (path, headers = {}) => fetch(platform.url(path), { headers: { Accept: 'application/json', ...headers } });
const bearer = token => ({ Authorization: `Bearer ${token}` });

/** A minimal browser: a cookie jar (paths ignored) and manual redirects. */
class Browser {
	cookies = new Map();

	async fetch(url, init = {}) {
		const res = await fetch(url, { ...init, redirect: 'manual', headers: { ...init.headers, Cookie: [ ...this.cookies ].map(([ k, v ]) => `${k}=${v}`).join('; ') } });
		for (const cookie of res.headers.getSetCookie()) {
			const [ pair ] = cookie.split(';');
			const i = pair.indexOf('=');
			const name = pair.slice(0, i).trim();
			const value = pair.slice(i + 1).trim();
			if (!value || /expires=Thu, 01 Jan 1970/i.test(cookie)) {
				this.cookies.delete(name);
			} else {
				this.cookies.set(name, value);
			}
		}
		return res;
	}

	/** Follows redirects while they stay on the platform; returns the last response and URL. */
	async follow(url, init) {
		let res = await this.fetch(url, init);
		let location = url;
		while ([ 302, 303 ].includes(res.status)) {
			location = new URL(res.headers.get('location'), location).href;
			if (!location.startsWith(platform.baseUrl)) {
				break;
			}
			res = await this.fetch(location);
		}
		return { res, location };
	}
}

function pkce() {
	const verifier = randomBytes(32).toString('base64url');
	return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** The CLI's authorization URL, including its extra access_type/grant_type params. */
function authUrl(challenge, redirectUri = CALLBACK) {
	return platform.url(`${OIDC}/auth?${new URLSearchParams({
		access_type: 'offline',
		client_id: PUBLIC_CLIENT_ID,
		code_challenge: challenge,
		code_challenge_method: 'S256',
		grant_type: 'authorization_code',
		redirect_uri: redirectUri,
		response_type: 'code',
		scope: 'openid'
	})}`);
}

/** Opens the login page; returns the browser, the page HTML and the form action URL. */
async function openLoginPage(browser, challenge) {
	const { res, location } = await browser.follow(authUrl(challenge));
	assert.equal(res.status, 200);
	const html = await res.text();
	assert.match(location, /\/login-actions\//);
	const action = /<form method="post" action="([^"]+)"/.exec(html)[1];
	return { html, action: platform.url(action) };
}

/** Drives the login form; returns the authorization code sent to the CLI's callback. */
async function browserLogin(user = USERS.alice, browser = new Browser()) {
	const { verifier, challenge } = pkce();
	const { action } = await openLoginPage(browser, challenge);
	const { location } = await browser.follow(action, form({ login: user.email, password: user.password }));
	assert.ok(location.startsWith(`${CALLBACK}?`), location);
	const code = new URL(location).searchParams.get('code');
	assert.ok(code);
	return { browser, code, verifier };
}

const codeGrant = ({ code, verifier }) => tokenRequest({
	client_id: PUBLIC_CLIENT_ID, code, code_verifier: verifier, grant_type: 'authorization_code', redirect_uri: CALLBACK, scope: 'openid'
});

const refreshGrant = refreshToken => tokenRequest({ client_id: PUBLIC_CLIENT_ID, grant_type: 'refresh_token', refresh_token: refreshToken });

async function toolingLogin(username, password) {
	const { body } = await clientSecretGrant();
	return fetch(platform.url('/api/v1/auth/login'), {
		method: 'POST',
		headers: { ...bearer(body.access_token), 'Content-Type': 'application/json', Accept: 'application/json' },
		body: JSON.stringify({ from: 'cli', username, password })
	});
}

const sidOf = res => /connect\.sid=([^;]+)/.exec(res.headers.getSetCookie().join('\n'))?.[1];

// ---- tests -----------------------------------------------------------------------------------

describe('OIDC discovery', () => {
	it('serves a Keycloak-style well-known document with a revocation endpoint', async () => {
		const res = await fetch(platform.url(`${REALM_PATH}/.well-known/openid-configuration`));
		assert.equal(res.status, 200);
		const doc = await res.json();
		assert.equal(doc.issuer, `${platform.baseUrl}${REALM_PATH}`);
		for (const [ key, name ] of [ [ 'authorization_endpoint', 'auth' ], [ 'token_endpoint', 'token' ], [ 'userinfo_endpoint', 'userinfo' ], [ 'revocation_endpoint', 'revoke' ], [ 'jwks_uri', 'certs' ], [ 'end_session_endpoint', 'logout' ] ]) {
			assert.equal(doc[key], platform.url(`${OIDC}/${name}`), key);
		}
		for (const grant of [ 'authorization_code', 'refresh_token', 'client_credentials' ]) {
			assert.ok(doc.grant_types_supported.includes(grant), grant);
		}
		const jwks = await (await fetch(doc.jwks_uri)).json();
		assert.equal(jwks.keys[0].kty, 'RSA');
	});
});

describe('client_credentials', () => {
	it('issues a verifiable RS256 JWT with service-account claims for client_secret_post', async () => {
		const { status, body } = await clientSecretGrant();
		assert.equal(status, 200);
		assert.equal(body.token_type, 'Bearer');
		assert.equal(body.expires_in, 1800);
		assert.equal(body.refresh_expires_in, 0);
		assert.equal(body.scope, 'openid');
		assert.equal(body.refresh_token, undefined);
		assert.equal(body.id_token, undefined);

		const [ h, p, s ] = body.access_token.split('.');
		const header = JSON.parse(Buffer.from(h, 'base64url'));
		assert.equal(header.alg, 'RS256');
		const { keys } = await (await fetch(platform.url(`${OIDC}/certs`))).json();
		const key = createPublicKey({ key: keys.find(k => k.kid === header.kid), format: 'jwk' });
		assert.ok(createVerify('RSA-SHA256').update(`${h}.${p}`).verify(key, Buffer.from(s, 'base64url')));

		const claims = decode(body.access_token);
		const sa = SERVICE_ACCOUNTS.secret;
		assert.equal(claims.email, undefined);
		assert.equal(claims.guid, sa.guid);
		assert.equal(claims.orgId, 100);
		assert.equal(claims.clientId, sa.clientId);
		assert.equal(claims.preferred_username, `service-account-${sa.clientId.toLowerCase()}`);
		assert.equal(claims.iss, `${platform.baseUrl}${REALM_PATH}`);
	});

	it('rejects a wrong secret with 401 invalid_client', async () => {
		const { status, body } = await clientSecretGrant({ ...SERVICE_ACCOUNTS.secret, clientSecret: 'nope' });
		assert.equal(status, 401);
		assert.equal(body.error, 'invalid_client');
	});

	it('serves the load-test accounts', async () => {
		const sa = LOAD_SERVICE_ACCOUNTS.at(-1);
		assert.equal(sa.clientId, 'DOSA_load0030');
		const { status, body } = await clientSecretGrant(sa);
		assert.equal(status, 200);
		assert.equal(decode(body.access_token).guid, sa.guid);
	});

	it('accepts private_key_jwt assertions signed with the committed key (PKCS#8 and PKCS#1)', async () => {
		for (const pem of [ JWT_CLIENT_KEY.pkcs8, JWT_CLIENT_KEY.pkcs1 ]) {
			const { status, body } = await tokenRequest({
				client_assertion: signedAssertion(pem),
				client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
				client_id: SERVICE_ACCOUNTS.jwt.clientId,
				grant_type: 'client_credentials',
				scope: 'openid'
			});
			assert.equal(status, 200, JSON.stringify(body));
			const claims = decode(body.access_token);
			assert.equal(claims.orgId, 200);
			assert.equal(claims.guid, SERVICE_ACCOUNTS.jwt.guid);
		}
	});

	it('rejects a replayed client assertion', async () => {
		const params = {
			client_assertion: signedAssertion(),
			client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
			client_id: SERVICE_ACCOUNTS.jwt.clientId,
			grant_type: 'client_credentials'
		};
		assert.equal((await tokenRequest(params)).status, 200);
		const replay = await tokenRequest(params);
		assert.equal(replay.status, 401);
		assert.equal(replay.body.error, 'invalid_client');
	});
});

describe('authorization_code + PKCE', () => {
	it('logs in through the form, selects an org, and refreshes into it', async () => {
		platform.reset();
		const login = await browserLogin();
		const { status, body } = await codeGrant(login);
		assert.equal(status, 200, JSON.stringify(body));
		assert.ok(body.refresh_token);
		assert.ok(body.id_token);
		assert.equal(body.refresh_expires_in, 86400);
		assert.equal(body.scope, 'openid');

		for (const jwt of [ body.id_token, body.access_token ]) {
			const claims = decode(jwt);
			assert.equal(claims.email, USERS.alice.email);
			assert.equal(claims.guid, USERS.alice.guid);
			assert.equal(claims.identity_provider, 'axway-idp');
			assert.equal(claims.given_name, 'Alice');
			assert.equal(claims.family_name, 'Anderson');
			assert.equal(claims.orgId, 100);
		}

		// the CLI bounces the browser to org.select; the user is known from the login session
		const page = await login.browser.fetch(platform.url(`/auth/org.select?redirect=${encodeURIComponent(CALLBACK)}`));
		assert.equal(page.status, 200);
		const html = await page.text();
		assert.match(html, /alice@example\.com/);
		const href = /data-org-id="200"[^>]*href="([^"]+)"/.exec(html)[1].replaceAll('&amp;', '&');
		const chosen = await login.browser.fetch(platform.url(href));
		assert.equal(chosen.status, 302);
		assert.equal(chosen.headers.get('location'), CALLBACK);

		const refreshed = await refreshGrant(body.refresh_token);
		assert.equal(refreshed.status, 200, JSON.stringify(refreshed.body));
		assert.ok(refreshed.body.id_token);
		assert.ok(refreshed.body.refresh_expires_in > 0);
		assert.equal(decode(refreshed.body.id_token).orgId, 200);
		assert.equal(decode(refreshed.body.access_token).orgId, 200);

		const session = await (await api('/api/v1/auth/findSession', bearer(refreshed.body.access_token))).json();
		assert.equal(session.result.org.org_id, 200);
		assert.equal(session.result.org.name, ORGS.beta.name);

		const state = platform.state();
		assert.deepEqual(state.orgSelections.map(s => s.orgId), [ 200 ]);
		assert.equal(state.tokenCounts.authorization_code[PUBLIC_CLIENT_ID], 1);
		assert.equal(state.tokenCounts.refresh_token[PUBLIC_CLIENT_ID], 1);
		assert.deepEqual(state.userLogins.map(l => l.ok), [ true ]);
	});

	it('rejects a wrong password, and cancel redirects with error=access_denied', async () => {
		const browser = new Browser();
		const { action } = await openLoginPage(browser, pkce().challenge);
		const bad = await browser.fetch(action, form({ login: USERS.bob.email, password: 'wrong' }));
		assert.equal(bad.status, 401);
		assert.match(await bad.text(), /Invalid username or password/);

		const { location } = await browser.follow(`${action}/abort`);
		const url = new URL(location);
		assert.equal(url.origin + url.pathname, CALLBACK);
		assert.equal(url.searchParams.get('error'), 'access_denied');
	});

	it('rejects a bad code_verifier and non-loopback redirect URIs', async () => {
		const login = await browserLogin(USERS.bob);
		const { status, body } = await codeGrant({ ...login, verifier: pkce().verifier });
		assert.equal(status, 400);
		assert.equal(body.error, 'invalid_grant');

		const res = await fetch(authUrl(pkce().challenge, 'https://evil.example.com/callback/0A1B2C3D'), { redirect: 'manual' });
		assert.equal(res.status, 400);
		assert.equal(res.headers.get('location'), null);

		const loopback = await fetch(authUrl(pkce().challenge, 'http://127.0.0.1:49152/callback/0A1B2C3D'), { redirect: 'manual' });
		assert.equal(loopback.status, 303);
		assert.match(loopback.headers.get('location'), /\/login-actions\//);
	});

	it('skips the login form while the browser session lasts (SSO)', async () => {
		const { browser } = await browserLogin(USERS.bob);
		const { location } = await browser.follow(authUrl(pkce().challenge));
		assert.ok(new URL(location).searchParams.get('code'), location);
	});

	it('records revocations and rejects revoked tokens', async () => {
		platform.reset();
		const { body } = await codeGrant(await browserLogin(USERS.bob));
		const revoke = (token, hint) => fetch(platform.url(`${OIDC}/revoke`), form({ client_id: PUBLIC_CLIENT_ID, token, token_type_hint: hint }));
		assert.equal((await revoke(body.access_token, 'access_token')).status, 200);
		assert.equal((await revoke(body.refresh_token, 'refresh_token')).status, 200);
		assert.deepEqual(platform.state().revocations.map(r => r.tokenType), [ 'access_token', 'refresh_token' ]);

		assert.equal((await refreshGrant(body.refresh_token)).body.error, 'invalid_grant');
		assert.equal((await api('/api/v1/auth/findSession', bearer(body.access_token))).status, 401);
	});
});

describe('userinfo', () => {
	it('answers for user and service-account tokens, 401 otherwise', async () => {
		const { body } = await codeGrant(await browserLogin(USERS.bob));
		const user = await (await api(`${OIDC}/userinfo`, bearer(body.access_token))).json();
		assert.equal(user.email, USERS.bob.email);
		assert.equal(user.given_name, 'Bob');
		assert.equal(user.family_name, 'Builder');
		assert.equal(user.guid, USERS.bob.guid);
		assert.equal(user.org_guid, ORGS.acme.guid);
		assert.equal(user.org_name, ORGS.acme.name);

		const sa = await (await api(`${OIDC}/userinfo`, bearer((await clientSecretGrant()).body.access_token))).json();
		assert.equal(sa.preferred_username, `service-account-${SERVICE_ACCOUNTS.secret.clientId.toLowerCase()}`);
		assert.equal(sa.guid, SERVICE_ACCOUNTS.secret.guid);
		assert.equal(sa.org_guid, ORGS.acme.guid);
		assert.equal(sa.email, undefined);

		const bad = await api(`${OIDC}/userinfo`, bearer('garbage'));
		assert.equal(bad.status, 401);
		assert.equal((await bad.json()).error, 'invalid_token');
	});
});

describe('platform API', () => {
	it('findSession: user token, service token, no auth, garbage', async () => {
		const { body } = await codeGrant(await browserLogin(USERS.bob));
		const { success, result } = await (await api('/api/v1/auth/findSession', bearer(body.access_token))).json();
		assert.equal(success, true);
		assert.equal(result.user.email, USERS.bob.email);
		assert.equal(result.user.guid, USERS.bob.guid);
		assert.equal(result.org.org_id, 100);
		assert.deepEqual(result.orgs.map(o => o.org_id), [ 100 ]);
		assert.equal(result.role, 'developer');
		for (const key of [ 'firstname', 'lastname', 'phone', 'axway_id', 'date_activated', 'organization' ]) {
			assert.ok(result.user[key], key);
		}

		const service = await (await api('/api/v1/auth/findSession', bearer((await clientSecretGrant()).body.access_token))).json();
		assert.deepEqual(service, { success: true, result: null });

		for (const headers of [ {}, bearer('garbage'), bearer(body.id_token) ]) {
			const res = await api('/api/v1/auth/findSession', headers);
			assert.equal(res.status, 401);
			assert.equal((await res.json()).success, false);
		}
	});

	it('findSession rejects expired tokens', async () => {
		// exp is whole seconds after a floored iat: a 1 s token may be valid for only a few ms,
		// which lost the race with the first request under load. 3 s leaves at least 2 s.
		const shortLived = await startPlatform({ quiet: true, accessTtl: 3 });
		try {
			const { body } = await clientSecretGrant(SERVICE_ACCOUNTS.secret, shortLived);
			const findSession = () => fetch(shortLived.url('/api/v1/auth/findSession'), { headers: bearer(body.access_token) });
			assert.equal((await findSession()).status, 200);
			const expiry = decode(body.access_token).exp * 1000;
			while (Date.now() < expiry) {
				await new Promise(r => setTimeout(r, Math.min(50, expiry - Date.now() + 1)));
			}
			assert.equal((await findSession()).status, 401);
		} finally {
			await shortLived.close();
		}
	});

	it('tooling login sets connect.sid; findSession follows the cookie', async () => {
		platform.reset();
		const res = await toolingLogin(USERS.alice.email, USERS.alice.toolingPassword);
		assert.equal(res.status, 200);
		assert.equal((await res.json()).result.email, USERS.alice.email);
		const sid = decodeURIComponent(sidOf(res));
		assert.match(sid, /^s:/);

		const session = await (await api('/api/v1/auth/findSession', { Cookie: `connect.sid=${sid}` })).json();
		assert.equal(session.result.user.guid, USERS.alice.guid);
		assert.equal(session.result.org.org_id, SERVICE_ACCOUNTS.secret.org_id);
		assert.equal(session.result.orgs.length, 2);

		const unknown = await (await api('/api/v1/auth/findSession', { Cookie: 'connect.sid=s:nope.sig' })).json();
		assert.deepEqual(unknown, { success: true, result: null });

		platform.invalidateSessions();
		assert.equal((await (await api('/api/v1/auth/findSession', { Cookie: `connect.sid=${sid}` })).json()).result, null);
		assert.deepEqual(platform.state().toolingLogins.map(l => l.ok), [ true ]);
	});

	it('tooling login with a bad password is 401', async () => {
		const res = await toolingLogin(USERS.alice.email, 'alice-password');
		assert.equal(res.status, 401);
		assert.deepEqual(await res.json(), { success: false, description: 'Invalid username or password.', code: 401 });
		assert.equal(sidOf(res), undefined);
	});

	it('serves org, team and role', async () => {
		const headers = bearer((await clientSecretGrant()).body.access_token);
		const byId = await (await api('/api/v1/org/100', headers)).json();
		const byGuid = await (await api(`/api/v1/org/${ORGS.beta.guid}`, headers)).json();
		assert.equal(byId.result.guid, ORGS.acme.guid);
		assert.equal(byId.result.region, 'US');
		assert.equal(byGuid.result.org_id, 200);
		assert.equal(byGuid.result.region, 'EU');
		assert.ok(Array.isArray(byId.result.subscriptions) && Array.isArray(byId.result.users));
		assert.equal((await api('/api/v1/org/999', headers)).status, 404);

		const teams = (await (await api('/api/v1/team?org_id=100', headers)).json()).result;
		assert.deepEqual(teams.map(t => t.name).sort(), [ 'Default Team', 'Platform Team' ]);
		const def = teams.find(t => t.default);
		assert.equal(def.guid, TEAMS[0].guid);
		assert.equal(def.org_guid, ORGS.acme.guid);
		assert.ok(def.users.some(u => u.guid === USERS.alice.guid && u.type === 'user' && u.roles.includes('administrator')));
		assert.ok(def.users.some(u => u.guid === SERVICE_ACCOUNTS.secret.guid && u.type === 'client'));

		const roles = (await (await api('/api/v1/role', headers)).json()).result;
		assert.deepEqual(roles.map(r => r.id), [ 'administrator', 'developer' ]);
		assert.equal((await api('/api/v1/role')).status, 401);
	});

	it('records sign-outs and redirects', async () => {
		platform.reset();
		const { body } = await codeGrant(await browserLogin(USERS.bob));
		const plain = await api(`/auth/signout?id_token_hint=${body.id_token}`);
		assert.equal(plain.status, 200);
		const target = platform.url('/signed.out?msg=signout');
		const redirected = await fetch(platform.url(`/auth/signout?redirect=${encodeURIComponent(target)}`), { redirect: 'manual' });
		assert.equal(redirected.status, 302);
		assert.equal(redirected.headers.get('location'), target);
		assert.equal((await fetch(target)).status, 200);
		const { signOuts } = platform.state();
		assert.deepEqual(signOuts.map(s => [ s.idTokenHint, s.subject ]), [ [ true, USERS.bob.email ], [ false, undefined ] ]);
	});
});

describe('faults', () => {
	it('html, 500 and badjson, once or for every request', async () => {
		platform.fault('token', 'html');
		let res = await fetch(platform.url(`${OIDC}/token`), form({}));
		assert.equal(res.status, 200);
		assert.match(res.headers.get('content-type'), /text\/html/);
		assert.equal((await clientSecretGrant()).status, 200, 'a fault applies to the next request only');

		platform.fault('findSession', '500', 'all');
		for (let i = 0; i < 2; i++) {
			res = await api('/api/v1/auth/findSession');
			assert.equal(res.status, 500);
		}
		platform.fault('findSession', 'none');
		assert.equal((await api('/api/v1/auth/findSession')).status, 401);

		const set = await fetch(platform.url('/__test__/fault'), { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ route: 'userinfo', mode: 'badjson' }) });
		assert.equal(set.status, 200);
		res = await api(`${OIDC}/userinfo`);
		assert.equal(res.status, 200);
		assert.match(res.headers.get('content-type'), /application\/json/);
		await assert.rejects(res.json(), SyntaxError);
	});

	it('hang keeps the request open; "*" matches every route', { timeout: 30_000 }, async () => {
		platform.fault('*', 'hang');
		await assert.rejects(fetch(platform.url(`${OIDC}/userinfo`), { signal: AbortSignal.timeout(300) }), { name: 'TimeoutError' });
		assert.equal((await api('/api/v1/role')).status, 401);
	});

	it('close() ends hanging requests quickly', { timeout: 30_000 }, async () => {
		const p = await startPlatform({ quiet: true });
		p.fault('token', 'hang');
		const pending = fetch(p.url(`${OIDC}/token`), form({})).catch(err => err);
		const deadline = Date.now() + 10_000;
		while (!p.state().requests.some(r => r.route === 'token')) { // wait until the server holds it
			assert.ok(Date.now() < deadline, 'the hanging request never reached the server');
			await new Promise(r => setTimeout(r, 5));
		}
		const t0 = Date.now();
		await p.close();
		assert.ok(Date.now() - t0 < 1000);
		assert.ok((await pending) instanceof Error);
	});
});

describe('program mode', { timeout: 30_000 }, () => {
	it('prints one JSON line and exits on SIGTERM', async () => {
		const child = spawn(process.execPath, [ fileURLToPath(new URL('./platform/server.mjs', import.meta.url)), '--port', '0' ], { stdio: [ 'ignore', 'pipe', 'pipe' ] });
		let stderr = '';
		child.stderr.on('data', d => { stderr += d; });
		const lines = createInterface({ input: child.stdout });
		const first = await new Promise((resolve, reject) => {
			lines.once('line', resolve);
			child.once('exit', code => reject(new Error(`the server exited (${code}) before printing its address: ${stderr}`)));
		});
		const info = JSON.parse(first);
		assert.deepEqual(Object.keys(info), [ 'baseUrl', 'platformUrl', 'port' ]);
		assert.equal((await fetch(`${info.baseUrl}${REALM_PATH}/.well-known/openid-configuration`)).status, 200);
		const rest = [];
		lines.on('line', l => rest.push(l));
		const exited = new Promise(resolve => child.once('exit', code => resolve(code)));
		child.kill('SIGTERM');
		assert.equal(await exited, 0);
		assert.deepEqual(rest, []);
	});
});
