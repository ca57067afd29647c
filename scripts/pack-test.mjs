#!/usr/bin/env node
// Packs axway-auth the way a release publishes it, for the install-from-tarball test
// (__test__/install.test.mjs) and by hand:
//
//   node scripts/pack-test.mjs [--out DIR] [--node FILE] [--target linux-arm64-gnu]
//
// makes two tarballs in DIR (default: a new temp dir):
//   * axway-auth-<version>.tgz: `npm pack` of this checkout (package.json `files`), plus the
//     `optionalDependencies` that `napi prepublish -t npm` adds at publish time (one
//     `axway-auth-<platform>` per napi target, same version). They are not in the committed
//     package.json: while those packages are unpublished, `npm ci` would fail on them;
//   * axway-auth-<platform>-<version>.tgz: `npm/<platform>/` (made by `napi create-npm-dirs`)
//     with this machine's addon, by default `./axway-auth.<platform>.node` from `napi build`.
//
// Nothing in the checkout is modified: both packages are staged in DIR.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const isWindows = process.platform === 'win32';

/** Runs a command, throws with its output on failure, returns stdout. */
export function exec(cmd, args, { cwd = ROOT, env = process.env, timeout = 300_000 } = {}) {
	const result = spawnSync(cmd, args, { cwd, env, encoding: 'utf8', timeout, shell: isWindows, maxBuffer: 64 * 1024 * 1024 });
	if (result.status !== 0) {
		throw new Error(`${cmd} ${args.join(' ')} (in ${cwd}) failed: ${result.error?.message ?? `exit ${result.status ?? result.signal}`}\n${result.stdout ?? ''}\n${result.stderr ?? ''}`);
	}
	return result.stdout;
}

/** package.json's napi config as @napi-rs/cli reads it: `{ packageName, binaryName, targets }`. */
export async function napiConfig() {
	const { readNapiConfig } = await import('@napi-rs/cli');
	return readNapiConfig(join(ROOT, 'package.json'));
}

/** The napi target this Node runs on (`linux-x64-gnu`, `darwin-arm64`, ...), or null. */
export function hostTarget(targets) {
	let abi = null;
	if (process.platform === 'linux') {
		const musl = !process.report?.getReport?.().header?.glibcVersionRuntime;
		abi = musl ? 'musl' : 'gnu';
	} else if (process.platform === 'win32') {
		abi = 'msvc';
	}
	return targets.find(t => t.platform === process.platform && t.arch === process.arch && (t.abi || null) === abi) || null;
}

/** `npm pack` in `dir`; returns `{ file, size, unpackedSize, entryCount, files }`. */
function npmPack(dir, dest) {
	const [ info ] = JSON.parse(exec('npm', [ 'pack', '--json', '--ignore-scripts', '--pack-destination', dest ], { cwd: dir }));
	const file = join(dest, info.filename);
	return { file, size: statSync(file).size, unpackedSize: info.unpackedSize, entryCount: info.entryCount, files: info.files.map(f => f.path) };
}

/**
 * Stages and packs both packages into `out`. Returns `{ version, target, main, platform }`,
 * where `main` and `platform` are what `npmPack` returns.
 */
