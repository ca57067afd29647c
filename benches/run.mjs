#!/usr/bin/env node
// `npm run bench`: axway-auth (release build) side by side with @axway/amplify-sdk 3.2.16 in
// one run, against the local test platform (loopback only).
//
// Every sample is a fresh `node -e <benches/case.js>` process timed from outside, spawn to exit,
// with `process.hrtime`; the two implementations alternate (who goes first flips every round),
// and each child reports its peak RSS (`process.resourceUsage().maxRSS`). Cases:
//   (a) load the module and list 3 accounts, no network  (`sdk.auth.list()`)
//   (b) a client-secret login round trip                  (`sdk.auth.login({ force: true })`, empty store)
//   (c) list validating 3 accounts                        (`sdk.auth.list({ validate: true })`)
//   (d) list with 500 accounts in the store               (`sdk.auth.list()`)
//   (e) a script's access token, valid stored token       (the `axway auth token` command;
//       the SDK: `sdk.auth.find(name)` and its `auth.tokens.access_token`)
// and `node -e 0` as the floor. The command prints the token and no report, so its peak RSS
// comes from separate runs with a preload that reports it at exit. Prints medians, per-pair ratios, peak RSS and the targets.
//
// Options: --samples N (default 20), --warmup N (default 2), --skip-build (reuse
// target/bench/pkg), --json FILE (also write the raw samples).
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg, release, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHash } from 'node:crypto';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const PKG = join(ROOT, 'target', 'bench', 'pkg');
const CASE = readFileSync(join(ROOT, 'benches', 'case.js'), 'utf8');
const require = createRequire(import.meta.url);

const args = process.argv.slice(2);
const flag = name => args.includes(name);
const value = (name, fallback) => {
	const i = args.indexOf(name);
	return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
};
const SAMPLES = Number(value('--samples', 20));
const WARMUP = Number(value('--warmup', 2));
if (!(SAMPLES >= 1) || !(WARMUP >= 0)) {
	console.error('usage: node benches/run.mjs [--samples N] [--warmup N] [--skip-build] [--json FILE]');
	process.exit(2);
}

// ---- the release build, in its own package dir (the checkout's addon may be a debug build) --

function buildPackage() {
	mkdirSync(PKG, { recursive: true });
	if (!flag('--skip-build')) {
		console.error('building the release addon into target/bench/pkg …');
		const built = spawnSync('npx', [ 'napi', 'build', '--platform', '--release', '--output-dir', PKG, '--js', 'index.js', '--dts', 'index.d.ts' ], { cwd: ROOT, stdio: [ 'ignore', 'inherit', 'inherit' ] });
		if (built.status !== 0) {
			console.error('napi build failed');
			process.exit(1);
		}
	}
	for (const file of [ 'binding.js', 'package.json', 'lib', 'bin', 'cli' ]) {
		cpSync(join(ROOT, file), join(PKG, file), { recursive: true });
	}
	const addon = join(PKG, 'axway-auth.linux-x64-gnu.node');
	if (!existsSync(addon) || !existsSync(join(PKG, 'index.js'))) {
		console.error(`no release build in ${PKG}: run without --skip-build`);
		process.exit(1);
	}
	return addon;
}

// ---- the local platform, in its own process ---------------------------------------------------

function startPlatform() {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, [ join(ROOT, '__test__', 'platform', 'server.mjs') ], {
			env: { ...process.env, PLATFORM_ACCESS_TTL: '1800', PLATFORM_REFRESH_TTL: '86400' },
			stdio: [ 'ignore', 'pipe', 'ignore' ]
		});
		let out = '';
		child.stdout.on('data', chunk => {
			out += chunk;
			const line = out.split('\n')[0];
			if (out.includes('\n')) {
				resolve({ ...JSON.parse(line), stop: () => child.kill('SIGTERM') });
			}
		});
		child.on('exit', code => reject(new Error(`the platform exited (${code})`)));
	});
}

// ---- homes -------------------------------------------------------------------------------------

