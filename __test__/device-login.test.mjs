// The device login (RFC 8628) and logins on machines without a desktop (issue 11), end to end
// against the local platform's real identity server (oidc-provider's device flow):
//
// - `axway auth login --device` on a terminal (a pseudo-terminal from util-linux `script`), a
//   headless Chromium entering the code, the org picked at the prompt; then ls, switch, whoami,
//   the JS SDK (@axway/amplify-sdk 3.2.16) listing and refreshing the account, and logout;
// - `--json`, `--org`, polling (`slow_down` from the platform's fault hook, expiry from the real
//   server, denial on the confirm page, Ctrl-C), a realm without the device login;
// - headless detection by each variable, a browser launcher that fails, and a first login in a
//   container-like run (no D-Bus, nothing configured) that lands in the file store.
//
//   node --test __test__/device-login.test.mjs
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { BIN, api, apiOptions, makeHome, runCli, seed, startPlatform, decodeStoreFile } from './helpers/env.mjs';
import { launchChromium, spawnCli } from './helpers/chromium.mjs';
import { HttpBrowser, loginInBrowser } from './helpers/browser.mjs';
import { loopbackGot } from './helpers/js-sdk.mjs';

const require = createRequire(import.meta.url);
const { USERS, ORGS, SERVICE_ACCOUNTS } = seed;
const { alice, bob } = USERS;
const SECRET = SERVICE_ACCOUNTS.secret;
const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

let platform; // offers the device login, polls every second
let plain; // a realm without the device login
let browser; // one headless Chromium for the suite
const homes = [];
before(async () => {
	[ platform, plain ] = await Promise.all([
		startPlatform({ quiet: true, deviceInterval: 1 }),
		startPlatform({ quiet: true, deviceFlow: false })
	]);
	browser = await launchChromium();
});
after(async () => {
	for (const h of homes) {
		h.cleanup();
	}
	await browser?.close();
	await Promise.all([ platform?.close(), plain?.close() ]);
});

// ---- helpers ---------------------------------------------------------------------------------

function home(p = platform, auth = {}) {
	const h = makeHome(p, auth);
	homes.push(h);
	return h;
}

const claims = jwt => JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8'));
const plainText = s => s.replace(/\r/g, '').replace(/\x1b\[[0-9;]*[A-Za-z]/g, '');

/** The page, code and complete link of the device login block (text of stdout or stderr). */
const PAGE_RE = /open this page in a browser on any device[^\n]*\n\n\s+(\S+)/;
const CODE_RE = /│\s+([A-Z0-9](?: [A-Z0-9-])+)\s+│/;
const COMPLETE_RE = /Or open this link, which has the code in it:\n\n\s+(\S+)/;
async function deviceCode(cli) {
	const [ , uri ] = await cli.waitFor(PAGE_RE);
	const [ , spaced ] = await cli.waitFor(CODE_RE);
	const [ , complete ] = await cli.waitFor(COMPLETE_RE);
	return { uri, code: spaced.replace(/ /g, ''), complete };
}

/** The user, in Chromium: the code page, the confirmation, the login form, the success page. */
async function approveInChromium({ uri, code }, user = alice) {
	const { page, context } = browser;
	await context.clearCookies();
	await page.goto(uri);
	await page.fill('input[name=user_code]', code);
	await page.click('#continue');
	assert.equal(await page.textContent('#user-code'), code, 'the confirmation page shows the code');
	await page.click('#confirm');
	await page.fill('input[name=login]', user.email);
	await page.fill('input[name=password]', user.password);
	await page.click('button[type=submit]');
	await page.waitForSelector('#success');
}

/** The same with plain HTTP (faster, for the polling tests): `deny` presses Deny instead. */
async function approveOverHttp({ uri, code }, { user = alice, deny = false } = {}) {
	const b = new HttpBrowser();
	let page = await b.follow(uri);
	const form = text => ({
		xsrf: /name="xsrf" value="([^"]+)"/.exec(text)?.[1],
		action: /<form id="op\.device(?:Input|Confirm)Form"[^>]*action="([^"]+)"/.exec(text)?.[1]
	});
	const post = (url, fields) => b.follow(new URL(url, page.url).href, {
		method: 'POST',
		headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams(fields)
	});
	let f = form(page.text);
	page = await post(f.action, { xsrf: f.xsrf, user_code: code });
	f = form(page.text);
	assert.ok(f.xsrf, `a confirmation form at ${page.url}`);
	page = await post(f.action, { xsrf: f.xsrf, user_code: code, ...(deny ? { abort: 'yes' } : { confirm: 'yes' }) });
	if (deny) {
		return page;
	}
	const action = /<form[^>]*method="post"[^>]*action="([^"]+)"/i.exec(page.text)?.[1];
	page = await post(action.replaceAll('&amp;', '&'), { login: user.email, password: user.password });
	assert.match(page.text, /id="success"/, `the success page: ${page.url}`);
	return page;
}

