'use strict';

// The streams a command talks to, plus the deferred banner.
//
// Like cli-kit's `autoHideBanner`, the banner is written (to stdout) just before the first write
// to stdout or stderr, and dropped when that first write starts with `{`, `[` or `<`, when the
// command is in JSON mode, or with `--no-banner`. Commands never print it themselves; `login`
// asks for it eagerly with `showBanner()`.

class IO {
	/**
	 * @param {object} o
	 * @param {NodeJS.WritableStream} o.stdout
	 * @param {NodeJS.WritableStream} o.stderr
	 * @param {NodeJS.ReadableStream} o.stdin
	 * @param {object} o.env - environment variables
	 * @param {object} o.style - from style.createStyle()
	 * @param {() => string} [o.banner] - lazily renders the banner text (with its trailing blank line)
	 */
	constructor({ stdout, stderr, stdin, env, style, banner }) {
		this.stdout = stdout;
		this.stderr = stderr;
		this.stdin = stdin;
		this.env = env;
		this.style = style;
		this.banner = banner || null;
		this.bannerSettled = !this.banner;
	}

	/** Never show the banner from now on (JSON mode). */
	suppressBanner() {
		this.bannerSettled = true;
	}

	/** Print the banner now unless it was already printed or suppressed. */
	showBanner() {
		if (!this.bannerSettled) {
			this.bannerSettled = true;
			this.stdout.write(this.banner());
		}
	}

	_write(stream, text) {
		if (!this.bannerSettled) {
			if (/^\s*[{[<]/.test(text)) {
				this.bannerSettled = true;
			} else {
				this.showBanner();
			}
		}
		stream.write(text);
	}

	/** console.log to stdout */
	log(text = '') {
		this._write(this.stdout, `${text}\n`);
	}

	/** console.error to stderr */
	error(text = '') {
		this._write(this.stderr, `${text}\n`);
	}

	/** raw write to stdout (prompts), still honouring the banner */
	write(text) {
		this._write(this.stdout, text);
	}
}

module.exports = { IO };
