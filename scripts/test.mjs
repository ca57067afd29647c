#!/usr/bin/env node
// `npm test`: builds the addon (release, as shipped), runs the Rust tests, then every
// `node --test` suite in __test__/. Set AXWAY_AUTH_SKIP_BUILD=1 to reuse the current build.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function run(cmd, args, extraEnv = {}) {
	console.log(`\n$ ${cmd} ${args.join(' ')}`);
	const result = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...extraEnv } });
	if (result.status !== 0) {
		console.error(`\n${cmd} ${args[0] ?? ''} failed (exit ${result.status ?? result.signal})`);
		process.exit(result.status || 1);
	}
}

if (!process.env.AXWAY_AUTH_SKIP_BUILD) {
	run('npx', [ 'napi', 'build', '--platform', '--release', '--js', 'index.js', '--dts', 'index.d.ts' ]);
}
run('cargo', [ 'test', '--quiet' ]);
const suites = readdirSync(join(root, '__test__'))
	.filter(f => f.endsWith('.test.mjs'))
	.sort()
	.map(f => join('__test__', f));
run(process.execPath, [ '--test', '--test-concurrency=2', ...suites ]);
