'use strict';

// Display-only facts about the environment. No auth logic lives here: the core resolves the
// env, URLs, client id and token store itself. The shim only needs
//   - the env title for the banner (spec 1.1, 7.1),
//   - the config key `region` for the account-info block (spec 1.8),
//   - the headless check before a browser login (spec 1.2).

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

// amplify-cli-utils environment table (3.2.16 aliases plus HEAD's preprod): name -> title.
const ENV_TITLES = {
	dev: 'Development',
	staging: 'Staging',
	prod: 'Production',
	preprod: 'PreProduction'
};

const ENV_ALIASES = {
	development: 'dev',
	test: 'staging',
	production: 'prod',
	preproduction: 'preprod',
	'pre-production': 'preprod'
};

/**
 * Resolves the CLI env name and its title as the banner shows it.
 * `--env` wins, then config key `env`, then `prod`.
 * @returns {{ name: string, title: string }}
 */
function resolveEnv(envOption, config) {
	let name = envOption || (config && typeof config.env === 'string' && config.env) || 'prod';
	const lower = String(name).toLowerCase();
	name = ENV_ALIASES[lower] || lower;
	return { name, title: ENV_TITLES[name] || String(envOption || name) };
}

/**
 * `<spec>` in the config keys: `auth` for prod, `auth.environment.<env>` otherwise. `env` is the
 * SDK env name stored on the account (`account.auth.env`).
 */
function authConfigSpecifier(env) {
	return !env || env === 'prod' ? 'auth' : `auth.environment.${env}`;
}

/**
 * Reads `~/.axway/axway-cli/config.json` for display keys. Any problem (missing file, invalid
 * JSON) yields `{}`: the core reports config errors itself, with a proper code.
 */
function readConfig({ homeDir = os.homedir() } = {}) {
	try {
		const value = JSON.parse(fs.readFileSync(path.join(homeDir, '.axway', 'axway-cli', 'config.json'), 'utf8'));
		return value && typeof value === 'object' && !Array.isArray(value) ? value : {};
	} catch {
		return {};
	}
}

/**
 * Spec 1.2: Linux is headless when `SSH_TTY` is set, `DISPLAY` is unset, or `/proc/1/cgroup`
 * mentions docker or lxc; macOS when `SSH_TTY` is set; Windows never. Any error means "not
 * headless".
 */
function isHeadless({ platform = process.platform, env = process.env, readFile = p => fs.readFileSync(p, 'utf8') } = {}) {
	try {
		if (platform === 'linux') {
			if (env.SSH_TTY || !env.DISPLAY) {
				return true;
			}
			const cgroup = readFile('/proc/1/cgroup');
			return /docker|lxc/.test(cgroup);
		}
		if (platform === 'darwin') {
			return !!env.SSH_TTY;
		}
	} catch {
		// fall through
	}
	return false;
}

module.exports = { ENV_TITLES, authConfigSpecifier, isHeadless, readConfig, resolveEnv };
