'use strict';

// Secrets read from standard input (`--client-secret-stdin`, `--password-stdin`), so they never
// appear in argv (`ps`), shell history or CI logs that echo commands.

const { CliError } = require('./errors');

/**
 * Reads one line from `stdin`: everything up to EOF, one trailing newline (`\n` or `\r\n`)
 * stripped. Refuses a terminal (the value would be typed in the clear: leave the flag out to
 * be prompted), empty input and more than one line.
 * @param {NodeJS.ReadableStream} stdin
 * @param {string} flag - e.g. `--client-secret-stdin`, for the errors
 * @returns {Promise<string>}
 */
async function readSecretLine(stdin, flag) {
	if (!stdin || stdin.isTTY) {
		throw new CliError(`${flag} reads the secret from standard input, which is a terminal: pipe it in (printf '%s\\n' "$SECRET" | axway auth login … ${flag}), or leave ${flag} out to be prompted`, { code: 'ERR_INVALID_ARGUMENT' });
	}
	const chunks = [];
	for await (const chunk of stdin) {
		chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
	}
	const text = Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
	if (!text) {
		throw new CliError(`${flag}: standard input is empty; pipe the secret in, one line`, { code: 'ERR_INVALID_ARGUMENT' });
	}
	if (/[\r\n]/.test(text)) {
		throw new CliError(`${flag}: expected one line on standard input, got several`, { code: 'ERR_INVALID_ARGUMENT' });
	}
	return text;
}

module.exports = { readSecretLine };
