// The user's path, for real: `npm pack` axway-auth and this platform's addon package (with the
// addon `npm test` has just built), install both tarballs into a fresh project with
// `npm install --offline`, an empty npm cache and no Rust toolchain on PATH, then use it as a
// user would: `npx axway auth ls --json`, a service-account login against the local platform,
// `require('axway-auth')` and `import('axway-auth')`. Also: what a user sees when the addon
// package is missing or the platform has none.
//
//   node --test __test__/install.test.mjs      (or: npm run test:install)
//
// Packing is scripts/pack-test.mjs; it also runs alone and prints the tarballs' contents.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describePack, napiConfig, onPath, packPackages, userEnv } from '../scripts/pack-test.mjs';
import { startPlatform } from './platform/server.mjs';
import { SERVICE_ACCOUNTS } from './platform/seed.mjs';

const isWindows = process.platform === 'win32';
const SA = SERVICE_ACCOUNTS.secret;

let work;
let packed;
let platform;
let targets;

before(async () => {
	work = mkdtempSync(join(tmpdir(), 'axway-auth-install-'));
	const started = Date.now();
	// AXWAY_AUTH_INSTALL_TEST_NODE: test another build of this platform's addon (scripts/cross-build.sh).
	packed = await packPackages({ out: join(work, 'pack'), nodeFile: process.env.AXWAY_AUTH_INSTALL_TEST_NODE || undefined });
	console.log(`packed in ${Date.now() - started} ms`);
	console.log(describePack(packed.main));
	console.log(describePack(packed.platform));
	({ targets } = await napiConfig());
	platform = await startPlatform({ port: 0, quiet: true });
});

after(async () => {
	await platform?.close();
	if (work && !process.env.AXWAY_AUTH_KEEP_INSTALL_TEST) {
		rmSync(work, { recursive: true, force: true });
	}
});

/** Runs a command the way a user's shell would; resolves `{ code, stdout, stderr, ms }`. */
function run(cmd, args, { cwd, env, timeout = 120_000 }) {
	return new Promise((resolve, reject) => {
		const started = Date.now();
		// npm and npx are .cmd shims on Windows, which only a shell runs; node itself needs none.
		const child = spawn(cmd, args, { cwd, env, shell: isWindows && cmd !== process.execPath, stdio: [ 'ignore', 'pipe', 'pipe' ] });
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', d => { stdout += d; });
		child.stderr.on('data', d => { stderr += d; });
		const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`${cmd} ${args.join(' ')} timed out`)); }, timeout);
		child.on('error', reject);
		child.on('close', code => {
			clearTimeout(timer);
			resolve({ code, stdout, stderr, ms: Date.now() - started });
		});
	});
}

/**
 * A fresh project and HOME (config.json pointing at the local platform, file token store),
 * the environment a user without Rust has, and `npm install --offline` of `tarballs`.
 */
async function install(name, tarballs, npmArgs = []) {
	const project = join(work, name);
	const home = join(work, `${name}-home`);
	mkdirSync(project, { recursive: true });
	mkdirSync(join(home, '.axway', 'axway-cli'), { recursive: true });
	writeFileSync(join(project, 'package.json'), JSON.stringify({ name: `install-test-${name}`, version: '1.0.0', private: true }));
	writeFileSync(join(home, '.axway', 'axway-cli', 'config.json'), JSON.stringify({
		auth: { baseUrl: platform.baseUrl, platformUrl: platform.platformUrl, tokenStoreType: 'file' }
	}, null, 2));
	const env = userEnv({
		HOME: home,
		USERPROFILE: home,
		NO_COLOR: '1',
		DISPLAY: '',
		npm_config_cache: join(work, `${name}-npm-cache`), // empty: nothing comes from a cache
		npm_config_offline: 'true',
		npm_config_audit: 'false',
		npm_config_fund: 'false',
		npm_config_update_notifier: 'false'
	});
	const result = await run('npm', [ 'install', '--offline', ...npmArgs, ...tarballs ], { cwd: project, env });
	assert.equal(result.code, 0, `npm install failed:\n${result.stdout}\n${result.stderr}`);
	return { project, home, env, installMs: result.ms, output: result.stdout + result.stderr };
}