/**
 * Runs the command in a pseudo-terminal (util-linux `script`), 120 columns wide: stdin, stdout
 * and stderr are all the terminal. Returns spawnCli's shape (`waitFor`, `done`, `write`).
 */
function spawnInTerminal(args, { home: h, env = {} }) {
	const q = s => `'${String(s).replace(/'/g, '\'\\\'\'')}'`;
	const command = `stty cols 120 rows 60; exec ${[ process.execPath, BIN, ...args ].map(q).join(' ')}`;
	const startedAt = performance.now();
	const child = spawn('script', [ '-qfec', command, '/dev/null' ], {
		env: { ...process.env, HOME: h.home, USERPROFILE: h.home, NO_COLOR: '1', DISPLAY: '', ...env },
		stdio: [ 'pipe', 'pipe', 'pipe' ]
	});
	const chunks = [];
	const listeners = new Set();
	const text = () => plainText(Buffer.concat(chunks).toString('utf8'));
	for (const stream of [ child.stdout, child.stderr ]) {
		stream.on('data', d => { chunks.push(d); for (const l of listeners) { l(); } });
	}
	let exited = false;
	const killer = setTimeout(() => child.kill('SIGKILL'), 90_000);
	const done = new Promise(resolve => child.on('close', code => {
		exited = true;
		clearTimeout(killer);
		for (const l of listeners) {
			l();
		}
		resolve({ code, output: text(), ms: performance.now() - startedAt });
	}));
	const waitFor = (re, { timeout = 30_000 } = {}) => new Promise((resolve, reject) => {
		const check = () => {
			const m = re.exec(text());
			if (m || exited) {
				clearTimeout(timer);
				listeners.delete(check);
				return m ? resolve(m) : reject(new Error(`exited before printing ${re}:\n${text()}`));
			}
		};
		const timer = setTimeout(() => { listeners.delete(check); reject(new Error(`no ${re} within ${timeout} ms:\n${text()}`)); }, timeout);
		listeners.add(check);
		check();
	});
	return { child, startedAt, waitFor, done, write: s => child.stdin.write(s), kill: () => { if (!exited) { child.kill('SIGKILL'); } } };
}

/** The JS SDK as the Axway CLI configures it (file token store), loopback only. */
function jsSdk(h, p, more = {}) {
	const { default: AmplifySDK } = require('@axway/amplify-sdk');
	return new AmplifySDK({
		baseUrl: p.baseUrl,
		platformUrl: p.platformUrl,
		realm: 'Broker',
		clientId: 'amplify-cli',
		homeDir: h.homeDir,
		tokenStoreType: 'file',
		env: 'prod',
		got: loopbackGot(),
		...more
	});
}

function assertNothingStored(h) {
	assert.equal(existsSync(h.storeFile), false, 'no token store file was written');
	assert.equal(h.config().auth.defaultAccount, undefined, 'no default account was set');
}

const deviceTokens = p => p.state().tokenRequests.filter(r => r.grantType === DEVICE_GRANT);

// ---- the login as a user does it ------------------------------------------------------------

