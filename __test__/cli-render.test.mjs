// Unit tests of the `axway auth` shim's pure pieces (tables, durations, redaction, banner, arg
// parsing, error envelope) and of the commands against a fake API and fake
// streams. No native addon, no network: `node --test __test__/cli-render.test.mjs`.

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { Writable, PassThrough } from 'node:stream';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const { run, parseCommandLine } = require('../cli/main.js');
const { renderTable, formatDuration, renderAccountList, renderBanner, renderAccountInfo, renderLoggedIn, textWidth } = require('../cli/render.js');
const { errorEnvelope, errorLines, CliError } = require('../cli/errors.js');
const { createStyle, colorEnabled } = require('../cli/style.js');
const { isHeadless, resolveEnv, authConfigSpecifier } = require('../cli/environment.js');

const plain = createStyle(false);
const NOW = 1_700_000_000_000;

// ---------------------------------------------------------------------------------------------
// fixtures and harness

function platformAccount(over = {}) {
	return {
		auth: {
			authenticator: 'PKCE',
			baseUrl: 'http://127.0.0.1:8555',
			clientId: 'test_client',
			env: 'prod',
			expires: { access: NOW + 30 * 60e3, refresh: NOW + 119e3 },
			realm: 'Broker',
			tokens: { access_token: 'AT-SECRET', refresh_token: 'RT-SECRET', id_token: 'IDT-SECRET', expires_in: 1800, token_type: 'bearer', scope: 'openid' }
		},
		hash: 'test_client:abc',
		name: 'test_client:foo@bar.com',
		org: {
			guid: '1000', id: 100, name: 'Foo org', region: 'US',
			teams: [
				{ guid: '60000', name: 'A Team', users: [ { guid: 'u1', roles: [ 'administrator' ] } ] },
				{ guid: '60001', name: 'B Team', users: [] }
			]
		},
		orgs: [ { default: true, guid: '1000', id: 100, name: 'Foo org' }, { default: false, guid: '2000', id: 200, name: 'Bar org' } ],
		user: { email: 'foo@bar.com', guid: 'u1', firstName: 'Foo', lastName: 'Bar' },
		isPlatform: true,
		roles: [ 'administrator' ],
		team: { default: true, guid: '60000', name: 'A Team', roles: [ 'administrator' ], tags: [] },
		sid: 'SID-SECRET',
		default: true,
		...over
	};
}

function serviceAccount(over = {}) {
	return {
		auth: {
			authenticator: 'ClientSecret',
			baseUrl: 'http://127.0.0.1:8555',
			clientId: 'test_client',
			env: 'prod',
			expires: { access: NOW + 119e3, refresh: null },
			realm: 'Broker',
			tokens: { access_token: 'AT2-SECRET', expires_in: 119, token_type: 'bearer' },
			clientSecret: 'CS-SECRET',
			secret: 'PEM-SECRET',
			username: 'USER-SECRET',
			password: 'PW-SECRET'
		},
		hash: 'test_client:def',
		name: 'test_client:service@bar.com',
		org: { guid: undefined, name: undefined },
		orgs: [],
		user: { email: 'service@bar.com' },
		isPlatform: false,
		default: false,
		...over
	};
}

class Sink extends Writable {
	constructor(isTTY = false) {
		super();
		this.data = '';
		this.isTTY = isTTY;
	}
	_write(chunk, _enc, cb) {
		this.data += chunk.toString();
		cb();
	}
}

function fakeStdin({ isTTY = false, input } = {}) {
	const s = new PassThrough();
	s.isTTY = isTTY;
	if (input !== undefined) {
		s.end(input);
	}
	return s;
}

/** Runs the CLI in-process with a fake API; returns { code, stdout, stderr, calls }. */
async function cli(argv, { api = {}, stdin, env = {}, headless = false, config = {}, isTTY = false } = {}) {
	const stdout = new Sink(isTTY);
	const stderr = new Sink(isTTY);
	const calls = [];
	const wrapped = {};
	for (const [ name, fn ] of Object.entries(api)) {
		wrapped[name] = async opts => {
			calls.push([ name, opts ]);
			return fn(opts);
		};
	}
	// synchronous, not recorded: what the core's loginPlan answers from the flags alone
	wrapped.loginPlan = api.loginPlan || (opts => ({
		authenticator: opts.clientSecret ? 'ClientSecret' : opts.secretFile ? 'SignedJWT' : 'PKCE',
		password: !!opts.password
	}));
	const code = await run(argv, {
		stdout,
		stderr,
		stdin: stdin || fakeStdin(),
		env,
		api: wrapped,
		config,
		isHeadless: () => headless,
		now: () => NOW,
		version: '9.9.9',
		year: 2030
	});
	return { code, stdout: stdout.data, stderr: stderr.data, calls };
}

const BANNER = 'AXWAY CLI, version 9.9.9\nCopyright (c) 2018-2030, Axway, Inc. All Rights Reserved.\n\n';

