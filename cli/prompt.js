'use strict';

// Minimal prompts on node:readline (no enquirer): text input, hidden password input and a
// numbered select. One readline interface serves every question of a command, and answers are
// queued, so piped input (`printf 'me\nsecret\n' | axway auth login …`) works line by line.

const { Writable } = require('node:stream');
const { CliError } = require('./errors');

class Prompter {
	/**
	 * @param {import('./io').IO} io
	 */
	constructor(io) {
		this.io = io;
		this.rl = null;
		this.muted = false;
		this.queue = [];
		this.waiter = null;
		this.closed = false;
	}

	_init() {
		if (this.rl) {
			return;
		}
		const readline = require('node:readline');
		const { io } = this;
		// Everything readline echoes goes through here, so a hidden answer is never displayed.
		const output = new Writable({
			write: (chunk, _enc, cb) => {
				if (!this.muted) {
					io.write(chunk.toString());
				}
				cb();
			}
		});
		output.columns = io.stdout.columns;
		this.rl = readline.createInterface({
			input: io.stdin,
			output,
			terminal: !!io.stdin.isTTY,
			historySize: 0
		});
		this.rl.on('line', line => {
			if (this.waiter) {
				const { resolve } = this.waiter;
				this.waiter = null;
				resolve(line);
			} else {
				this.queue.push(line);
			}
		});
		this.rl.on('close', () => {
			this.closed = true;
			this._fail(new CliError('Prompt cancelled: no more input', { code: 'ERR_PROMPT_CANCELLED' }));
		});
		this.rl.on('SIGINT', () => {
			this._fail(new CliError('Cancelled', { code: 'ERR_PROMPT_CANCELLED' }));
			this.close();
		});
	}

	_fail(err) {
		if (this.waiter) {
			const { reject } = this.waiter;
			this.waiter = null;
			this.muted = false;
			if (this.io.stdin.isTTY) {
				// leave the prompt's line before the error is printed
				this.io.write('\n');
			}
			reject(err);
		}
	}

	/**
	 * Asks one question and resolves with the raw answer line.
	 */
	question(text, { hidden = false } = {}) {
		this._init();
		this.muted = false;
		this.rl.setPrompt(text);
		this.rl.prompt();
		this.muted = hidden;
		const done = answer => {
			this.muted = false;
			// A terminal echoes the user's Enter, except while muted; piped input is not echoed at
			// all. Either way, end the prompt's line ourselves.
			if (hidden || !this.io.stdin.isTTY) {
				this.io.write('\n');
			}
			return answer;
		};
		if (this.queue.length) {
			return Promise.resolve(done(this.queue.shift()));
		}
		if (this.closed) {
			this.muted = false;
			return Promise.reject(new CliError('Prompt cancelled: no more input', { code: 'ERR_PROMPT_CANCELLED' }));
		}
		return new Promise((resolve, reject) => {
			this.waiter = { resolve, reject };
		}).then(done, err => {
			this.muted = false;
			throw err;
		});
	}

	/**
	 * Asks until `validate(answer)` returns true; any other return value is shown as the error.
	 */
	async ask(message, { hidden = false, validate = () => true } = {}) {
		for (;;) {
			const answer = await this.question(`${message} `, { hidden });
			const result = validate(answer);
			if (result === true) {
				return answer;
			}
			this.io.log(this.io.style.red(result));
		}
	}

	input(message, opts) {
		return this.ask(message, opts);
	}

	password(message, opts) {
		return this.ask(message, { ...opts, hidden: true });
	}

	/**
	 * A numbered select. `choices` are `{ label, value }`; `initial` is the index picked by an
	 * empty answer (or -1 for none). Resolves with the chosen value.
	 */
	async select(message, choices, initial = -1) {
		const { style } = this.io;
		this.io.log(message);
		choices.forEach((choice, i) => {
			this.io.log(`  ${style.highlight(String(i + 1).padStart(String(choices.length).length))}) ${choice.label}`);
		});
		const hint = initial >= 0 && initial < choices.length ? ` [${initial + 1}]` : '';
		const answer = await this.ask(`Enter a number${hint}:`, {
			validate: s => {
				const t = s.trim();
				if (!t && hint) {
					return true;
				}
				const n = Number(t);
				return Number.isInteger(n) && n >= 1 && n <= choices.length ? true : `Please enter a number between 1 and ${choices.length}`;
			}
		});
		const t = answer.trim();
		return choices[t ? Number(t) - 1 : initial].value;
	}

	close() {
		if (this.rl && !this.closed) {
			this.closed = true;
			this.rl.close();
		}
	}
}

module.exports = { Prompter };
