// End-to-end tests of `axway auth` as a user runs it: `node bin/axway.js auth …` as a child
// process, HOME pointing at a throw-away home whose config.json targets the local platform
// (a real oidc-provider at Keycloak paths plus a mock of the platform API).
//
//   node --test __test__/cli.test.mjs
//
// Spec: /work/shared/spec/axway-auth-spec.md section 1, with these deliberate differences:
// `--json` output never contains tokens, secrets or the session id (logout included), and the
// JSON error envelope carries `errorCode`.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { ROOT, api, apiOptions, decodeStoreFile, makeHome, runCli, seed, startPlatform } from './helpers/env.mjs';

const { SERVICE_ACCOUNTS: SA, JWT_CLIENT_KEY, ORGS, TEAMS } = seed;
const VERSION = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;
const FORBIDDEN_KEYS = [ 'access_token', 'refresh_token', 'id_token', 'clientSecret', 'secret', 'password', 'sid' ];
const BETA_TEAM = TEAMS.find(t => t.name === 'Beta Team');
const ACME_DEFAULT_TEAM = TEAMS.find(t => t.name === 'Default Team');

let platform;
const homes = [];

before(async () => {
	platform = await startPlatform({ port: 0, quiet: true, accessTtl: 1800, refreshTtl: 86400 });
});

after(async () => {
	for (const h of homes) {
		h.cleanup();
	}
	await platform?.close();
});

// ---- helpers ---------------------------------------------------------------------------------

/** A fresh home for one test, removed in `after`. */
function home() {
	const h = makeHome(platform);
	homes.push(h);
	return h;
}

/** The file store's records (spec 5.2: lowercase hex of AES-128-CBC, fixed key, zero IV). */
const decodeStore = h => (h.store() ? decodeStoreFile(h.storeFile) : []);

/** Every real token in the store, so output can be searched for them. */
function storedTokens(h) {
	const tokens = [];
	for (const record of decodeStore(h)) {
		for (const key of [ 'access_token', 'refresh_token', 'id_token' ]) {
			const value = record.auth?.tokens?.[key];
			if (typeof value === 'string' && value) {
				tokens.push(value);
			}
		}
	}
	return tokens;
}

/** The base64 body lines of a PEM file (long enough to be unambiguous). */
function pemBodyLines(file) {
	return readFileSync(file, 'utf8').split(/\r?\n/).filter(l => l && !l.startsWith('-----') && l.length >= 16);
}

/** Asserts that no object anywhere in `value` has a forbidden key. */
function assertNoSecretKeys(value, where = '$') {
	if (Array.isArray(value)) {
		value.forEach((v, i) => assertNoSecretKeys(v, `${where}[${i}]`));
	} else if (value && typeof value === 'object') {
		for (const [ key, v ] of Object.entries(value)) {
			assert.ok(!FORBIDDEN_KEYS.includes(key), `${where}.${key} must not be in --json output`);
			assertNoSecretKeys(v, `${where}.${key}`);
		}
	}
}

/** Asserts that none of the strings occurs in `text`. */
function assertNotLeaked(text, secrets, what) {
	for (const secret of secrets) {
		assert.ok(!text.includes(secret), `${what} leaks a secret (${secret.slice(0, 12)}…)`);
	}
}

const tokenCount = clientId => platform.state().tokenCounts?.client_credentials?.[clientId] ?? 0;
const secretLoginArgs = [ '--client-id', SA.secret.clientId, '--client-secret', SA.secret.clientSecret ];
const jwtLoginArgs = (file = JWT_CLIENT_KEY.pkcs8) => [ '--client-id', SA.jwt.clientId, '--secret-file', file ];

/** Runs the command and checks its exit code, showing the output on failure. */
async function cli(h, args, expectedCode = 0, opts = {}) {
	const r = await runCli(args, { home: h, ...opts });
	assert.equal(r.code, expectedCode, `axway ${args.join(' ')} exited ${r.code}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`);
	return r;
}

/** Both service accounts logged in through the API (the secret one first, so it is the default). */
async function loginBoth(h) {
	const secret = await api().login(apiOptions(h, { clientId: SA.secret.clientId, clientSecret: SA.secret.clientSecret }));
	const jwt = await api().login(apiOptions(h, { clientId: SA.jwt.clientId, secretFile: JWT_CLIENT_KEY.pkcs8 }));
	return { secret, jwt };
}