async function seedHomes(url) {
	const { default: AmplifySDK, FileStore } = require('@axway/amplify-sdk');
	const seed = await import(join(ROOT, '__test__', 'platform', 'seed.mjs'));
	const base = mkdtempSync(join(tmpdir(), 'axway-auth-bench-'));
	const home = name => {
		const dir = join(base, name, '.axway');
		mkdirSync(join(dir, 'axway-cli'), { recursive: true });
		return dir;
	};
	const options = homeDir => ({ baseUrl: url, platformUrl: url, realm: 'Broker', homeDir, tokenStoreType: 'file' });
	const { SERVICE_ACCOUNTS, JWT_CLIENT_KEY, LOAD_SERVICE_ACCOUNTS } = seed;

	// three accounts, logged in by the SDK (both tools read the same format)
	const three = home('three');
	const sdk = new AmplifySDK(options(three)).auth;
	await sdk.login({ clientId: SERVICE_ACCOUNTS.secret.clientId, clientSecret: SERVICE_ACCOUNTS.secret.clientSecret });
	await sdk.login({ clientId: SERVICE_ACCOUNTS.jwt.clientId, secretFile: JWT_CLIENT_KEY.pkcs8 });
	await sdk.login({ clientId: LOAD_SERVICE_ACCOUNTS[0].clientId, clientSecret: LOAD_SERVICE_ACCOUNTS[0].clientSecret });
	const records = await new FileStore({ homeDir: three }).list();
	if (records.length !== 3) {
		throw new Error(`seeding: expected 3 accounts, got ${records.length}`);
	}

	// 500 accounts: copies of those three records under new names, far-future expiry
	const many = home('many');
	const farFuture = Date.now() + 10 * 365 * 24 * 3600 * 1000;
	const copies = Array.from({ length: 500 }, (_, i) => {
		const record = JSON.parse(JSON.stringify(records[i % 3]));
		const digest = createHash('md5').update(`bench-${i}`).digest('hex');
		record.hash = `${record.auth.clientId}:${digest}`;
		record.name = `${record.auth.clientId}:bench-${String(i).padStart(3, '0')}@example.com`;
		record.auth.expires = { access: farFuture, refresh: null };
		return record;
	});
	await new FileStore({ homeDir: many }).save(copies);
	const storeSize = statSync(join(many, 'axway-cli', '.tokenstore.v2')).size;

	const login = home('login');

	// the account a script asks a token for: the three accounts, the first one the default
	const token = home('token');
	cpSync(join(three, 'axway-cli', '.tokenstore.v2'), join(token, 'axway-cli', '.tokenstore.v2'));
	writeFileSync(join(token, 'axway-cli', 'config.json'), JSON.stringify({ auth: { baseUrl: url, platformUrl: url, tokenStoreType: 'file', defaultAccount: records[0].name } }));
	return {
		base,
		three,
		many,
		login,
		token,
		tokenAccount: records[0].name,
		tokenValue: records[0].auth.tokens.access_token,
		storeSize,
		creds: [ LOAD_SERVICE_ACCOUNTS[1].clientId, LOAD_SERVICE_ACCOUNTS[1].clientSecret ]
	};
}

// ---- sampling ----------------------------------------------------------------------------------

/** Runs one child; returns { ms, n, maxRSS (KB) }. `parse` turns its stdout into the report. */
function sample(argv, env, parse = stdout => (stdout ? JSON.parse(stdout) : {})) {
	const start = process.hrtime.bigint();
	const child = spawnSync(process.execPath, argv, { env, encoding: 'utf8', maxBuffer: 1 << 20 });
	const ms = Number(process.hrtime.bigint() - start) / 1e6;
	if (child.status !== 0) {
		throw new Error(`node ${argv.join(' ')} failed (${child.status ?? child.signal}):\n${child.stderr}`);
	}
	return { ms, ...parse(child.stdout, child.stderr) };
}

// Loaded with `node -r` in separate runs of the `axway` command only: reports its peak RSS on
// stderr at exit (the timed runs go without it).
const RSS_PRELOAD = "process.on('exit', () => require('fs').writeSync(2, `\\nmaxRSS=${process.resourceUsage().maxRSS}\\n`))";

