// Corporate networks (issue 10): the local platform behind an HTTPS front end signed by a
// private CA made at test time, a recording CONNECT proxy, one that wants Basic credentials, and
// a front end that wants a client certificate. Every setting is tried through the command (child
// processes, throw-away HOME) and through the JS API.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { api, apiOptions, makeHome, ROOT, runCli, seed, startPlatform } from './helpers/env.mjs';
import { startProxy } from './platform/proxy.mjs';
import { makePki, startFront } from './platform/tls-front.mjs';

// Variables this machine (or CI) may set globally: every child starts without them, and so does
// this process (the in-process API reads them), unless a test sets them.
const NETWORK_VARS = [
	'NODE_EXTRA_CA_CERTS', 'SSL_CERT_FILE', 'SSL_CERT_DIR',
	'HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'ALL_PROXY', 'all_proxy', 'NO_PROXY', 'no_proxy'
];
const CLEAN = Object.fromEntries(NETWORK_VARS.map(name => [ name, undefined ]));
for (const name of NETWORK_VARS) {
	delete process.env[name];
}

const SA = seed.SERVICE_ACCOUNTS.secret;
const LOGIN = [ 'auth', 'login', '--client-id', SA.clientId, '--client-secret', SA.clientSecret, '--json' ];
const PROXY_USER = 'proxy user';
const PROXY_PASSWORD = 'S3cret:p@ss/word!';
const enc = encodeURIComponent;

let dir;
let pki;
let platform;
let front;
let expiredFront;
let wrongHostFront;
let mtlsFront;
let skewedFront;
let proxy;
let authProxy;
let closedPort;
const homes = [];

/** A home whose config points at `url` (the front end), with `network` settings. */
function home(url = front.url, network = undefined) {
	const h = makeHome({ baseUrl: url, platformUrl: url }, {}, network ? { network } : {});
	homes.push(h);
	return h;
}

/** Runs the command with the network variables cleared, then `env`. */
const cli = (args, h, env = {}) => runCli(args, { home: h, env: { ...CLEAN, ...env } });

/** Runs `fn` with process.env changed (the in-process API reads it), then restores it. */
async function withEnv(vars, fn) {
	const saved = Object.fromEntries(Object.keys(vars).map(k => [ k, process.env[k] ]));
	Object.assign(process.env, vars);
	try {
		return await fn();
	} finally {
		for (const [ k, v ] of Object.entries(saved)) {
			if (v === undefined) {
				delete process.env[k];
			} else {
				process.env[k] = v;
			}
		}
	}
}

const apiLogin = (h, more = {}) => api().login(apiOptions(h, { clientId: SA.clientId, clientSecret: SA.clientSecret, force: true, ...more }));

/** Runs a snippet against the addon in a child process (to see its stderr). */
function nodeChild(code, env = {}) {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, [ '-e', code ], { env: { ...process.env, ...CLEAN, ...env }, stdio: [ 'ignore', 'pipe', 'pipe' ] });
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', d => { stdout += d; });
		child.stderr.on('data', d => { stderr += d; });
		child.on('error', reject);
		child.on('close', status => resolve({ status, stdout, stderr }));
	});
}

async function assertLoggedIn(result, what) {
	assert.equal(result.code, 0, `${what}: ${result.stdout}${result.stderr}`);
	assert.equal(result.json.auth.clientId, SA.clientId);
}

async function assertFails(result, code, what) {
	assert.equal(result.code, 1, `${what}: ${result.stdout}${result.stderr}`);
	assert.equal(result.json.errorCode, code, `${what}: ${result.stdout}`);
	return result.json.result;
}

before(async () => {
	dir = mkdtempSync(join(tmpdir(), 'axway-auth-net-'));
	pki = makePki(dir);
	platform = await startPlatform({ quiet: true });
	const pem = p => readFileSync(p);
	const frontOf = (leaf, more = {}) => startFront({ target: platform.baseUrl, cert: pem(leaf.cert), key: pem(leaf.key), ...more });
	[ front, expiredFront, wrongHostFront, mtlsFront, skewedFront ] = await Promise.all([
		frontOf(pki.valid),
		frontOf(pki.expired),
		frontOf(pki.wrongHost),
		frontOf(pki.valid, { clientCa: pem(pki.clientCa.cert) }),
		frontOf(pki.valid, { dateOffsetMs: -10 * 60_000 })
	]);
	[ proxy, authProxy ] = await Promise.all([
		startProxy(),
		startProxy({ credentials: { user: PROXY_USER, password: PROXY_PASSWORD } })
	]);
	// a port nothing listens on
	const probe = createServer();
	await new Promise(resolve => probe.listen(0, '127.0.0.1', resolve));
	closedPort = probe.address().port;
	await new Promise(resolve => probe.close(resolve));
});

