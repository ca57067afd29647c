// Browser login (PKCE) of platform users, driven by a plain-HTTP "user" (helpers/browser.mjs)
// that opens the URL handed to `onOpenBrowser` (or printed by `axway auth login
// --no-launch-browser`), fills the login form and picks an org: issue 3, spec 3.7. The same flow
// in a real browser is chromium.test.mjs.
//
//   node --test __test__/browser-login.test.mjs
//
// Port 3000: the callback server prefers it, and the suites run in parallel, so another suite's
// login may hold it at any moment. The "port freed" checks therefore hold 127.0.0.1:3000
// themselves while they run (or find it held by another suite): their login always falls back to
// a port that only it uses, and "can we bind it again afterwards?" cannot race with anyone. The
// preferred-port test waits until it can take 3000 itself.
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { connect } from 'node:net';

import { api, apiOptions, makeHome, runCli, seed, usePlatform } from './helpers/env.mjs';
import { HttpBrowser, loginInBrowser } from './helpers/browser.mjs';
import { LOGIN_URL_RE, canBind, closeServer, occupy, occupyWhenFree, redirectUriOf, spawnCli } from './helpers/chromium.mjs';

const { USERS, ORGS, TEAMS } = seed;
const { alice, bob } = USERS;
const BETA_TEAM = TEAMS.find(t => t.name === 'Beta Team');
const ACME_DEFAULT_TEAM = TEAMS.find(t => t.org_id === 100 && t.default);

const platform = usePlatform();
beforeEach(() => platform.reset());

// ---- helpers ---------------------------------------------------------------------------------

const claims = jwt => JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8'));
const grants = () => platform.state().tokenRequests.map(r => r.grantType);

/**
 * Logs in through the API; `user` (when given) acts in the browser as soon as the URL is
 * handed over. Resolves `{ account, url, page, browser, opened }`; rejects with the login's error
 * (the browser side's outcome is in `err.page`).
 */
async function browserLogin(h, user, { orgId, act, ...more } = {}) {
	const browser = new HttpBrowser();
	let url;
	let acting = Promise.resolve();
	let opened = 0;
	const onOpenBrowser = ({ url: u }) => {
		opened++;
		url = u;
		// do not return the promise: the user acts while the login waits for the callback
		acting = (act ? act(u, browser) : user ? loginInBrowser(u, user, { orgId, browser }) : Promise.resolve()).then(
			page => ({ page }),
			error => ({ error })
		);
	};
	let account;
	try {
		account = await api().login(apiOptions(h, { launchBrowser: false, onOpenBrowser, ...more }));
	} catch (err) {
		const side = await acting;
		err.page = side.page;
		err.browserError = side.error;
		err.url = url;
		err.opened = opened;
		throw err;
	}
	const side = await acting;
	if (side.error) {
		throw side.error;
	}
	return { account, url, page: side.page, browser, opened };
}

/** Holds 127.0.0.1:3000 (unless another suite does) so the login falls back to a port of its own. */
const holdPreferredPort = () => occupy(3000).catch(() => null);

/** The login's callback port is free again on every loopback interface it used. */
async function assertPortFreed(port) {
	assert.notEqual(port, 3000, 'the bad-case logins run on a fallback port (3000 is held)');
	assert.equal(await canBind(port, '127.0.0.1'), true, `127.0.0.1:${port} is free again after the login`);
	const v6 = await canBind(port, '::1');
	assert.notEqual(v6, false, `[::1]:${port} is free again after the login`);
}

/** Nothing stored: no token store file was written. */
function assertNothingStored(h) {
	assert.equal(existsSync(h.storeFile), false, `no token store was written (${h.storeFile})`);
	assert.equal(existsSync(h.v1StoreFile), false, 'no v1 token store was written');
	assert.equal(h.config().auth.defaultAccount, undefined, 'no default account in config.json');
}

/** A GET to the callback server, as a browser would send it. */
async function hit(url) {
	const res = await fetch(url, { redirect: 'manual' });
	return { status: res.status, text: await res.text(), location: res.headers.get('location') };
}

// ---- the happy paths -------------------------------------------------------------------------