// ---------------------------------------------------------------------------------------------

describe('table layout (spec 1.9)', () => {
	test('two-space separator, no borders, upper-cased headers, padded cells', () => {
		const out = renderTable([ 'Name', 'Id' ], [ [ 'a', 1 ], [ 'longer', 22 ] ]);
		assert.equal(out, 'NAME    ID\na       1 \nlonger  22');
	});

	test('without a header row, null cells are empty', () => {
		assert.equal(renderTable([], [ [ 'x', null ], [ 'yy', 'z' ] ]), 'x    \nyy  z');
	});

	test('ANSI colours do not count towards the width; ✔ is one column', () => {
		const green = createStyle(true).green;
		const out = renderTable([ 'A', 'B' ], [ [ green('✔ x'), 'y' ] ]);
		assert.equal(out, `A    B\n${green('✔ x')}  y`);
		assert.equal(textWidth('✔ x'), 3);
		assert.equal(textWidth('日本'), 4);
	});

	test('the spec 1.3 example table, exactly', () => {
		const accounts = [
			platformAccount(),
			serviceAccount()
		];
		const expected = [
			'ACCOUNT NAME                   ORGANIZATION   CURRENT TEAM    REGION  TYPE      EXPIRES',
			'✔ test_client:foo@bar.com      Foo org (100)  A Team (60000)  US      Platform  1m 59s ',
			'  test_client:service@bar.com  n/a            n/a             US      Service   1m 59s '
		].join('\n');
		assert.equal(renderAccountList(accounts, { style: plain, now: NOW }), expected);
	});

	test('list cells: org without id, region from org, expiry from access when refresh is null', () => {
		const a = serviceAccount({ org: { name: 'Solo', region: 'EU' }, auth: { expires: { access: NOW + 3_599_999, refresh: null } } });
		const line = renderAccountList([ a ], { style: plain, now: NOW }).split('\n')[1];
		assert.equal(line, '  test_client:service@bar.com  Solo          n/a           EU      Service  59m 59s');
	});
});

describe('durations (pretty-ms, 0 decimals)', () => {
	const cases = [
		[ 0, '0ms' ],
		[ 0.4, '1ms' ],
		[ 450, '450ms' ],
		[ 999, '999ms' ],
		[ 1000, '1s' ],
		[ 1999, '1s' ],
		[ 119_000, '1m 59s' ],
		[ 119_999, '1m 59s' ],
		[ 120_000, '2m' ],
		[ 29 * 60e3 + 3000, '29m 3s' ],
		[ 2 * 3600e3 - 1, '1h 59m 59s' ],
		[ 3600e3, '1h' ],
		[ 86400e3 + 3600e3, '1d 1h' ],
		[ 366 * 86400e3, '1y 1d' ],
		[ -61_000, '-1m 1s' ]
	];
	for (const [ ms, expected ] of cases) {
		test(`${ms} -> ${expected}`, () => assert.equal(formatDuration(ms), expected));
	}
	test('non-numbers', () => {
		assert.equal(formatDuration(NaN), 'n/a');
		assert.equal(formatDuration(undefined), 'n/a');
	});
});

describe('no secrets in output', () => {
	// What an account may show is the core's rule (Exposure in src/account.rs, with its unit
	// tests; redaction.test.mjs checks real output): the command asks for accounts without
	// tokens, persisted secrets or the session id in every call, and prints what it gets.
	test('every command asks the core for accounts without tokens', async () => {
		const seen = [];
		const asked = (name, result) => async options => {
			seen.push([ name, options && options.exposure ]);
			return result;
		};
		const api = {
			list: asked('list', [ platformAccount(), serviceAccount() ]),
			whoami: asked('whoami', [ platformAccount(), serviceAccount() ]),
			logout: asked('logout', [ platformAccount(), serviceAccount() ]),
			login: asked('login', serviceAccount()),
			loginPlan: () => ({ authenticator: 'ClientSecret', password: false }),
			switch: asked('switch', platformAccount())
		};
		const runs = [
			[ 'auth', 'ls', '--json' ],
			[ 'auth', 'whoami', '--json' ],
			[ 'auth', 'logout', '--json' ],
			[ 'auth', 'login', '--json', '--client-id', 'x', '--client-secret', 'CS-SECRET' ],
			[ 'auth', 'switch', '--json', '--account', 'test_client:foo@bar.com', '--org', '1000' ]
		];
		for (const argv of runs) {
			const r = await cli(argv, { api });
			assert.equal(r.code, 0, argv.join(' '));
			JSON.parse(r.stdout);
		}
		assert.ok(seen.length >= runs.length);
		for (const [ name, exposure ] of seen) {
			assert.equal(exposure, 'noTokens', `${name} asked for noTokens`);
		}
	});
});

