#!/usr/bin/env node
// Builds keytar 7.9.0 (the JS SDK's keychain module, a devDependency through @axway/amplify-sdk)
// from source, offline: `node-gyp rebuild --nodedir=<Node's own headers>` inside
// node_modules/keytar, with npm's bundled node-gyp. Nothing is downloaded (.npmrc sets
// ignore-scripts, because keytar's install script fetches a prebuilt binary).
// Needs libsecret-1-dev, python3, make and g++ (.ci/run installs them).
//
//   node scripts/build-keytar.mjs        # no-op when already built
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const KEYTAR_DIR = join(root, 'node_modules', 'keytar');
export const KEYTAR_BINARY = join(KEYTAR_DIR, 'build', 'Release', 'keytar.node');

/** npm's own node-gyp (npm ships it), found next to the running node. */
function nodeGyp() {
	const candidates = [
		join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js')
	];
	const npmRoot = spawnSync('npm', [ 'root', '-g' ], { encoding: 'utf8' });
	if (npmRoot.status === 0) {
		candidates.push(join(npmRoot.stdout.trim(), 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
	}
	return candidates.find(existsSync);
}

/** The directory holding `include/node/node_api.h` for this Node (Debian/nodesource: /usr). */
function nodeDir() {
	const prefix = join(dirname(process.execPath), '..');
	return [ prefix, '/usr', '/usr/local' ].find(d => existsSync(join(d, 'include', 'node', 'node_api.h')));
}

/**
 * Builds keytar when it is not built yet. Returns `{ ok: true }` or `{ ok: false, reason }`.
 */
export function ensureKeytar({ quiet = false } = {}) {
	if (existsSync(KEYTAR_BINARY)) {
		return { ok: true };
	}
	if (!existsSync(KEYTAR_DIR)) {
		return { ok: false, reason: 'node_modules/keytar is not installed (run npm ci)' };
	}
	const gyp = nodeGyp();
	if (!gyp) {
		return { ok: false, reason: 'npm\'s bundled node-gyp was not found' };
	}
	const dir = nodeDir();
	if (!dir) {
		return { ok: false, reason: 'Node\'s headers (include/node/node_api.h) were not found' };
	}
	const result = spawnSync(process.execPath, [ gyp, 'rebuild', `--nodedir=${dir}` ], {
		cwd: KEYTAR_DIR,
		encoding: 'utf8',
		stdio: quiet ? 'pipe' : 'inherit'
	});
	if (result.status !== 0 || !existsSync(KEYTAR_BINARY)) {
		const tail = `${result.stdout || ''}${result.stderr || ''}`.trim().split('\n').slice(-5).join('\n');
		return { ok: false, reason: `node-gyp rebuild failed (is libsecret-1-dev installed?)${tail ? `:\n${tail}` : ''}` };
	}
	return { ok: true };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
	const outcome = ensureKeytar();
	if (!outcome.ok) {
		console.error(`keytar: ${outcome.reason}`);
		process.exit(1);
	}
	console.log(`keytar: ${KEYTAR_BINARY}`);
}
