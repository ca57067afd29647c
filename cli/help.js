'use strict';

// Help screens (cli-kit layout): description, USAGE, arguments, options by group, global
// options, examples. Hidden commands, aliases and options are not listed.

const { AUTH_OPTIONS, COMMANDS, GLOBAL_OPTIONS, loadCommand } = require('./args');
const { stripAnsi } = require('./style');

const AUTH_DESC = 'The Axway Auth CLI authenticates with the Axway Amplify Platform, manages access tokens, and retrieves user information.';

const AUTH_FOOTER = style => `Examples:

  Log into a platform account using a web browser:
    ${style.highlight('axway auth login')}

  Log into a platform account from SSH, a container or WSL (a code entered in any browser):
    ${style.highlight('axway auth login --device')}

  Log into a service account using a PEM formatted secret key:
    ${style.highlight('axway auth login --client-id <id> --secret-file <path>')}

  Log into a service account using a client secret from standard input (or AXWAY_AUTH_CLIENT_SECRET):
    ${style.highlight('printf \'%s\\n\' "$CLIENT_SECRET" | axway auth login --client-id <id> --client-secret-stdin')}

  Print an access token for a script (exit code 3: log in first):
    ${style.highlight('axway auth token | xargs -I{} curl -H "Authorization: Bearer {}" <url>')}

  List all authenticated accounts:
    ${style.highlight('axway auth list')}

  Show the current default selected account:
    ${style.highlight('axway auth whoami')}

  Use another account for one command (or a whole job: AXWAY_AUTH_ACCOUNT=<name>):
    ${style.highlight('axway auth token --account <name>')}

  Switch default account, org, and team:
    ${style.highlight('axway auth switch')}

  Log out of an account:
    ${style.highlight('axway auth logout')}

  Check the network, proxy, certificates and token store:
    ${style.highlight('axway auth doctor')}`;

function optionLabel(name, spec) {
	if (spec.label) {
		return spec.label;
	}
	const long = `--${name}${spec.placeholder ? ` ${spec.placeholder}` : ''}`;
	return spec.short ? `-${spec.short}, ${long}` : long;
}

function optionRows(specs) {
	return Object.entries(specs)
		.filter(([ , spec ]) => !spec.hidden && spec.desc)
		.map(([ name, spec ]) => ({ label: optionLabel(name, spec), desc: spec.desc, group: spec.group }));
}

/**
 * @param {string|null} command - canonical command name, or null for `axway auth`
 * @param {object} style
 * @returns {string} without a trailing newline
 */
function renderHelp(command, style) {
	const sections = [];
	// every row of every section, for one shared label column width
	const allRows = [];

	const section = (title, rows, { grouped = false } = {}) => {
		if (!rows.length) {
			return;
		}
		allRows.push(...rows);
		sections.push({ title, rows, grouped });
	};

	let intro;
	let usage;
	let footer;
	if (!command) {
		intro = AUTH_DESC;
		usage = 'axway auth <command> [options]';
		const rows = COMMANDS
			.map(loadCommand)
			.filter(c => !c.hidden)
			.map(c => {
				const visibleAliases = (c.aliases || []).filter(a => !(c.hiddenAliases || []).includes(a));
				return { label: [ ...visibleAliases, c.name ].join(', '), desc: c.desc };
			});
		section('AUTH COMMANDS:', rows);
		footer = AUTH_FOOTER(style);
	} else {
		const spec = loadCommand(command);
		intro = spec.help || `${spec.desc}.`;
		const args = spec.args || [];
		usage = `axway auth ${command}${args.map(a => ` [<${a.name}>]`).join('')} [options]`;
		section(`${command.toUpperCase()} ARGUMENTS:`, args.map(a => ({ label: `<${a.name}>`, desc: a.desc })));
		const rows = optionRows(spec.options);
		section(`${command.toUpperCase()} OPTIONS:`, rows, { grouped: rows.some(r => r.group) });
		footer = spec.footer ? spec.footer(style) : null;
	}
	section('AUTH OPTIONS:', optionRows(AUTH_OPTIONS));
	section('GLOBAL OPTIONS:', optionRows(GLOBAL_OPTIONS));

	const width = allRows.reduce((w, r) => Math.max(w, stripAnsi(r.label).length), 0);
	const out = [ intro, '', `USAGE: ${style.highlight(usage)}` ];
	for (const { title, rows, grouped } of sections) {
		out.push('', title);
		let group;
		for (const row of rows) {
			if (grouped && row.group !== group) {
				group = row.group;
				out.push(style.note(`${group}:`));
			}
			out.push(`  ${style.highlight(row.label.padEnd(width))}  ${row.desc}`);
		}
	}
	if (footer) {
		out.push('', footer.replace(/^Examples:/, 'EXAMPLES:'));
	}
	return out.join('\n');
}

module.exports = { renderHelp };