describe('banner', () => {
	test('format; env title for non-prod envs', () => {
		assert.equal(renderBanner({ version: '1.2.3', style: plain, year: 2030 }), 'AXWAY CLI, version 1.2.3\nCopyright (c) 2018-2030, Axway, Inc. All Rights Reserved.\n\n');
		assert.match(renderBanner({ version: '1', env: 'staging', envTitle: 'Staging', style: plain, year: 2030 }), /^AXWAY CLI, version 1 STAGING\n/);
		assert.deepEqual(resolveEnv('development'), { name: 'dev', title: 'Development' });
		assert.deepEqual(resolveEnv(undefined, { env: 'preprod' }), { name: 'preprod', title: 'PreProduction' });
		assert.deepEqual(resolveEnv(undefined, {}), { name: 'prod', title: 'Production' });
	});

	test('shown before text output, never with --json or --no-banner', async () => {
		const api = { list: async () => [] };
		const text = await cli([ 'auth', 'ls' ], { api });
		assert.equal(text.stdout, `${BANNER}No authenticated accounts.\n`);
		const json = await cli([ 'auth', 'ls', '--json' ], { api });
		assert.equal(json.stdout, '[]\n');
		const noBanner = await cli([ '--no-banner', 'auth', 'list' ], { api });
		assert.equal(noBanner.stdout, 'No authenticated accounts.\n');
		const jsonError = await cli([ 'auth', 'ls', '--json' ], { api: { list: async () => { throw Object.assign(new Error('boom'), { code: 'ERR_X' }); } } });
		assert.ok(jsonError.stdout.startsWith('{'));
	});

	test('the banner env comes from --env, else config `env`', async () => {
		const home = mkdtempSync(join(tmpdir(), 'axway-cli-test-'));
		try {
			mkdirSync(join(home, '.axway', 'axway-cli'), { recursive: true });
			writeFileSync(join(home, '.axway', 'axway-cli', 'config.json'), JSON.stringify({ env: 'staging' }));
			const stdout = new Sink();
			await run([ 'auth', 'ls' ], { stdout, stderr: new Sink(), stdin: fakeStdin(), env: {}, homeDir: home, api: { list: async () => [] }, version: '1', year: 2030 });
			assert.match(stdout.data, /^AXWAY CLI, version 1 STAGING\n/);
			const stdout2 = new Sink();
			await run([ '--env', 'prod', 'auth', 'ls' ], { stdout: stdout2, stderr: new Sink(), stdin: fakeStdin(), env: {}, homeDir: home, api: { list: async () => [] }, version: '1', year: 2030 });
			assert.match(stdout2.data, /^AXWAY CLI, version 1\n/);
		} finally {
			rmSync(home, { recursive: true, force: true });
		}
	});

	test('colours only on a TTY without --no-color / NO_COLOR', () => {
		assert.equal(colorEnabled({ env: {}, stdout: { isTTY: true } }), true);
		assert.equal(colorEnabled({ env: {}, stdout: { isTTY: false } }), false);
		assert.equal(colorEnabled({ noColor: true, env: {}, stdout: { isTTY: true } }), false);
		assert.equal(colorEnabled({ env: { NO_COLOR: '1' }, stdout: { isTTY: true } }), false);
		assert.equal(colorEnabled({ env: { FORCE_COLOR: '1' }, stdout: { isTTY: false } }), true);
	});
});