export async function packPackages({ out, nodeFile, target: targetName } = {}) {
	const { packageName, binaryName, targets } = await napiConfig();
	const target = targetName ? targets.find(t => t.platformArchABI === targetName || t.triple === targetName) : hostTarget(targets);
	if (!target) {
		throw new Error(`no napi target in package.json for ${targetName || `${process.platform}-${process.arch}`}`);
	}
	const addon = nodeFile || join(ROOT, `${binaryName}.${target.platformArchABI}.node`);
	if (!existsSync(addon)) {
		throw new Error(`${addon} does not exist: build it first (npm run build)`);
	}
	out = out || mkdtempSync(join(tmpdir(), 'axway-auth-pack-'));
	mkdirSync(out, { recursive: true });
	const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

	// The main package: exactly the files `npm pack` takes from the checkout, then the
	// optionalDependencies napi prepublish would add.
	const [ dry ] = JSON.parse(exec('npm', [ 'pack', '--dry-run', '--json', '--ignore-scripts' ]));
	const mainStage = join(out, 'stage-main');
	for (const { path } of dry.files) {
		mkdirSync(dirname(join(mainStage, path)), { recursive: true });
		copyFileSync(join(ROOT, path), join(mainStage, path));
	}
	const manifest = JSON.parse(readFileSync(join(mainStage, 'package.json'), 'utf8'));
	manifest.optionalDependencies = Object.fromEntries(targets.map(t => [ `${packageName}-${t.platformArchABI}`, pkg.version ]));
	writeFileSync(join(mainStage, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);

	// The platform package: npm/<platform>/ plus the addon.
	const platformDir = join(ROOT, 'npm', target.platformArchABI);
	const platformStage = join(out, `stage-${target.platformArchABI}`);
	mkdirSync(platformStage, { recursive: true });
	for (const f of [ 'package.json', 'README.md' ]) {
		copyFileSync(join(platformDir, f), join(platformStage, f));
	}
	const platformManifest = JSON.parse(readFileSync(join(platformStage, 'package.json'), 'utf8'));
	if (platformManifest.version !== pkg.version) {
		throw new Error(`npm/${target.platformArchABI}/package.json has version ${platformManifest.version}, the root ${pkg.version}: run napi version`);
	}
	copyFileSync(addon, join(platformStage, basename(platformManifest.main)));

	const tarballs = join(out, 'tarballs');
	mkdirSync(tarballs, { recursive: true });
	return {
		version: pkg.version,
		target,
		main: npmPack(mainStage, tarballs),
		platform: npmPack(platformStage, tarballs)
	};
}

/**
 * `process.env` as a user without Rust has it: less the PATH dirs holding cargo/rustc/rustup,
 * CARGO and RUSTUP variables, npm script variables (npm_...), AXWAY_... and NAPI_RS_... (a loader override).
 */
export function userEnv(extra = {}) {
	const exe = isWindows ? '.exe' : '';
	const sep = isWindows ? ';' : ':';
	const pathKey = Object.keys(process.env).find(k => k.toUpperCase() === 'PATH') || 'PATH';
	const dirs = (process.env[pathKey] || '').split(sep).filter(d => d
		&& !existsSync(join(d, `cargo${exe}`))
		&& !existsSync(join(d, `rustc${exe}`))
		&& !existsSync(join(d, `rustup${exe}`)));
	const env = {};
	for (const [ k, v ] of Object.entries(process.env)) {
		if (/^(npm_|CARGO|RUSTUP|RUSTC|AXWAY_|NAPI_RS_)/i.test(k) || k === 'INIT_CWD' || k === pathKey) {
			continue;
		}
		env[k] = v;
	}
	env[pathKey] = dirs.join(sep);
	return { ...env, ...extra };
}

/** Whether `name` can be found on `env`'s PATH. */
export function onPath(name, env) {
	const pathKey = Object.keys(env).find(k => k.toUpperCase() === 'PATH');
	const exts = isWindows ? [ '.exe', '.cmd', '' ] : [ '' ];
	return (env[pathKey] || '').split(isWindows ? ';' : ':').some(d => d && exts.some(e => existsSync(join(d, name + e))));
}

const KB = n => `${(n / 1024).toFixed(1)} KiB`;
export const describePack = p => `${basename(p.file)}: ${KB(p.size)} packed, ${KB(p.unpackedSize)} unpacked, ${p.entryCount} files`;

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	const arg = name => {
		const i = process.argv.indexOf(name);
		return i > 0 ? process.argv[i + 1] : undefined;
	};
	const started = Date.now();
	const packed = await packPackages({
		out: arg('--out') && resolve(arg('--out')),
		nodeFile: arg('--node') && resolve(arg('--node')),
		target: arg('--target')
	});
	console.log(describePack(packed.main));
	for (const f of packed.main.files) {
		console.log(`  ${f}`);
	}
	console.log(describePack(packed.platform));
	console.log(`packed in ${Date.now() - started} ms; tarballs in ${dirname(packed.main.file)}`);
}