describe('axway auth login --device', () => {
	it('on a terminal: Chromium enters the code, alice picks Beta Inc at the prompt; ls, switch, whoami, the JS SDK and logout use the account', { timeout: 120_000 }, async t => {
		const h = home();
		platform.reset();
		const cli = spawnInTerminal([ 'auth', 'login', '--device' ], { home: h });
		let result;
		try {
			// 1. the command shows the page, the code (boxed, letter-spaced), the complete link and a QR code
			const shown = await deviceCode(cli);
			const codeShown = performance.now() - cli.startedAt;
			assert.equal(new URL(shown.uri).origin, platform.baseUrl);
			assert.match(shown.code, /^[A-Z]{4}-[A-Z]{4}$/);
			assert.equal(shown.complete, `${shown.uri}?user_code=${shown.code}`);
			await cli.waitFor(/Or scan it:\n\n {2}█{20,}/);
			await cli.waitFor(/Waiting for the code to be entered in the browser \(\d+:\d\d left\)/);
			assert.deepEqual(platform.state().deviceAuthorizations.map(d => [ d.clientId, d.interval ]), [ [ 'amplify-cli', 1 ] ]);

			// 2. alice enters it in Chromium, confirms, signs in
			await approveInChromium(shown);
			const approved = performance.now() - cli.startedAt;

			// 3. two orgs, no --org: the command asks; she picks Beta Inc (2)
			await cli.waitFor(/Select an organization\n {2}1\) Acme Corp \([^)]+\)\n {2}2\) Beta Inc \([^)]+\)\nEnter a number \[1\]:/);
			const prompted = performance.now() - cli.startedAt;
			cli.write('2\r');
			result = await cli.done;
			t.diagnostic(`device login on a terminal, wall time from spawn to stored account and exit: ${Math.round(result.ms)} ms (code shown at ${Math.round(codeShown)} ms, approved in Chromium at ${Math.round(approved)} ms, org prompt at ${Math.round(prompted)} ms; the user's own steps in between)`);
			t.diagnostic(`from the approval to the prompt (polling, token, userinfo, session): ${Math.round(prompted - approved)} ms; from the answer to the stored account: ${Math.round(result.ms - prompted)} ms`);
		} finally {
			cli.kill();
		}
		assert.equal(result.code, 0, result.output);
		assert.match(result.output, new RegExp(`You are logged into a platform account in organization Beta Inc \\(${ORGS.beta.guid}\\) as alice@example\\.com`));
		assert.match(result.output, /This account has been set as the default\./);
		assert.deepEqual(platform.state().orgSelections.map(s => [ s.email, s.orgId, s.via ]), [ [ alice.email, ORGS.beta.org_id, 'api' ] ], 'the org was selected through the platform API');
		assert.deepEqual(deviceTokens(platform).filter(r => r.status === 200).length, 1, 'one device code exchanged');

		// the account as stored: the browser login's record, tokens for Beta Inc
		const [ stored ] = await api().list(apiOptions(h, { validate: false }));
		assert.equal(stored.name, `amplify-cli:${alice.email}`);
		assert.equal(stored.auth.authenticator, 'PKCE');
		assert.equal(stored.isPlatform, true);
		assert.equal(stored.org.id, ORGS.beta.org_id);
		assert.equal(claims(stored.auth.tokens.access_token).orgId, ORGS.beta.org_id);
		// list() hands out the access token only; the refresh token is in the store
		assert.equal(typeof decodeStoreFile(h.storeFile)[0].auth.tokens.refresh_token, 'string');
		assert.ok(stored.auth.expires.refresh > Date.now());

		// ls: the table, then where the tokens are
		const ls = await runCli([ 'auth', 'ls' ], { home: h });
		assert.equal(ls.code, 0, ls.stderr);
		assert.match(ls.stdout, /amplify-cli:alice@example\.com/);
		assert.equal(ls.stdout.trimEnd().split('\n').pop(), `Tokens are kept in ${h.storeFile} (file store, no OS keychain).`);
		const lsJson = await runCli([ 'auth', 'ls', '--json' ], { home: h });
		assert.deepEqual(lsJson.json.map(a => a.name), [ stored.name ], '--json is only the accounts');

		// switch: to a service account and back (same org: no browser step)
		const svc = await runCli([ 'auth', 'login', '--client-id', SECRET.clientId, '--client-secret', SECRET.clientSecret, '--json' ], { home: h });
		assert.equal(svc.code, 0, svc.stdout);
		const toSvc = await runCli([ 'auth', 'switch', '--account', svc.json.name, '--json' ], { home: h });
		assert.equal(toSvc.code, 0, toSvc.stdout);
		assert.equal(h.config().auth.defaultAccount, svc.json.name);
		const back = await runCli([ 'auth', 'switch', '--account', stored.name, '--org', 'Beta Inc', '--json' ], { home: h });
		assert.equal(back.code, 0, back.stdout);
		assert.equal(back.json.org.id, ORGS.beta.org_id);
		const who = await runCli([ 'auth', 'whoami' ], { home: h });
		assert.equal(who.code, 0, who.stderr);
		assert.match(who.stdout, new RegExp(`You are logged into a platform account in organization Beta Inc \\(${ORGS.beta.guid}\\) as alice@example\\.com`));

		// the JS SDK lists it and refreshes it (threshold beyond the token's life: a forced refresh)
		const sdk = jsSdk(h, platform, { tokenRefreshThreshold: 1e6 });
		assert.deepEqual((await sdk.auth.list()).map(a => a.name).sort(), [ stored.name, svc.json.name ].sort());
		const before = platform.state().tokenRequests.length;
		const refreshed = await sdk.auth.find(stored.name);
		assert.deepEqual(platform.state().tokenRequests.slice(before).map(r => [ r.grantType, r.clientId, r.status ]), [ [ 'refresh_token', 'amplify-cli', 200 ] ], 'the SDK refreshed the device-code account');
		assert.notEqual(refreshed.auth.tokens.access_token, stored.auth.tokens.access_token);
		assert.equal(claims(refreshed.auth.tokens.access_token).orgId, ORGS.beta.org_id);
		const [ ours ] = (await api().list(apiOptions(h, { validate: false }))).filter(a => a.name === stored.name);
		assert.equal(ours.auth.tokens.access_token, refreshed.auth.tokens.access_token, 'axway-auth reads the token the SDK stored');

		// logout: revoked at the server, gone
		const out = await runCli([ 'auth', 'logout', stored.name, '--json' ], { home: h, env: { BROWSER: 'true' } });
		assert.equal(out.code, 0, out.stdout);
		assert.deepEqual(out.json.map(a => [ a.name, a.revoked ]), [ [ stored.name, 'server' ] ]);
		assert.deepEqual((await runCli([ 'auth', 'ls', '--json' ], { home: h })).json.map(a => a.name), [ svc.json.name ]);
	});

	it('--json without a terminal: code and links on stderr, only the account on stdout, the platform\'s default org (no prompt)', { timeout: 60_000 }, async () => {
		const h = home();
		platform.reset();
		const cli = spawnCli([ 'auth', 'login', '--device', '--json' ], { home: h });
		try {
			const shown = await deviceCode(cli);
			assert.doesNotMatch(cli.out.stdout, /user_code|│/, 'nothing of it on stdout');
			assert.doesNotMatch(cli.out.stderr, /Or scan it|Waiting for/, 'no QR code and no status line without a terminal');
			await approveOverHttp(shown);
			const result = await cli.done;
			assert.equal(result.code, 0, result.stderr);
			assert.equal(result.json.name, `amplify-cli:${alice.email}`);
			assert.equal(result.json.org.id, ORGS.acme.org_id, 'the platform\'s default org');
			assert.deepEqual(platform.state().orgSelections, [], 'no org switch');
		} finally {
			cli.kill();
		}
	});

	it('--org picks the org without a prompt; an org the user is not in is refused and nothing is stored', { timeout: 60_000 }, async () => {
		const h = home();
		const cli = spawnCli([ 'auth', 'login', '--device', '--org', String(ORGS.beta.org_id) ], { home: h });
		try {
			await approveOverHttp(await deviceCode(cli));
			const result = await cli.done;
			assert.equal(result.code, 0, result.stderr);
			assert.match(result.stdout, /in organization Beta Inc/);
			assert.doesNotMatch(result.stdout, /Select an organization/);
		} finally {
			cli.kill();
		}

		const h2 = home();
		const bad = spawnCli([ 'auth', 'login', '--device', '--org', 'Nope Ltd', '--json' ], { home: h2 });
		try {
			await approveOverHttp(await deviceCode(bad), { user: bob });
			const result = await bad.done;
			assert.equal(result.code, 1);
			assert.deepEqual([ result.json.errorCode, result.json.result ], [ 'ERR_NOT_FOUND', 'Error: Unable to find organization "Nope Ltd"' ]);
			assertNothingStored(h2);
		} finally {
			bad.kill();
		}
	});

	it('the JS API: onDeviceCode is called once, before polling, with the code; device: true needs it', { timeout: 60_000 }, async () => {
		const h = home();
		const seen = [];
		let approval;
		const polled = deviceTokens(platform).length;
		const account = await api().login(apiOptions(h, {
			device: true,
			onDeviceCode(info) {
				seen.push({ info, tokenRequests: deviceTokens(platform).length - polled });
				approval = approveOverHttp({ uri: info.verificationUri, code: info.userCode });
			}
		}));
		await approval;
		assert.equal(seen.length, 1);
		const [ { info, tokenRequests } ] = seen;
		assert.deepEqual(Object.keys(info).sort(), [ 'expiresIn', 'interval', 'userCode', 'verificationUri', 'verificationUriComplete' ]);
		assert.equal(info.interval, 1);
		assert.equal(info.expiresIn, 600);
		assert.equal(info.verificationUriComplete, `${info.verificationUri}?user_code=${info.userCode}`);
		assert.equal(tokenRequests, 0, 'called before the first poll');
		assert.equal(account.name, `amplify-cli:${alice.email}`);
		assert.equal(account.auth.authenticator, 'PKCE');

		await assert.rejects(api().login(apiOptions(home(), { device: true })), { code: 'ERR_INVALID_ARGUMENT', message: /onDeviceCode/ });
		await assert.rejects(api().login(apiOptions(home(), { device: 'yes', onDeviceCode() {} })), { code: 'ERR_INVALID_ARGUMENT', message: /Invalid device/ });

		// the SDK-compatible Auth passes device and onDeviceCode through
		const { Auth } = require('..');
		const h2 = home();
		const auth = new Auth({ baseUrl: platform.baseUrl, platformUrl: platform.platformUrl, realm: 'Broker', clientId: 'amplify-cli', homeDir: h2.homeDir, tokenStoreType: 'file' });
		let sdkApproval;
		const viaSdk = await auth.login({ device: true, onDeviceCode: info => { sdkApproval = approveOverHttp({ uri: info.verificationUri, code: info.userCode }, { user: bob }); } });
		await sdkApproval;
		assert.equal(viaSdk.name, `amplify-cli:${bob.email}`);
		assert.deepEqual((await auth.list()).map(a => a.name), [ viaSdk.name ]);
	});
});