describe('argument parsing', () => {
	test('list / ls, global options anywhere', () => {
		assert.deepEqual(parseCommandLine([ 'auth', 'ls', '--json' ]), { command: 'list', options: { json: true } });
		assert.deepEqual(parseCommandLine([ '--no-banner', 'auth', 'list', '--no-colors', '--env', 'staging', '--base-url', 'http://x', '--realm', 'R' ]),
			{ command: 'list', options: { noBanner: true, noColor: true, env: 'staging', baseUrl: 'http://x', realm: 'R' } });
	});

	test('login flags, short aliases and optional values', () => {
		assert.deepEqual(parseCommandLine([ 'auth', 'login' ]), { command: 'login', options: { launchBrowser: true } });
		assert.deepEqual(
			parseCommandLine([ 'auth', 'login', '--force', '--json', '--no-launch-browser', '--client-id', 'cid', '-c', 'sec', '-p', 'pw', '-u', 'me@x.com' ]),
			{ command: 'login', options: { force: true, json: true, launchBrowser: false, clientId: 'cid', clientSecret: 'sec', password: 'pw', username: 'me@x.com' } }
		);
		assert.deepEqual(parseCommandLine([ 'auth', 'login', '-s', '/k.pem', '--username', '--json' ]).options,
			{ secretFile: '/k.pem', username: '', json: true, launchBrowser: true });
		assert.deepEqual(parseCommandLine([ 'auth', 'login', '--client-secret=x', '--password=-dash' ]).options,
			{ clientSecret: 'x', password: '-dash', launchBrowser: true });
		assert.equal(parseCommandLine([ 'auth', 'login', '-u' ]).options.username, '');
	});

	test('logout / revoke with variadic accounts', () => {
		assert.deepEqual(parseCommandLine([ 'auth', 'logout' ]), { command: 'logout', options: { accounts: [] } });
		assert.deepEqual(parseCommandLine([ 'auth', 'revoke', 'a', 'b', '--json' ]), { command: 'logout', options: { accounts: [ 'a', 'b' ], json: true } });
	});

	test('switch', () => {
		assert.deepEqual(parseCommandLine([ 'auth', 'switch', '--account', 'a', '--org', 'o', '--team', 't', '--json' ]),
			{ command: 'switch', options: { account: 'a', org: 'o', team: 't', json: true } });
		assert.deepEqual(parseCommandLine([ 'auth', 'switch', '--account' ]).options, { account: '' });
	});

	test('whoami [account-name] and the hidden server-info', () => {
		assert.deepEqual(parseCommandLine([ 'auth', 'whoami' ]), { command: 'whoami', options: {} });
		assert.deepEqual(parseCommandLine([ 'auth', 'whoami', 'foo', '--json' ]), { command: 'whoami', options: { accountName: 'foo', json: true } });
		assert.deepEqual(parseCommandLine([ 'auth', 'server-info', '--realm', 'R' ]), { command: 'server-info', options: { realm: 'R' } });
	});

	test('help and version', () => {
		assert.deepEqual(parseCommandLine([ 'auth' ]), { command: null, options: {}, help: true });
		assert.deepEqual(parseCommandLine([]), { command: null, options: {}, help: true });
		assert.equal(parseCommandLine([ 'auth', 'login', '--help' ]).help, true);
		assert.equal(parseCommandLine([ 'auth', 'ls', '-h' ]).command, 'list');
		assert.equal(parseCommandLine([ '-v' ]).version, true);
	});

	test('usage errors', () => {
		const usage = (argv, message) => assert.throws(() => parseCommandLine(argv), err => {
			assert.equal(err.message, message);
			assert.equal(err.showHelp, true);
			assert.equal(err.code, 'ERR_INVALID_ARGUMENT');
			return true;
		});
		usage([ 'auth', 'nope' ], 'Unknown command "nope"');
		usage([ 'config', 'ls' ], 'Unknown command "config"');
		usage([ 'auth', 'ls', '--force' ], 'Unknown option "--force"');
		usage([ 'auth', 'ls', 'extra' ], 'Unexpected argument "extra"');
		usage([ 'auth', 'whoami', 'a', 'b' ], 'Unexpected argument "b"');
		usage([ 'auth', 'ls', '--env' ], 'Missing value for option "--env"');
		usage([ 'auth', 'ls', '--json=yes' ], 'Option "--json" does not take a value');
	});

	test('exit codes: help 2 on stdout, usage error 1 with help on stderr', async () => {
		const help = await cli([ 'auth', 'switch', '--help' ]);
		assert.equal(help.code, 2);
		assert.match(help.stdout, /USAGE: axway auth switch \[options\]/);
		assert.match(help.stdout, /--org \[guid\|id\|name\]/);
		assert.equal(help.stderr, '');
		const group = await cli([ 'auth' ]);
		assert.equal(group.code, 2);
		assert.match(group.stdout, /ls, list/);
		assert.doesNotMatch(group.stdout, /server-info|revoke|--base-url|--env/);
		const bad = await cli([ 'auth', 'ls', '--bogus' ]);
		assert.equal(bad.code, 1);
		assert.match(bad.stderr, /^✖ Error: Unknown option "--bogus"\n\nDisplays a list/);
		const badJson = await cli([ 'auth', 'ls', '--bogus', '--json' ]);
		assert.equal(badJson.code, 1);
		assert.deepEqual(JSON.parse(badJson.stdout), { code: 1, result: 'Error: Unknown option "--bogus"', errorCode: 'ERR_INVALID_ARGUMENT' });
		const version = await cli([ '--version' ]);
		assert.deepEqual([ version.code, version.stdout ], [ 0, '9.9.9\n' ]);
	});
});

describe('whoami', () => {
	// The matching itself is the core's (src/auth/select.rs, with its unit tests): the command
	// asks for every match and shows the one marked default.
	const whoamiApi = accounts => ({
		whoami: async ({ accountName, all }) => {
			assert.equal(all, true, 'the command asks for every match');
			return accountName ? accounts.filter(a => a.name.includes(accountName)) : accounts;
		}
	});

	test('text output: default account first, not-logged-in texts, exit 0', async () => {
		const api = whoamiApi([ serviceAccount(), platformAccount() ]);
		const r = await cli([ '--no-banner', 'auth', 'whoami' ], { api });
		assert.equal(r.code, 0);
		assert.equal(r.stdout.split('\n')[0], 'You are logged into a platform account in organization Foo org (1000) as foo@bar.com.');
		const none = await cli([ '--no-banner', 'auth', 'whoami', 'zzz(' ], { api });
		assert.deepEqual([ none.code, none.stdout ], [ 0, 'The account zzz( is not logged in.\n' ]);
		const empty = await cli([ '--no-banner', 'auth', 'whoami' ], { api: whoamiApi([]) });
		assert.deepEqual([ empty.code, empty.stdout ], [ 0, 'You are not logged in.\n' ]);
		const json = await cli([ 'auth', 'whoami', 'zzz(', '--json' ], { api });
		assert.deepEqual([ json.code, json.stdout ], [ 0, '[]\n' ]);
	});
});