const median = xs => {
	const s = [ ...xs ].sort((a, b) => a - b);
	const m = s.length >> 1;
	return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

function resetLoginHome(homeDir) {
	rmSync(join(homeDir, 'axway-cli', '.tokenstore.v2'), { force: true });
	rmSync(join(homeDir, '.tokenstore'), { force: true });
}

async function main() {
	const addon = buildPackage();
	const loadBefore = loadavg()[0];
	const platform = await startPlatform();
	let homes;
	try {
		homes = await seedHomes(platform.baseUrl);
		const env = { ...process.env, AXWAY_AUTH_BENCH_PKG: PKG, AXWAY_AUTH_BENCH_SDK: require.resolve('@axway/amplify-sdk'), NO_COLOR: '1' };
		delete env.DEBUG;
		delete env.AXWAY_AUTH_LOG;
		// An extra CA bundle makes every `node` start-up load and parse it (tens of ms here),
		// which would hide what the implementations cost: no child gets it (the floor neither).
		delete env.NODE_EXTRA_CA_CERTS;
		const url = platform.baseUrl;
		const commandEnv = { ...env, HOME: join(homes.token, '..') };
		const tokenCase = {
			id: 'e',
			title: '(e) a script\'s access token, valid stored token (`axway auth token`; SDK: `sdk.auth.find(name)`)',
			argv: impl => (impl === 'sdk'
				? [ '-e', CASE, impl, 'token', homes.token, url, homes.tokenAccount ]
				: [ join(PKG, 'bin', 'axway.js'), 'auth', 'token' ]),
			env: impl => (impl === 'sdk' ? env : commandEnv),
			parse: impl => (impl === 'sdk'
				? (stdout, stderr) => ({ ...JSON.parse(stdout), n: Number(stderr === `${homes.tokenValue}\n`) })
				: stdout => ({ n: Number(stdout === `${homes.tokenValue}\n`) })),
			expect: 1
		};
		const CASES = [
			{ id: 'a', title: '(a) load + list 3 accounts (no network)', argv: impl => [ '-e', CASE, impl, 'list', homes.three, url ], expect: 3 },
			{ id: 'b', title: '(b) client-secret login round trip', argv: impl => [ '-e', CASE, impl, 'login', homes.login, url, ...homes.creds ], before: () => resetLoginHome(homes.login), expect: 1 },
			{ id: 'c', title: '(c) list validating 3 accounts', argv: impl => [ '-e', CASE, impl, 'validate', homes.three, url ], expect: 3 },
			{ id: 'd', title: '(d) list 500 accounts (no network)', argv: impl => [ '-e', CASE, impl, 'list', homes.many, url ], expect: 500 },
			tokenCase
		];
		const IMPLS = [ 'sdk', 'ours' ];
		const results = { floor: [], floorRSS: 0 };
		for (const c of CASES) {
			results[c.id] = { sdk: [], ours: [] };
		}
		const floorRss = sample([ '-e', 'process.stdout.write(JSON.stringify({ maxRSS: process.resourceUsage().maxRSS }))' ], env);
		results.floorRSS = floorRss.maxRSS;

		const total = WARMUP + SAMPLES;
		for (let round = 0; round < total; round++) {
			const record = round >= WARMUP;
			process.stderr.write(`\r${record ? 'sampling' : 'warming up'}: round ${round + 1}/${total} `);
			const floor = sample([ '-e', '0' ], env);
			if (record) {
				results.floor.push(floor.ms);
			}
			const order = round % 2 ? [ ...IMPLS ].reverse() : IMPLS;
			for (const c of CASES) {
				for (const impl of order) {
					c.before?.();
					const s = sample(c.argv(impl), c.env ? c.env(impl) : env, c.parse?.(impl));
					if (s.n !== c.expect) {
						throw new Error(`${impl} ${c.title}: expected ${c.expect}, got ${s.n}`);
					}
					if (record) {
						results[c.id][impl].push(s);
					}
				}
			}
		}
		process.stderr.write('\n');
		// the command's peak RSS, from runs with the reporting preload
		const preloadFile = join(homes.base, 'rss.js');
		writeFileSync(preloadFile, RSS_PRELOAD);
		results.e.oursRss = Array.from({ length: 5 }, () => sample([ '-r', preloadFile, ...tokenCase.argv('ours') ], commandEnv, (_out, err) => ({ maxRSS: Number(/maxRSS=(\d+)/.exec(err)?.[1]) })).maxRSS);
		report(results, CASES, addon, homes, [ loadBefore, loadavg()[0] ]);
		const jsonFile = value('--json');
		if (jsonFile) {
			writeFileSync(jsonFile, JSON.stringify(results, null, 2));
		}
	} finally {
		platform.stop();
		if (homes) {
			rmSync(homes.base, { recursive: true, force: true });
		}
	}
}

function report(results, CASES, addon, homes, load) {
	const floor = median(results.floor);
	const f = (x, d = 1) => x.toFixed(d);
	const rows = [];
	const stats = {};
	for (const c of CASES) {
		const sdk = results[c.id].sdk;
		const ours = results[c.id].ours;
		const pairs = sdk.map((s, i) => s.ms / ours[i].ms);
		stats[c.id] = {
			sdk: median(sdk.map(s => s.ms)),
			ours: median(ours.map(s => s.ms)),
			pair: median(pairs),
			pairMin: Math.min(...pairs),
			sdkRss: Math.max(...sdk.map(s => s.maxRSS)) / 1024,
			oursRss: Math.max(...(results[c.id].oursRss ?? ours.map(s => s.maxRSS))) / 1024
		};
		const s = stats[c.id];
		rows.push(`| ${c.title} | ${f(s.sdk)} | ${f(s.ours)} | ${f(s.pair, 2)}× (min ${f(s.pairMin, 2)}×) | ${f(s.ours / floor, 2)}× | ${f(s.sdkRss)} | ${f(s.oursRss)} |`);
	}
	const cpu = cpus();
	const lines = [
		`Machine: ${cpu.length} CPUs (${cpu[0]?.model ?? 'unknown'}), Linux ${release()}, Node ${process.version}; ` +
			`axway-auth release addon ${f(statSync(addon).size / 1e6)} MB; @axway/amplify-sdk ${require('@axway/amplify-sdk/package.json').version}; ` +
			`${SAMPLES} samples per implementation and case (after ${WARMUP} warm-up rounds), interleaved; 500-account store ${f(homes.storeSize / 1e6, 2)} MB; ` +
			`1-min load average ${f(load[0], 2)} before, ${f(load[1], 2)} after; NODE_EXTRA_CA_CERTS unset for every child.`,
		'',
		`Floor: \`node -e 0\` median ${f(floor)} ms, peak RSS ${f(results.floorRSS / 1024)} MB.`,
		'',
		'| case | JS SDK median (ms) | axway-auth median (ms) | SDK / axway-auth (median of pairs) | axway-auth / floor | JS SDK peak RSS (MB) | axway-auth peak RSS (MB) |',
		'|---|---:|---:|---:|---:|---:|---:|',
		...rows,
		''
	];
	const a = stats.a;
	const targets = [
		[ '(a) ≤ 1.2× the `node -e 0` floor', a.ours <= 1.2 * floor, `${f(a.ours / floor, 2)}× (${f(a.ours)} vs ${f(floor)} ms)` ],
		[ '(a) ≥ 2.5× faster than the JS SDK', a.pair >= 2.5, `${f(a.pair, 2)}×` ],
		[ '(b) ≥ 2× faster than the JS SDK', stats.b.pair >= 2, `${f(stats.b.pair, 2)}×` ],
		[ '(c) ≥ 2× faster than the JS SDK', stats.c.pair >= 2, `${f(stats.c.pair, 2)}×` ],
		[ '(d) < 15 ms above (a) (issue 9)', stats.d.ours - a.ours < 15, `+${f(stats.d.ours - a.ours)} ms (the JS SDK: +${f(stats.d.sdk - a.sdk)} ms)` ],
		[ '(e) `axway auth token` ≤ 1.2× the `node -e 0` floor', stats.e.ours <= 1.2 * floor, `${f(stats.e.ours / floor, 2)}× (${f(stats.e.ours)} vs ${f(floor)} ms)` ],
		...CASES.map(c => [ `(${c.id}) peak RSS below the JS SDK's`, stats[c.id].oursRss < stats[c.id].sdkRss, `${f(stats[c.id].oursRss)} vs ${f(stats[c.id].sdkRss)} MB` ])
	];
	lines.push('| target | holds | measured |', '|---|:---:|---|');
	for (const [ what, ok, measured ] of targets) {
		lines.push(`| ${what} | ${ok ? '✔' : '✘'} | ${measured} |`);
	}
	console.log(lines.join('\n'));
}

main().catch(err => {
	console.error(`\n${err.stack || err}`);
	process.exit(1);
});