const npx = (p, args) => run('npx', [ '--offline', 'axway', ...args ], { cwd: p.project, env: p.env });
const nodeEval = (p, args) => run(process.execPath, args, { cwd: p.project, env: p.env });

describe('install from the packed tarballs', () => {
	let p;

	before(async () => {
		p = await install('user', [ packed.main.file, packed.platform.file ]);
		console.log(`npm install --offline of both tarballs: ${p.installMs} ms`);
	});

	it('runs without a Rust toolchain on PATH', () => {
		assert.equal(onPath('cargo', p.env), false);
		assert.equal(onPath('rustc', p.env), false);
		assert.equal(onPath('npm', p.env), true);
	});

	it('the main tarball holds only what users need, and lists every platform package', () => {
		const files = packed.main.files;
		for (const f of [ 'package.json', 'README.md', 'binding.js', 'index.js', 'index.d.ts', 'bin/axway.js', 'cli/main.js' ]) {
			assert.ok(files.includes(f), `${f} is in the tarball`);
		}
		const unexpected = files.filter(f => !/^(package\.json|README\.md|LICENSE|binding\.js|index\.js|index\.d\.ts|bin\/[^/]+\.js|(cli|lib)\/.+\.js)$/.test(f));
		assert.deepEqual(unexpected, []);
		const manifest = JSON.parse(readFileSync(join(p.project, 'node_modules', 'axway-auth', 'package.json'), 'utf8'));
		assert.deepEqual(Object.keys(manifest.optionalDependencies).sort(), targets.map(t => `axway-auth-${t.platformArchABI}`).sort());
		assert.ok(Object.values(manifest.optionalDependencies).every(v => v === packed.version));
		assert.deepEqual(packed.platform.files.sort(), [ 'README.md', `axway-auth.${packed.target.platformArchABI}.node`, 'package.json' ]);
	});

	it('installs the addon from the platform package, not from a local file', () => {
		const installed = readdirSync(join(p.project, 'node_modules', 'axway-auth'));
		assert.equal(installed.filter(f => f.endsWith('.node')).length, 0);
		assert.ok(existsSync(join(p.project, 'node_modules', `axway-auth-${packed.target.platformArchABI}`, `axway-auth.${packed.target.platformArchABI}.node`)));
	});

	it('npx axway auth ls --json prints []', async () => {
		const r = await npx(p, [ 'auth', 'ls', '--json' ]);
		assert.equal(r.code, 0, r.stderr);
		assert.deepEqual(JSON.parse(r.stdout), []);
	});

	it('npx axway --version prints the package version', async () => {
		const r = await npx(p, [ '--version' ]);
		assert.equal(r.code, 0, r.stderr);
		assert.equal(r.stdout.trim(), packed.version);
	});

	it('npx axway auth login with a service account, then ls and whoami see it', async () => {
		const login = await npx(p, [ 'auth', 'login', '--client-id', SA.clientId, '--client-secret', SA.clientSecret, '--json' ]);
		assert.equal(login.code, 0, `${login.stdout}\n${login.stderr}`);
		const account = JSON.parse(login.stdout);
		assert.equal(account.auth.clientId, SA.clientId);
		assert.ok(!login.stdout.includes(SA.clientSecret), 'no secret in --json output');
		assert.ok(existsSync(join(p.home, '.axway', 'axway-cli', '.tokenstore.v2')), 'the file token store was written');

		const ls = await npx(p, [ 'auth', 'ls', '--json' ]);
		assert.equal(ls.code, 0, ls.stderr);
		const accounts = JSON.parse(ls.stdout);
		assert.equal(accounts.length, 1);
		assert.equal(accounts[0].name, account.name);

		const whoami = await npx(p, [ 'auth', 'whoami', '--json' ]);
		assert.equal(whoami.code, 0, whoami.stderr);
		assert.deepEqual(JSON.parse(whoami.stdout).map(a => a.name), [ account.name ]);
	});

	it("require('axway-auth') works", async () => {
		const script = `
			const auth = require('axway-auth');
			auth.list().then(a => console.log(JSON.stringify({ fns: Object.keys(auth).filter(k => typeof auth[k] === 'function').sort(), accounts: a.map(x => x.auth.clientId) })));
		`;
		const r = await nodeEval(p, [ '-e', script ]);
		assert.equal(r.code, 0, r.stderr);
		const out = JSON.parse(r.stdout);
		for (const fn of [ 'list', 'login', 'logout', 'switch', 'whoami' ]) {
			assert.ok(out.fns.includes(fn), `require exports ${fn}`);
		}
		assert.deepEqual(out.accounts, [ SA.clientId ]);
	});

	it("import('axway-auth') works, with named exports", async () => {
		const script = `
			const mod = await import('axway-auth');
			const { list, login, whoami } = mod;
			const cjs = (await import('node:module')).createRequire(process.cwd() + '/')('axway-auth');
			const me = await whoami();
			console.log(JSON.stringify({
				named: [ list, login, whoami ].every(f => typeof f === 'function'),
				sameAsRequire: mod.default === cjs && Object.keys(cjs).every(k => mod[k] === cjs[k]),
				me: me && me.auth.clientId,
				accounts: (await list()).length
			}));
		`;
		const r = await nodeEval(p, [ '--input-type=module', '-e', script ]);
		assert.equal(r.code, 0, r.stderr);
		assert.deepEqual(JSON.parse(r.stdout), { named: true, sameAsRequire: true, me: SA.clientId, accounts: 1 });
	});

	it('ships the types: package.json types/exports point at index.d.ts', () => {
		const root = join(p.project, 'node_modules', 'axway-auth');
		const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
		assert.equal(manifest.types, 'index.d.ts');
		assert.equal(manifest.exports['.'].types, './index.d.ts');
		const dts = readFileSync(join(root, 'index.d.ts'), 'utf8');
		assert.match(dts, /export declare function login\(/);
		assert.match(dts, /export interface AuthOptions/);
	});

	it('logout removes the account', async () => {
		const r = await npx(p, [ 'auth', 'logout', '--json' ]);
		assert.equal(r.code, 0, r.stderr);
		const after = await npx(p, [ 'auth', 'ls', '--json' ]);
		assert.deepEqual(JSON.parse(after.stdout), []);
	});
});

describe('without a usable addon', () => {
	let p;

	before(async () => {
		// What npm does with --omit=optional (or npm bug 4828): the main package without its addon.
		p = await install('no-addon', [ packed.main.file ], [ '--omit=optional' ]);
	});

	it("require('axway-auth') names the platform and the missing package", async () => {
		const r = await nodeEval(p, [ '-e', "try { require('axway-auth') } catch (e) { console.log(JSON.stringify({ code: e.code, message: e.message })) }" ]);
		assert.equal(r.code, 0, r.stderr);
		const { code, message } = JSON.parse(r.stdout);
		assert.equal(code, 'ERR_ADDON_NOT_FOUND');
		assert.ok(message.includes(`(${packed.target.platformArchABI}, Node ${process.version})`), message);
		assert.ok(message.includes(`axway-auth-${packed.target.platformArchABI}@${packed.version}`), message);
		assert.match(message, /npm install/);
	});

	it('an unsupported platform gets a message listing the prebuilt ones and the way to build', async () => {
		const preload = join(work, 'fake-arch.cjs');
		writeFileSync(preload, "Object.defineProperty(process, 'arch', { value: 'riscv64' });\n");
		const r = await nodeEval(p, [ '-r', preload, '-e', "try { require('axway-auth') } catch (e) { console.log(e.message) }" ]);
		assert.equal(r.code, 0, r.stderr);
		const message = r.stdout.trim();
		assert.match(message, new RegExp(`no prebuilt native addon for this platform \\(${process.platform}-riscv64`));
		assert.ok(message.includes(`prebuilt addons exist for ${targets.map(t => t.platformArchABI).join(', ')}.`), message);
		assert.match(message, /Build from source/);
	});

	it('npx axway auth ls --json fails with exit 1 and a one-line JSON error', async () => {
		const r = await npx(p, [ 'auth', 'ls', '--json' ]);
		assert.equal(r.code, 1, r.stdout + r.stderr);
		const envelope = JSON.parse(r.stdout);
		assert.equal(envelope.code, 1);
		assert.match(envelope.result, /native addon/);
	});

	it('npx axway --help still works', async () => {
		const r = await npx(p, [ 'auth', '--help' ]);
		assert.equal(r.code, 2, r.stderr);
		assert.match(r.stdout + r.stderr, /login/);
	});
});