after(async () => {
	await Promise.all([ front, expiredFront, wrongHostFront, mtlsFront, skewedFront, proxy, authProxy ].filter(Boolean).map(s => s.close()));
	await platform?.close();
	for (const h of homes) {
		h.cleanup();
	}
	rmSync(dir, { recursive: true, force: true });
});

describe('trust', () => {
	test('a private CA is refused by default: ERR_TLS_UNTRUSTED names the host, the issuer and the settings (command, API)', async () => {
		const message = await assertFails(await cli(LOGIN, home()), 'ERR_TLS_UNTRUSTED', 'default');
		assert.match(message, /127\.0\.0\.1/);
		assert.match(message, /"Axway Auth Test CA"/);
		assert.match(message, /NODE_EXTRA_CA_CERTS/);
		assert.match(message, /network\.caFile/);
		assert.doesNotMatch(message, /\n/);
		await assert.rejects(apiLogin(home()), err => err.code === 'ERR_TLS_UNTRUSTED' && /Axway Auth Test CA/.test(err.message));
	});

	test('NODE_EXTRA_CA_CERTS (command, API)', async () => {
		await assertLoggedIn(await cli(LOGIN, home(), { NODE_EXTRA_CA_CERTS: pki.ca.cert }), 'NODE_EXTRA_CA_CERTS');
		const account = await withEnv({ NODE_EXTRA_CA_CERTS: pki.ca.cert }, () => apiLogin(home()));
		assert.equal(account.auth.baseUrl, front.url);
	});

	test('network.caFile (command, API through config.json); a bad one is an error naming it', async () => {
		await assertLoggedIn(await cli(LOGIN, home(front.url, { caFile: pki.ca.cert })), 'network.caFile');
		await apiLogin(home(front.url, { caFile: pki.ca.cert }));
		const message = await assertFails(await cli(LOGIN, home(front.url, { caFile: join(dir, 'nope.pem') })), 'ERR_INVALID_ARGUMENT', 'missing caFile');
		assert.match(message, /network\.caFile .*nope\.pem: no such file/);
		const message2 = await assertFails(await cli(LOGIN, home(front.url, { caFile: pki.ca.key })), 'ERR_INVALID_ARGUMENT', 'key as caFile');
		assert.match(message2, /network\.caFile/);
		assert.doesNotMatch(message2, /PRIVATE KEY/);
	});

	test('SSL_CERT_FILE (command, API) and SSL_CERT_DIR (command)', async () => {
		await assertLoggedIn(await cli(LOGIN, home(), { SSL_CERT_FILE: pki.ca.cert }), 'SSL_CERT_FILE');
		await withEnv({ SSL_CERT_FILE: pki.ca.cert }, () => apiLogin(home()));
		const certDir = join(dir, 'certdir');
		mkdirSync(certDir, { recursive: true });
		copyFileSync(pki.ca.cert, join(certDir, 'test-ca.pem'));
		await assertLoggedIn(await cli(LOGIN, home(), { SSL_CERT_DIR: certDir }), 'SSL_CERT_DIR');
	});

	test('requestOptions.ca as a string, a Buffer and an array (API, SDK-compatible Auth)', async () => {
		const pem = readFileSync(pki.ca.cert);
		await apiLogin(home(), { requestOptions: { ca: pem.toString() } });
		await apiLogin(home(), { requestOptions: { ca: pem } });
		await apiLogin(home(), { requestOptions: { ca: [ readFileSync(pki.clientCa.cert), pem ] } });
		await assert.rejects(apiLogin(home(), { requestOptions: { ca: 42 } }), err => err.code === 'ERR_INVALID_ARGUMENT' && /requestOptions\.ca/.test(err.message));
		const { Auth } = api();
		const h = home();
		const auth = new Auth({ clientId: SA.clientId, clientSecret: SA.clientSecret, baseUrl: front.url, platformUrl: front.url, homeDir: h.homeDir, tokenStoreType: 'memory', requestOptions: { ca: pem, timeout: 5000 } });
		const account = await auth.login();
		assert.equal(account.auth.baseUrl, front.url);
		const refused = new Auth({ clientId: SA.clientId, clientSecret: SA.clientSecret, baseUrl: front.url, platformUrl: front.url, homeDir: h.homeDir, tokenStoreType: 'memory' });
		await assert.rejects(refused.login({ force: true }), err => err.code === 'ERR_TLS_UNTRUSTED');
	});

	const root = typeof process.getuid === 'function' && process.getuid() === 0 && existsSync('/usr/sbin/update-ca-certificates');
	test('the OS trust store: the test CA installed system-wide is trusted with no other setting (root: installs it, then removes it)', { skip: !root && 'needs root and update-ca-certificates (CI runs as root)' }, async () => {
		const installed = `/usr/local/share/ca-certificates/axway-auth-test-${process.pid}.crt`;
		const update = () => execFileSync('update-ca-certificates', [], { stdio: 'ignore' });
		try {
			copyFileSync(pki.ca.cert, installed);
			update();
			await assertLoggedIn(await cli(LOGIN, home()), 'OS trust store');
			const doctor = await cli([ 'auth', 'doctor', '--json' ], home());
			const tls = doctor.json.checks.find(c => c.id === 'tls');
			assert.equal(tls.data.trustSource, 'the OS trust store', doctor.stdout);
		} finally {
			rmSync(installed, { force: true });
			update();
		}
		await assertFails(await cli(LOGIN, home()), 'ERR_TLS_UNTRUSTED', 'after removal');
	});

	test('an expired certificate: ERR_TLS_EXPIRED with its date (command, API)', async () => {
		const message = await assertFails(await cli(LOGIN, home(expiredFront.url), { NODE_EXTRA_CA_CERTS: pki.ca.cert }), 'ERR_TLS_EXPIRED', 'expired');
		assert.match(message, /expired on \d{4}-\d{2}-\d{2}/);
		await assert.rejects(apiLogin(home(expiredFront.url), { requestOptions: { ca: readFileSync(pki.ca.cert) } }), err => err.code === 'ERR_TLS_EXPIRED');
	});

	test('a certificate for another host: ERR_TLS_HOSTNAME with the names it is valid for (command, API)', async () => {
		const message = await assertFails(await cli(LOGIN, home(wrongHostFront.url), { NODE_EXTRA_CA_CERTS: pki.ca.cert }), 'ERR_TLS_HOSTNAME', 'wrong host');
		assert.match(message, /only valid for wrong\.example/);
		await assert.rejects(apiLogin(home(wrongHostFront.url), { requestOptions: { ca: readFileSync(pki.ca.cert) } }), err => err.code === 'ERR_TLS_HOSTNAME');
	});

	test('strictSSL false logs in anyway, with a one-line warning on stderr (network.strictSSL: command; requestOptions.strictSSL: API)', async () => {
		const result = await cli(LOGIN, home(front.url, { strictSSL: false }));
		await assertLoggedIn(result, 'network.strictSSL');
		const warnings = result.stderr.split('\n').filter(l => /verification is off/.test(l));
		assert.equal(warnings.length, 1, result.stderr);
		assert.match(warnings[0], /network\.strictSSL=false/);
		const h = home();
		const child = await nodeChild(`require(${JSON.stringify(ROOT)}).login(${JSON.stringify(apiOptions(h, { clientId: SA.clientId, clientSecret: SA.clientSecret, requestOptions: { strictSSL: false } }))}).then(a => console.log(a.auth.baseUrl), e => { console.log(e.code); process.exitCode = 1; })`);
		assert.equal(child.status, 0, child.stdout + child.stderr);
		assert.match(child.stderr, /requestOptions\.strictSSL=false/);
		await assertFails(await cli(LOGIN, home(front.url, { strictSSL: 'no' })), 'ERR_INVALID_ARGUMENT', 'strictSSL no');
	});
});

