'use strict';

// axway auth token — issue 12: the access token of an account, for scripts.
//
// stdout is the token and a newline, nothing else (never the banner); `--json` prints
// `{ accessToken, expiresAt, account, org, team }`. Exit codes: 0 printed, 1 error, 3 not logged in
// or the account needs an interactive login (`ERR_LOGIN_REQUIRED`, see ../errors.js).
//
// `fast(argv)` is the start-up path that bin/axway.js takes for `axway auth token`: when the
// stored token lives long enough it prints it with one synchronous call into the addon, without
// loading the rest of the command (no argument-parser module, no streams, no async runtime).
// Anything else — renewal, an error, --help, an option it does not know — falls through to
// the full command below.

const OPTIONS = {
	account: { type: 'string', placeholder: '<name>', desc: 'The account (name or hash) to use instead of the default account; also AXWAY_AUTH_ACCOUNT' },
	json: { type: 'boolean', desc: 'Outputs { accessToken, expiresAt, account, org, team } as JSON' },
	'min-validity': { type: 'string', placeholder: '<duration>', desc: 'Renew the token when it expires within this time: 90s, 10m, 1h (default 5m)' }
};

/** The API options from parsed command options. */
function tokenOptions(options, common) {
	const opts = { ...common };
	if (options.account) {
		opts.account = options.account;
	}
	if (options.minValidity !== undefined) {
		opts.minValidity = options.minValidity;
	}
	return opts;
}

/** The text printed on stdout for a token. */
function render(token, json) {
	return json ? `${JSON.stringify(token, null, 2)}\n` : `${token.accessToken}\n`;
}

/** Writes `text` to a file descriptor; a non-blocking pipe that is full goes through the stream. */
function writeOut(fd, text) {
	try {
		require('node:fs').writeSync(fd, text);
	} catch (err) {
		if (err && err.code === 'EAGAIN') {
			(fd === 1 ? process.stdout : process.stderr).write(text);
			return;
		}
		throw err;
	}
}

// What the fast path understands: `--name value` / `--name=value` options and flags. Anything
// else (help, a typo, a missing value) goes to the full parser (cli/args.js), which explains it.
// Not node:util's parseArgs: its first call costs about a millisecond of a few-millisecond budget.
const FAST_VALUES = { '--account': 'account', '--min-validity': 'min-validity', '--env': 'env', '--base-url': 'base-url', '--realm': 'realm' };
const FAST_FLAGS = { '--json': 'json', '--no-banner': null, '--no-color': null, '--no-colors': null };

/** The options of `auth token …` when the fast path understands them all, else null. */
function fastArgs(args) {
	const values = {};
	for (let i = 0; i < args.length; i++) {
		const arg = args[i];
		const eq = arg.indexOf('=');
		const name = eq > 0 ? arg.slice(0, eq) : arg;
		if (FAST_VALUES[name]) {
			const value = eq > 0 ? arg.slice(eq + 1) : args[++i];
			if (value === undefined || (eq < 0 && value.startsWith('-')) || FAST_VALUES[name] in values) {
				return null;
			}
			values[FAST_VALUES[name]] = value;
		} else if (eq < 0 && arg in FAST_FLAGS) {
			if (FAST_FLAGS[arg]) {
				values[FAST_FLAGS[arg]] = true;
			}
		} else {
			return null;
		}
	}
	return values;
}

/**
 * The addon for the fast path: this platform's `.node` file, loaded directly (next to the package
 * in a source checkout, else from the `axway-auth-<platform>` package npm installed), which
 * skips the generated loader (index.js) and its ~2 ms. Null when that is not plain sailing
 * (an override in the environment, an unusual platform, no such file): the full command then
 * loads it through binding.js, which explains any failure.
 */
function loadAddonDirectly() {
	const { env, platform, arch } = process;
	if (env.NAPI_RS_NATIVE_LIBRARY_PATH || env.NAPI_RS_FORCE_WASI || env.NAPI_RS_ENFORCE_VERSION_CHECK) {
		return null;
	}
	let target;
	if (platform === 'linux') {
		try {
			// how the generated loader tells musl from glibc
			target = `linux-${arch}-${require('node:fs').readFileSync('/usr/bin/ldd', 'utf8').includes('musl') ? 'musl' : 'gnu'}`;
		} catch {
			return null;
		}
	} else if (platform === 'darwin') {
		target = `darwin-${arch}`;
	} else if (platform === 'win32') {
		target = `win32-${arch}-msvc`;
	} else {
		return null;
	}
	for (const file of [ `../../axway-auth.${target}.node`, `axway-auth-${target}` ]) {
		try {
			return require(file);
		} catch {
			// not this one
		}
	}
	return null;
}

/**
 * Prints the stored token when it is valid long enough. Returns true when done (exit code 0),
 * false when the full command must run (renewal, an error to render, help, unusual arguments).
 * @param {string[]} argv - arguments after `node bin/axway.js`, starting with `auth token`
 */
function fast(argv) {
	const values = fastArgs(argv.slice(2));
	if (!values) {
		return false;
	}
	const api = loadAddonDirectly();
	if (!api) {
		return false;
	}
	const common = {};
	for (const [ flag, key ] of [ [ 'env', 'env' ], [ 'base-url', 'baseUrl' ], [ 'realm', 'realm' ] ]) {
		if (values[flag]) {
			common[key] = values[flag];
		}
	}
	let token;
	try {
		token = api.storedToken(tokenOptions({ account: values.account, minValidity: values['min-validity'] }, common));
	} catch {
		token = null;
	}
	const notices = api.takeNotices();
	if (!token) {
		// the full command says what went wrong (and queues its own notices)
		return false;
	}
	for (const notice of notices) {
		writeOut(2, `${notice}\n`);
	}
	writeOut(1, render(token, !!values.json));
	return true;
}

module.exports = {
	name: 'token',
	desc: 'Print an access token for scripts',
	help: `Prints the access token of the default account (or of --account, or AXWAY_AUTH_ACCOUNT)
on stdout, and nothing else. The stored token is printed as it is when it is valid for at
least --min-validity; otherwise it is renewed first: with the refresh token, or, for a service
account, by logging in again with its stored secret or AXWAY_AUTH_CLIENT_SECRET /
AXWAY_AUTH_SECRET_FILE. Many processes asking at once renew it once.`,
	banner: false,
	options: OPTIONS,
	footer: style => `EXIT CODES:

  0  the token was printed
  1  an error (the reason is on stderr)
  3  not logged in, or the account needs an interactive login (${style.highlight('axway auth login')})

EXAMPLES:

  Call an Axway API with the default account:
    ${style.highlight('axway auth token | xargs -I{} curl -H "Authorization: Bearer {}" https://platform.axway.com/api/v1/auth/findSession')}

  A token valid for at least 20 minutes, for another account:
    ${style.highlight('axway auth token --account <name> --min-validity 20m')}`,
	fast,
	fastArgs,

	/**
	 * @param {import('../context').Context} ctx
	 */
	async run(ctx) {
		ctx.io.suppressBanner();
		const token = await ctx.api().token(tokenOptions(ctx.options, ctx.common()));
		ctx.io.write(render(token, ctx.json));
	}
};