describe('error rendering', () => {
	test('JSON envelope: code, "Error: <message>", detail, errorCode', () => {
		const err = Object.assign(new Error('Failed to authenticate'), { code: 'ERR_AUTH_FAILED' });
		assert.deepEqual(errorEnvelope(err), { code: 1, result: 'Error: Failed to authenticate', errorCode: 'ERR_AUTH_FAILED' });
		const typed = Object.assign(new TypeError('bad'), { detail: 'more', exitCode: 3 });
		assert.deepEqual(errorEnvelope(typed), { code: 3, result: 'TypeError: bad', detail: 'more' });
		assert.deepEqual(Object.keys(errorEnvelope(new CliError('x', { code: 'C', detail: 'd' }))), [ 'code', 'result', 'detail', 'errorCode' ]);
	});

	test('text lines: ✖ prefix, trimmed lines, blank line before detail', () => {
		const err = new CliError('You must be logged into a platform account\n\nTo login, run: axway auth login  ', { detail: 'a\nb' });
		assert.deepEqual(errorLines(err, plain), [
			'✖ Error: You must be logged into a platform account',
			'',
			'To login, run: axway auth login',
			'',
			'a',
			'b'
		]);
		assert.deepEqual(errorLines(new Error('x'), createStyle(true)), [ '\x1b[31m✖ Error: x\x1b[39m' ]);
	});

	test('API errors: text on stderr exit 1; JSON on stdout exit 1', async () => {
		const api = { list: async () => { throw Object.assign(new Error('The token store is corrupt'), { code: 'ERR_STORE_CORRUPT' }); } };
		const text = await cli([ 'auth', 'ls' ], { api });
		assert.equal(text.code, 1);
		assert.equal(text.stderr, '✖ Error: The token store is corrupt\n');
		assert.equal(text.stdout, BANNER);
		const json = await cli([ 'auth', 'ls', '--json' ], { api });
		assert.equal(json.code, 1);
		assert.equal(json.stdout, `${JSON.stringify({ code: 1, result: 'Error: The token store is corrupt', errorCode: 'ERR_STORE_CORRUPT' }, null, 2)}\n`);
		assert.equal(json.stderr, '');
	});
});

describe('account-info block (spec 1.8)', () => {
	test('region line, orgs, roles and teams tables', () => {
		const out = renderAccountInfo(platformAccount(), { style: plain });
		assert.equal(out, [
			'The current region is set to US.',
			'',
			'ORGANIZATION  GUID  ORG ID',
			'✔ Foo org     1000  100   ',
			'  Bar org     2000  200   ',
			'',
			'"FOO ORG" ROLES  DESCRIPTION    TYPE',
			'  administrator  administrator  n/a ',
			'',
			'"FOO ORG" TEAMS  GUID   ROLE         ',
			'✔ A Team         60000  administrator',
			'  B Team         60001  n/a          '
		].join('\n'));
	});

	test('config region wins; role catalogue entries describe roles; service account is just the region', () => {
		const out = renderAccountInfo(platformAccount({ roles: [ { id: 'administrator', name: 'Administrator', default: true } ] }), { style: plain, region: 'EU' });
		assert.match(out, /^The current region is set to EU\./);
		assert.match(out, / {2}administrator {2}Administrator {2}Platform/);
		assert.equal(renderAccountInfo(serviceAccount(), { style: plain }), 'The current region is set to US.');
	});

	test('logged-in lines', () => {
		assert.equal(renderLoggedIn(serviceAccount(), plain, { already: true }), 'You are already logged into a service account as service@bar.com.');
		assert.equal(renderLoggedIn(platformAccount(), plain), 'You are logged into a platform account in organization Foo org (1000) as foo@bar.com.');
	});
});