describe('one client for every request', () => {
	test('login, ls and logout reach the platform only through the configured front end (token, userinfo, platform API, well-known, revocation, sign-out)', async () => {
		// persistSecrets: logout then authenticates the revocation with the client secret
		const h = makeHome({ baseUrl: front.url, platformUrl: front.url }, { persistSecrets: true }, { network: { caFile: pki.ca.cert } });
		homes.push(h);
		platform.reset();
		front.reset();
		await assertLoggedIn(await cli(LOGIN, h), 'login');
		assert.equal((await cli([ 'auth', 'ls', '--json' ], h)).code, 0);
		const out = await cli([ 'auth', 'logout', '--json' ], h);
		assert.equal(out.code, 0, out.stdout + out.stderr);
		assert.equal(out.json[0].revoked, 'server');
		const paths = front.requests.map(r => r.path);
		for (const route of [ '/protocol/openid-connect/token', '/protocol/openid-connect/userinfo', '/api/v1/auth/findSession', '/.well-known/openid-configuration', '/protocol/openid-connect/revoke', '/auth/signout' ]) {
			assert.ok(paths.some(p => p.endsWith(route)), `${route} went through the front end: ${paths.join(' ')}`);
		}
		// nothing reached the platform directly
		assert.equal(platform.state().requests.length, front.requests.length);
	});
});

