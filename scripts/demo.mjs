#!/usr/bin/env node
// `npm run demo`: builds the addon, starts the local platform (a real OpenID Connect server plus
// a mock of Axway's platform API on 127.0.0.1) and shows the main job as a user sees it, in a
// throw-away HOME: log in both service accounts, list, switch, whoami, log out.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

if (!process.env.AXWAY_AUTH_SKIP_BUILD) {
	const build = spawnSync('npx', [ 'napi', 'build', '--platform', '--release', '--js', 'index.js', '--dts', 'index.d.ts' ], { cwd: root, stdio: 'inherit' });
	if (build.status !== 0) process.exit(build.status || 1);
}

const { startPlatform } = await import('../__test__/platform/server.mjs');
const { SERVICE_ACCOUNTS, JWT_CLIENT_KEY } = await import('../__test__/platform/seed.mjs');

const platform = await startPlatform({ quiet: true });
const home = mkdtempSync(join(tmpdir(), 'axway-auth-demo-'));
const configDir = join(home, '.axway', 'axway-cli');
mkdirSync(configDir, { recursive: true });
const config = { auth: { baseUrl: platform.baseUrl, platformUrl: platform.platformUrl, tokenStoreType: 'file' } };
writeFileSync(join(configDir, 'config.json'), JSON.stringify(config, null, 2));

console.log(`\nLocal platform: ${platform.baseUrl} (identity server and platform API)`);
console.log(`HOME=${home}  (~/.axway/axway-cli/config.json points axway at the local platform)\n`);

let failed = false;
// The platform runs in this process, so commands run asynchronously (never spawnSync).
function run(args, stdio) {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, [ join(root, 'bin', 'axway.js'), ...args ], {
			env: { ...process.env, HOME: home, USERPROFILE: home },
			stdio
		});
		let stdout = '';
		child.stdout?.on('data', d => { stdout += d; });
		child.on('error', reject);
		child.on('close', code => resolve({ code, stdout }));
	});
}
async function axway(...args) {
	console.log(`\x1b[1m$ axway ${args.join(' ')}\x1b[0m`);
	const { code } = await run(args, 'inherit');
	if (code !== 0) {
		failed = true;
		console.error(`(exit code ${code})`);
	}
	console.log();
}

try {
	const secret = SERVICE_ACCOUNTS.secret;
	const jwt = SERVICE_ACCOUNTS.jwt;
	await axway('auth', 'login', '--no-banner', '--client-id', secret.clientId, '--client-secret', secret.clientSecret);
	await axway('auth', 'login', '--no-banner', '--client-id', jwt.clientId, '--secret-file', JWT_CLIENT_KEY.pkcs8);
	await axway('auth', 'list', '--no-banner');
	const { stdout } = await run([ 'auth', 'ls', '--json' ], [ 'ignore', 'pipe', 'inherit' ]);
	const other = JSON.parse(stdout).find(a => !a.default);
	if (!other) throw new Error('expected a second, non-default account');
	await axway('auth', 'switch', '--no-banner', '--account', other.name);
	await axway('auth', 'whoami', '--no-banner');
	await axway('auth', 'logout', '--no-banner');
	await axway('auth', 'list', '--no-banner');
} finally {
	await platform.close();
	rmSync(home, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