// ---- not logged in ---------------------------------------------------------------------------

describe('axway auth with no accounts', () => {
	it('`auth` alone prints the help on stdout and exits 2', async () => {
		const h = home();
		const r = await cli(h, [ 'auth' ], 2);
		assert.match(r.stdout, /USAGE: axway auth <command>/);
		for (const command of [ 'list', 'login', 'logout', 'switch', 'whoami' ]) {
			assert.match(r.stdout, new RegExp(`\\b${command}\\b`), `help lists ${command}`);
		}
		assert.equal(r.stderr, '');
	});

	it('`auth --help` prints the help on stdout and exits 2', async () => {
		const h = home();
		const r = await cli(h, [ 'auth', '--help' ], 2);
		assert.match(r.stdout, /USAGE: axway auth <command>/);
		assert.equal(r.stderr, '');
		const sub = await cli(h, [ 'auth', 'ls', '--help' ], 2);
		assert.match(sub.stdout, /USAGE: axway auth list/);
	});

	it('`auth ls` prints "No authenticated accounts." and `--json` prints []', async () => {
		const h = home();
		const text = await cli(h, [ 'auth', 'ls' ]);
		assert.match(text.stdout, /^No authenticated accounts\.$/m);
		assert.equal(text.stderr, '');
		const json = await cli(h, [ 'auth', 'ls', '--json' ]);
		assert.equal(json.stdout, '[]\n');
		assert.deepEqual(json.json, []);
	});

	it('`auth whoami` prints "You are not logged in." (exit 0); `--json` prints []', async () => {
		const h = home();
		const text = await cli(h, [ 'auth', 'whoami' ]);
		assert.match(text.stdout, /^You are not logged in\.$/m);
		const json = await cli(h, [ 'auth', 'whoami', '--json' ]);
		assert.deepEqual(json.json, []);
	});

	it('`auth logout` fails with "No authenticated accounts found" (exit 1); `--json` prints []', async () => {
		const h = home();
		const text = await cli(h, [ 'auth', 'logout' ], 1);
		assert.match(text.stderr, /^✖ Error: No authenticated accounts found$/m);
		assert.doesNotMatch(text.stdout, /Revoked/);
		const json = await cli(h, [ 'auth', 'logout', '--json' ]);
		assert.deepEqual(json.json, []);
	});

	it('`auth switch` fails with "No authenticated accounts found"; `--json` gives the error envelope', async () => {
		const h = home();
		const text = await cli(h, [ 'auth', 'switch' ], 1);
		assert.match(text.stderr, /^✖ Error: No authenticated accounts found$/m);
		const json = await cli(h, [ 'auth', 'switch', '--json' ], 1);
		assert.deepEqual(json.json, { code: 1, result: 'Error: No authenticated accounts found', errorCode: 'ERR_NOT_FOUND' });
		assert.equal(json.stderr, '');
	});
});

// ---- login -----------------------------------------------------------------------------------

