'use strict';

// Command-line parsing on node:util parseArgs, with no side effects: testable without the addon.
//
//   axway [global options] auth <command> [options] [args]
//
// Options may appear anywhere (as with cli-kit). Options documented with an optional value
// (`--username [email]`) may be given without one: `--username` alone, or followed by another
// option, yields ''. A value that starts with `-` must be written `--password=-secret`.

const { parseArgs } = require('node:util');
const { CliError } = require('./errors');

const COMMANDS = [ 'list', 'login', 'logout', 'switch', 'token', 'whoami', 'doctor', 'server-info' ];
const ALIASES = { ls: 'list', revoke: 'logout' };

const GLOBAL_OPTIONS = {
	'no-banner': { type: 'boolean', desc: 'Suppress the banner' },
	'no-color': { type: 'boolean', desc: 'Disable colors', label: '--no-color' },
	'no-colors': { type: 'boolean', hidden: true },
	help: { type: 'boolean', short: 'h', desc: 'Displays the help screen' },
	version: { type: 'boolean', short: 'v', desc: 'Outputs the version' },
	env: { type: 'string', hidden: true, placeholder: '<name>', desc: 'The environment to use' }
};

// the `auth` group's options, inherited by every subcommand
const AUTH_OPTIONS = {
	'base-url': { type: 'string', hidden: true, placeholder: '<url>', desc: 'The base URL to use for authentication requests' },
	realm: { type: 'string', hidden: true, placeholder: '<realm>', desc: 'The authentication realm' }
};

// option name -> key in the parsed `options`
const KEY_NAMES = {
	'no-banner': 'noBanner',
	'no-color': 'noColor',
	'no-colors': 'noColor'
};

function camel(name) {
	return KEY_NAMES[name] || name.replace(/-([a-z])/g, (_, c) => c.toUpperCase());
}

function resolveCommand(name) {
	if (name === undefined) {
		return null;
	}
	const resolved = ALIASES[name] || name;
	return COMMANDS.includes(resolved) ? resolved : undefined;
}

function loadCommand(name) {
	return require(`./commands/${name}.js`);
}

/** parseArgs config from our option specs (drops our descriptive keys). */
function toParseArgsConfig(specs) {
	const config = {};
	for (const [ name, spec ] of Object.entries(specs)) {
		config[name] = { type: spec.type };
		if (spec.short) {
			config[name].short = spec.short;
		}
	}
	return config;
}

/**
 * Rewrites `--opt` / `-o` without a value into `--opt=` for options with an optional value.
 */
function normalizeOptionalValues(argv, specs) {
	const optional = new Map();
	for (const [ name, spec ] of Object.entries(specs)) {
		if (spec.optionalValue) {
			optional.set(`--${name}`, name);
			if (spec.short) {
				optional.set(`-${spec.short}`, name);
			}
		}
	}
	const out = [];
	for (let i = 0; i < argv.length; i++) {
		const token = argv[i];
		if (token === '--') {
			out.push(...argv.slice(i));
			break;
		}
		if (optional.has(token)) {
			const name = optional.get(token);
			const next = argv[i + 1];
			if (next === undefined || (next.startsWith('-') && next !== '-')) {
				out.push(`--${name}=`);
			} else {
				out.push(`--${name}=${next}`);
				i++;
			}
			continue;
		}
		out.push(token);
	}
	return out;
}

