// Helpers for the browser-login suites: a real headless Chromium (Debian's, driven through
// playwright-core: never `npx playwright install`), the `axway` command run as a child whose
// output is read while it streams (a browser login prints its URL and then waits), and small
// loopback port probes ("is the callback port free again?").
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { BIN } from './env.mjs';

/** Debian's chromium (`apt-get install chromium`, done by `.ci/run`). */
export const CHROMIUM = '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
	'--no-first-run'
];

/**
 * Launches a headless Chromium with a fresh user data dir (`--user-data-dir`, set by
 * `launchPersistentContext`). Resolves `{ context, page, close() }`; `close()` also removes the
 * profile directory.
 */
export async function launchChromium() {
	if (!existsSync(CHROMIUM)) {
		throw new Error(`${CHROMIUM} is missing: apt-get install -y --no-install-recommends chromium (.ci/run does it)`);
	}
	const { chromium } = await import('playwright-core');
	const userDataDir = mkdtempSync(join(tmpdir(), 'axway-auth-chromium-'));
	const context = await chromium.launchPersistentContext(userDataDir, {
		executablePath: CHROMIUM,
		headless: true,
		args: CHROMIUM_ARGS,
		timeout: 30_000
	});
	const page = context.pages()[0] ?? await context.newPage();
	return {
		context,
		page,
		userDataDir,
		async close() {
			try {
				await context.close();
			} finally {
				rmSync(userDataDir, { recursive: true, force: true });
			}
		}
	};
}

/**
 * Runs `node bin/axway.js ...args` with HOME set, like `runCli`, but hands back the child at once
 * so a test can read its output while it runs (the login URL) and act on it.
 *
 * Returns `{ child, startedAt, out, waitFor(re, { stream, timeout }), done, kill() }`:
 * - `out.stdout` / `out.stderr`: everything printed so far;
 * - `waitFor(re)`: resolves the first match of `re` in the stream (`stdout`, `stderr` or `any`),
 *   rejects when the process exits first or after `timeout` ms;
 * - `done`: resolves `{ code, signal, stdout, stderr, json, ms }` at exit (`ms`: wall time from
 *   spawn to exit).
 */
export function spawnCli(args, { home, env = {}, input, timeout = 60_000 } = {}) {
	const startedAt = performance.now();
	const child = spawn(process.execPath, [ BIN, ...args ], {
		env: { ...process.env, HOME: home.home ?? home, USERPROFILE: home.home ?? home, NO_COLOR: '1', DISPLAY: '', ...env },
		stdio: [ 'pipe', 'pipe', 'pipe' ]
	});
	const out = { stdout: '', stderr: '' };
	const listeners = new Set();
	const notify = () => {
		for (const l of listeners) {
			l();
		}
	};
	child.stdout.on('data', d => { out.stdout += d; notify(); });
	child.stderr.on('data', d => { out.stderr += d; notify(); });
	let exited = false;

	const killer = setTimeout(() => child.kill('SIGKILL'), timeout);
	const done = new Promise((resolve, reject) => {
		child.on('error', reject);
		child.on('close', (code, signal) => {
			exited = true;
			clearTimeout(killer);
			notify();
			let json;
			try { json = JSON.parse(out.stdout); } catch { /* not JSON */ }
			resolve({ code, signal, stdout: out.stdout, stderr: out.stderr, json, ms: performance.now() - startedAt });
		});
	});
	if (input === undefined) {
		child.stdin.end();
	} else if (input !== null) {
		child.stdin.end(input);
	}
	// with input === null stdin stays open: the caller writes to child.stdin

	function waitFor(re, { stream = 'any', timeout: ms = 30_000 } = {}) {
		return new Promise((resolve, reject) => {
			const text = () => (stream === 'any' ? `${out.stdout}\n${out.stderr}` : out[stream]);
			const check = () => {
				const m = re.exec(text());
				if (m) {
					cleanup();
					resolve(m);
				} else if (exited) {
					cleanup();
					reject(new Error(`axway ${args.join(' ')} exited (code ${child.exitCode}) before printing ${re}\nstdout: ${out.stdout}\nstderr: ${out.stderr}`));
				}
			};
			const timer = setTimeout(() => {
				cleanup();
				reject(new Error(`axway ${args.join(' ')} did not print ${re} within ${ms} ms\nstdout: ${out.stdout}\nstderr: ${out.stderr}`));
			}, ms);
			const cleanup = () => { clearTimeout(timer); listeners.delete(check); };
			listeners.add(check);
			check();
		});
	}

	return {
		child,
		startedAt,
		out,
		waitFor,
		done,
		kill: (signal = 'SIGKILL') => { if (!exited) { child.kill(signal); } }
	};
}

/** The URL the command prints after `Please open following link in your browser:`. */
export const LOGIN_URL_RE = /Please open following link in your browser:\s+(\S+)/;

/** The redirect URI of an authorization URL, parsed. */
export const redirectUriOf = url => new URL(new URL(url).searchParams.get('redirect_uri'));

/** Resolves whether `host:port` can be bound right now (the port is free there). */
export function canBind(port, host = '127.0.0.1') {
	return new Promise(resolve => {
		const server = createServer();
		server.once('error', err => resolve(err.code === 'EADDRNOTAVAIL' ? null : false));
		server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
	});
}

/**
 * Listens on `host:port` (a stand-in for another program holding the port). Resolves the server,
 * which counts its connections in `server.hits`; rejects with EADDRINUSE when taken.
 */
export function occupy(port, host = '127.0.0.1') {
	return new Promise((resolve, reject) => {
		const server = createServer(socket => {
			server.hits++;
			socket.on('error', () => {});
			socket.write('HTTP/1.1 418 Occupied\r\nContent-Length: 0\r\nConnection: close\r\n\r\n', () => socket.destroy());
		});
		server.hits = 0;
		server.once('error', reject);
		server.listen({ port, host, exclusive: true }, () => {
			server.off('error', reject);
			resolve(server);
		});
	});
}

/** `occupy`, retried while another suite's login briefly holds the port (suites run in parallel). */
export async function occupyWhenFree(port, host = '127.0.0.1', { timeout = 20_000 } = {}) {
	const until = Date.now() + timeout;
	for (;;) {
		try {
			return await occupy(port, host);
		} catch (err) {
			if (err.code !== 'EADDRINUSE' || Date.now() > until) {
				throw err;
			}
			await new Promise(r => setTimeout(r, 100));
		}
	}
}

export const closeServer = server => new Promise(resolve => (server ? server.close(() => resolve()) : resolve()));