describe('browser login (PKCE)', () => {
	it('alice (two orgs) picks Beta Inc on the org select page; the tokens are refreshed for it', async () => {
		const h = makeHome(platform);
		try {
			const { account, page, browser } = await browserLogin(h, alice, { orgId: ORGS.beta.org_id });

			// the browser: login form, org select, then the command's success page
			assert.equal(page.res.status, 200);
			assert.match(page.text, /<title>Authorization Successful!<\/title>/);
			assert.ok(browser.visited.some(v => new URL(v.url).pathname === '/auth/org.select'), 'the browser went through org.select');
			assert.deepEqual(platform.state().orgSelections.map(s => [ s.email, s.orgId ]), [ [ alice.email, 200 ] ]);

			// the token requests: the code exchange, then a refresh for the selected org (last)
			assert.deepEqual(grants(), [ 'authorization_code', 'refresh_token' ]);
			assert.equal(platform.state().tokenRequests.at(-1).grantType, 'refresh_token');
			assert.equal(claims(account.auth.tokens.access_token).orgId, ORGS.beta.org_id, 'the access token carries the selected org');

			// the account
			assert.equal(account.name, `amplify-cli:${alice.email}`);
			assert.equal(account.auth.authenticator, 'PKCE');
			assert.equal(account.isPlatform, true);
			assert.notEqual(account.isPlatformTooling, true);
			assert.equal(account.org.id, ORGS.beta.org_id);
			assert.equal(account.org.guid, ORGS.beta.guid);
			assert.equal(account.org.name, ORGS.beta.name);
			assert.equal(account.orgs.length, 2);
			assert.deepEqual(account.orgs.map(o => [ o.id, o.name, o.default ]).sort(), [ [ 100, 'Acme Corp', false ], [ 200, 'Beta Inc', true ] ]);
			assert.equal(account.team?.guid, BETA_TEAM.guid, 'the default team of the selected org is chosen');
			assert.equal(account.team.name, 'Beta Team');
			assert.deepEqual(account.team.roles, [ 'administrator' ]);
			assert.equal(account.role, 'administrator');
			assert.equal(account.user.email, alice.email);
			assert.equal(account.user.guid, alice.guid);
			assert.equal(account.default, true, 'the only account becomes the default');
			assert.equal(typeof account.auth.tokens.refresh_token, 'string');

			// stored, and the defaults written as the JS CLI does
			const stored = await api().list(apiOptions(h, { validate: false }));
			assert.deepEqual(stored.map(a => a.hash), [ account.hash ]);
			assert.equal(stored[0].auth.tokens.access_token, account.auth.tokens.access_token);
			const { auth } = h.config();
			assert.equal(auth.defaultAccount, account.name);
			assert.equal(auth.defaultOrg[account.hash], ORGS.beta.guid);
			assert.equal(auth.defaultTeam[account.hash], BETA_TEAM.guid);
		} finally {
			h.cleanup();
		}
	});

	it('bob (one org) goes straight to the success page: no org select, no extra refresh', async () => {
		const h = makeHome(platform);
		try {
			const { account, page, browser } = await browserLogin(h, bob);
			assert.equal(page.res.status, 200);
			assert.match(page.text, /Authorization Successful!/);
			assert.equal(browser.visited.some(v => new URL(v.url).pathname === '/auth/org.select'), false, 'no org.select page');
			assert.deepEqual(platform.state().orgSelections, []);
			assert.deepEqual(grants(), [ 'authorization_code' ]);
			assert.equal(account.org.id, ORGS.acme.org_id);
			assert.equal(account.org.name, ORGS.acme.name);
			assert.deepEqual(account.orgs.map(o => o.id), [ ORGS.acme.org_id ]);
			assert.equal(account.team?.guid, ACME_DEFAULT_TEAM.guid);
			assert.equal(account.role, 'developer');
			assert.equal(account.isPlatform, true);
			assert.equal(account.user.email, bob.email);
		} finally {
			h.cleanup();
		}
	});

	it('axway auth login --no-launch-browser --json: the URL on stderr, only the account as JSON on stdout', async () => {
		const h = makeHome(platform);
		const cli = spawnCli([ 'auth', 'login', '--no-launch-browser', '--json' ], { home: h });
		try {
			const [ , url ] = await cli.waitFor(LOGIN_URL_RE, { stream: 'stderr' });
			const page = await loginInBrowser(url, bob);
			assert.equal(page.res.status, 200);
			const { code, stdout, stderr, json } = await cli.done;
			assert.equal(code, 0, stderr);
			assert.ok(json, `stdout is JSON: ${stdout}`);
			assert.doesNotMatch(stdout, /Please open/);
			assert.match(stderr, /Please open following link in your browser:/);
			assert.equal(json.name, `amplify-cli:${bob.email}`);
			assert.equal(json.isPlatform, true);
			assert.equal(json.org.id, ORGS.acme.org_id);
			assert.equal(json.auth.authenticator, 'PKCE');
			assert.equal(json.auth.tokens.access_token, undefined, 'no token in --json output');
			assert.equal(json.auth.tokens.refresh_token, undefined, 'no token in --json output');
			assert.equal(json.sid, undefined);
			const ls = await runCli([ 'auth', 'ls', '--json' ], { home: h });
			assert.deepEqual(ls.json.map(a => a.name), [ json.name ]);
		} finally {
			cli.kill();
			h.cleanup();
		}
	});

	it('logging in again: EAUTHENTICATED with the account and no browser; force: true logs in again', async () => {
		const h = makeHome(platform);
		try {
			const first = await browserLogin(h, bob);

			// already logged in: refused before any browser is involved
			let opened = 0;
			await assert.rejects(
				api().login(apiOptions(h, { launchBrowser: false, onOpenBrowser: () => { opened++; } })),
				err => {
					assert.equal(err.code, 'EAUTHENTICATED');
					assert.match(err.message, /already authenticated/i);
					assert.equal(err.account?.name, first.account.name);
					assert.equal(err.account.hash, first.account.hash);
					assert.equal(err.account.org?.id, ORGS.acme.org_id);
					return true;
				}
			);
			assert.equal(opened, 0, 'no login URL was handed out');
			assert.deepEqual(grants(), [ 'authorization_code' ], 'no new code exchange');

			// the command says so and exits 0
			const again = await runCli([ 'auth', 'login', '--no-launch-browser' ], { home: h, timeout: 20_000 });
			assert.equal(again.code, 0, again.stderr);
			assert.doesNotMatch(again.stdout, /Please open/);
			assert.match(again.stdout, /You are already logged into a platform account in organization Acme Corp/);

			// --force: a fresh browser login replaces the stored one
			const second = await browserLogin(h, bob, { force: true });
			assert.equal(second.opened, 1);
			assert.equal(second.account.hash, first.account.hash);
			assert.notEqual(second.account.auth.tokens.access_token, first.account.auth.tokens.access_token);
			assert.deepEqual(grants(), [ 'authorization_code', 'authorization_code' ]);
			const stored = await api().list(apiOptions(h, { validate: false }));
			assert.equal(stored.length, 1);
			assert.equal(stored[0].auth.tokens.access_token, second.account.auth.tokens.access_token);
		} finally {
			h.cleanup();
		}
	});

	it('the authorization URL: PKCE S256, a fresh state, a loopback redirect URI; the callback server is loopback only', async () => {
		const h = makeHome(platform);
		try {
			const addresses = Object.values(networkInterfaces()).flat().filter(i => !i.internal).map(i => i.address);
			let reachable = null;
			const probe = async (u, browser) => {
				// before the user acts: is the callback port reachable on a non-loopback address?
				const { port } = redirectUriOf(u);
				for (const address of addresses) {
					const connected = await new Promise(resolve => {
						const socket = connect({ host: address, port: Number(port) }, () => { socket.destroy(); resolve(true); });
						socket.on('error', () => resolve(false));
						socket.setTimeout(1000, () => { socket.destroy(); resolve(false); });
					});
					if (connected) {
						reachable = `${address}:${port}`;
					}
				}
				return loginInBrowser(u, bob, { browser });
			};
			const first = await browserLogin(h, bob, { act: probe });
			const second = await browserLogin(h, bob, { force: true });
			for (const url of [ first.url, second.url ]) {
				const u = new URL(url);
				const q = u.searchParams;
				assert.equal(`${u.origin}${u.pathname}`, `${platform.baseUrl}/auth/realms/Broker/protocol/openid-connect/auth`);
				assert.equal(q.get('response_type'), 'code');
				assert.equal(q.get('client_id'), 'amplify-cli');
				assert.equal(q.get('code_challenge_method'), 'S256');
				assert.match(q.get('code_challenge'), /^[A-Za-z0-9_-]{43}$/, 'a base64url SHA-256 challenge');
				assert.match(q.get('state') ?? '', /^[A-Za-z0-9_-]{16,}$/, 'a random state');
				assert.match(q.get('scope'), /\bopenid\b/);
				const redirect = redirectUriOf(url);
				assert.equal(redirect.protocol, 'http:');
				assert.equal(redirect.hostname, 'localhost');
				assert.match(redirect.pathname, /^\/callback\/[0-9A-F]+$/);
				assert.ok(Number(redirect.port) > 0);
			}
			assert.notEqual(first.url, second.url);
			const q1 = new URL(first.url).searchParams;
			const q2 = new URL(second.url).searchParams;
			assert.notEqual(q1.get('state'), q2.get('state'), 'a new state per login');
			assert.notEqual(q1.get('code_challenge'), q2.get('code_challenge'), 'a new verifier per login');
			assert.equal(reachable, null, `the callback server must listen on loopback only, but ${reachable} accepted a connection`);
		} finally {
			h.cleanup();
		}
	});
});