// ---- polling ----------------------------------------------------------------------------------

describe('polling', () => {
	it('slow_down (the platform\'s fault hook): the next poll comes 5 s later, then the login completes', { timeout: 60_000 }, async t => {
		const h = home();
		platform.reset();
		const cli = spawnCli([ 'auth', 'login', '--device', '--json' ], { home: h });
		try {
			const shown = await deviceCode(cli);
			const polls = () => platform.state().requests.filter(r => r.route === 'token').map(r => r.at);
			// two ordinary polls, then one answered slow_down
			while (polls().length < 2) {
				await new Promise(r => setTimeout(r, 100));
			}
			platform.fault('token', 'slow_down');
			while (polls().length < 4) {
				await new Promise(r => setTimeout(r, 100));
			}
			await approveOverHttp(shown);
			const result = await cli.done;
			assert.equal(result.code, 0, result.stderr);
			const at = polls();
			const gaps = at.slice(1).map((v, i) => v - at[i]);
			t.diagnostic(`gaps between polls (ms): ${gaps.join(', ')}`);
			assert.ok(gaps[0] >= 900 && gaps[0] < 2500, `the interval (1 s) is kept: ${gaps[0]} ms`);
			assert.ok(gaps[2] >= 5900 && gaps[2] < 8000, `after slow_down the interval grows by 5 s: ${gaps[2]} ms`);
			assert.ok(gaps.slice(3).every(g => g >= 5900 && g < 8000), `and stays so: ${gaps.slice(3)}`);
		} finally {
			cli.kill();
		}
	});

	it('expiry (the real server): ERR_DEVICE_CODE_EXPIRED, nothing stored', { timeout: 60_000 }, async t => {
		const short = await startPlatform({ quiet: true, deviceInterval: 1, deviceCodeTtl: 3 });
		try {
			const h = home(short);
			const started = performance.now();
			const result = await runCli([ 'auth', 'login', '--device', '--json' ], { home: h });
			const ms = performance.now() - started;
			t.diagnostic(`a 3 s code: the command ended ${Math.round(ms)} ms after it started`);
			assert.ok(ms < 8000, `ended soon after expiry (${Math.round(ms)} ms)`);
			assert.equal(result.code, 1, result.stdout);
			assert.equal(result.json.errorCode, 'ERR_DEVICE_CODE_EXPIRED');
			assert.match(result.json.result, /expired before the login was approved.*axway auth login --device/);
			assert.match(result.stderr, /The code expires in 1 minute\./);
			// oidc-provider's store drops an expired code, so it answers invalid_grant (Keycloak: expired_token)
			assert.deepEqual(deviceTokens(short).map(r => r.error).filter(e => e !== 'authorization_pending'), [ 'invalid_grant' ], 'the server said so');
			assertNothingStored(h);
		} finally {
			await short.close();
		}
	});

	it('expired_token (the fault hook) and denial in the browser: clear errors, nothing stored', { timeout: 60_000 }, async () => {
		const h = home();
		const cli = spawnCli([ 'auth', 'login', '--device', '--json' ], { home: h });
		try {
			await deviceCode(cli);
			platform.fault('token', 'expired_token');
			const result = await cli.done;
			assert.equal(result.json.errorCode, 'ERR_DEVICE_CODE_EXPIRED');
			assertNothingStored(h);
		} finally {
			cli.kill();
		}

		const denied = spawnCli([ 'auth', 'login', '--device' ], { home: h });
		try {
			const shown = await deviceCode(denied);
			const page = await approveOverHttp(shown, { deny: true });
			assert.match(page.text, /The login was cancelled/);
			const result = await denied.done;
			assert.equal(result.code, 1);
			assert.match(result.stderr, /^✖ Error: Authentication failed: the login was refused in the browser \(End-User aborted interaction\)$/m);
			assertNothingStored(h);
		} finally {
			denied.kill();
		}
	});

	it('Ctrl-C while waiting: exits at once (130), says so, stores nothing', { timeout: 30_000 }, async () => {
		const h = home();
		platform.reset();
		const cli = spawnCli([ 'auth', 'login', '--device' ], { home: h });
		try {
			const shown = await deviceCode(cli);
			const sent = performance.now();
			cli.child.kill('SIGINT');
			const result = await cli.done;
			assert.ok(performance.now() - sent < 2000, `exited ${Math.round(performance.now() - sent)} ms after SIGINT`);
			assert.equal(result.code, 130);
			assert.match(result.stderr, /^✖ Error: Login cancelled$/m);
			assertNothingStored(h);
			// approving afterwards changes nothing here
			await approveOverHttp(shown);
			assertNothingStored(h);
		} finally {
			cli.kill();
		}
	});

	it('a realm without the device login: --device fails at once, naming the alternatives', async () => {
		const h = home(plain);
		const result = await runCli([ 'auth', 'login', '--device', '--json' ], { home: h });
		assert.equal(result.code, 1);
		assert.equal(result.json.errorCode, 'ERR_DEVICE_FLOW_UNSUPPORTED');
		assert.match(result.json.result, /does not offer the device login: .*has no device_authorization_endpoint\. Log in with `axway auth login --no-launch-browser`.* or with a service account/);
		assert.doesNotMatch(result.json.result, /\n/);
	});
});

