'use strict';

// What a command's `run(ctx)` gets: its parsed options, the streams, and lazy access to the
// addon, the display config, prompts and the headless check. Everything is injectable
// (`deps`) so commands run in tests against a fake API and fake streams.

const { addonLoadError } = require('./errors');

/** A string option's value when one was given: non-empty, else `undefined` (an option with an
 * optional value given alone parses as ''). */
function nonEmpty(v) {
	return typeof v === 'string' && v !== '' ? v : undefined;
}

class Context {
	/**
	 * @param {object} o
	 * @param {string} o.command
	 * @param {object} o.options - from args.parseCommandLine
	 * @param {import('./io').IO} o.io
	 * @param {object} [o.deps] - { api, config, isHeadless, now }
	 */
	constructor({ command, options, io, deps = {} }) {
		this.command = command;
		this.options = options;
		this.io = io;
		this.style = io.style;
		this.json = !!options.json;
		this.deps = deps;
		this._api = deps.api || null;
		this._config = deps.config || null;
		this._prompter = null;
	}

	/** The native addon, loaded on first use (so `--help` and usage errors never load it). */
	api() {
		if (!this._api) {
			try {
				this._api = require('../binding.js');
			} catch (err) {
				throw addonLoadError(err);
			}
		}
		return this._api;
	}

	/**
	 * Options common to every API call: only what the user gave. The core reads the config
	 * file for everything else.
	 */
	common() {
		const { env, baseUrl, realm } = this.options;
		// the command never shows tokens, persisted secrets or the session id (not in --json
		// either): the core leaves them out of every account it returns (`token` returns its own
		// shape)
		const common = { exposure: 'noTokens' };
		if (env) {
			common.env = env;
		}
		if (baseUrl) {
			common.baseUrl = baseUrl;
		}
		if (realm) {
			common.realm = realm;
		}
		return common;
	}

	/** `~/.axway/axway-cli/config.json`, read once, for display keys only. */
	config() {
		if (!this._config) {
			const { readConfig } = require('./environment');
			this._config = readConfig({ homeDir: this.deps.homeDir });
		}
		return this._config;
	}

	/** Options for render.renderAccountInfo. */
	infoOptions() {
		const region = this.config().region;
		return { style: this.style, region: typeof region === 'string' && region ? region : undefined };
	}

	isHeadless() {
		if (this.deps.isHeadless) {
			return this.deps.isHeadless();
		}
		return require('./environment').isHeadless({ env: this.io.env });
	}

	/**
	 * Why no browser can reach the user from this machine (the core's check: SSH, container, no
	 * display), or null. The core makes the same check when it picks the login flow.
	 */
	headlessReason() {
		if (this.deps.isHeadless) {
			return this.deps.isHeadless() ? 'headless (test)' : null;
		}
		const api = this.api();
		return typeof api.headlessReason === 'function' ? api.headlessReason() : null;
	}

	now() {
		return this.deps.now ? this.deps.now() : Date.now();
	}

	/** Prompts are possible only on a terminal. */
	canPrompt() {
		return !!(this.io.stdin && this.io.stdin.isTTY);
	}

	prompter() {
		if (!this._prompter) {
			const { Prompter } = require('./prompt');
			this._prompter = new Prompter(this.io);
		}
		return this._prompter;
	}

	closePrompter() {
		if (this._prompter) {
			this._prompter.close();
		}
	}

	/** Prints a JSON result on stdout (2-space indent, trailing newline). */
	printJSON(value) {
		this.io.log(JSON.stringify(value, null, 2));
	}
}

module.exports = { Context, nonEmpty };