describe('commands against a fake API', () => {
	test('list: passes only the given common options and validate:true', async () => {
		const r = await cli([ '--no-banner', '--env', 'staging', 'auth', 'ls', '--realm', 'R' ], { api: { list: async () => [ platformAccount(), serviceAccount() ] } });
		assert.equal(r.code, 0);
		assert.deepEqual(r.calls, [ [ 'list', { exposure: 'noTokens', env: 'staging', realm: 'R', validate: true } ] ]);
		assert.match(r.stdout, /^ACCOUNT NAME {19}ORGANIZATION/);
	});

	test('login (service): text output and the default-account hint', async () => {
		const login = async () => serviceAccount();
		const r = await cli([ 'auth', 'login', '--client-id', 'test_client', '--client-secret', 'shh' ], { api: { login } });
		assert.equal(r.code, 0);
		assert.equal(r.stdout, `${BANNER}You are logged into a service account as service@bar.com.\nThe current region is set to US.\n\nTo make this account the default, run:\n  axway config set auth.defaultAccount test_client:service@bar.com\n`);
		const opts = r.calls[0][1];
		assert.equal(opts.clientId, 'test_client');
		assert.equal(opts.clientSecret, 'shh');
		assert.equal(opts.launchBrowser, true);
		assert.equal(opts.force, false);
		assert.equal(typeof opts.onOpenBrowser, 'function');

		const staging = await cli([ '--no-banner', 'auth', 'login', '-c', 'x' ], { api: { login: async () => serviceAccount({ auth: { env: 'staging' } }) } });
		assert.match(staging.stdout, /axway config set auth\.environment\.staging\.defaultAccount test_client:service@bar\.com\n$/);
		const def = await cli([ '--no-banner', 'auth', 'login', '-c', 'x' ], { api: { login: async () => serviceAccount({ default: true }) } });
		assert.match(def.stdout, /\n\nThis account has been set as the default\.\n$/);
	});

	test('login: already authenticated exits 0', async () => {
		const login = async () => { throw Object.assign(new Error('Account already authenticated'), { code: 'EAUTHENTICATED', account: platformAccount() }); };
		const r = await cli([ '--no-banner', 'auth', 'login', '-c', 'x' ], { api: { login } });
		assert.equal(r.code, 0);
		assert.match(r.stdout, /^You are already logged into a platform account in organization Foo org \(1000\) as foo@bar\.com\.\nThe current region/);
		const j = await cli([ 'auth', 'login', '-c', 'x', '--json' ], { api: { login } });
		assert.equal(j.code, 0);
		assert.equal(JSON.parse(j.stdout).name, 'test_client:foo@bar.com');
	});

	test('login: --username needs a secret; --json cannot prompt; a platform login asks the core for the device login when headless', async () => {
		const login = async () => serviceAccount();
		const noSecret = await cli([ '--no-banner', 'auth', 'login', '-u', 'me' ], { api: { login } });
		assert.equal(noSecret.code, 1);
		assert.equal(noSecret.stderr, '✖ Error: Username/password can only be specified when using --client-secret or --secret-file\n');

		const jsonPrompt = await cli([ 'auth', 'login', '-c', 'x', '-u', 'me', '--json' ], { api: { login } });
		assert.equal(jsonPrompt.code, 1);
		assert.equal(jsonPrompt.stdout, '');
		assert.deepEqual(JSON.parse(jsonPrompt.stderr), { error: '--username and --password are required when --json is set' });
		assert.equal(jsonPrompt.calls.length, 0);

		// issue 11: no refusal; the core picks the device login (or shows the link) when headless
		const headless = await cli([ '--no-banner', 'auth', 'login' ], { api: { login }, headless: true });
		assert.equal(headless.code, 0, headless.stderr);
		assert.equal(headless.calls[0][1].device, 'auto');
		assert.equal((await cli([ 'auth', 'login', '--device' ], { api: { login } })).calls[0][1].device, true);
		const svc = await cli([ 'auth', 'login', '-s', '/k.pem' ], { api: { login }, headless: true });
		assert.deepEqual([ svc.code, svc.calls[0][1].device ], [ 0, false ]);
		const noLaunch = await cli([ 'auth', 'login', '--no-launch-browser' ], { api: { login }, headless: true });
		assert.deepEqual([ noLaunch.code, noLaunch.calls[0][1].device ], [ 0, false ]);
		const svcDevice = await cli([ '--no-banner', 'auth', 'login', '-s', '/k.pem', '--device' ], { api: { login } });
		assert.deepEqual([ svcDevice.code, svcDevice.calls.length ], [ 1, 0 ]);
		assert.match(svcDevice.stderr, /--device and --org are for platform users/);
	});

	test('login: prompts for username and hidden password from stdin', async () => {
		const stdin = fakeStdin({ input: '\nme@x.com\nsecret\n' });
		const r = await cli([ '--no-banner', 'auth', 'login', '-c', 'x', '--username' ], { api: { login: async () => serviceAccount() }, stdin });
		assert.equal(r.code, 0, r.stderr);
		assert.equal(r.calls[0][1].username, 'me@x.com');
		assert.equal(r.calls[0][1].password, 'secret');
		assert.ok(r.stdout.startsWith('Username: \nPlease enter your username\nUsername: \nPassword: \n\nYou are logged into'), JSON.stringify(r.stdout));
		assert.ok(!r.stdout.includes('secret'));
	});

	test('login --no-launch-browser: the URL goes to stdout, or to stderr with --json', async () => {
		const login = async opts => {
			opts.onOpenBrowser({ url: 'http://127.0.0.1:3000/auth?x=1' });
			return platformAccount();
		};
		const text = await cli([ '--no-banner', 'auth', 'login', '--no-launch-browser' ], { api: { login } });
		assert.ok(text.stdout.startsWith('Please open following link in your browser:\n\n  http://127.0.0.1:3000/auth?x=1\n\nYou are logged into'));
		assert.equal(text.calls[0][1].launchBrowser, false);
		const json = await cli([ 'auth', 'login', '--no-launch-browser', '--json' ], { api: { login } });
		assert.equal(json.stderr, 'Please open following link in your browser:\n\n  http://127.0.0.1:3000/auth?x=1\n\n');
		assert.equal(JSON.parse(json.stdout).name, 'test_client:foo@bar.com');
	});

	test('logout: all / named, hints, errors, JSON exit 0 when empty', async () => {
		const revoked = [ { ...platformAccount(), revoked: 'server' }, { ...serviceAccount(), revoked: 'local' } ];
		const all = await cli([ '--no-banner', 'auth', 'logout' ], { api: { logout: async () => revoked } });
		assert.equal(all.code, 0);
		assert.deepEqual([ all.calls[0][1].all, all.calls[0][1].accounts ], [ true, [] ]);
		assert.equal(all.stdout, 'Revoked authenticated accounts:\n test_client:foo@bar.com (revoked at the server)\n test_client:service@bar.com (removed locally)\n');

		const named = await cli([ '--no-banner', 'auth', 'revoke', 'nope' ], { api: { logout: async () => [] } });
		assert.deepEqual([ named.calls[0][1].all, named.calls[0][1].accounts ], [ false, [ 'nope' ] ]);
		assert.deepEqual([ named.code, named.stderr ], [ 1, '✖ Error: No account "nope" found\n' ]);
		const none = await cli([ '--no-banner', 'auth', 'logout' ], { api: { logout: async () => [] } });
		assert.deepEqual([ none.code, none.stderr ], [ 1, '✖ Error: No authenticated accounts found\n' ]);
		const json = await cli([ 'auth', 'logout', '--json' ], { api: { logout: async () => [] } });
		assert.deepEqual([ json.code, json.stdout ], [ 0, '[]\n' ]);
	});

	test('switch: JSON mode prints only the JSON', async () => {
		const api = { list: async () => [ platformAccount() ], switch: async () => platformAccount() };
		const r = await cli([ 'auth', 'switch', '--json', '--org', '1000' ], { api });
		assert.equal(r.code, 0);
		assert.deepEqual(JSON.parse(r.stdout).name, 'test_client:foo@bar.com');
		assert.deepEqual(r.calls[1], [ 'switch', { exposure: 'noTokens', account: 'test_client:foo@bar.com', org: '1000', team: undefined, onOpenBrowser: r.calls[1][1].onOpenBrowser } ]);
	});

	test('switch: text output; errors for no accounts / --json / no terminal', async () => {
		const api = { list: async () => [ platformAccount(), serviceAccount() ], switch: async () => platformAccount() };
		const text = await cli([ '--no-banner', 'auth', 'switch', '--account', 'test_client:foo@bar.com', '--team', 'A Team' ], { api });
		assert.equal(text.code, 0);
		assert.match(text.stdout, /^Default account set to foo@bar\.com in Foo org \(1000\)\nThe current region is set to US\.\n\nORGANIZATION/);

		const none = await cli([ '--no-banner', 'auth', 'switch' ], { api: { list: async () => [] } });
		assert.deepEqual([ none.code, none.stderr ], [ 1, '✖ Error: No authenticated accounts found\n' ]);
		const multiJson = await cli([ 'auth', 'switch', '--json' ], { api });
		assert.equal(JSON.parse(multiJson.stdout).result, 'Error: Must specify --account when --json is set and there are multiple authenticated accounts');
		const noOrg = await cli([ 'auth', 'switch', '--json', '--account', 'test_client:foo@bar.com' ], { api });
		assert.equal(JSON.parse(noOrg.stdout).result, 'Error: Must specify --org when --json is set');
		// a service account has no org to choose: --json works without --org
		const svc = await cli([ 'auth', 'switch', '--json', '--account', 'test_client:service@bar.com' ], { api });
		assert.equal(svc.code, 0);
		const noTty = await cli([ '--no-banner', 'auth', 'switch' ], { api });
		assert.equal(noTty.stderr, '✖ Error: Must specify --account when stdin is not a terminal and there are multiple authenticated accounts\n');
		const headless = await cli([ '--no-banner', 'auth', 'switch', '--account', 'test_client:foo@bar.com', '--org', 'Other org' ], { api, headless: true });
		assert.match(headless.stderr, /requires a web browser and is unsupported in headless environments/);
		// issue 11: making a platform account the default (same org) needs no browser
		const headlessDefault = await cli([ '--no-banner', 'auth', 'switch', '--account', 'test_client:foo@bar.com' ], { api, headless: true });
		assert.equal(headlessDefault.code, 0, headlessDefault.stderr);
	});

	test('switch: numbered account select on a terminal', async () => {
		const api = { list: async () => [ platformAccount({ default: false }), serviceAccount({ default: true }) ], switch: async () => serviceAccount() };
		const stdin = fakeStdin({ isTTY: true });
		const pending = cli([ '--no-banner', 'auth', 'switch' ], { api, stdin });
		setTimeout(() => stdin.write('\r'), 20);
		const r = await pending;
		assert.equal(r.code, 0, r.stderr);
		// terminal-mode readline adds cursor control sequences
		const shown = r.stdout.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '').replace(/\r/g, '');
		assert.match(shown, /^Please choose an account\n {2}1\) test_client:foo@bar\.com\n {2}2\) test_client:service@bar\.com\nEnter a number \[2\]: \n\nDefault account set to service@bar\.com\n/);
		assert.equal(r.calls[1][1].account, 'test_client:service@bar.com');
	});

	test('server-info prints the raw document', async () => {
		const doc = { issuer: 'http://x/auth/realms/Broker', token_endpoint: 'http://x/token' };
		const r = await cli([ 'auth', 'server-info' ], { api: { serverInfo: async () => doc } });
		assert.deepEqual([ r.code, r.stdout ], [ 0, `${JSON.stringify(doc, null, 2)}\n` ]);
	});
});