// ---- machines without a desktop ---------------------------------------------------------------

/** Variables that make a machine headless, cleared: a desktop session (as far as variables go). */
const DESKTOP = { DISPLAY: ':0', WAYLAND_DISPLAY: '', SSH_TTY: '', SSH_CONNECTION: '', container: '', BROWSER: '' };
/** This machine's own container marker, if any (it makes every run headless). */
const MARKER = [ '/.dockerenv', '/run/.containerenv' ].find(existsSync);

describe('headless detection', () => {
	const cases = [
		[ 'SSH_TTY', { SSH_TTY: '/dev/pts/3' }, /SSH_TTY is set/ ],
		[ 'SSH_CONNECTION', { SSH_CONNECTION: '10.0.0.2 51234 10.0.0.1 22' }, /SSH_CONNECTION is set/ ],
		[ 'container', { container: 'podman' }, /the container variable is set/ ],
		[ 'no DISPLAY or WAYLAND_DISPLAY', { DISPLAY: '' }, MARKER ? /a container: / : /DISPLAY and WAYLAND_DISPLAY are not set/ ]
	];
	for (const [ what, vars, reason ] of cases) {
		it(`${what}: a plain \`axway auth login\` uses the device login; without one on the server, it shows the link and says why`, { timeout: 30_000 }, async () => {
			const env = { ...DESKTOP, ...vars };
			const cli = spawnCli([ 'auth', 'login', '--json' ], { home: home(), env });
			try {
				await deviceCode(cli);
				assert.equal(cli.out.stdout, '', 'stdout stays for the JSON');
			} finally {
				cli.kill();
			}
			const link = spawnCli([ 'auth', 'login' ], { home: home(plain), env });
			try {
				const [ , why ] = await link.waitFor(/No web browser can be opened from here: ([^\n]+)\./, { stream: 'stdout' });
				assert.match(why, reason);
				const [ , url ] = await link.waitFor(/Open this link in a browser on this machine \(over SSH, forward its port first: ssh -L (\d+):localhost:\1 <this host>\):\n\n {2}(\S+)/, { stream: 'stdout' }).then(m => [ m[0], m[2] ]);
				assert.equal(new URL(url).origin, plain.baseUrl);
			} finally {
				link.kill();
			}
		});
	}

	it('shown link, SSH session, no device login on the server: the login completes in the browser', { timeout: 60_000 }, async () => {
		const h = home(plain);
		const cli = spawnCli([ 'auth', 'login' ], { home: h, env: { ...DESKTOP, SSH_CONNECTION: '10.0.0.2 51234 10.0.0.1 22' } });
		try {
			const [ , url ] = await cli.waitFor(/:\n\n {2}(http\S+)/, { stream: 'stdout' });
			const page = await loginInBrowser(url, alice, { orgId: ORGS.beta.org_id });
			assert.match(page.text, /Authorization Successful!/);
			const result = await cli.done;
			assert.equal(result.code, 0, result.stderr);
			assert.match(result.stdout, /in organization Beta Inc/);
		} finally {
			cli.kill();
		}
	});

	it('BROWSER set is a browser launcher: the browser login; one that exits 1 leaves the printed link, and the login completes in Chromium', { timeout: 60_000 }, async () => {
		const dir = mkdtempSync(join(tmpdir(), 'axway-auth-browser-'));
		const marker = join(dir, 'launched');
		const failing = join(dir, 'failing-browser');
		writeFileSync(failing, `#!/bin/sh\necho "$1" > '${marker}'\nexit 1\n`);
		chmodSync(failing, 0o755);
		const h = home();
		platform.reset();
		const cli = spawnCli([ 'auth', 'login' ], { home: h, env: { ...DESKTOP, SSH_TTY: '/dev/pts/1', BROWSER: failing } });
		try {
			await cli.waitFor(/Launching web browser to login\.\.\./, { stream: 'stdout' });
			const [ , url ] = await cli.waitFor(/If no browser opens, open this link:\n\n {2}(\S+)/, { stream: 'stdout' });
			for (let i = 0; i < 50 && !existsSync(marker); i++) {
				await new Promise(r => setTimeout(r, 100));
			}
			assert.ok(existsSync(marker), 'the BROWSER program was run (and exited 1)');
			assert.deepEqual(platform.state().deviceAuthorizations, [], 'no device login');
			const { page, context } = browser;
			await context.clearCookies();
			await page.goto(url);
			await page.fill('input[name=login]', alice.email);
			await page.fill('input[name=password]', alice.password);
			await Promise.all([ page.waitForURL(u => u.pathname === '/auth/org.select'), page.click('button[type=submit]') ]);
			await page.click(`a.org[data-org-id="${ORGS.acme.org_id}"]`);
			await page.waitForSelector('text=Authorization Successful!');
			const result = await cli.done;
			assert.equal(result.code, 0, result.stderr);
			assert.match(result.stdout, /You are logged into a platform account in organization Acme Corp/);
		} finally {
			cli.kill();
			rmSync(dir, { recursive: true, force: true });
		}
	});

	it('no browser at all (BROWSER names nothing, nothing on PATH): no ERR_BROWSER_FAILED, the link, the login completes', { timeout: 60_000 }, async () => {
		const h = home();
		const emptyPath = mkdtempSync(join(tmpdir(), 'axway-auth-path-'));
		const cli = spawnCli([ 'auth', 'login' ], { home: h, env: { ...DESKTOP, BROWSER: '/nonexistent/browser', PATH: emptyPath } });
		try {
			const [ , url ] = await cli.waitFor(/If no browser opens, open this link:\n\n {2}(\S+)/, { stream: 'stdout' });
			assert.match((await loginInBrowser(url, alice, { orgId: ORGS.acme.org_id })).text, /Authorization Successful!/);
			const result = await cli.done;
			assert.equal(result.code, 0, result.stderr);
			assert.match(result.stderr, /No web browser could be opened \(.+\)/);
		} finally {
			cli.kill();
			rmSync(emptyPath, { recursive: true, force: true });
		}
	});
});