describe('axway auth login (service accounts)', () => {
	it('logs in with a client secret, then the JWT account with --json, without leaking secrets', async () => {
		const h = home();

		const first = await cli(h, [ 'auth', 'login', ...secretLoginArgs ]);
		assert.match(first.stdout, /^You are logged into a service account as DOSA_4fc1d2e0b7aa4c5e9d3c2b1a0f9e8d7c:[0-9a-f]{32}\.$/m);
		assert.match(first.stdout, /^This account has been set as the default\.$/m);
		assert.match(first.stdout, /^The current region is set to US\.$/m);
		assertNotLeaked(first.stdout + first.stderr, [ SA.secret.clientSecret, ...storedTokens(h) ], 'text login');
		const secretName = first.stdout.match(/as (DOSA_\w+:[0-9a-f]{32})\./)[1];
		assert.equal(h.config().auth.defaultAccount, secretName);

		const second = await cli(h, [ 'auth', 'login', ...jwtLoginArgs(), '--json' ]);
		assert.equal(second.stderr, '');
		assert.ok(second.json, `stdout is JSON:\n${second.stdout}`);
		assert.ok(second.stdout.startsWith('{\n  "'), 'JSON output is 2-space indented, no banner');
		assert.ok(second.stdout.endsWith('}\n'));
		const account = second.json;
		assert.equal(account.default, false);
		assert.equal(account.auth.authenticator, 'SignedJWT');
		assert.equal(account.auth.clientId, SA.jwt.clientId);
		assert.equal(account.org.name, ORGS.beta.name);
		assert.equal(account.org.id, ORGS.beta.org_id);
		assert.equal(account.isPlatform, false);
		assert.ok(account.auth.expires.access > Date.now());
		assertNoSecretKeys(account);

		// the real tokens, the raw secret and the PEM body appear nowhere in stdout
		const tokens = storedTokens(h);
		assert.ok(tokens.length >= 2, 'the store holds both access tokens');
		assertNotLeaked(second.stdout, [ ...tokens, SA.secret.clientSecret, ...pemBodyLines(JWT_CLIENT_KEY.pkcs8) ], 'login --json');

		// the default did not move
		assert.equal(h.config().auth.defaultAccount, secretName);
	});

	it('logging in again is "already logged in" (exit 0, no token request) unless --force', async () => {
		const h = home();
		await cli(h, [ 'auth', 'login', ...secretLoginArgs ]);
		const before = tokenCount(SA.secret.clientId);

		const again = await cli(h, [ 'auth', 'login', ...secretLoginArgs ]);
		assert.match(again.stdout, /^You are already logged into a service account as DOSA_4fc1d2e0b7aa4c5e9d3c2b1a0f9e8d7c:[0-9a-f]{32}\.$/m);
		assert.equal(tokenCount(SA.secret.clientId), before, 'no new token request without --force');

		const againJson = await cli(h, [ 'auth', 'login', ...secretLoginArgs, '--json' ]);
		assert.equal(againJson.json.default, true);
		assertNoSecretKeys(againJson.json);
		assert.equal(tokenCount(SA.secret.clientId), before);

		const tokenBefore = storedTokens(h)[0];
		const forced = await cli(h, [ 'auth', 'login', ...secretLoginArgs, '--force' ]);
		assert.match(forced.stdout, /^You are logged into a service account as /m);
		assert.doesNotMatch(forced.stdout, /already logged/);
		assert.equal(tokenCount(SA.secret.clientId), before + 1, '--force makes exactly one new token request');
		assert.notEqual(storedTokens(h)[0], tokenBefore, 'the stored token was replaced');
		assert.equal(decodeStore(h).length, 1, 'still one account');
	});

	it('logs in the JWT account with a PKCS#1 key file too', async () => {
		const h = home();
		const r = await cli(h, [ 'auth', 'login', ...jwtLoginArgs(JWT_CLIENT_KEY.pkcs1), '--json' ]);
		assert.equal(r.json.auth.authenticator, 'SignedJWT');
		assert.equal(r.json.default, true, 'the only account becomes the default');
		assertNoSecretKeys(r.json);
		assertNotLeaked(r.stdout, pemBodyLines(JWT_CLIENT_KEY.pkcs1), 'login --json');
	});
});

// ---- list ------------------------------------------------------------------------------------