describe('environment helpers', () => {
	test('headless detection (spec 1.2)', () => {
		const noCgroup = () => '0::/\n';
		assert.equal(isHeadless({ platform: 'linux', env: { DISPLAY: ':0' }, readFile: noCgroup }), false);
		assert.equal(isHeadless({ platform: 'linux', env: {}, readFile: noCgroup }), true);
		assert.equal(isHeadless({ platform: 'linux', env: { DISPLAY: ':0', SSH_TTY: '/dev/pts/0' }, readFile: noCgroup }), true);
		assert.equal(isHeadless({ platform: 'linux', env: { DISPLAY: ':0' }, readFile: () => '1:name=systemd:/docker/abc' }), true);
		assert.equal(isHeadless({ platform: 'linux', env: { DISPLAY: ':0' }, readFile: () => { throw new Error('EACCES'); } }), false);
		assert.equal(isHeadless({ platform: 'darwin', env: {} }), false);
		assert.equal(isHeadless({ platform: 'darwin', env: { SSH_TTY: 'x' } }), true);
		assert.equal(isHeadless({ platform: 'win32', env: {} }), false);
	});

	test('config specifier', () => {
		assert.equal(authConfigSpecifier('prod'), 'auth');
		assert.equal(authConfigSpecifier(undefined), 'auth');
		assert.equal(authConfigSpecifier('staging'), 'auth.environment.staging');
	});
});