// ---- a first login without a keychain --------------------------------------------------------

describe('a container-like machine (no D-Bus, nothing configured)', () => {
	let runtime;
	before(() => { runtime = mkdtempSync(join(tmpdir(), 'axway-auth-nobus-')); });
	after(() => rmSync(runtime, { recursive: true, force: true }));
	const noBus = () => ({ ...DESKTOP, DISPLAY: '', container: 'docker', DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(runtime, 'no-bus')}`, XDG_RUNTIME_DIR: runtime });
	const KEYCHAIN_NOTICE = /^The OS keychain is not available \(.+\), so tokens are kept in the file store (\S+) \(encrypted with a fixed key, readable only by you\)\. To choose: axway config set auth\.tokenStoreType secure \(or file\)$/m;

	it('a plain `axway auth login` of a platform user: the device login, into the file store, said once', { timeout: 60_000 }, async t => {
		const h = home(platform, { tokenStoreType: undefined });
		assert.equal(h.config().auth.tokenStoreType, undefined, 'nothing configured');
		const cli = spawnCli([ 'auth', 'login' ], { home: h, env: noBus() });
		try {
			await approveOverHttp(await deviceCode(cli));
			const result = await cli.done;
			t.diagnostic(`first login without a keychain: ${Math.round(result.ms)} ms from spawn to exit (the approval included)`);
			assert.equal(result.code, 0, result.stderr);
			assert.match(result.stdout, /You are logged into a platform account/);
			const [ , where ] = KEYCHAIN_NOTICE.exec(result.stderr) ?? [];
			assert.equal(where, h.storeFile, result.stderr);
			assert.equal(result.stderr.match(/keychain/g).length, 1, 'said once');
		} finally {
			cli.kill();
		}
		assert.ok(existsSync(h.storeFile));
		assert.equal(existsSync(join(h.homeDir, 'axway-cli', '.tokenstore.secure.v2')), false);
		assert.equal(h.config().auth.tokenStoreType, undefined, 'config.json is not changed');

		// later commands use the file store that holds the account, without the notice
		const ls = await runCli([ 'auth', 'ls' ], { home: h, env: noBus() });
		assert.equal(ls.code, 0, ls.stderr);
		assert.doesNotMatch(ls.stderr, /keychain/);
		assert.equal(ls.stdout.trimEnd().split('\n').pop(), `Tokens are kept in ${h.storeFile} (file store, no OS keychain).`);
	});

	it('a service account needs no config change; a configured `secure` still fails loudly', { timeout: 30_000 }, async () => {
		const h = home(platform, { tokenStoreType: undefined });
		const args = [ 'auth', 'login', '--client-id', SECRET.clientId, '--client-secret', SECRET.clientSecret, '--json' ];
		const ok = await runCli(args, { home: h, env: noBus() });
		assert.equal(ok.code, 0, ok.stdout + ok.stderr);
		assert.match(ok.stderr, KEYCHAIN_NOTICE);
		assert.equal(ok.json.name, ok.json.name.trim());
		assert.ok(existsSync(h.storeFile));

		const secure = home(platform, { tokenStoreType: 'secure' });
		const loud = await runCli(args, { home: secure, env: noBus() });
		assert.equal(loud.code, 1);
		assert.equal(loud.json.errorCode, 'ERR_SECURE_STORE_UNAVAILABLE');
		assert.equal(existsSync(secure.storeFile), false);
	});
});

// ---- rendering (no network) -------------------------------------------------------------------

describe('what the command draws', () => {
	const { createStyle } = require('../cli/style');
	const { renderDeviceCode, renderUserCode, qrWidth } = require('../cli/device');
	const { clock, startWaiting } = require('../cli/progress');

	it('the code, letter-spaced in a box; the QR code from the addon scans as the link', () => {
		assert.equal(renderUserCode('BDWP-HQPK', createStyle(false)), '  ┌─────────────────────┐\n  │  B D W P - H Q P K  │\n  └─────────────────────┘');
		const qr = api().qrCode('http://127.0.0.1:1/auth/realms/Broker/device?user_code=BDWP-HQPK');
		assert.match(qr, /^[█▀▄ \n]+$/);
		assert.ok(qrWidth(qr) >= 29 && qrWidth(qr) <= 60, `QR width ${qrWidth(qr)}`);
		const text = renderDeviceCode({ verificationUri: 'https://x/device', verificationUriComplete: 'https://x/device?user_code=A', userCode: 'AB-CD', expiresIn: 61 }, { style: createStyle(false) });
		assert.match(text, /^To log in, open this page in a browser on any device \(a phone works too\):\n\n {2}https:\/\/x\/device\n\nand enter this code:\n/);
		assert.match(text, /The code expires in 1 minute\.$/);
	});

	it('the status line: nothing unless the stream is a terminal; spinner and time left when it is', async () => {
		const written = [];
		const pipe = { isTTY: false, write: s => written.push(s) };
		startWaiting({ stream: pipe, text: 'Waiting', expiresIn: 60 }).stop();
		assert.deepEqual(written, []);
		const tty = { isTTY: true, columns: 80, write: s => written.push(s) };
		const line = startWaiting({ stream: tty, text: 'Waiting', expiresIn: 90, intervalMs: 10 });
		await new Promise(r => setTimeout(r, 35));
		line.stop();
		line.stop();
		assert.match(written[0], /^\r\x1b\[2K⠋ Waiting \(1:30 left\)$/);
		assert.ok(written.length >= 3);
		assert.equal(written.at(-1), '\r\x1b[2K', 'stop clears the line, once');
		assert.equal(written.filter(w => w === '\r\x1b[2K').length, 1);
		assert.deepEqual([ clock(0), clock(59.2), clock(600), clock(3725) ], [ '0:00', '1:00', '10:00', '1:02:05' ]);
	});
});
