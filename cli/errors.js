'use strict';

// Error rendering and exit codes, in one place (spec 1.1, axway-cli/src/main.js):
//   0 success, 1 error (or err.exitCode), 2 help, 3 not logged in or the account needs an
//   interactive login (`ERR_LOGIN_REQUIRED`, which scripts branch on: `axway auth token`).

const { CROSS } = require('./style');

const EXIT_OK = 0;
const EXIT_ERROR = 1;
const EXIT_HELP = 2;
const EXIT_LOGIN_REQUIRED = 3;

/**
 * An error raised by the shim itself (usage errors, "No authenticated accounts found", …).
 * `name` stays "Error" so `String(err)` reads `Error: <message>` like the reference.
 */
class CliError extends Error {
	/**
	 * @param {string} message
	 * @param {object} [o]
	 * @param {string} [o.code] - stable `err.code`
	 * @param {string} [o.detail] - printed after a blank line (the reference's `err.detail`)
	 * @param {number} [o.exitCode]
	 * @param {boolean} [o.showHelp] - a usage error: print the help (to stderr) after the error
	 * @param {string} [o.command] - which help to print
	 */
	constructor(message, { code, detail, exitCode, showHelp, command } = {}) {
		super(message);
		if (code !== undefined) {
			this.code = code;
		}
		if (detail !== undefined) {
			this.detail = detail;
		}
		if (exitCode !== undefined) {
			this.exitCode = exitCode;
		}
		if (showHelp) {
			this.showHelp = true;
			this.command = command;
		}
	}
}

/**
 * Thrown after a command already printed its own error output (e.g. login's stderr JSON
 * `{"error": …}`): nothing more is printed, the process exits with `exitCode`.
 */
class SilentExit extends Error {
	constructor(exitCode = EXIT_ERROR) {
		super('silent exit');
		this.silent = true;
		this.exitCode = exitCode;
	}
}

function exitCodeOf(err) {
	if (err && Number.isInteger(err.exitCode)) {
		return err.exitCode;
	}
	return err && err.code === 'ERR_LOGIN_REQUIRED' ? EXIT_LOGIN_REQUIRED : EXIT_ERROR;
}

function errorString(err) {
	if (err instanceof Error) {
		return String(err);
	}
	if (err && typeof err === 'object' && typeof err.message === 'string') {
		return `${err.name || 'Error'}: ${err.message}`;
	}
	return String(err);
}

/**
 * The JSON-mode error envelope printed on stdout:
 *   { "code": 1, "result": "Error: <message>", "detail"?: …, "errorCode"?: … }
 * `errorCode` (the stable `err.code`, e.g. `ERR_AUTH_FAILED`) is an addition to the reference's
 * envelope so scripts can branch on it without parsing the message.
 */
function errorEnvelope(err) {
	const envelope = { code: exitCodeOf(err), result: errorString(err) };
	if (err && err.detail !== undefined) {
		envelope.detail = err.detail;
	}
	if (err && err.code !== undefined && err.code !== null) {
		envelope.errorCode = err.code;
	}
	return envelope;
}

/**
 * The text-mode lines written to stderr: every line of `String(err)` trimmed and red, the first
 * prefixed with `✖ `; then, if `err.detail` is set, a blank line and the detail lines.
 */
function errorLines(err, style) {
	const lines = errorString(err).split(/\r?\n/).map((line, i) => style.red(`${i === 0 ? `${CROSS} ` : ''}${line.trim()}`));
	if (err && err.detail !== undefined && err.detail !== null && err.detail !== '') {
		lines.push('');
		for (const line of String(err.detail).split(/\r?\n/)) {
			lines.push(style.red(line));
		}
	}
	return lines;
}

/**
 * Prints an error for the user and returns the exit code.
 * @param {Error} err
 * @param {object} o
 * @param {import('./io').IO} o.io
 * @param {boolean} o.json
 * @param {() => string} [o.help] - renders help text for usage errors (text mode only)
 */
function renderError(err, { io, json, help }) {
	if (err && err.silent) {
		return exitCodeOf(err);
	}
	if (json) {
		io.suppressBanner();
		io.log(JSON.stringify(errorEnvelope(err), null, 2));
		return exitCodeOf(err);
	}
	for (const line of errorLines(err, io.style)) {
		io.error(line);
	}
	if (err && err.showHelp && help) {
		io.error();
		io.error(help());
	}
	return exitCodeOf(err);
}

/**
 * The error for a missing native addon: friendlier than Node's "Cannot find module".
 */
function addonLoadError(cause) {
	if (cause && cause.code === 'ERR_ADDON_NOT_FOUND') {
		// binding.js already names the platform and what to do (first line stands alone)
		const err = new CliError(String(cause.message).split('\n')[0], { code: 'ERR_ADDON_NOT_FOUND' });
		err.cause = cause;
		return err;
	}
	const err = new CliError(`Unable to load the axway-auth native addon: ${cause && cause.message ? cause.message.split('\n')[0] : cause}`, {
		code: 'ERR_ADDON_NOT_FOUND',
		detail: 'Build it with "npm run build", or reinstall axway-auth for this platform.'
	});
	err.cause = cause;
	return err;
}

module.exports = {
	CliError,
	SilentExit,
	EXIT_OK,
	EXIT_ERROR,
	EXIT_HELP,
	EXIT_LOGIN_REQUIRED,
	addonLoadError,
	errorEnvelope,
	errorLines,
	errorString,
	exitCodeOf,
	renderError
};
