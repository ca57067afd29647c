// Bad input, through the API and through the command: wrong credentials, bad key files, an
// unreachable or misbehaving identity server, a corrupt token store, a broken config.
//
//   node --test __test__/bad-input.test.mjs
//
// Every case must give a one-line message, a stable `err.code` (distinct per kind of problem),
// exit code 1 from the command (`errorCode` in the `--json` envelope), must not leak the client
// secret, and must leave the token store file byte for byte as it was (an account is logged in
// first so there is something to lose).

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

import { api, apiOptions, makeHome, runCli, seed, startPlatform } from './helpers/env.mjs';

const { SERVICE_ACCOUNTS: SA, JWT_CLIENT_KEY } = seed;
const WRONG_SECRET = 'wrong-secret-7f3a9c1e5b';
const TIMEOUT_MS = 1500;

let platform;
const homes = [];
/** kind of problem -> the set of codes seen for it */
const observed = new Map();

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

/** A fresh home with the client-secret account logged in (unless `login: false`). */
async function home({ login = true, authConfig } = {}) {
	const h = makeHome(platform, authConfig);
	homes.push(h);
	if (login) {
		await api().login(apiOptions(h, { clientId: SA.secret.clientId, clientSecret: SA.secret.clientSecret }));
		assert.ok(h.store(), 'the store file exists after the first login');
	}
	return h;
}

const secretArgs = (secret = SA.secret.clientSecret, clientId = SA.secret.clientId) => [ 'auth', 'login', '--client-id', clientId, '--client-secret', secret ];
const jwtArgs = file => [ 'auth', 'login', '--client-id', SA.jwt.clientId, '--secret-file', file ];

const sameBytes = (a, b) => (a === null || b === null ? a === b : a.equals(b));