describe('axway auth ls', () => {
	it('renders the accounts table with the default marked', async () => {
		const h = home();
		const { secret, jwt } = await loginBoth(h);
		const r = await cli(h, [ 'auth', 'ls' ]);
		const lines = r.stdout.split('\n');
		const headerIndex = lines.findIndex(l => l.startsWith('ACCOUNT NAME'));
		assert.ok(headerIndex > 0, `a table header in:\n${r.stdout}`);
		assert.match(lines[headerIndex], /^ACCOUNT NAME {2,}ORGANIZATION {2,}CURRENT TEAM {2,}REGION {2,}TYPE {2,}EXPIRES\s*$/);

		const secretRow = lines.find(l => l.includes(secret.name));
		const jwtRow = lines.find(l => l.includes(jwt.name));
		assert.ok(secretRow && jwtRow, 'one row per account');
		assert.ok(secretRow.startsWith(`✔ ${secret.name}  `), `default row: ${secretRow}`);
		assert.ok(jwtRow.startsWith(`  ${jwt.name}  `), `other row: ${jwtRow}`);
		assert.match(secretRow, / {2}Acme Corp \(100\) {2,}Default Team \(3882105c-b0e0-4aa8-9c06-4f8d9902688c\) {2,}US {2,}Service {2,}(\d+[dhm] )*\d+[dhms]\s*$/);
		assert.match(jwtRow, / {2}Beta Inc \(200\) {2,}Beta Team \(9e1f2a3b-4c5d-4e6f-8a7b-0c1d2e3f4a5b\) {2,}EU {2,}Service {2,}(\d+[dhm] )*\d+[dhms]\s*$/);
		// rows sorted by name
		assert.equal(lines.indexOf(secretRow) < lines.indexOf(jwtRow), secret.name.localeCompare(jwt.name) < 0);
		// columns line up: the ORGANIZATION column starts at the same offset in every line
		const col = lines[headerIndex].indexOf('ORGANIZATION');
		assert.equal(secretRow.indexOf('Acme Corp'), col);
		assert.equal(jwtRow.indexOf('Beta Inc'), col);
	});

	it('`--json` lists the accounts sorted by name with `default`, without secrets', async () => {
		const h = home();
		const { secret, jwt } = await loginBoth(h);
		const r = await cli(h, [ 'auth', 'ls', '--json' ]);
		const accounts = r.json;
		assert.ok(Array.isArray(accounts), `an array:\n${r.stdout}`);
		assert.ok(r.stdout.startsWith('[\n  {\n    "'), '2-space indentation');
		const names = accounts.map(a => a.name);
		assert.deepEqual(names, [ secret.name, jwt.name ].sort((a, b) => a.localeCompare(b)));
		assert.deepEqual(accounts.map(a => a.default), names.map(n => n === secret.name));
		assertNoSecretKeys(accounts);
		assertNotLeaked(r.stdout, [ ...storedTokens(h), SA.secret.clientSecret, ...pemBodyLines(JWT_CLIENT_KEY.pkcs8) ], 'ls --json');
	});
});

// ---- switch and whoami -----------------------------------------------------------------------

