// Hardening (issue 13): hostile input never crashes the process, floods memory or stderr, or
// paints the terminal. Each describe block is one item of the issue; a hostile identity server
// and platform (platform/hostile.mjs) plays the attacker where the real local platform cannot.
//
//   node --test __test__/hardening.test.mjs
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { connect } from 'node:net';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { api, apiOptions, BIN, makeHome, ROOT, runCli, seed, startPlatform } from './helpers/env.mjs';
import { loginInBrowser } from './helpers/browser.mjs';
import { LOGIN_URL_RE, canBind, closeServer, occupyWhenFree, redirectUriOf, spawnCli } from './helpers/chromium.mjs';
import { EVIL, EVIL_ORG, EVIL_TEAM, startHostile } from './platform/hostile.mjs';

const { USERS, LOAD_SERVICE_ACCOUNTS, SERVICE_ACCOUNTS: SA } = seed;
const { bob } = USERS;

let platform;
let hostile;
const homes = [];

before(async () => {
	platform = await startPlatform({ port: 0, quiet: true, accessTtl: 1800, refreshTtl: 86400 });
	hostile = await startHostile();
});

after(async () => {
	for (const h of homes) {
		h.cleanup();
	}
	await hostile?.close();
	await platform?.close();
});

// ---- helpers ---------------------------------------------------------------------------------

function home(p = platform, authConfig = {}) {
	const h = makeHome(p, authConfig);
	homes.push(h);
	return h;
}

/** A HOME with no ~/.axway at all (settings come from the environment). */
function bareHome() {
	const dir = mkdtempSync(join(tmpdir(), 'axway-auth-bare-'));
	homes.push({ cleanup: () => rmSync(dir, { recursive: true, force: true }) });
	return dir;
}

const envFor = p => ({ AXWAY_AUTH_BASE_URL: p.baseUrl, AXWAY_AUTH_PLATFORM_URL: p.platformUrl, AXWAY_AUTH_TOKEN_STORE_TYPE: 'file' });

/** Characters a terminal acts on that must never reach it from a server. */
const FORBIDDEN = { ESC: '\u001b', BEL: '\u0007', NUL: '\u0000', CR: '\r', RLO: '\u202e', CSI: '\u009b' };

function assertSafe(text, what) {
	for (const [ name, ch ] of Object.entries(FORBIDDEN)) {
		assert.ok(!text.includes(ch), `${what} contains ${name}: ${JSON.stringify(text.slice(0, 500))}`);
	}
}

/** The command's error output: exactly one non-empty line, and safe. */
function assertOneLineError(stderr, what = 'stderr') {
	assertSafe(stderr, what);
	const lines = stderr.split('\n').filter(l => l.trim() !== '');
	assert.equal(lines.length, 1, `${what} is one line: ${JSON.stringify(stderr.slice(0, 800))}`);
	assert.match(lines[0], /^✖ /);
}

/** runCli, also reporting the child's peak RSS in MB (from getrusage, written at exit). */
async function runCliMeasured(args, opts = {}) {
	const file = join(mkdtempSync(join(tmpdir(), 'axway-rss-')), 'maxrss');
	const result = await runCli(args, {
		...opts,
		env: { ...opts.env, NODE_OPTIONS: `--require ${join(ROOT, '__test__', 'helpers', 'maxrss.cjs')}`, AXWAY_TEST_MAXRSS_FILE: file }
	});
	result.maxRssMB = existsSync(file) ? Number(readFileSync(file, 'utf8')) / 1024 : NaN;
	return result;
}

/** Runs a Node script in a child (so that an abort cannot take the test runner with it). */
function runNode(script, { env = {} } = {}) {
	return new Promise((resolve, reject) => {
		// a child that hangs is killed (and its test fails with the signal) instead of the file timing out
		const child = spawn(process.execPath, [ '-e', script ], { env: { ...process.env, ...env }, cwd: ROOT, stdio: [ 'ignore', 'pipe', 'pipe' ], timeout: 60_000 });
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', d => { stdout += d; });
		child.stderr.on('data', d => { stderr += d; });
		child.on('error', reject);
		child.on('close', (code, signal) => {
			let json;
			try { json = JSON.parse(stdout.trim().split('\n').at(-1)); } catch { /* not JSON */ }
			resolve({ code, signal, stdout, stderr, json });
		});
	});
}

