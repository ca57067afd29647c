'use strict';

// One status line while a login waits for the user (the browser, or a device code being
// entered): a spinner, what we wait for, and the time left. Only on a terminal: when the
// stream is not a TTY nothing is written at all, so logs and pipes stay clean.

const FRAMES = [ '⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏' ];
const CLEAR_LINE = '\r\x1b[2K';

/** `m:ss` (or `h:mm:ss`) for a number of seconds. */
function clock(seconds) {
	const s = Math.max(0, Math.ceil(seconds));
	const h = Math.floor(s / 3600);
	const m = Math.floor((s % 3600) / 60);
	const pad = n => String(n).padStart(2, '0');
	return h ? `${h}:${pad(m)}:${pad(s % 60)}` : `${m}:${pad(s % 60)}`;
}

/**
 * Starts the status line on `stream` (stderr). Returns `{ stop() }`; `stop` clears the line
 * and may be called any number of times.
 * @param {object} o
 * @param {NodeJS.WriteStream} o.stream
 * @param {string} o.text - e.g. "Waiting for the login in the browser"
 * @param {number} [o.expiresIn] - seconds until the wait ends (no time shown without it)
 * @param {() => number} [o.now]
 * @param {number} [o.intervalMs]
 */
function startWaiting({ stream, text, expiresIn, now = Date.now, intervalMs = 100 }) {
	if (!stream || !stream.isTTY) {
		return { stop() {} };
	}
	const until = typeof expiresIn === 'number' && expiresIn > 0 ? now() + expiresIn * 1000 : null;
	let frame = 0;
	const draw = () => {
		const left = until ? ` (${clock((until - now()) / 1000)} left)` : '';
		const line = `${FRAMES[frame++ % FRAMES.length]} ${text}${left}`;
		const width = stream.columns || 80;
		stream.write(`${CLEAR_LINE}${line.length >= width ? line.slice(0, width - 1) : line}`);
	};
	draw();
	const timer = setInterval(draw, intervalMs);
	timer.unref();
	let stopped = false;
	return {
		stop() {
			if (!stopped) {
				stopped = true;
				clearInterval(timer);
				stream.write(CLEAR_LINE);
			}
		}
	};
}

module.exports = { clock, startWaiting };