describe('axway auth switch / whoami', () => {
	it('switches the default account and records its org in config.json', async () => {
		const h = home();
		const { secret, jwt } = await loginBoth(h);
		assert.equal(h.config().auth.defaultAccount, secret.name);

		const r = await cli(h, [ 'auth', 'switch', '--account', jwt.name ]);
		assert.match(r.stdout, new RegExp(`^Default account set to ${jwt.name}$`, 'm'));
		const auth = h.config().auth;
		assert.equal(auth.defaultAccount, jwt.name);
		assert.equal(auth.defaultOrg?.[jwt.hash], ORGS.beta.guid);
		assert.equal(auth.baseUrl, platform.baseUrl, 'the rest of the config is kept');

		const ls = await cli(h, [ 'auth', 'ls', '--json' ]);
		assert.deepEqual(ls.json.filter(a => a.default).map(a => a.name), [ jwt.name ]);

		const who = await cli(h, [ 'auth', 'whoami' ]);
		assert.match(who.stdout, new RegExp(`^You are logged into a service account as ${jwt.name}\\.$`, 'm'));
		assert.match(who.stdout, /^The current region is set to EU\.$/m);
	});

	it('switches with --team for an account with one team; --json prints the account', async () => {
		const h = home();
		const { jwt } = await loginBoth(h);
		const r = await cli(h, [ 'auth', 'switch', '--account', jwt.name, '--team', 'Beta Team' ]);
		assert.match(r.stdout, /^Default account set to /m);
		assert.equal(h.config().auth.defaultTeam?.[jwt.hash], BETA_TEAM.guid);

		// case-insensitive team name, --json: the account only (no account-info text after it)
		const json = await cli(h, [ 'auth', 'switch', '--account', jwt.name, '--team', 'beta team', '--json' ]);
		assert.ok(json.json, `stdout is only JSON:\n${json.stdout}`);
		assert.equal(json.json.name, jwt.name);
		assert.equal(json.json.default, true);
		assert.equal(json.json.team?.guid, BETA_TEAM.guid);
		assertNoSecretKeys(json.json);
	});

	it('fails on an unknown team (exit 1, "Unable to find team")', async () => {
		const h = home();
		const { jwt } = await loginBoth(h);
		const r = await cli(h, [ 'auth', 'switch', '--account', jwt.name, '--team', 'No Such Team' ], 1);
		assert.match(r.stderr, /^✖ Error: Unable to find team "No Such Team"$/m);
		assert.doesNotMatch(r.stderr, /TypeError/);
		const json = await cli(h, [ 'auth', 'switch', '--account', jwt.name, '--team', 'No Such Team', '--json' ], 1);
		assert.equal(json.json?.code, 1);
		assert.equal(json.json?.result, 'Error: Unable to find team "No Such Team"');
		assert.equal(json.json?.errorCode, 'ERR_NOT_FOUND');
	});

	it('fails on an unknown account (exit 1, `Account "x" not found`)', async () => {
		const h = home();
		const { secret } = await loginBoth(h);
		const r = await cli(h, [ 'auth', 'switch', '--account', 'x' ], 1);
		assert.match(r.stderr, /^✖ Error: Account "x" not found$/m);
		const json = await cli(h, [ 'auth', 'switch', '--account', 'x', '--json' ], 1);
		assert.deepEqual(json.json, { code: 1, result: 'Error: Account "x" not found', errorCode: 'ERR_NOT_FOUND' });
		assert.equal(h.config().auth.defaultAccount, secret.name, 'the default is unchanged');
	});

	it('whoami <name> shows that account; whoami --json lists all with `default`', async () => {
		const h = home();
		const { secret, jwt } = await loginBoth(h);

		const named = await cli(h, [ 'auth', 'whoami', jwt.name ]);
		assert.match(named.stdout, new RegExp(`^You are logged into a service account as ${jwt.name}\\.$`, 'm'));
		assert.match(named.stdout, /Beta Inc/);

		const other = await cli(h, [ 'auth', 'whoami', secret.name ]);
		assert.match(other.stdout, new RegExp(`^You are logged into a service account as ${secret.name}\\.$`, 'm'));
		assert.match(other.stdout, new RegExp(`✔ ${ACME_DEFAULT_TEAM.name}`));

		const none = await cli(h, [ 'auth', 'whoami', 'nobody-at-all' ]);
		assert.match(none.stdout, /^The account nobody-at-all is not logged in\.$/m);

		const json = await cli(h, [ 'auth', 'whoami', '--json' ]);
		assert.ok(Array.isArray(json.json));
		assert.deepEqual(json.json.map(a => a.name).sort(), [ secret.name, jwt.name ].sort());
		assert.deepEqual(json.json.filter(a => a.default).map(a => a.name), [ secret.name ]);
		assertNoSecretKeys(json.json);

		const jsonNamed = await cli(h, [ 'auth', 'whoami', jwt.name, '--json' ]);
		assert.deepEqual(jsonNamed.json.map(a => a.name), [ jwt.name ]);
		assert.equal(jsonNamed.json[0].default, false);
	});
});

// ---- logout ----------------------------------------------------------------------------------

describe('axway auth logout', () => {
	it('logs out one account, then the rest with --json; both store files are deleted', async () => {
		const h = home();
		const { secret, jwt } = await loginBoth(h);
		const tokens = storedTokens(h);
		assert.ok(existsSync(h.storeFile) && existsSync(h.v1StoreFile), 'both store files exist after login');
		const signOutsBefore = platform.state().signOuts.length;

		const one = await cli(h, [ 'auth', 'logout', secret.name ]);
		const lines = one.stdout.split('\n');
		const i = lines.indexOf('Revoked authenticated accounts:');
		assert.ok(i >= 0, one.stdout);
		assert.match(lines[i + 1], new RegExp(`^ ${secret.name}\\b`));
		assert.ok(!one.stdout.includes(jwt.name), 'only the named account is revoked');

		const left = await cli(h, [ 'auth', 'ls', '--json' ]);
		assert.deepEqual(left.json.map(a => a.name), [ jwt.name ]);

		const unknown = await cli(h, [ 'auth', 'logout', 'nobody' ], 1);
		assert.match(unknown.stderr, /^✖ Error: No account "nobody" found$/m);

		const rest = await cli(h, [ 'auth', 'logout', '--json' ]);
		assert.ok(Array.isArray(rest.json), rest.stdout);
		assert.deepEqual(rest.json.map(a => a.name), [ jwt.name ]);
		assertNoSecretKeys(rest.json);
		assertNotLeaked(rest.stdout, [ ...tokens, SA.secret.clientSecret, ...pemBodyLines(JWT_CLIENT_KEY.pkcs8) ], 'logout --json');

		assert.deepEqual((await cli(h, [ 'auth', 'ls', '--json' ])).json, []);
		assert.match((await cli(h, [ 'auth', 'whoami' ])).stdout, /^You are not logged in\.$/m);
		assert.equal(existsSync(h.storeFile), false, 'v2 store file deleted');
		assert.equal(existsSync(h.v1StoreFile), false, 'v1 store file deleted');

		assert.equal(platform.state().signOuts.length - signOutsBefore, 2, 'one platform sign-out per service account');
	});
});