// ---- the bad cases ---------------------------------------------------------------------------

describe('browser login bad cases: a clear error, nothing stored, the port freed', () => {
	let held;
	beforeEach(async () => { held = await holdPreferredPort(); });
	after(() => closeServer(held));
	const release = async () => { await closeServer(held); held = null; };

	it('state mismatch: callbacks with a state this login did not send get 400; after 20 the login gives up', async () => {
		const h = makeHome(platform);
		try {
			let reply;
			const err = await browserLogin(h, null, {
				// one such request is ignored (the login keeps waiting, see hardening.test.mjs);
				// 20 rejected requests end it
				act: async u => {
					for (let i = 0; i < 20; i++) {
						reply = await hit(`${redirectUriOf(u).href}?state=not-the-state&code=stolen-code`);
						assert.equal(reply.status, 400);
					}
				}
			}).then(() => assert.fail('the login must fail'), e => e);
			await release();
			assert.equal(err.code, 'ERR_STATE_MISMATCH', err.message);
			assert.match(err.message, /unexpected state/);
			assert.equal(reply.status, 400, 'the browser gets an error page');
			assert.match(reply.text, /unexpected state/);
			assert.deepEqual(grants(), [], 'the code was never exchanged');
			assertNothingStored(h);
			await assertPortFreed(Number(redirectUriOf(err.url).port));
		} finally {
			h.cleanup();
		}
	});

	it('missing code: the right state but no authorization code', async () => {
		const h = makeHome(platform);
		try {
			let reply;
			const err = await browserLogin(h, null, {
				act: async u => { reply = await hit(`${redirectUriOf(u).href}?state=${encodeURIComponent(new URL(u).searchParams.get('state'))}`); }
			}).then(() => assert.fail('the login must fail'), e => e);
			await release();
			assert.equal(err.code, 'ERR_MISSING_AUTH_CODE', err.message);
			assert.match(err.message, /no authorization code/);
			assert.equal(reply.status, 400);
			assert.match(reply.text, /no authorization code/);
			assertNothingStored(h);
			await assertPortFreed(Number(redirectUriOf(err.url).port));
		} finally {
			h.cleanup();
		}
	});

	it('callback timeout: nobody comes back within interactiveLoginTimeout', async () => {
		const h = makeHome(platform);
		try {
			const started = performance.now();
			const err = await browserLogin(h, null, { interactiveLoginTimeout: 1000 }).then(() => assert.fail('the login must fail'), e => e);
			const elapsed = performance.now() - started;
			await release();
			assert.equal(err.code, 'ERR_AUTH_TIMEOUT', err.message);
			assert.equal(err.message, 'Authentication failed: Timed out');
			assert.ok(elapsed >= 950 && elapsed < 5000, `timed out after ${Math.round(elapsed)} ms (1000 ms asked)`);
			assertNothingStored(h);
			await assertPortFreed(Number(redirectUriOf(err.url).port));
		} finally {
			h.cleanup();
		}
	});

	it('callback timeout in the second stage: alice logs in but never picks an org', async () => {
		const h = makeHome(platform);
		try {
			let orgPage;
			const err = await browserLogin(h, null, {
				interactiveLoginTimeout: 1500,
				act: async (u, browser) => {
					let page = await browser.follow(u);
					const action = /<form[^>]*action="([^"]+)"/.exec(page.text)[1].replaceAll('&amp;', '&');
					page = await browser.follow(new URL(action, page.url).href, {
						method: 'POST',
						headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
						body: new URLSearchParams({ login: alice.email, password: alice.password })
					});
					orgPage = page; // the org select page: the user walks away
				}
			}).then(() => assert.fail('the login must fail'), e => e);
			await release();
			assert.equal(new URL(orgPage.url).pathname, '/auth/org.select', 'the browser reached the org select page');
			assert.equal(err.code, 'ERR_AUTH_TIMEOUT', err.message);
			assert.equal(err.message, 'Authentication failed: Timed out');
			assert.deepEqual(grants(), [ 'authorization_code' ]);
			assert.deepEqual(await api().list(apiOptions(h, { validate: false })), [], 'no account left in the store');
			assertNothingStored(h);
			await assertPortFreed(Number(redirectUriOf(err.url).port));
		} finally {
			h.cleanup();
		}
	});

	it('user denies consent: the identity server sends access_denied', async () => {
		const h = makeHome(platform);
		try {
			const err = await browserLogin(h, null, {
				act: (u, browser) => loginInBrowser(u, alice, { deny: true, browser })
			}).then(() => assert.fail('the login must fail'), e => e);
			await release();
			assert.equal(err.code, 'ERR_AUTH_DENIED', err.message);
			assert.match(err.message, /^Authentication failed: access_denied/);
			assert.equal(err.page.res.status, 400, 'the browser lands on the error page');
			assert.match(err.page.text, /access_denied/);
			assert.deepEqual(grants(), []);
			assertNothingStored(h);
			await assertPortFreed(Number(redirectUriOf(err.url).port));
		} finally {
			h.cleanup();
		}
	});

	it('a request to an unknown path or callback ID gets a 400 page, and the login continues', async () => {
		const h = makeHome(platform);
		try {
			const replies = {};
			const { account, page, url } = await browserLogin(h, null, {
				act: async (u, browser) => {
					const base = redirectUriOf(u);
					replies.unknownId = await hit(`${base.origin}/callback/DEADBEEF?code=x&state=${new URL(u).searchParams.get('state')}`);
					replies.lowercaseId = await hit(`${base.origin}/callback/deadbeef`);
					replies.favicon = await hit(`${base.origin}/favicon.ico`);
					replies.root = await hit(`${base.origin}/`);
					return loginInBrowser(u, bob, { browser });
				}
			});
			await release();
			for (const [ what, reply ] of Object.entries(replies)) {
				assert.equal(reply.status, 400, `${what}: ${reply.text}`);
				assert.match(reply.text, /<h1>Error<\/h1>/, what);
			}
			assert.match(replies.unknownId.text, /Invalid Request ID/);
			assert.equal(page.res.status, 200);
			assert.match(page.text, /Authorization Successful!/);
			assert.equal(account.user.email, bob.email);
			assert.deepEqual(grants(), [ 'authorization_code' ]);
			await assertPortFreed(Number(redirectUriOf(url).port));
		} finally {
			h.cleanup();
		}
	});

	it('preferred port in use: the login works on another port and leaves port 3000 alone', { timeout: 30_000 }, async () => {
		await release(); // this test holds 3000 itself, waiting for other suites' logins to end
		const squatter = await occupyWhenFree(3000);
		const h = makeHome(platform);
		try {
			const { account, url, page } = await browserLogin(h, bob);
			const port = Number(redirectUriOf(url).port);
			assert.notEqual(port, 3000, 'the redirect URI uses a fallback port');
			assert.equal(redirectUriOf(url).hostname, 'localhost');
			assert.equal(page.res.status, 200);
			assert.match(page.text, /Authorization Successful!/);
			assert.equal(account.user.email, bob.email);
			assert.ok(squatter.listening, 'the program on port 3000 still listens');
			assert.equal(squatter.hits, 0, 'nobody talked to the program on port 3000');
			const still = await hit('http://127.0.0.1:3000/callback/ABC');
			assert.equal(still.status, 418, 'port 3000 still belongs to the other program');
			assert.equal(squatter.hits, 1);
			await assertPortFreed(port);
		} finally {
			await closeServer(squatter);
			h.cleanup();
		}
	});

	it('Ctrl-C during `axway auth login` ends it at once, stores nothing and frees the port', async () => {
		const h = makeHome(platform);
		const cli = spawnCli([ 'auth', 'login', '--no-launch-browser' ], { home: h });
		try {
			const [ , url ] = await cli.waitFor(LOGIN_URL_RE, { stream: 'stdout' });
			const port = Number(redirectUriOf(url).port);
			const sent = performance.now();
			cli.child.kill('SIGINT');
			const result = await cli.done;
			await release();
			assert.ok(performance.now() - sent < 3000, `exited ${Math.round(performance.now() - sent)} ms after SIGINT`);
			assert.notEqual(result.code, 0, 'a cancelled login does not exit 0');
			assertNothingStored(h);
			await assertPortFreed(port);
		} finally {
			cli.kill();
			h.cleanup();
		}
	});
});
