'use strict';

// `axway [global options] auth <command> [options]`: parse, set up the streams, run one command,
// render its error, return the exit code (0 ok, 1 error, 2 help, 3 login required).
//
// Start-up is kept cheap: this file loads only the argument parser; the command module, the
// renderer and the native addon are required when (and only if) they are needed, so
// `axway auth ls --json` never loads the table renderer and `--help` never loads the addon.

const { parseCommandLine, sniffDisplayOptions, loadCommand } = require('./args');

/**
 * Runs the CLI once.
 * @param {string[]} argv - arguments after `node bin/axway.js`
 * @param {object} [deps] - injectable for tests: stdout, stderr, stdin, env, homeDir, api,
 *   config, isHeadless, now, version, year
 * @returns {Promise<number>} the exit code
 */
async function run(argv, deps = {}) {
	const stdout = deps.stdout || process.stdout;
	const stderr = deps.stderr || process.stderr;
	const stdin = deps.stdin || process.stdin;
	const env = deps.env || process.env;

	let parsed;
	let usageError;
	try {
		parsed = parseCommandLine(argv);
	} catch (err) {
		usageError = err;
	}
	const display = parsed ? parsed.options : sniffDisplayOptions(argv);

	const { colorEnabled, createStyle } = require('./style');
	const { IO } = require('./io');
	const style = createStyle(colorEnabled({ noColor: display.noColor, env, stdout }));
	const version = deps.version || require('../package.json').version;
	const banner = () => {
		const { readConfig, resolveEnv } = require('./environment');
		const { renderBanner } = require('./render');
		const resolved = resolveEnv(display.env, display.env ? null : readConfig({ homeDir: deps.homeDir }));
		return renderBanner({ version, env: resolved.name, envTitle: resolved.title, style, year: deps.year });
	};
	const io = new IO({ stdout, stderr, stdin, env, style, banner: display.noBanner ? null : banner });
	const command = parsed ? parsed.command : usageError && usageError.command;
	if (display.json || (command && loadCommand(command).banner === false)) {
		// JSON, or a command whose stdout is for scripts (`token`)
		io.suppressBanner();
	}

	if (usageError) {
		const { renderError } = require('./errors');
		return renderError(usageError, {
			io,
			json: !!display.json,
			help: () => require('./help').renderHelp(usageError.command || null, style)
		});
	}

	if (parsed.version) {
		io.suppressBanner();
		io.log(version);
		return 0;
	}

	if (parsed.help) {
		io.log(require('./help').renderHelp(parsed.command, style));
		return 2;
	}

	const { Context } = require('./context');
	const ctx = new Context({ command: parsed.command, options: parsed.options, io, deps });
	try {
		await loadCommand(parsed.command).run(ctx);
		return 0;
	} catch (err) {
		return require('./errors').renderError(err, { io, json: ctx.json });
	} finally {
		ctx.closePrompter();
		printNotices(ctx, stderr);
	}
}

/**
 * Prints what the core asked to tell the user (store fallback, accounts that expired and were
 * removed) on stderr, so JSON on stdout stays clean. Only when the addon was loaded.
 */
function printNotices(ctx, stderr) {
	const api = ctx._api;
	if (!api || typeof api.takeNotices !== 'function') {
		return;
	}
	for (const notice of api.takeNotices()) {
		stderr.write(`${notice}\n`);
	}
}

/**
 * The process entry point: run, flush stdout/stderr, exit with the code. Exiting explicitly
 * means nothing left open (a prompt, a native handle) can keep the process alive.
 */
function main(argv) {
	const ignoreEpipe = err => {
		if (err && err.code !== 'EPIPE') {
			throw err;
		}
	};
	process.stdout.on('error', ignoreEpipe);
	process.stderr.on('error', ignoreEpipe);

	const exit = code => {
		process.exitCode = code;
		let pending = 2;
		const done = () => {
			if (--pending === 0) {
				process.exit(code);
			}
		};
		process.stdout.write('', done);
		process.stderr.write('', done);
	};

	run(argv).then(exit, err => {
		// a bug in the shim itself: show it plainly
		process.stderr.write(`${(err && err.stack) || err}\n`);
		exit(1);
	});
}

module.exports = { main, run, parseCommandLine };
