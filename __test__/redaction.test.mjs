// No secret in any output, even with every log turned on: `axway auth` runs with `DEBUG=*` and
// `AXWAY_AUTH_LOG=trace` (the crate's most verbose level) through service-account logins
// (client secret, PEM key, platform tooling username/password), a browser login, listing with
// refreshes, whoami and logout; then stdout and stderr of every run are searched for every
// token, client secret, password, PEM line, session id and store key, read from the store itself.
//
//   scripts/with-secret-service.sh node --test __test__/redaction.test.mjs   (secure store)
//   node --test __test__/redaction.test.mjs                                  (file store)
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

import { decodeStoreFile, makeHome, runCli, seed, usePlatform } from './helpers/env.mjs';
import { loginInBrowser } from './helpers/browser.mjs';
import { LOGIN_URL_RE, spawnCli } from './helpers/chromium.mjs';
import { ensureKeytar } from '../scripts/build-keytar.mjs';

const require = createRequire(import.meta.url);
const SS = !!process.env.SECRET_SERVICE_TEST;
const SERVICE = 'Axway AMPLIFY Auth';
const { LOAD_SERVICE_ACCOUNTS: LOAD, SERVICE_ACCOUNTS, JWT_CLIENT_KEY, USERS } = seed;
const LOUD = { DEBUG: '*', AXWAY_AUTH_LOG: 'trace' };

let keytar = null;
if (SS && ensureKeytar({ quiet: true }).ok) {
	keytar = require('keytar');
}
const KIND = SS && keytar ? 'secure' : 'file';

const platform = usePlatform();

async function storeKey() {
	return KIND === 'file' ? Buffer.from('d4be0906bc9fae40', 'ascii') : Buffer.from(await keytar.getPassword(SERVICE, SERVICE), 'hex');
}

/** The store's records, decoded from the file. */
async function records(h) {
	const file = join(h.homeDir, 'axway-cli', KIND === 'secure' ? '.tokenstore.secure.v2' : '.tokenstore.v2');
	if (!existsSync(file)) {
		return [];
	}
	return decodeStoreFile(file, await storeKey());
}

/** Every secret value a record holds (tokens, persisted credentials, the platform sid). */
function secretsOf(record) {
	const found = [];
	const add = v => { if (typeof v === 'string' && v.length >= 8) { found.push(v); } };
	for (const value of Object.values(record.auth?.tokens ?? {})) {
		add(value);
	}
	add(record.auth?.clientSecret);
	add(record.auth?.password);
	add(record.sid);
	for (const line of String(record.auth?.secret ?? '').split(/\r?\n/)) {
		if (!line.startsWith('-----') && line.length >= 16) {
			add(line);
		}
	}
	return found;
}

describe(`nothing secret in the output with DEBUG=* AXWAY_AUTH_LOG=trace (${KIND} store)`, () => {
	it('login (secret, PEM, tooling, browser), ls with refreshes, whoami, logout', { timeout: 300_000 }, async t => {
		// every `auth ls` refreshes: the threshold is longer than any token lives
		const h = makeHome(platform, { tokenStoreType: KIND, tokenRefreshThreshold: 10_000_000 });
		const outputs = [];
		const secrets = new Map(); // value -> what it is
		const known = (value, what) => { if (value) { secrets.set(value, what); } };
		const collect = async () => {
			for (const record of await records(h)) {
				for (const value of secretsOf(record)) {
					known(value, `a stored secret of ${record.name}`);
				}
			}
			if (KIND === 'secure') {
				known(await keytar.getPassword(SERVICE, SERVICE), 'the secure store key');
			}
		};
		const run = async (args, { ok = true } = {}) => {
			const r = await runCli(args, { home: h, env: LOUD, timeout: 120_000 });
			outputs.push({ args: args.join(' '), text: `${r.stdout}\n${r.stderr}` });
			if (ok) {
				assert.equal(r.code, 0, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
			}
			await collect();
			return r;
		};

		known(LOAD[11].clientSecret, 'a client secret');
		known(LOAD[12].clientSecret, 'a client secret');
		known(USERS.alice.toolingPassword, 'a tooling password');
		known(USERS.bob.password, 'a user password');
		for (const line of readFileSync(JWT_CLIENT_KEY.pkcs8, 'utf8').split(/\r?\n/)) {
			if (line && !line.startsWith('-----') && line.length >= 16) {
				known(line, 'a PEM line');
			}
		}

		await run([ 'auth', 'login', '--client-id', LOAD[11].clientId, '--client-secret', LOAD[11].clientSecret ]);
		await run([ 'auth', 'login', '--client-id', SERVICE_ACCOUNTS.jwt.clientId, '--secret-file', JWT_CLIENT_KEY.pkcs8, '--json' ]);
		await run([ 'auth', 'login', '--client-id', LOAD[12].clientId, '--client-secret', LOAD[12].clientSecret,
			'--username', USERS.alice.email, '--password', USERS.alice.toolingPassword, '--json' ]);
		// a wrong secret: the error output must not echo it either
		known('definitely-wrong-secret-1234', 'a rejected client secret');
		await run([ 'auth', 'login', '--client-id', LOAD[13].clientId, '--client-secret', 'definitely-wrong-secret-1234' ], { ok: false });

		// a browser login (PKCE): the code verifier and the authorization code never show
		const cli = spawnCli([ 'auth', 'login', '--no-launch-browser' ], { home: h, env: LOUD });
		try {
			const [ , url ] = await cli.waitFor(LOGIN_URL_RE, { timeout: 30_000 });
			const page = await loginInBrowser(url, USERS.bob);
			known(new URL(page.url).searchParams.get('code'), 'the authorization code');
			const done = await cli.done;
			outputs.push({ args: 'auth login (browser)', text: `${done.stdout}\n${done.stderr}` });
			assert.equal(done.code, 0, done.stdout + done.stderr);
		} finally {
			cli.kill();
		}
		await collect();

		await run([ 'auth', 'ls' ]);
		await run([ 'auth', 'ls', '--json' ]);
		await run([ 'auth', 'whoami' ]);
		await run([ 'auth', 'whoami', '--json' ]);
		await run([ 'auth', 'logout', '--json' ]);

		const all = outputs.map(o => o.text).join('\n');
		assert.match(all, /axway_auth/, 'the crate\'s trace log was really on');
		const stored = [ ...secrets.values() ].filter(w => /stored secret/.test(w));
		assert.ok(stored.length >= 6, `tokens and stored secrets were collected (${secrets.size} values)`);
		const leaks = [];
		for (const [ value, what ] of secrets) {
			for (const { args, text } of outputs) {
				if (text.includes(value)) {
					leaks.push(`${what} in the output of \`axway ${args}\``);
				}
			}
		}
		t.diagnostic(`redaction: ${outputs.length} runs, ${all.split('\n').length} output lines, ${secrets.size} secret values searched, ${leaks.length} found`);
		assert.deepEqual(leaks, []);
		h.cleanup();
	});
});
