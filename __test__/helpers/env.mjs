// Shared test helpers: a local platform per suite, throw-away home directories, and the
// `axway` command run as a child process exactly as users run it.
import { spawn } from 'node:child_process';
import { createDecipheriv } from 'node:crypto';
import { after, before } from 'node:test';
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

import { startPlatform } from '../platform/server.mjs';

export { startPlatform };
export * as seed from '../platform/seed.mjs';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = join(ROOT, 'bin', 'axway.js');
const require = createRequire(import.meta.url);

/** The native addon, loaded as users load it. */
export const api = () => require(ROOT);

/**
 * A fresh HOME with `~/.axway/axway-cli/config.json` pointing at the platform.
 * Returns `{ home, homeDir, configFile, storeFile, config(), cleanup() }`.
 */
export function makeHome(platform, authConfig = {}, extra = {}) {
	const home = mkdtempSync(join(tmpdir(), 'axway-auth-test-'));
	const homeDir = join(home, '.axway');
	const configFile = join(homeDir, 'axway-cli', 'config.json');
	mkdirSync(dirname(configFile), { recursive: true });
	const auth = platform
		? { baseUrl: platform.baseUrl, platformUrl: platform.platformUrl, tokenStoreType: 'file', ...authConfig }
		: { tokenStoreType: 'file', ...authConfig };
	writeFileSync(configFile, JSON.stringify({ ...extra, auth }, null, 2));
	return {
		home,
		homeDir,
		configFile,
		storeFile: join(homeDir, 'axway-cli', '.tokenstore.v2'),
		v1StoreFile: join(homeDir, '.tokenstore'),
		config: () => JSON.parse(readFileSync(configFile, 'utf8')),
		store: () => (existsSync(join(homeDir, 'axway-cli', '.tokenstore.v2')) ? readFileSync(join(homeDir, 'axway-cli', '.tokenstore.v2')) : null),
		cleanup: () => rmSync(home, { recursive: true, force: true })
	};
}

/** API options for a home made by `makeHome`. */
export const apiOptions = (h, more = {}) => ({ homeDir: h.homeDir, ...more });

/**
 * Runs `node bin/axway.js ...args` with HOME set; resolves `{ code, stdout, stderr, json }`.
 * `json` is the parsed stdout when it parses.
 */
export function runCli(args, { home, env = {}, input, timeout = 60_000 } = {}) {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, [ BIN, ...args ], {
			env: { ...process.env, HOME: home.home ?? home, USERPROFILE: home.home ?? home, NO_COLOR: '1', DISPLAY: '', ...env },
			stdio: [ 'pipe', 'pipe', 'pipe' ]
		});
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', d => { stdout += d; });
		child.stderr.on('data', d => { stderr += d; });
		const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`axway ${args.join(' ')} timed out`)); }, timeout);
		child.on('error', reject);
		child.on('close', code => {
			clearTimeout(timer);
			let json;
			try { json = JSON.parse(stdout); } catch { /* not JSON */ }
			resolve({ code, stdout, stderr, json });
		});
		child.stdin.end(input ?? '');
	});
}

/**
 * One local platform for the whole suite: started before the first test, closed after the last.
 * Returns a handle that forwards to it (`platform.baseUrl`, `platform.state()`, …).
 */
export function usePlatform(opts = {}) {
	let started;
	before(async () => {
		started = await startPlatform({ quiet: true, accessTtl: 1800, refreshTtl: 86400, ...opts });
	});
	after(() => started?.close());
	return new Proxy({}, {
		get(_, key) {
			const value = started?.[key];
			return typeof value === 'function' ? value.bind(started) : value;
		}
	});
}

/** The file store's key: the reference's fixed key for `tokenStoreType: 'file'` (spec 5.2). */
export const FILE_STORE_KEY = Buffer.from('d4be0906bc9fae40', 'ascii');

/**
 * The records of a token store file (hex text of AES-128-CBC with a zero IV, spec 5.2/5.3);
 * `key` is a Buffer or a hex string (the secure store's key from the keychain).
 */
export function decodeStoreFile(file, key = FILE_STORE_KEY) {
	const keyBytes = typeof key === 'string' ? Buffer.from(key, 'hex') : key;
	const decipher = createDecipheriv('aes-128-cbc', keyBytes, Buffer.alloc(16));
	const hex = readFileSync(file, 'utf8');
	if (!/^[0-9a-f]+$/.test(hex)) {
		throw new Error(`${file} is not hex text`);
	}
	return JSON.parse(Buffer.concat([ decipher.update(Buffer.from(hex, 'hex')), decipher.final() ]).toString('utf8'));
}
