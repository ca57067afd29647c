'use strict';

// Colours and symbols. Spec conventions: "highlight" is cyan, "note" is gray, success is green,
// errors are red, the banner's env title is yellow. `✔`/`✖` become `√`/`x` on Windows.

const CHECK = process.platform === 'win32' ? '√' : '✔';
const CROSS = process.platform === 'win32' ? 'x' : '✖';

function sgr(enabled, open, close) {
	return enabled ? s => `\x1b[${open}m${s}\x1b[${close}m` : s => String(s);
}

/**
 * @param {boolean} enabled - whether ANSI colours are emitted
 */
function createStyle(enabled) {
	return {
		enabled: !!enabled,
		highlight: sgr(enabled, 36, 39),
		note: sgr(enabled, 90, 39),
		green: sgr(enabled, 32, 39),
		red: sgr(enabled, 31, 39),
		yellow: sgr(enabled, 33, 39),
		heading: s => String(s)
	};
}

/**
 * Colours only when stdout is a TTY, `--no-color` is absent and `NO_COLOR` is unset (or empty,
 * per no-color.org). `FORCE_COLOR` (honoured by the reference through chalk) turns them on for a
 * non-TTY; `--no-color` and `NO_COLOR` still win.
 */
function colorEnabled({ noColor, env = process.env, stdout = process.stdout } = {}) {
	if (noColor) {
		return false;
	}
	if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') {
		return false;
	}
	if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '' && env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false') {
		return true;
	}
	return !!(stdout && stdout.isTTY);
}

// eslint-disable-next-line no-control-regex
const ANSI_RE = /\x1b\[[0-9;]*m/g;

function stripAnsi(s) {
	return String(s).replace(ANSI_RE, '');
}

module.exports = { CHECK, CROSS, createStyle, colorEnabled, stripAnsi };
