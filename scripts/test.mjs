#!/usr/bin/env node
// `npm test`: builds the addon (release, as shipped), runs the Rust tests, then every
// `node --test` suite in __test__/. Set AXWAY_AUTH_SKIP_BUILD=1 to reuse the current build.
//
// The Rust tests and the suites run inside scripts/with-secret-service.sh (a private D-Bus
// session with an unlocked gnome-keyring), so the secure store is tested against a real Secret
// Service; keytar is built from source first, for the JS SDK compatibility tests. Without
// dbus-run-session / gnome-keyring they run as they are and the keychain tests skip, saying so.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Runs a step; a failed step stops the run, unless `keepGoing` (then the exit code is kept). */
let failed = 0;
function run(cmd, args, { keepGoing = false } = {}) {
	console.log(`\n$ ${cmd} ${args.join(' ')}`);
	const result = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: process.env });
	if (result.status !== 0) {
		console.error(`\n${cmd} ${args[0] ?? ''} failed (exit ${result.status ?? result.signal})`);
		failed = result.status || 1;
		if (!keepGoing) {
			process.exit(failed);
		}
	}
}

if (!process.env.AXWAY_AUTH_SKIP_BUILD) {
	run('npx', [ 'napi', 'build', '--platform', '--release', '--js', 'index.js', '--dts', 'index.d.ts' ]);
}

const secretService = spawnSync('sh', [ '-c', 'command -v dbus-run-session && command -v gnome-keyring-daemon' ], { stdio: 'ignore' }).status === 0;
if (!secretService) {
	console.warn('\nwarning: dbus-run-session or gnome-keyring-daemon is missing (apt-get install dbus gnome-keyring): the secure-store tests will skip');
}
/** `cmd args` inside the Secret Service session when there is one. */
const inSession = (cmd, args) => (secretService ? [ 'sh', [ join('scripts', 'with-secret-service.sh'), cmd, ...args ] ] : [ cmd, args ]);

const keytar = await import('./build-keytar.mjs').then(m => m.ensureKeytar());
if (!keytar.ok) {
	console.warn(`\nwarning: keytar could not be built (${keytar.reason}): the keytar compatibility tests will skip`);
}

run(...inSession('cargo', [ 'test', '--quiet' ]));
// Suites with timing limits or process storms run on their own afterwards, so the other
// suites' load cannot make a "fails in under 3 s" check or a 20-process burst flaky.
const ALONE = [ 'hardening.test.mjs', 'secure-store.test.mjs', 'stress.test.mjs' ];
const suites = readdirSync(join(root, '__test__'))
	.filter(f => f.endsWith('.test.mjs'))
	.sort();
const together = suites.filter(f => !ALONE.includes(f)).map(f => join('__test__', f));
const alone = suites.filter(f => ALONE.includes(f)).map(f => join('__test__', f));
run(...inSession(process.execPath, [ '--test', '--test-concurrency=2', '--test-timeout=180000', ...together ]), { keepGoing: true });
run(...inSession(process.execPath, [ '--test', '--test-concurrency=1', '--test-timeout=300000', ...alone ]), { keepGoing: true });
process.exit(failed);