describe('start-up cost', () => {
	test('`auth ls --json` loads no renderer, help or prompt module', async () => {
		const { spawnSync } = await import('node:child_process');
		const script = `
			const Module = require('module');
			const seen = [];
			const orig = Module._load;
			Module._load = function (request, parent, isMain) { seen.push(request); return orig.apply(this, arguments); };
			require('./cli/main.js').run(['auth', 'ls', '--json'], { api: { list: async () => [] }, stdout: { write() {}, isTTY: false }, stderr: { write() {} }, env: {} })
				.then(code => { process.stdout.write(JSON.stringify({ code, seen })); });
		`;
		const r = spawnSync(process.execPath, [ '-e', script ], { cwd: new URL('..', import.meta.url).pathname, encoding: 'utf8' });
		const { code, seen } = JSON.parse(r.stdout);
		assert.equal(code, 0);
		for (const mod of [ './render', './help', './prompt', './environment', 'node:readline', '../index.js' ]) {
			assert.ok(!seen.includes(mod), `${mod} was loaded: ${seen.join(', ')}`);
		}
		assert.ok(seen.includes('./commands/list.js'));
		assert.ok(!seen.includes('./commands/login.js'));
	});
});

describe('error codes', () => {
	test('every code the JS side raises is in the ErrorCode type of index.d.ts', async () => {
		const { readFileSync, readdirSync } = await import('node:fs');
		const root = join(dirname(fileURLToPath(import.meta.url)), '..');
		const header = readFileSync(join(root, 'types', 'header.d.ts'), 'utf8');
		const files = [ 'binding.js', 'lib/sdk.js', ...readdirSync(join(root, 'cli')).filter(f => f.endsWith('.js')).map(f => `cli/${f}`),
			...readdirSync(join(root, 'cli', 'commands')).map(f => `cli/commands/${f}`) ];
		let seen = 0;
		for (const file of files) {
			const text = readFileSync(join(root, file), 'utf8');
			for (const [ , code ] of text.matchAll(/'(ERR_[A-Z_]+)'/g)) {
				if (code.startsWith('ERR_PARSE_ARGS_')) {
					continue; // Node's own parseArgs codes, which the command turns into usage errors
				}
				seen++;
				assert.ok(header.includes(`'${code}'`), `${code} (${file}) is not in ErrorCode`);
			}
		}
		assert.ok(seen > 5);
	});
});