/** A port on 127.0.0.1 that nothing listens on. */
async function closedPort() {
	const server = createServer();
	await new Promise(resolve => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address();
	await new Promise(resolve => server.close(resolve));
	return port;
}

function assertOneLine(text, what) {
	assert.equal(typeof text, 'string', `${what} is a string`);
	assert.ok(text.length > 0, `${what} is not empty`);
	assert.ok(!text.includes('\n'), `${what} is one line: ${JSON.stringify(text)}`);
}

function assertNoSecret(text, what) {
	for (const secret of [ SA.secret.clientSecret, WRONG_SECRET ]) {
		assert.ok(!text.includes(secret), `${what} contains a client secret: ${text}`);
	}
}

/**
 * Runs one bad-input case three ways (API, command in text mode, command with --json) and checks
 * the common contract. `arm()` runs before each of the three (e.g. to set a one-shot fault).
 * @returns {Promise<Error>} the API error
 */
async function expectFailure(h, { kind, code, call, args, env = {}, arm = () => {}, includes = [], maxMs = 8000 }) {
	const snapshot = h.store();
	const timed = async fn => {
		const start = Date.now();
		const result = await fn();
		const ms = Date.now() - start;
		assert.ok(ms < maxMs, `took ${ms} ms (limit ${maxMs} ms)`);
		return result;
	};

	// the API
	arm();
	const err = await timed(() => call().then(value => assert.fail(`resolved instead of failing: ${JSON.stringify(value)?.slice(0, 300)}`), e => e));
	assert.ok(err instanceof Error, `an Error: ${err}`);
	assert.equal(err.code, code, `err.code for: ${err.message}`);
	assertOneLine(err.message, 'err.message');
	assertNoSecret(err.message, 'err.message');
	for (const part of includes) {
		assert.ok(err.message.includes(part), `message mentions ${part}: ${err.message}`);
	}
	assert.ok(sameBytes(h.store(), snapshot), 'the store file is unchanged after the API call');

	// the command, text mode: one red line on stderr, exit 1
	arm();
	const text = await timed(() => runCli(args, { home: h, env }));
	assert.equal(text.code, 1, `axway ${args.join(' ')} exits 1\nstdout:\n${text.stdout}\nstderr:\n${text.stderr}`);
	const stderrLines = text.stderr.replace(/\n$/, '').split('\n');
	assert.equal(stderrLines.length, 1, `one line on stderr:\n${text.stderr}`);
	assert.match(stderrLines[0], /^✖ \w*Error: \S/);
	for (const part of includes) {
		assert.ok(stderrLines[0].includes(part), `stderr mentions ${part}: ${stderrLines[0]}`);
	}
	assertNoSecret(text.stdout + text.stderr, 'the command output');
	assert.ok(sameBytes(h.store(), snapshot), 'the store file is unchanged after the command');

	// the command, --json: the envelope on stdout, exit 1
	arm();
	const json = await timed(() => runCli([ ...args, '--json' ], { home: h, env }));
	assert.equal(json.code, 1, `axway ${args.join(' ')} --json exits 1\nstdout:\n${json.stdout}\nstderr:\n${json.stderr}`);
	assert.ok(json.json, `the --json error is JSON on stdout:\n${json.stdout}`);
	assert.equal(json.json.code, 1);
	assert.equal(json.json.errorCode, code);
	assertOneLine(json.json.result, 'the envelope result');
	assert.match(json.json.result, /^\w*Error: \S/);
	assertNoSecret(json.stdout + json.stderr, 'the --json output');
	assert.ok(sameBytes(h.store(), snapshot), 'the store file is unchanged after the --json command');

	if (!observed.has(kind)) {
		observed.set(kind, new Set());
	}
	observed.get(kind).add(err.code);
	return err;
}

// ---- credentials -----------------------------------------------------------------------------

describe('bad credentials', () => {
	it('wrong client secret → ERR_AUTH_FAILED', async () => {
		const h = await home();
		const err = await expectFailure(h, {
			kind: 'auth-failed',
			code: 'ERR_AUTH_FAILED',
			call: () => api().login(apiOptions(h, { clientId: SA.secret.clientId, clientSecret: WRONG_SECRET })),
			args: secretArgs(WRONG_SECRET)
		});
		assert.ok(!err.message.includes(WRONG_SECRET));
	});

	it('wrong client secret with --force on the logged-in account → ERR_AUTH_FAILED, account kept', async () => {
		const h = await home();
		await expectFailure(h, {
			kind: 'auth-failed',
			code: 'ERR_AUTH_FAILED',
			call: () => api().login(apiOptions(h, { clientId: SA.secret.clientId, clientSecret: WRONG_SECRET, force: true })),
			args: [ ...secretArgs(WRONG_SECRET), '--force' ]
		});
		const accounts = await api().list(apiOptions(h, { validate: false }));
		assert.equal(accounts.length, 1);
	});

	it('unknown client id → ERR_AUTH_FAILED', async () => {
		const h = await home();
		await expectFailure(h, {
			kind: 'auth-failed',
			code: 'ERR_AUTH_FAILED',
			call: () => api().login(apiOptions(h, { clientId: 'DOSA_00000000000000000000000000000000', clientSecret: SA.secret.clientSecret })),
			args: secretArgs(SA.secret.clientSecret, 'DOSA_00000000000000000000000000000000')
		});
	});
});

// ---- key files -------------------------------------------------------------------------------

describe('bad secret files', () => {
	it('missing secret file → ERR_SECRET_FILE_NOT_FOUND', async () => {
		const h = await home();
		const file = join(h.home, 'no-such-key.pem');
		await expectFailure(h, {
			kind: 'secret-file-missing',
			code: 'ERR_SECRET_FILE_NOT_FOUND',
			call: () => api().login(apiOptions(h, { clientId: SA.jwt.clientId, secretFile: file })),
			args: jwtArgs(file),
			includes: [ file ]
		});
	});

	it('secret file is a directory → ERR_INVALID_FILE', async () => {
		const h = await home();
		await expectFailure(h, {
			kind: 'secret-file-not-a-file',
			code: 'ERR_INVALID_FILE',
			call: () => api().login(apiOptions(h, { clientId: SA.jwt.clientId, secretFile: h.home })),
			args: jwtArgs(h.home)
		});
	});

	it('secret file is not a PEM → ERR_INVALID_PEM', async () => {
		const h = await home();
		const file = join(h.home, 'not-a-key.txt');
		writeFileSync(file, 'this is not a private key\nreally not\n');
		await expectFailure(h, {
			kind: 'secret-file-not-pem',
			code: 'ERR_INVALID_PEM',
			call: () => api().login(apiOptions(h, { clientId: SA.jwt.clientId, secretFile: file })),
			args: jwtArgs(file)
		});
		// the public key is a PEM, but not a private key: still refused before any request
		const requestsBefore = platform.state().tokenRequests.length;
		const err = await api().login(apiOptions(h, { clientId: SA.jwt.clientId, secretFile: JWT_CLIENT_KEY.publicKey })).then(() => null, e => e);
		assert.ok(err, 'a public key is refused');
		assertOneLine(err.message, 'err.message');
		assert.equal(typeof err.code, 'string');
		assert.equal(platform.state().tokenRequests.length, requestsBefore, 'no token request with a bad key');
	});
});

// ---- the identity server ---------------------------------------------------------------------

describe('unreachable or misbehaving identity server', () => {
	it('unreachable base URL (closed port) → ERR_UNREACHABLE', async () => {
		const h = await home();
		const baseUrl = `http://127.0.0.1:${await closedPort()}`;
		await expectFailure(h, {
			kind: 'unreachable',
			code: 'ERR_UNREACHABLE',
			call: () => api().login(apiOptions(h, { baseUrl, clientId: SA.secret.clientId, clientSecret: SA.secret.clientSecret })),
			args: [ ...secretArgs(), '--base-url', baseUrl ]
		});
	});

	it('a token endpoint that never answers → ERR_TIMEOUT, well under 10 s', async () => {
		const h = await home();
		await expectFailure(h, {
			kind: 'timeout',
			code: 'ERR_TIMEOUT',
			arm: () => platform.fault('token', 'hang'),
			call: () => api().login(apiOptions(h, { clientId: SA.secret.clientId, clientSecret: SA.secret.clientSecret, force: true, requestTimeout: TIMEOUT_MS })),
			args: [ ...secretArgs(), '--force' ],
			env: { AXWAY_AUTH_REQUEST_TIMEOUT_MS: String(TIMEOUT_MS) },
			maxMs: 6000
		});
	});

	for (const mode of [ 'html', '500', 'badjson' ]) {
		it(`token endpoint answers ${mode} → ERR_BAD_RESPONSE`, async () => {
			const h = await home();
			await expectFailure(h, {
				kind: 'bad-response',
				code: 'ERR_BAD_RESPONSE',
				arm: () => platform.fault('token', mode),
				call: () => api().login(apiOptions(h, { clientId: SA.secret.clientId, clientSecret: SA.secret.clientSecret, force: true })),
				args: [ ...secretArgs(), '--force' ]
			});
		});
	}
});

// ---- local files -----------------------------------------------------------------------------

describe('corrupt or invalid local files', () => {
	it('a corrupt token store → ERR_STORE_CORRUPT on list and login; the file is kept as is', async () => {
		const h = await home();
		const garbage = 'deadbeef'.repeat(12);
		const v1Before = readFileSync(h.v1StoreFile);
		writeFileSync(h.storeFile, garbage);

		await expectFailure(h, {
			kind: 'store-corrupt',
			code: 'ERR_STORE_CORRUPT',
			call: () => api().list(apiOptions(h)),
			args: [ 'auth', 'ls' ],
			includes: [ h.storeFile ]
		});
		// login refuses instead of overwriting the file (with and without --force)
		await expectFailure(h, {
			kind: 'store-corrupt',
			code: 'ERR_STORE_CORRUPT',
			call: () => api().login(apiOptions(h, { clientId: SA.jwt.clientId, secretFile: JWT_CLIENT_KEY.pkcs8 })),
			args: jwtArgs(JWT_CLIENT_KEY.pkcs8),
			includes: [ h.storeFile ]
		});
		await expectFailure(h, {
			kind: 'store-corrupt',
			code: 'ERR_STORE_CORRUPT',
			call: () => api().login(apiOptions(h, { clientId: SA.secret.clientId, clientSecret: SA.secret.clientSecret, force: true })),
			args: [ ...secretArgs(), '--force' ],
			includes: [ h.storeFile ]
		});
		assert.ok(existsSync(h.storeFile), 'the corrupt file is not deleted');
		assert.equal(h.store().toString('utf8'), garbage, 'the corrupt file is unchanged');
		assert.ok(existsSync(h.v1StoreFile) && readFileSync(h.v1StoreFile).equals(v1Before), 'the v1 store file is kept as is too');
	});

	it('an invalid config.json → ERR_CONFIG_INVALID', async () => {
		const h = await home();
		writeFileSync(h.configFile, '{ "auth": { "tokenStoreType": "file", ');
		await expectFailure(h, {
			kind: 'config-invalid',
			code: 'ERR_CONFIG_INVALID',
			call: () => api().list(apiOptions(h)),
			args: [ 'auth', 'ls' ]
		});
		await expectFailure(h, {
			kind: 'config-invalid',
			code: 'ERR_CONFIG_INVALID',
			call: () => api().login(apiOptions(h, { clientId: SA.jwt.clientId, secretFile: JWT_CLIENT_KEY.pkcs8 })),
			args: jwtArgs(JWT_CLIENT_KEY.pkcs8)
		});
	});

	it('an unknown tokenStoreType ("File") → ERR_INVALID_ARGUMENT', async () => {
		const h = await home();
		const config = h.config();
		writeFileSync(h.configFile, JSON.stringify({ ...config, auth: { ...config.auth, tokenStoreType: 'File' } }, null, 2));
		await expectFailure(h, {
			kind: 'invalid-argument',
			code: 'ERR_INVALID_ARGUMENT',
			call: () => api().list(apiOptions(h)),
			args: [ 'auth', 'ls' ],
			includes: [ 'File' ]
		});
		await expectFailure(h, {
			kind: 'invalid-argument',
			code: 'ERR_INVALID_ARGUMENT',
			call: () => api().login(apiOptions(h, { clientId: SA.jwt.clientId, secretFile: JWT_CLIENT_KEY.pkcs8 })),
			args: jwtArgs(JWT_CLIENT_KEY.pkcs8)
		});
	});
});

// ---- nothing to act on -----------------------------------------------------------------------

describe('nothing logged in', () => {
	it('switch with no accounts → ERR_NOT_FOUND', async () => {
		const h = await home({ login: false });
		await expectFailure(h, {
			kind: 'not-found',
			code: 'ERR_NOT_FOUND',
			call: () => api().switch(apiOptions(h)),
			args: [ 'auth', 'switch' ]
		});
		assert.equal(h.store(), null, 'no store file was created');
	});
});

// ---- codes -----------------------------------------------------------------------------------

describe('error codes', () => {
	it('each kind of problem has its own code, and one code per kind', () => {
		const expected = {
			'auth-failed': 'ERR_AUTH_FAILED',
			'secret-file-missing': 'ERR_SECRET_FILE_NOT_FOUND',
			'secret-file-not-a-file': 'ERR_INVALID_FILE',
			'secret-file-not-pem': 'ERR_INVALID_PEM',
			unreachable: 'ERR_UNREACHABLE',
			timeout: 'ERR_TIMEOUT',
			'bad-response': 'ERR_BAD_RESPONSE',
			'store-corrupt': 'ERR_STORE_CORRUPT',
			'config-invalid': 'ERR_CONFIG_INVALID',
			'invalid-argument': 'ERR_INVALID_ARGUMENT',
			'not-found': 'ERR_NOT_FOUND'
		};
		const seen = Object.fromEntries([ ...observed ].map(([ kind, codes ]) => [ kind, [ ...codes ].join('|') ]));
		assert.deepEqual(seen, expected, 'every case ran and gave exactly one code per kind');
		const codes = Object.values(seen);
		assert.equal(new Set(codes).size, codes.length, `the codes are all different: ${codes.join(', ')}`);
	});
});