const loginArgs = (clientId = 'hostile-client', secret = 'hostile-secret') => [ 'auth', 'login', '--client-id', clientId, '--client-secret', secret ];

/**
 * A browser login through the API; `act(url)` plays the browser (and anyone else on the
 * machine) while the login waits. Resolves `{ account, url, acted }`.
 */
async function browserLogin(h, act, more = {}) {
	let url;
	let acting = Promise.resolve({});
	const onOpenBrowser = ({ url: u }) => {
		url = u;
		acting = act(u).then(acted => ({ acted }), error => ({ error }));
	};
	try {
		const account = await api().login(apiOptions(h, { launchBrowser: false, onOpenBrowser, ...more }));
		const side = await acting;
		if (side.error) {
			throw side.error;
		}
		return { account, url, acted: side.acted };
	} catch (err) {
		err.side = await acting;
		err.url = url;
		throw err;
	}
}

/** A raw HTTP request with a chosen Host header (fetch cannot set it). */
function rawGet(port, path, host) {
	return new Promise((resolve, reject) => {
		const req = request({ host: '127.0.0.1', port, path, headers: { Host: host } }, res => {
			let text = '';
			res.on('data', d => { text += d; });
			res.on('end', () => resolve({ status: res.statusCode, text }));
		});
		req.on('error', reject);
		req.end();
	});
}

/** A connected socket, with `closing`: a promise of the ms from connect to its close. */
function openSocket(port, host = '127.0.0.1') {
	return new Promise((resolve, reject) => {
		const socket = connect({ port, host }, () => {
			const opened = performance.now();
			socket.closing = new Promise(done => socket.on('close', () => done(performance.now() - opened)));
			resolve(socket);
		});
		socket.on('error', () => {});
		socket.once('error', reject);
	});
}

const within = (promise, ms) => Promise.race([ promise, new Promise(resolve => setTimeout(() => resolve('timeout'), ms)) ]);
const grants = () => platform.state().tokenRequests.map(r => r.grantType);

// ---- 1. panics -------------------------------------------------------------------------------

