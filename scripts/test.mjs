#!/usr/bin/env node
// `npm test`: builds the addon (release, as shipped), runs the Rust tests, then every
// `node --test` suite in __test__/. Set AXWAY_AUTH_SKIP_BUILD=1 to reuse the current build.
//
// First the Debian packages the tests need are installed when missing. The keychain tests
// (cargo's `#[ignore]`d ones) and the node suites run inside scripts/with-secret-service.sh (a
// private D-Bus session with an unlocked gnome-keyring), so the secure store is tested against a
// real Secret Service; keytar is built from source first, for the JS SDK compatibility tests.
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

// What the tests need from Debian (a real Secret Service, Chromium, a C toolchain for keytar,
// openssl for test certificates), installed from the registry when missing, so that
// `npm install && npm test` is the whole set-up on a fresh Debian machine (.ci/run calls this).
const DEBS = [ 'dbus', 'gnome-keyring', 'libsecret-1-dev', 'python3', 'make', 'g++', 'pkg-config', 'chromium', 'openssl', 'ca-certificates' ];
const missing = DEBS.filter(deb => spawnSync('dpkg-query', [ '-W', '-f=${Status}', deb ], { encoding: 'utf8' }).stdout?.includes('install ok installed') !== true);
if (missing.length && !process.env.AXWAY_AUTH_SKIP_APT) {
	const root = process.getuid?.() === 0;
	const apt = (...args) => (root ? run('apt-get', args) : run('sudo', [ 'apt-get', ...args ]));
	console.log(`\n== installing Debian packages the tests need: ${missing.join(' ')}`);
	apt('update', '-qq');
	process.env.DEBIAN_FRONTEND = 'noninteractive';
	apt('install', '-y', '-qq', '--no-install-recommends', ...missing);
}

if (!process.env.AXWAY_AUTH_SKIP_BUILD) {
	run('npx', [ 'napi', 'build', '--platform', '--release', '--js', 'index.js', '--dts', 'index.d.ts' ]);
}

/** `cmd args` inside a private Secret Service session (gnome-keyring on its own D-Bus). */
const inSession = (cmd, args) => [ 'sh', [ join('scripts', 'with-secret-service.sh'), cmd, ...args ] ];

const keytar = await import('./build-keytar.mjs').then(m => m.ensureKeytar());
if (!keytar.ok) {
	console.warn(`\nwarning: keytar could not be built (${keytar.reason}): the keytar compatibility tests will skip`);
}

// The core's tests without a session bus, then the keychain tests against the real Secret Service.
run('cargo', [ 'test', '--quiet' ]);
run(...inSession('cargo', [ 'test', '--quiet', '--', '--ignored' ]));
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