function translateParseError(err, command) {
	const opt = /'(-[^' ]*(?:, --[^' ]*)?)/.exec(err.message);
	const name = opt ? opt[1].split(', ').pop() : undefined;
	let message = err.message;
	if (err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && name) {
		message = `Unknown option "${name}"`;
	} else if (err.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && name) {
		message = /argument missing|ambiguous/.test(err.message)
			? `Missing value for option "${name}"`
			: `Option "${name}" does not take a value`;
	} else if (err.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
		message = err.message;
	}
	return new CliError(message, { code: 'ERR_INVALID_ARGUMENT', showHelp: true, command });
}

/**
 * Parses `argv` (without node and the script).
 *
 * @returns {{ command: string|null, options: object, help?: boolean, version?: boolean }}
 *   `command` is the canonical name (`ls` -> `list`, `revoke` -> `logout`), or null for the
 *   `auth` group itself. `options` holds camelCased flags (`clientSecret`, `noBanner`,
 *   `launchBrowser: false` for `--no-launch-browser`, `json`, …) and the positional arguments
 *   (`accountName` for whoami, `accounts` for logout). Only flags that were given are set,
 *   except `launchBrowser` (login) and `accounts` (logout), which always have a value.
 * @throws {CliError} usage errors, with `showHelp` set
 */
function parseCommandLine(argv) {
	// 1. a tolerant pass, knowing only the global and group options, to find `auth <command>`
	//    and --help/--version without loading any command module (command options come after
	//    the command, so their values cannot be mistaken for it)
	const groupOptions = { ...GLOBAL_OPTIONS, ...AUTH_OPTIONS };
	const loose = parseArgs({
		args: argv,
		options: toParseArgsConfig(groupOptions),
		strict: false,
		allowPositionals: true
	});
	const positionals = loose.positionals;
	const flags = loose.values;
	const display = {};
	if (flags['no-banner'] === true) {
		display.noBanner = true;
	}
	if (flags['no-color'] === true || flags['no-colors'] === true) {
		display.noColor = true;
	}
	if (flags.json === true) {
		display.json = true;
	}
	if (typeof flags.env === 'string' && flags.env) {
		display.env = flags.env;
	}

	if (positionals.length && positionals[0] !== 'auth') {
		throw new CliError(`Unknown command "${positionals[0]}"`, { code: 'ERR_INVALID_ARGUMENT', showHelp: true, command: null });
	}

	const command = resolveCommand(positionals[1]);
	if (command === undefined) {
		throw new CliError(`Unknown command "${positionals[1]}"`, { code: 'ERR_INVALID_ARGUMENT', showHelp: true, command: null });
	}

	if (flags.help === true) {
		return { command, options: display, help: true };
	}
	if (flags.version === true) {
		return { command, options: display, version: true };
	}
	if (!command) {
		// `axway auth` (or bare `axway`) shows the group help
		return { command: null, options: display, help: true };
	}

	// 2. the strict pass with exactly this command's options
	const spec = loadCommand(command);
	const specs = { ...GLOBAL_OPTIONS, ...AUTH_OPTIONS, ...spec.options };
	let parsed;
	try {
		parsed = parseArgs({
			args: normalizeOptionalValues(argv, specs),
			options: toParseArgsConfig(specs),
			strict: true,
			allowPositionals: true
		});
	} catch (err) {
		throw translateParseError(err, command);
	}

	const options = {};
	for (const [ name, value ] of Object.entries(parsed.values)) {
		if (name === 'no-launch-browser') {
			options.launchBrowser = !value;
		} else if (name === 'help' || name === 'version') {
			continue;
		} else {
			options[camel(name)] = value;
		}
	}
	if (spec.options['no-launch-browser'] && options.launchBrowser === undefined) {
		options.launchBrowser = true;
	}

	// positionals after `auth <command>`
	const rest = parsed.positionals.slice(2);
	const args = spec.args || [];
	let i = 0;
	for (const arg of args) {
		if (arg.variadic) {
			options[arg.key] = rest.slice(i);
			i = rest.length;
		} else if (i < rest.length) {
			options[arg.key] = rest[i++];
		}
	}
	if (i < rest.length) {
		throw new CliError(`Unexpected argument "${rest[i]}"`, { code: 'ERR_INVALID_ARGUMENT', showHelp: true, command });
	}

	return { command, options };
}

/**
 * What little we can tell from argv that failed to parse: used to render a usage error in the
 * right mode (JSON envelope or text, colours, banner).
 */
function sniffDisplayOptions(argv) {
	const options = {};
	for (const token of argv) {
		if (token === '--') {
			break;
		}
		if (token === '--json') {
			options.json = true;
		} else if (token === '--no-banner') {
			options.noBanner = true;
		} else if (token === '--no-color' || token === '--no-colors') {
			options.noColor = true;
		}
	}
	return options;
}

module.exports = {
	ALIASES,
	AUTH_OPTIONS,
	COMMANDS,
	GLOBAL_OPTIONS,
	loadCommand,
	normalizeOptionalValues,
	parseCommandLine,
	resolveCommand,
	sniffDisplayOptions
};