// ---- banner ----------------------------------------------------------------------------------

describe('banner', () => {
	it('text output starts with the banner; --json and --no-banner output does not', async () => {
		const h = home();
		const year = new Date().getFullYear();
		const text = await cli(h, [ 'auth', 'ls' ]);
		assert.ok(text.stdout.startsWith(`AXWAY CLI, version ${VERSION}\nCopyright (c) 2018-${year}, Axway, Inc. All Rights Reserved.\n\n`), text.stdout);

		const noBanner = await cli(h, [ 'auth', 'ls', '--no-banner' ]);
		assert.equal(noBanner.stdout, `No authenticated accounts.\n\nTokens are kept in ${h.storeFile} (file store, no OS keychain).\n`);

		const json = await cli(h, [ 'auth', 'ls', '--json' ]);
		assert.ok(!json.stdout.includes('AXWAY CLI'));

		const errJson = await cli(h, [ 'auth', 'switch', '--json' ], 1);
		assert.ok(errJson.stdout.startsWith('{'), errJson.stdout);

		const errNoBanner = await cli(h, [ 'auth', 'logout', '--no-banner' ], 1);
		assert.ok(!errNoBanner.stdout.includes('AXWAY CLI'));
		assert.ok(!errNoBanner.stderr.includes('AXWAY CLI'));

		await api().login(apiOptions(h, { clientId: SA.secret.clientId, clientSecret: SA.secret.clientSecret }));
		const loginJson = await cli(h, [ 'auth', 'login', ...secretLoginArgs, '--json' ]);
		assert.ok(loginJson.stdout.startsWith('{'), loginJson.stdout);
		const loginText = await cli(h, [ 'auth', 'whoami', '--no-banner' ]);
		assert.ok(loginText.stdout.startsWith('You are logged into a service account as '), loginText.stdout);
	});
});

// ---- npx -------------------------------------------------------------------------------------

describe('npx axway', () => {
	it('`npx --offline axway auth ls --json` works from a project that depends on the package', async () => {
		const h = home();
		const project = mkdtempSync(join(tmpdir(), 'axway-auth-npx-'));
		try {
			writeFileSync(join(project, 'package.json'), JSON.stringify({
				name: 'uses-axway-auth',
				version: '1.0.0',
				private: true,
				dependencies: { 'axway-auth': `file:${ROOT}` }
			}, null, 2));
			mkdirSync(join(project, 'node_modules', '.bin'), { recursive: true });
			symlinkSync(ROOT, join(project, 'node_modules', 'axway-auth'), 'dir');
			symlinkSync('../axway-auth/bin/axway.js', join(project, 'node_modules', '.bin', 'axway'));

			const r = await new Promise((resolve, reject) => {
				const child = spawn('npx', [ '--offline', 'axway', 'auth', 'ls', '--json' ], {
					cwd: project,
					env: {
						...process.env,
						HOME: h.home,
						USERPROFILE: h.home,
						NO_COLOR: '1',
						npm_config_offline: 'true',
						npm_config_update_notifier: 'false',
						npm_config_fund: 'false',
						npm_config_audit: 'false',
						npm_config_cache: join(h.home, '.npm')
					},
					stdio: [ 'ignore', 'pipe', 'pipe' ]
				});
				let stdout = '';
				let stderr = '';
				child.stdout.on('data', d => { stdout += d; });
				child.stderr.on('data', d => { stderr += d; });
				const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error('npx timed out')); }, 30_000);
				child.on('error', reject);
				child.on('close', code => { clearTimeout(timer); resolve({ code, stdout, stderr }); });
			});
			assert.equal(r.code, 0, `npx exited ${r.code}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`);
			assert.equal(r.stdout, '[]\n');
		} finally {
			rmSync(project, { recursive: true, force: true });
		}
	});
});