describe('proxies', () => {
	const connects = p => p.seen.filter(s => s.method === 'CONNECT' && s.target === `127.0.0.1:${front.port}`);

	test('network.proxy routes through the proxy: the recorder sees the CONNECT (command, API through config.json)', async () => {
		proxy.reset();
		await assertLoggedIn(await cli(LOGIN, home(front.url, { proxy: proxy.url, caFile: pki.ca.cert })), 'network.proxy');
		assert.ok(connects(proxy).length >= 1, JSON.stringify(proxy.seen));
		proxy.reset();
		await apiLogin(home(front.url, { proxy: proxy.url, caFile: pki.ca.cert }));
		assert.ok(connects(proxy).length >= 1);
	});

	test('network.httpsProxy and network.httpProxy, in that order after network.proxy', async () => {
		proxy.reset();
		const bad = `http://127.0.0.1:${closedPort}`;
		await assertLoggedIn(await cli(LOGIN, home(front.url, { httpsProxy: proxy.url, httpProxy: bad, caFile: pki.ca.cert })), 'httpsProxy');
		assert.ok(connects(proxy).length >= 1);
		proxy.reset();
		await assertLoggedIn(await cli(LOGIN, home(front.url, { httpProxy: proxy.url, caFile: pki.ca.cert })), 'httpProxy');
		assert.ok(connects(proxy).length >= 1);
		const message = await assertFails(await cli(LOGIN, home(front.url, { proxy: bad, httpsProxy: proxy.url, caFile: pki.ca.cert })), 'ERR_PROXY_UNREACHABLE', 'network.proxy first');
		assert.match(message, /from network\.proxy/);
	});

	test('HTTPS_PROXY, HTTP_PROXY, ALL_PROXY (either case) route through the proxy (command); requestOptions.proxy (API)', async () => {
		for (const name of [ 'HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'ALL_PROXY' ]) {
			proxy.reset();
			await assertLoggedIn(await cli(LOGIN, home(front.url, { caFile: pki.ca.cert }), { [name]: proxy.url }), name);
			assert.ok(connects(proxy).length >= 1, name);
		}
		proxy.reset();
		await apiLogin(home(front.url, { caFile: pki.ca.cert }), { requestOptions: { proxy: proxy.url } });
		assert.ok(connects(proxy).length >= 1);
	});

	test('config.json wins over HTTPS_PROXY; requestOptions.proxy wins over both, and false goes direct', async () => {
		proxy.reset();
		const bad = `http://127.0.0.1:${closedPort}`;
		await assertLoggedIn(await cli(LOGIN, home(front.url, { proxy: proxy.url, caFile: pki.ca.cert }), { HTTPS_PROXY: bad }), 'config over env');
		assert.ok(connects(proxy).length >= 1);
		await withEnv({ HTTPS_PROXY: bad }, async () => {
			proxy.reset();
			// (a timeout of its own: a configuration an earlier test used reuses its pooled tunnel)
			await apiLogin(home(front.url, { caFile: pki.ca.cert, proxy: bad }), { requestOptions: { proxy: proxy.url }, requestTimeout: 29_000 });
			assert.ok(connects(proxy).length >= 1);
			await apiLogin(home(front.url, { caFile: pki.ca.cert, proxy: bad }), { requestOptions: { proxy: false } });
		});
	});

	test('NO_PROXY bypasses the proxy (IP, host suffix, *) (command, API)', async () => {
		for (const noProxy of [ '127.0.0.1', 'example.com,127.0.0.0/8', '*' ]) {
			proxy.reset();
			await assertLoggedIn(await cli(LOGIN, home(front.url, { caFile: pki.ca.cert }), { HTTPS_PROXY: proxy.url, NO_PROXY: noProxy }), `NO_PROXY=${noProxy}`);
			assert.deepEqual(proxy.seen, [], noProxy);
		}
		proxy.reset();
		await assertLoggedIn(await cli(LOGIN, home(front.url, { proxy: proxy.url, caFile: pki.ca.cert }), { no_proxy: '127.0.0.1' }), 'no_proxy with network.proxy');
		assert.deepEqual(proxy.seen, []);
		await withEnv({ NO_PROXY: '127.0.0.1' }, async () => {
			proxy.reset();
			await apiLogin(home(front.url, { caFile: pki.ca.cert }), { requestOptions: { proxy: proxy.url } });
			assert.deepEqual(proxy.seen, []);
		});
		proxy.reset();
		await assertLoggedIn(await cli(LOGIN, home(front.url, { caFile: pki.ca.cert }), { HTTPS_PROXY: proxy.url, NO_PROXY: 'other.example' }), 'NO_PROXY other host');
		assert.ok(connects(proxy).length >= 1);
	});

	test('credentials in the proxy URL are sent as Basic auth, percent-decoded (command, API)', async () => {
		authProxy.reset();
		const url = `http://${enc(PROXY_USER)}:${enc(PROXY_PASSWORD)}@${authProxy.host}`;
		await assertLoggedIn(await cli(LOGIN, home(front.url, { proxy: url, caFile: pki.ca.cert })), 'proxy credentials');
		assert.ok(authProxy.seen.length >= 1);
		assert.equal(authProxy.seen[0].decoded, `${PROXY_USER}:${PROXY_PASSWORD}`);
		authProxy.reset();
		await apiLogin(home(front.url, { caFile: pki.ca.cert }), { requestOptions: { proxy: url } });
		assert.equal(authProxy.seen[0].decoded, `${PROXY_USER}:${PROXY_PASSWORD}`);
	});

	test('a wrong proxy password: ERR_PROXY_AUTH, and the password is in no output, not even the debug logs (command, API)', async () => {
		const wrong = 'Wr0ng:pa$$w@rd';
		const url = `http://${enc(PROXY_USER)}:${enc(wrong)}@${authProxy.host}`;
		for (const env of [ { HTTPS_PROXY: url }, { HTTPS_PROXY: url, DEBUG: '*', AXWAY_AUTH_LOG: 'trace' } ]) {
			const result = await cli(LOGIN, home(front.url, { caFile: pki.ca.cert }), env);
			const message = await assertFails(result, 'ERR_PROXY_AUTH', 'wrong password');
			assert.match(message, /rejected the user name and password/);
			assert.match(message, new RegExp(`proxy http://proxy%20user:\\*\\*\\*@${authProxy.host}`));
			for (const text of [ result.stdout, result.stderr ]) {
				assert.ok(!text.includes(wrong) && !text.includes(enc(wrong)) && !text.includes(Buffer.from(`${PROXY_USER}:${wrong}`).toString('base64')), 'password leaked');
			}
			if (env.DEBUG) {
				assert.match(result.stderr, /axway_auth/, 'the debug log is on');
			}
		}
		await assert.rejects(apiLogin(home(front.url, { caFile: pki.ca.cert }), { requestOptions: { proxy: url } }), err => {
			assert.equal(err.code, 'ERR_PROXY_AUTH');
			assert.ok(!err.message.includes(wrong) && !err.message.includes(enc(wrong)));
			return true;
		});
	});

	test('no credentials for a proxy that wants them: ERR_PROXY_AUTH says so', async () => {
		const message = await assertFails(await cli(LOGIN, home(front.url, { proxy: authProxy.url, caFile: pki.ca.cert })), 'ERR_PROXY_AUTH', 'no credentials');
		assert.match(message, /requires credentials/);
	});

	test('a proxy that refuses connections: ERR_PROXY_UNREACHABLE names the proxy, not the target (command, API)', async () => {
		const url = `http://user:Pr0xyPass@127.0.0.1:${closedPort}`;
		const message = await assertFails(await cli(LOGIN, home(front.url, { caFile: pki.ca.cert }), { HTTPS_PROXY: url }), 'ERR_PROXY_UNREACHABLE', 'unreachable');
		assert.match(message, new RegExp(`proxy http://user:\\*\\*\\*@127\\.0\\.0\\.1:${closedPort} \\(from HTTPS_PROXY\\)`));
		assert.doesNotMatch(message, new RegExp(`${front.port}`));
		assert.doesNotMatch(message, /Pr0xyPass/);
		await assert.rejects(apiLogin(home(front.url, { caFile: pki.ca.cert }), { requestOptions: { proxy: url } }), err => err.code === 'ERR_PROXY_UNREACHABLE' && /requestOptions\.proxy/.test(err.message));
	});

	test('an invalid proxy URL is an error naming the setting, never quoting the value', async () => {
		const message = await assertFails(await cli(LOGIN, home(front.url, { proxy: 'socks5://u:Secret1@h:1' })), 'ERR_INVALID_ARGUMENT', 'socks');
		assert.match(message, /network\.proxy/);
		assert.doesNotMatch(message, /Secret1/);
	});
});

describe('client certificates', () => {
	test('network.certFile + network.keyFile (command); requestOptions.cert + key (API); none: refused with advice', async () => {
		await assertLoggedIn(await cli(LOGIN, home(mtlsFront.url, { caFile: pki.ca.cert, certFile: pki.client.cert, keyFile: pki.client.key })), 'mTLS config');
		await apiLogin(home(mtlsFront.url, { caFile: pki.ca.cert }), { requestOptions: { cert: readFileSync(pki.client.cert), key: readFileSync(pki.client.key, 'utf8') } });
		const result = await cli(LOGIN, home(mtlsFront.url, { caFile: pki.ca.cert }));
		assert.equal(result.code, 1, result.stdout);
		assert.match(result.json.result, /network\.certFile/);
		const half = await assertFails(await cli(LOGIN, home(mtlsFront.url, { caFile: pki.ca.cert, certFile: pki.client.cert })), 'ERR_INVALID_ARGUMENT', 'cert without key');
		assert.match(half, /network\.keyFile/);
		await assert.rejects(apiLogin(home(mtlsFront.url), { requestOptions: { cert: 'x' } }), err => err.code === 'ERR_INVALID_ARGUMENT' && /requestOptions\.key/.test(err.message));
	});
});

describe('axway auth doctor', () => {
	const checks = (result, id) => result.json.checks.filter(c => c.id === id);
	const one = (result, id) => {
		const found = checks(result, id);
		assert.equal(found.length, 1, `${id}: ${result.stdout}`);
		return found[0];
	};

	test('all checks pass: exit 0; the TLS check names issuer, expiry and the trust source; --json is what doctor() resolves', async () => {
		const h = home(front.url, { caFile: pki.ca.cert });
		const result = await cli([ 'auth', 'doctor', '--json' ], h);
		assert.equal(result.code, 0, result.stdout + result.stderr);
		assert.equal(result.json.ok, true);
		const ids = result.json.checks.map(c => c.id);
		assert.deepEqual(ids, [ 'config', 'store', 'proxy', 'dns', 'tcp', 'tls', 'openid', 'clock' ]);
		assert.ok(result.json.checks.every(c => c.status === 'pass'), result.stdout);
		const tls = one(result, 'tls');
		assert.equal(tls.data.issuer, 'Axway Auth Test CA');
		assert.equal(tls.data.trustSource, 'network.caFile');
		assert.match(tls.data.expires, /^\d{4}-\d{2}-\d{2}$/);
		assert.match(one(result, 'store').detail, /^file at .*\.tokenstore\.v2, readable \(0 accounts\)$/);

		const report = await api().doctor({ homeDir: h.homeDir });
		assert.deepEqual(report.checks.map(c => [ c.id, c.status, c.title ]), result.json.checks.map(c => [ c.id, c.status, c.title ]));

		const text = await cli([ 'auth', 'doctor' ], home(front.url), { NODE_EXTRA_CA_CERTS: pki.ca.cert });
		assert.equal(text.code, 0, text.stdout);
		assert.match(text.stdout, /✔ TLS 127\.0\.0\.1:\d+: issued by "Axway Auth Test CA", expires .* trusted through NODE_EXTRA_CA_CERTS/);
		assert.match(text.stdout, /✔ All checks passed/);
	});

	test('an untrusted, an expired and a wrong-host certificate: exit 1, the TLS check fails with its code and advice', async () => {
		const cases = [
			[ home(front.url), {}, 'ERR_TLS_UNTRUSTED', /network\.caFile/ ],
			[ home(expiredFront.url), { NODE_EXTRA_CA_CERTS: pki.ca.cert }, 'ERR_TLS_EXPIRED', /renew/ ],
			[ home(wrongHostFront.url), { NODE_EXTRA_CA_CERTS: pki.ca.cert }, 'ERR_TLS_HOSTNAME', /auth\.baseUrl/ ]
		];
		for (const [ h, env, code, advice ] of cases) {
			const result = await cli([ 'auth', 'doctor', '--json' ], h, env);
			assert.equal(result.code, 1, result.stdout);
			assert.equal(result.json.ok, false);
			const tls = one(result, 'tls');
			assert.equal(tls.status, 'fail');
			assert.equal(tls.code, code);
			assert.match(tls.advice, advice);
			assert.equal(one(result, 'openid').status, 'skip');
		}
		const text = await cli([ 'auth', 'doctor' ], home(front.url));
		assert.equal(text.code, 1);
		assert.match(text.stdout, /✖ TLS 127\.0\.0\.1:\d+: the certificate of 127\.0\.0\.1 is issued by "Axway Auth Test CA", which is not trusted\n {2}→ Trust the CA/);
		assert.match(text.stdout, /✖ 1 check failed/);
	});

	test('strictSSL false is a warning, not a failure', async () => {
		const result = await cli([ 'auth', 'doctor', '--json' ], home(front.url, { strictSSL: false }));
		assert.equal(result.code, 0, result.stdout);
		const tls = one(result, 'tls');
		assert.equal(tls.status, 'warn');
		assert.match(tls.advice, /network\.strictSSL=false/);
	});

	test('proxies: the one in use (password redacted), NO_PROXY, a wrong password, an unreachable proxy', async () => {
		const good = `http://${enc(PROXY_USER)}:${enc(PROXY_PASSWORD)}@${authProxy.host}`;
		authProxy.reset();
		let result = await cli([ 'auth', 'doctor', '--json' ], home(front.url, { caFile: pki.ca.cert }), { HTTPS_PROXY: good });
		assert.equal(result.code, 0, result.stdout);
		assert.equal(one(result, 'proxy').data.proxy, `http://proxy%20user:***@${authProxy.host}`);
		assert.match(one(result, 'tcp').title, /proxy/);
		assert.ok(authProxy.seen.some(s => s.method === 'CONNECT'));
		assert.ok(!result.stdout.includes(enc(PROXY_PASSWORD)));

		result = await cli([ 'auth', 'doctor', '--json' ], home(front.url, { caFile: pki.ca.cert }), { HTTPS_PROXY: good, NO_PROXY: '127.0.0.1' });
		assert.equal(result.code, 0);
		assert.match(one(result, 'proxy').detail, /NO_PROXY/);

		const wrong = `http://${enc(PROXY_USER)}:WrongOne@${authProxy.host}`;
		result = await cli([ 'auth', 'doctor', '--json' ], home(front.url, { caFile: pki.ca.cert }), { HTTPS_PROXY: wrong });
		assert.equal(result.code, 1);
		const tls = one(result, 'tls');
		assert.equal(tls.code, 'ERR_PROXY_AUTH');
		assert.match(tls.advice, /user name and password/);
		assert.ok(!result.stdout.includes('WrongOne'));

		result = await cli([ 'auth', 'doctor', '--json' ], home(front.url, { proxy: `http://127.0.0.1:${closedPort}`, caFile: pki.ca.cert }));
		assert.equal(result.code, 1);
		const tcp = one(result, 'tcp');
		assert.equal(tcp.code, 'ERR_PROXY_UNREACHABLE');
		assert.match(tcp.detail, new RegExp(`proxy http://127\\.0\\.0\\.1:${closedPort}`));
		assert.match(tcp.advice, /NO_PROXY/);
	});

	test('a client certificate the server wants, a clock ten minutes off, an unreadable config file', async () => {
		let result = await cli([ 'auth', 'doctor', '--json' ], home(mtlsFront.url, { caFile: pki.ca.cert, certFile: pki.client.cert, keyFile: pki.client.key }));
		assert.equal(result.code, 0, result.stdout);
		assert.equal(one(result, 'tls').data.clientCertificate, 'network.certFile');
		result = await cli([ 'auth', 'doctor', '--json' ], home(mtlsFront.url, { caFile: pki.ca.cert }));
		assert.equal(result.code, 1);
		assert.ok(result.json.checks.some(c => c.status === 'fail' && /network\.certFile/.test(c.advice)), result.stdout);

		result = await cli([ 'auth', 'doctor', '--json' ], home(skewedFront.url, { caFile: pki.ca.cert }));
		assert.equal(result.code, 1);
		const clock = one(result, 'clock');
		assert.equal(clock.code, 'ERR_CLOCK_SKEW');
		assert.ok(clock.data.skewSeconds >= 590, JSON.stringify(clock));
		assert.match(clock.advice, /clock/);

		const h = home();
		writeFileSync(h.configFile, '{ not json');
		result = await cli([ 'auth', 'doctor', '--json' ], h);
		assert.equal(result.code, 1);
		const config = one(result, 'config');
		assert.equal(config.code, 'ERR_CONFIG_INVALID');
		assert.match(config.advice, /JSON/);
	});

	test('the token store: a secure store whose keychain does not answer fails with advice (and passes with a keychain)', async () => {
		const runtime = mkdtempSync(join(tmpdir(), 'axway-auth-nobus-'));
		try {
			const result = await cli([ 'auth', 'doctor', '--json' ], home(front.url, { caFile: pki.ca.cert }), { AXWAY_AUTH_TOKEN_STORE_TYPE: 'secure', DBUS_SESSION_BUS_ADDRESS: undefined, XDG_RUNTIME_DIR: runtime });
			assert.equal(result.code, 1, result.stdout);
			const store = one(result, 'store');
			assert.equal(store.code, 'ERR_SECURE_STORE_UNAVAILABLE');
			assert.match(store.advice, /tokenStoreType file/);
			assert.equal(one(result, 'tls').status, 'pass');
		} finally {
			rmSync(runtime, { recursive: true, force: true });
		}
		if (process.env.DBUS_SESSION_BUS_ADDRESS) { // under scripts/with-secret-service.sh
			const result = await cli([ 'auth', 'doctor', '--json' ], home(front.url, { caFile: pki.ca.cert }), { AXWAY_AUTH_TOKEN_STORE_TYPE: 'secure' });
			assert.match(one(result, 'store').detail, /^secure \(key in the OS keychain/, result.stdout);
		}
	});

	test('an unreachable server: DNS or TCP fails with advice, each check bounded in time', async () => {
		const h = home(`https://127.0.0.1:${closedPort}`);
		const started = Date.now();
		const result = await cli([ 'auth', 'doctor', '--json' ], h);
		assert.equal(result.code, 1);
		const tcp = one(result, 'tcp');
		assert.equal(tcp.code, 'ERR_UNREACHABLE');
		assert.match(tcp.advice, /proxy/);
		assert.ok(Date.now() - started < 30_000);
		const dns = await cli([ 'auth', 'doctor', '--json' ], home('https://no-such-host.invalid'));
		assert.equal(dns.code, 1);
		assert.equal(one(dns, 'dns').status, 'fail');
	});
});