describe('1. no panic crosses the napi boundary', () => {
	it('tokenRefreshThreshold: 1e300 in config.json: `axway auth ls` exits 1 with a message naming it', async () => {
		const h = home(platform, { tokenRefreshThreshold: 1e300 });
		const text = await runCli([ 'auth', 'ls' ], { home: h });
		assert.equal(text.code, 1, `exit ${text.code} (134 is an abort): ${text.stderr}`);
		assertOneLineError(text.stderr);
		assert.match(text.stderr, /token refresh threshold from config\.json key auth\.tokenRefreshThreshold/);
		const json = await runCli([ 'auth', 'ls', '--json' ], { home: h });
		assert.equal(json.code, 1);
		assert.equal(json.json?.errorCode, 'ERR_INVALID_ARGUMENT');
	});

	it('the same threshold from the JS API and the SDK-compatible constructor is a caught ERR_INVALID_ARGUMENT', async () => {
		const h = home();
		const r = await runNode(`
			const auth = require(${JSON.stringify(ROOT)});
			const out = {};
			try {
				new auth.Auth({ tokenRefreshThreshold: '99999999999999999999999', tokenStoreType: 'memory' });
				out.ctor = 'no error';
			} catch (e) { out.ctor = e.code; out.ctorMessage = e.message; }
			auth.list({ homeDir: ${JSON.stringify(h.homeDir)}, tokenRefreshThreshold: 1e300 })
				.then(() => { out.list = 'no error'; }, e => { out.list = e.code; out.listMessage = e.message; })
				.then(() => console.log(JSON.stringify(out)));
		`);
		assert.equal(r.code, 0, `the process survives (exit ${r.code}, signal ${r.signal}): ${r.stderr}`);
		assert.equal(r.json?.ctor, 'ERR_INVALID_ARGUMENT', r.stdout);
		assert.match(r.json.ctorMessage, /tokenRefreshThreshold/);
		assert.equal(r.json.list, 'ERR_INVALID_ARGUMENT');
		assert.match(r.json.listMessage, /option tokenRefreshThreshold/);
	});

	it('a panic inside the addon (forced by the test hook) rejects with ERR_INTERNAL and the process goes on', async () => {
		assert.ok(!readFileSync(join(ROOT, 'index.d.ts'), 'utf8').includes('testPanic'), 'the test hook is not in the typed API');
		const script = `
			const addon = require(${JSON.stringify(ROOT)});
			const settle = p => p.then(v => ({ value: v }), e => ({ code: e.code, message: e.message }));
			(async () => {
				const out = { sync: await settle(addon.__testPanic('sync')), async: await settle(addon.__testPanic('async')) };
				out.after = await settle(addon.list({ tokenStoreType: 'memory', homeDir: '/nonexistent-axway-home' }));
				console.log(JSON.stringify(out));
			})();
		`;
		const armed = await runNode(script, { env: { AXWAY_AUTH_TEST_PANIC: '1' } });
		assert.equal(armed.code, 0, `the process survives (exit ${armed.code}, signal ${armed.signal}): ${armed.stderr}`);
		for (const place of [ 'sync', 'async' ]) {
			assert.equal(armed.json?.[place]?.code, 'ERR_INTERNAL', armed.stdout);
			assert.match(armed.json[place].message, /^Internal error in axway-auth \(forced panic/);
		}
		assert.deepEqual(armed.json.after, { value: [] }, 'later calls work');
		const unarmed = await runNode(script);
		assert.deepEqual(unarmed.json?.sync, { value: null }, 'without AXWAY_AUTH_TEST_PANIC=1 the hook does nothing');
		assert.deepEqual(unarmed.json?.async, { value: null });
	});
});

// ---- 2. bounded bodies -----------------------------------------------------------------------

describe('2. response bodies are bounded', () => {
	const cases = [
		[ 'a 200 reply that streams JSON forever', 'endless200', /HTTP 200 with a body larger than the 4 MiB limit/ ],
		[ 'a 400 reply that streams JSON forever', 'endless400', /HTTP 400 with a body larger than the 4 MiB limit/ ],
		[ 'a 50 MB error_description', 'huge400', /HTTP 400 with a body larger than the 4 MiB limit/ ]
	];
	for (const [ title, mode, message ] of cases) {
		it(`${title}: ERR_BAD_RESPONSE at once, peak RSS < 300 MB, stderr < 64 KB`, async t => {
			hostile.set({ token: mode });
			const h = home(hostile);
			try {
				const started = performance.now();
				const r = await runCliMeasured(loginArgs(), { home: h, env: { AXWAY_AUTH_REQUEST_TIMEOUT_MS: '10000' } });
				const ms = performance.now() - started;
				assert.equal(r.code, 1, r.stderr.slice(0, 500));
				assert.ok(r.stderr.length < 64 * 1024, `stderr is ${r.stderr.length} bytes`);
				assertOneLineError(r.stderr);
				assert.match(r.stderr, message);
				assert.ok(r.maxRssMB < 300, `peak RSS ${r.maxRssMB.toFixed(1)} MB`);
				assert.ok(ms < 9000, `failed after ${Math.round(ms)} ms, not at the request timeout`);
				t.diagnostic(`peak RSS ${r.maxRssMB.toFixed(1)} MB, stderr ${r.stderr.length} bytes, failed after ${Math.round(ms)} ms`);
				const json = await runCli([ ...loginArgs(), '--json' ], { home: h, env: { AXWAY_AUTH_REQUEST_TIMEOUT_MS: '10000' } });
				assert.equal(json.json?.errorCode, 'ERR_BAD_RESPONSE');
			} finally {
				hostile.reset();
			}
		});
	}

	it('a 1 MB error_description under the body limit is cut to 300 characters', async () => {
		hostile.set({ token: 'large400' });
		const h = home(hostile);
		try {
			const r = await runCliMeasured(loginArgs(), { home: h });
			assert.equal(r.code, 1);
			assertOneLineError(r.stderr);
			assert.ok(r.stderr.length < 1000, `stderr is ${r.stderr.length} bytes`);
			assert.match(r.stderr, /Authentication failed: Acme\uFFFD\[2J.*x…\. Check the client id/);
			assert.ok(r.maxRssMB < 300, `peak RSS ${r.maxRssMB.toFixed(1)} MB`);
		} finally {
			hostile.reset();
		}
	});
});

// ---- 3. server text never paints the terminal ------------------------------------------------

describe('3. escape sequences from servers never reach the terminal', () => {
	it('in the token endpoint\'s error_description (command and API)', async () => {
		hostile.set({ token: 'evil400' });
		const h = home(hostile);
		try {
			const r = await runCli(loginArgs(), { home: h });
			assert.equal(r.code, 1);
			assertOneLineError(r.stderr);
			assert.match(r.stderr, /Authentication failed: Acme\uFFFD\[2J\uFFFD\]0;pwned\uFFFD FAKE LINE\uFFFD\uFFFDevil\uFFFD31m/);
			const err = await api().login(apiOptions(h, { clientId: 'x', clientSecret: 'y' })).then(() => assert.fail('must fail'), e => e);
			assert.equal(err.code, 'ERR_AUTH_FAILED');
			assertSafe(err.message, 'err.message');
			assert.ok(!err.message.includes('\n'));
		} finally {
			hostile.reset();
		}
	});

	it('in a platform API error description', async () => {
		hostile.set({ org: 'evil500' });
		const h = home(hostile);
		try {
			const r = await runCli(loginArgs(), { home: h });
			assert.equal(r.code, 1, r.stdout);
			assertOneLineError(r.stderr);
			assert.match(r.stderr, /Failed to get organization: Acme\uFFFD\[2J/);
		} finally {
			hostile.reset();
		}
	});

	it('in org, team, region and role names (login, ls, whoami); --json keeps the exact values', async () => {
		const h = home(hostile);
		const login = await runCli(loginArgs(), { home: h });
		assert.equal(login.code, 0, login.stderr);
		for (const args of [ [ 'auth', 'ls' ], [ 'auth', 'whoami' ] ]) {
			const r = await runCli(args, { home: h });
			assert.equal(r.code, 0, r.stderr);
			assertSafe(r.stdout, `${args.join(' ')} stdout`);
			assertSafe(r.stderr, `${args.join(' ')} stderr`);
			assert.match(r.stdout, /Org Acme\uFFFD\[2J/, `${args.join(' ')} shows the org name, defanged`);
		}
		assertSafe(login.stdout, 'login stdout');
		assert.match(login.stdout, /Team Acme\uFFFD\[2J/);
		const json = await runCli([ 'auth', 'ls', '--json' ], { home: h });
		assert.equal(json.json?.[0]?.org?.name, EVIL_ORG, 'JSON output is exact');
		assert.equal(json.json[0].team?.name, EVIL_TEAM);
	});

	it('in the browser callback\'s error_description', async () => {
		const h = home();
		const cli = spawnCli([ 'auth', 'login', '--no-launch-browser' ], { home: h });
		try {
			const [ , url ] = await cli.waitFor(LOGIN_URL_RE, { stream: 'stdout' });
			const state = new URL(url).searchParams.get('state');
			const callback = new URL(redirectUriOf(url));
			callback.search = new URLSearchParams({ state, error: 'access_denied', error_description: EVIL }).toString();
			const page = await fetch(callback);
			assert.equal(page.status, 400);
			const r = await cli.done;
			assert.equal(r.code, 1);
			assertOneLineError(r.stderr);
			assert.match(r.stderr, /Authentication failed: access_denied: Acme\uFFFD\[2J/);
		} finally {
			cli.kill();
		}
	});
});

// ---- 4. the callback server ------------------------------------------------------------------

describe('4. the callback server', () => {
	it('a squatter on [::1]:3000: the login moves both addresses to another port and completes', async t => {
		if ((await canBind(0, '::1')) === null) {
			t.skip('no IPv6 loopback on this machine');
			return;
		}
		const squatter = await occupyWhenFree(3000, '::1');
		const h = home();
		try {
			const { account, url, acted } = await browserLogin(h, async u => {
				const port = Number(redirectUriOf(u).port);
				// our server answers on [::1] at the advertised port (an unknown callback ID: 400)
				const probe = await fetch(`http://[::1]:${port}/callback/00000000`);
				const probed = { status: probe.status, text: await probe.text() };
				await loginInBrowser(u, bob);
				return probed;
			});
			assert.notEqual(Number(redirectUriOf(url).port), 3000, 'the redirect URI does not name the squatted port');
			assert.equal(acted.status, 400);
			assert.match(acted.text, /Invalid Request ID/, 'our server, not the squatter, answers on [::1]');
			assert.equal(squatter.hits, 0, 'nothing reached the squatter');
			assert.equal(account.user.email, bob.email);
		} finally {
			await closeServer(squatter);
		}
	});

	it('a request with a foreign Host gets 400 and the login goes on', async () => {
		const h = home();
		platform.reset();
		const { account, acted } = await browserLogin(h, async u => {
			const redirect = redirectUriOf(u);
			const state = new URL(u).searchParams.get('state');
			const foreign = await rawGet(Number(redirect.port), `${redirect.pathname}?state=${encodeURIComponent(state)}&code=stolen`, `evil.example:${redirect.port}`);
			await loginInBrowser(u, bob);
			return foreign;
		});
		assert.equal(acted.status, 400);
		assert.equal(account.user.email, bob.email);
		assert.deepEqual(grants(), [ 'authorization_code' ], 'only the real code was exchanged');
	});

	it('a wrong state gets 400, then the real callback completes the login', async () => {
		const h = home();
		platform.reset();
		const { account, acted } = await browserLogin(h, async u => {
			const wrong = await fetch(`${redirectUriOf(u).href}?state=not-the-state&code=stolen`);
			const text = await wrong.text();
			await loginInBrowser(u, bob);
			return { status: wrong.status, text };
		});
		assert.equal(acted.status, 400);
		assert.match(acted.text, /unexpected state/);
		assert.equal(account.user.email, bob.email);
		assert.deepEqual(grants(), [ 'authorization_code' ]);
	});

	it('a request whose headers never finish is closed after the header timeout; the login goes on', { timeout: 30_000 }, async () => {
		const h = home();
		const { account, acted } = await browserLogin(h, async u => {
			const redirect = redirectUriOf(u);
			const socket = await openSocket(Number(redirect.port));
			socket.write(`GET ${redirect.pathname}?state=x HTTP/1.1\r\nHost: localhost:${redirect.port}\r\nX-Slow: `);
			const closedAfter = await within(socket.closing, 10_000);
			socket.destroy();
			await loginInBrowser(u, bob);
			return closedAfter;
		});
		assert.notEqual(acted, 'timeout', 'the server closed the connection');
		assert.ok(acted < 8000, `closed after ${Math.round(acted)} ms`);
		assert.equal(account.user.email, bob.email);
	});

	it('no connection is left open once the login has resolved', async () => {
		const h = home();
		const sockets = [];
		const { account } = await browserLogin(h, async u => {
			const port = Number(redirectUriOf(u).port);
			sockets.push(await openSocket(port)); // connected, sends nothing
			const partial = await openSocket(port);
			partial.write('GET /callback/');
			sockets.push(partial);
			await loginInBrowser(u, bob);
		});
		assert.equal(account.user.email, bob.email);
		for (const socket of sockets) {
			assert.notEqual(await within(socket.closing, 1000), 'timeout', 'the server closed the connection when the login settled');
		}
	});
});

// ---- 5. echoed secrets -----------------------------------------------------------------------

describe('5. secrets a server echoes (or a URL carries) are never printed', () => {
	const SECRET = 'Sup3r/Secret+Value=';
	const encoded = encodeURIComponent(SECRET);

	it('a client secret echoed in error_description', async () => {
		hostile.set({ token: 'echo' });
		const h = home(hostile);
		try {
			for (const extra of [ [], [ '--json' ] ]) {
				const r = await runCli([ ...loginArgs('hostile-client', SECRET), ...extra ], { home: h });
				assert.equal(r.code, 1);
				for (const out of [ r.stdout, r.stderr ]) {
					assert.ok(!out.includes(SECRET) && !out.includes(encoded) && !out.includes('Sup3r'), `the secret is printed: ${out}`);
				}
				assert.match(`${r.stdout}${r.stderr}`, /Invalid client secret \\?"\[redacted\]\\?" \(form: \[redacted\]\)/);
			}
		} finally {
			hostile.reset();
		}
	});

	it('a tooling password echoed in a platform error', async () => {
		hostile.set({ toolingLogin: 'echo' });
		const h = home(hostile);
		try {
			const r = await runCli([ ...loginArgs(), '--username', 'me@example.com', '--password', 'Tooling-Pa55word' ], { home: h });
			assert.equal(r.code, 1);
			assertOneLineError(r.stderr);
			assert.ok(!r.stderr.includes('Tooling-Pa55word'), r.stderr);
			assert.match(r.stderr, /Invalid password "\[redacted\]"/);
		} finally {
			hostile.reset();
		}
	});

	it('a password in the base URL (--base-url, AXWAY_AUTH_BASE_URL)', async () => {
		const url = 'http://user:hunter2pass@127.0.0.1:1';
		const h = home();
		for (const [ args, env, source ] of [
			[ [ 'auth', 'login', '--client-id', 'c', '--client-secret', 's', '--base-url', url ], {}, 'option baseUrl' ],
			[ [ 'auth', 'ls' ], { AXWAY_AUTH_BASE_URL: url }, 'environment variable AXWAY_AUTH_BASE_URL' ]
		]) {
			const r = await runCli(args, { home: h, env });
			assert.equal(r.code, 1);
			assertOneLineError(r.stderr);
			assert.ok(!r.stderr.includes('hunter2pass'), r.stderr);
			assert.ok(r.stderr.includes(`Invalid base URL from ${source}: "http://***@127.0.0.1:1" must not contain a user name or password`), r.stderr);
		}
	});
});

// ---- 6. files --------------------------------------------------------------------------------

describe('6. files', { skip: process.platform === 'win32' && 'POSIX modes and symlinks' }, () => {
	const mode = p => statSync(p).mode & 0o777;

	it('~/.axway and ~/.axway/axway-cli are created 0700', async () => {
		const dir = bareHome();
		const r = await runCli([ 'auth', 'login', '--client-id', SA.secret.clientId, '--client-secret', SA.secret.clientSecret ], { home: dir, env: envFor(platform) });
		assert.equal(r.code, 0, r.stderr);
		assert.equal(mode(join(dir, '.axway')).toString(8), '700');
		assert.equal(mode(join(dir, '.axway', 'axway-cli')).toString(8), '700');
	});

	it('an existing world-writable ~/.axway gets one warning on stderr', async () => {
		const dir = bareHome();
		mkdirSync(join(dir, '.axway'));
		chmodSync(join(dir, '.axway'), 0o777);
		const r = await runCli([ 'auth', 'login', '--client-id', SA.secret.clientId, '--client-secret', SA.secret.clientSecret ], { home: dir, env: envFor(platform) });
		assert.equal(r.code, 0, r.stderr);
		const warnings = r.stderr.split('\n').filter(l => /is writable by other users \(mode 777\); run: chmod 700 /.test(l));
		assert.equal(warnings.length, 1, r.stderr);
		assert.ok(warnings[0].includes(join(dir, '.axway')));
	});

	it('a lock file that is a symlink is refused and nothing is created through it', async () => {
		const h = home();
		const victim = join(h.home, 'victim-file');
		symlinkSync(victim, join(h.homeDir, 'axway-cli', '.tokenstore.v2.lock'));
		const r = await runCli([ 'auth', 'login', '--client-id', SA.secret.clientId, '--client-secret', SA.secret.clientSecret ], { home: h });
		assert.equal(r.code, 1, r.stdout);
		assertOneLineError(r.stderr);
		assert.match(r.stderr, /Unable to use the lock file .*\.tokenstore\.v2\.lock: it is a symbolic link; remove it and try again/);
		assert.equal(existsSync(victim), false, 'nothing was created at the link target');
		assert.equal(h.store(), null, 'no store was written');
	});
});

// ---- 7. strict settings ----------------------------------------------------------------------

describe('7. bad setting values are errors naming the setting, never silent defaults', () => {
	for (const value of [ 'abc', '-5', '1.5', '0', '18446744073709551615' ]) {
		it(`AXWAY_AUTH_REQUEST_TIMEOUT_MS=${value}`, async () => {
			const h = home();
			const r = await runCli([ 'auth', 'ls', '--json' ], { home: h, env: { AXWAY_AUTH_REQUEST_TIMEOUT_MS: value } });
			assert.equal(r.code, 1, r.stdout);
			assert.equal(r.json?.errorCode, 'ERR_INVALID_ARGUMENT');
			assert.ok(r.json.result.includes(`Invalid request timeout from environment variable AXWAY_AUTH_REQUEST_TIMEOUT_MS: "${value}" is not a whole number of milliseconds from 100 to 600000`), r.json.result);
		});
	}

	for (const [ name, what ] of [ [ 'AXWAY_AUTH_KEYCHAIN_TIMEOUT', 'keychain timeout' ], [ 'AXWAY_AUTH_JS_STORE_TIMEOUT', 'custom token store timeout' ] ]) {
		for (const value of [ 'abc', '0', '50', '2.5' ]) {
			it(`${name}=${value}`, async () => {
				const h = home();
				const r = await runCli([ 'auth', 'ls', '--json' ], { home: h, env: { [name]: value } });
				assert.equal(r.code, 1, r.stdout);
				assert.equal(r.json?.errorCode, 'ERR_INVALID_ARGUMENT');
				assert.ok(r.json.result.includes(`Invalid ${what} from environment variable ${name}: "${value}" is not a whole number of milliseconds from 100 to 600000`), r.json.result);
			});
		}
	}

	for (const [ name, prefix ] of [ [ 'AXWAY_AUTH_HOME_DIR', '/tmp/axway-' ], [ 'AXWAY_AUTH_BASE_URL', 'http://127.0.0.1:1/' ] ]) {
		it(`invalid UTF-8 in ${name}`, async () => {
			const h = home();
			// Node cannot put invalid UTF-8 in a child's environment; the shell can.
			const r = await new Promise((resolve, reject) => {
				const child = spawn('/bin/sh', [ '-c', `${name}="$(printf '${prefix}\\377')" exec "$0" "$@"`, process.execPath, BIN, 'auth', 'ls', '--json' ], {
					env: { ...process.env, HOME: h.home, NO_COLOR: '1' },
					stdio: [ 'ignore', 'pipe', 'pipe' ]
				});
				let stdout = '';
				child.stdout.on('data', d => { stdout += d; });
				child.on('error', reject);
				child.on('close', code => resolve({ code, stdout }));
			});
			assert.equal(r.code, 1, r.stdout);
			const json = JSON.parse(r.stdout);
			assert.equal(json.errorCode, 'ERR_INVALID_ARGUMENT');
			assert.equal(json.result, `Error: The environment variable ${name} is not valid UTF-8: fix or unset it`);
		});
	}

	const badUrls = [
		[ 'a query', 'http://127.0.0.1:1/base?x=1', /must not contain a query/ ],
		[ 'a fragment', 'http://127.0.0.1:1/base#x', /must not contain a fragment/ ],
		[ 'userinfo', 'http://me:pw@127.0.0.1:1/', /must not contain a user name or password/ ],
		[ 'a control character', 'http://127.0.0.1:1/\u0007', /contains a space or a control character/ ]
	];
	for (const [ what, url, message ] of badUrls) {
		it(`a base URL with ${what}, from the option, the environment and config.json`, async () => {
			const h = home();
			const viaOption = await runCli([ 'auth', 'ls', '--json', '--base-url', url ], { home: h });
			const viaEnv = await runCli([ 'auth', 'ls', '--json' ], { home: h, env: { AXWAY_AUTH_BASE_URL: url } });
			const cfg = home(null, { baseUrl: url });
			const viaConfig = await runCli([ 'auth', 'ls', '--json' ], { home: cfg });
			for (const [ r, source ] of [ [ viaOption, 'option baseUrl' ], [ viaEnv, 'environment variable AXWAY_AUTH_BASE_URL' ], [ viaConfig, 'config.json key auth.baseUrl' ] ]) {
				assert.equal(r.code, 1, r.stdout);
				assert.equal(r.json?.errorCode, 'ERR_INVALID_ARGUMENT', r.stdout);
				assert.ok(r.json.result.includes(`Invalid base URL from ${source}`), r.json.result);
				assert.match(r.json.result, message);
				assertSafe(r.json.result, 'the message');
			}
		});
	}

	it('out-of-range and fractional values from the JS API', async () => {
		const h = home();
		for (const [ options, text ] of [
			[ { requestTimeout: 0 }, 'option requestTimeout' ],
			[ { requestTimeout: 1.5 }, 'option requestTimeout' ],
			[ { interactiveLoginTimeout: -1 }, 'option interactiveLoginTimeout' ],
			[ { tokenRefreshThreshold: Number.MAX_VALUE }, 'option tokenRefreshThreshold' ],
			[ { platformUrl: 'http://p/?q' }, 'option platformUrl' ],
			// a control character in the platform URL used to panic the callback server's
			// redirect (and hang the login until its timeout)
			[ { platformUrl: 'http://p\u0007x/' }, 'option platformUrl' ]
		]) {
			const err = await api().list(apiOptions(h, options)).then(() => assert.fail(JSON.stringify(options)), e => e);
			assert.equal(err.code, 'ERR_INVALID_ARGUMENT', err.message);
			assert.ok(err.message.includes(text), err.message);
		}
	});
});

// ---- 8. concurrent first logins --------------------------------------------------------------

describe('8. concurrent first logins', () => {
	it('20 processes logging different accounts into an empty home leave exactly one default, one of them', { timeout: 180_000 }, async () => {
		const h = home();
		const accounts = LOAD_SERVICE_ACCOUNTS.slice(0, 20);
		const results = await Promise.all(accounts.map(sa => runCli([ 'auth', 'login', '--client-id', sa.clientId, '--client-secret', sa.clientSecret, '--json' ], { home: h, timeout: 170_000 })));
		for (const r of results) {
			assert.equal(r.code, 0, r.stderr || r.stdout);
		}
		const names = results.map(r => r.json.name);
		assert.equal(new Set(names).size, 20);
		const configured = h.config().auth.defaultAccount;
		assert.ok(names.includes(configured), `config.json's default (${configured}) is one of the new accounts`);
		assert.deepEqual(results.filter(r => r.json.default).map(r => r.json.name), [ configured ], 'exactly one login reported that it became the default');
		const listed = await api().list(apiOptions(h, { validate: false }));
		assert.equal(listed.length, 20, 'no login was lost');
		assert.deepEqual(listed.filter(a => a.default).map(a => a.name), [ configured ]);
	});
});

// ---- 9. no refresh or id token from the new API ----------------------------------------------

describe('9. list() and whoami() hand out the access token and its expiry only', () => {
	it('a platform account (which has refresh and id tokens)', async () => {
		const h = home();
		const { account } = await browserLogin(h, u => loginInBrowser(u, bob));
		assert.equal(typeof account.auth.tokens.refresh_token, 'string', 'the stored account has a refresh token');
		const [ listed ] = await api().list(apiOptions(h));
		const me = await api().whoami(apiOptions(h));
		for (const [ what, a ] of [ [ 'list()', listed ], [ 'whoami()', me ] ]) {
			assert.equal(a.name, account.name);
			assert.deepEqual(Object.keys(a.auth.tokens).sort(), [ 'access_token', 'expires_in', 'token_type' ], what);
			assert.equal(typeof a.auth.tokens.access_token, 'string');
			assert.equal(typeof a.auth.expires.access, 'number', `${what} keeps the expiry`);
		}
		// the SDK-compatible Auth keeps the SDK's shape
		const { Auth } = api();
		const sdk = new Auth({ homeDir: h.homeDir, tokenStoreType: 'file', baseUrl: platform.baseUrl, platformUrl: platform.platformUrl, clientId: 'amplify-cli', realm: 'Broker' });
		const [ sdkAccount ] = await sdk.list();
		assert.equal(typeof sdkAccount?.auth?.tokens?.refresh_token, 'string', 'Auth.list() is unchanged');
	});
});
