'use strict';

// Pure rendering: banner, tables, durations, the account lines and the account-info block.
// Nothing here does I/O; every function takes a `style` (from style.createStyle).

const { CHECK, stripAnsi } = require('./style');

let nativeSanitize;

/**
 * Text from outside (names from the platform, account names from a store written by something
 * else) made safe for one terminal line by the core's sanitiser: control and bidi characters
 * replaced, line breaks collapsed, length bounded. `undefined`/`null` stay as they are; `--json`
 * output never goes through here.
 */
function safe(value) {
	if (value === undefined || value === null) {
		return value;
	}
	if (!nativeSanitize) {
		nativeSanitize = require('../binding.js').sanitize;
	}
	return nativeSanitize(String(value));
}

/**
 * Spec 1.1: `AXWAY CLI, version <v>` (+ ` <ENV TITLE>` in yellow when the env is not prod),
 * the copyright line, then one blank line.
 */
function renderBanner({ version, env = 'prod', envTitle, style, year = new Date().getFullYear() }) {
	const suffix = env && env !== 'prod' ? ` ${style.yellow(String(envTitle || env).toUpperCase())}` : '';
	return `${style.highlight('AXWAY CLI')}, version ${version}${suffix}\n`
		+ `Copyright (c) 2018-${year}, Axway, Inc. All Rights Reserved.\n\n`;
}

/**
 * Display width of a cell: ANSI codes are ignored, combining marks are zero width, East Asian
 * wide and fullwidth characters count 2. `✔` counts 1, like cli-table3.
 */
function textWidth(s) {
	let width = 0;
	for (const ch of stripAnsi(s)) {
		const cp = ch.codePointAt(0);
		if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || (cp >= 0x300 && cp <= 0x36f) || cp === 0x200b || (cp >= 0xfe00 && cp <= 0xfe0f)) {
			continue;
		}
		if (
			(cp >= 0x1100 && cp <= 0x115f)
			|| (cp >= 0x2e80 && cp <= 0xa4cf && cp !== 0x303f)
			|| (cp >= 0xac00 && cp <= 0xd7a3)
			|| (cp >= 0xf900 && cp <= 0xfaff)
			|| (cp >= 0xfe30 && cp <= 0xfe4f)
			|| (cp >= 0xff00 && cp <= 0xff60)
			|| (cp >= 0xffe0 && cp <= 0xffe6)
			|| (cp >= 0x1f300 && cp <= 0x1f64f)
			|| (cp >= 0x1f900 && cp <= 0x1f9ff)
			|| (cp >= 0x20000 && cp <= 0x3fffd)
		) {
			width += 2;
		} else {
			width += 1;
		}
	}
	return width;
}

/**
 * Spec 1.9 (`createTable`): no borders, columns separated by exactly two spaces, no padding,
 * upper-cased uncoloured headers, every cell padded to its column width (so lines can end in
 * spaces). `head` may be empty for a table without a header row.
 * @param {string[]} head
 * @param {Array<Array<string|number|null|undefined>>} rows
 * @returns {string} the lines joined with `\n`, no trailing newline
 */
function renderTable(head, rows) {
	const all = [];
	if (head && head.length) {
		all.push(head.map(h => String(h).toUpperCase()));
	}
	for (const row of rows) {
		all.push(row.map(c => (c === undefined || c === null ? '' : String(c))));
	}
	const columns = all.reduce((n, r) => Math.max(n, r.length), 0);
	const widths = new Array(columns).fill(0);
	for (const row of all) {
		for (let i = 0; i < columns; i++) {
			widths[i] = Math.max(widths[i], textWidth(row[i] || ''));
		}
	}
	return all
		.map(row => widths.map((w, i) => {
			const cell = row[i] || '';
			return cell + ' '.repeat(w - textWidth(cell));
		}).join('  '))
		.join('\n');
}

/**
 * pretty-ms with `secondsDecimalDigits: 0, millisecondsDecimalDigits: 0`, as the reference's
 * EXPIRES column: `1h 59m 59s`, `29m 3s`, `2d 1h`, `1y 3d`, `450ms`, `0ms`. Seconds are floored;
 * zero units are skipped. A negative duration (already expired) is the same with a leading `-`.
 */
function formatDuration(ms) {
	if (typeof ms !== 'number' || !Number.isFinite(ms)) {
		return 'n/a';
	}
	if (ms < 0) {
		return `-${formatDuration(-ms)}`;
	}
	if (ms < 1000) {
		return `${Math.round(ms) < 1 && ms > 0 ? 1 : Math.round(ms)}ms`;
	}
	const days = Math.trunc(ms / 86400000);
	const parts = [];
	const add = (value, unit) => {
		if (value) {
			parts.push(`${value}${unit}`);
		}
	};
	add(Math.trunc(days / 365), 'y');
	add(days % 365, 'd');
	add(Math.trunc(ms / 3600000) % 24, 'h');
	add(Math.trunc(ms / 60000) % 60, 'm');
	add(Math.floor((ms / 1000) % 60), 's');
	return parts.length ? parts.join(' ') : '0ms';
}

function who(account) {
	return safe((account.user && account.user.email) || account.name);
}

/**
 * The "You are logged into …" line of login/whoami (spec 1.4 step 7, 1.7); `already` gives the
 * EAUTHENTICATED form (spec 1.4 step 5).
 */
function renderLoggedIn(account, style, { already = false } = {}) {
	const prefix = already ? 'You are already logged into' : 'You are logged into';
	if (account.isPlatform && account.org && account.org.name) {
		return `${prefix} a ${style.highlight('platform')} account in organization ${style.highlight(safe(account.org.name))} ${style.note(`(${safe(account.org.guid)})`)} as ${style.highlight(who(account))}.`;
	}
	return `${prefix} a ${style.highlight('service')} account as ${style.highlight(who(account))}.`;
}

/**
 * Spec 1.6 step 8.
 */
function renderSwitched(account, style) {
	if (account.isPlatform && account.org && account.org.name) {
		return `Default account set to ${style.highlight(who(account))} in ${style.highlight(safe(account.org.name))} ${style.note(`(${safe(account.org.guid)})`)}`;
	}
	return `Default account set to ${style.highlight(who(account))}`;
}

function hasValue(v) {
	return v !== undefined && v !== null && v !== '';
}

/**
 * Spec 1.3: the `axway auth list` table.
 */
function renderAccountList(accounts, { style, now = Date.now() }) {
	const rows = accounts.map(account => {
		const { auth = {}, org, team } = account;
		const expires = auth.expires || {};
		const name = safe(account.name);
		return [
			account.default ? style.green(`${CHECK} ${name}`) : `  ${name}`,
			!org || !org.name ? 'n/a' : hasValue(org.id) ? `${safe(org.name)} (${safe(org.id)})` : safe(org.name),
			team ? `${safe(team.name)} (${safe(team.guid)})` : 'n/a',
			safe((org && org.region) || 'US'),
			account.isPlatform ? 'Platform' : 'Service',
			formatDuration((expires.refresh || expires.access) - now)
		];
	});
	return renderTable([ 'Account Name', 'Organization', 'Current Team', 'Region', 'Type', 'Expires' ], rows);
}

/**
 * A role entry may be a plain id (what the account record stores) or, when richer data is
 * available, an object `{ id, name, default }` (the platform's role catalogue entry).
 */
function roleRow(role, style) {
	if (role && typeof role === 'object') {
		return [
			`  ${safe(role.id) || style.note('n/a')}`,
			safe(role.name || role.id || ''),
			role.default === undefined ? style.note('n/a') : role.default ? 'Platform' : 'Service'
		];
	}
	// Without the role catalogue (`GET /api/v1/role`) the description is the raw role id and the
	// type is unknown, exactly as the reference renders an id it cannot find in the catalogue.
	return [ `  ${safe(role)}`, safe(role), style.note('n/a') ];
}

function teamRoles(team, account) {
	const userGuid = account.user && account.user.guid;
	if (userGuid && Array.isArray(team.users)) {
		const user = team.users.find(u => u && u.guid === userGuid);
		if (user && Array.isArray(user.roles) && user.roles.length) {
			return safe(user.roles.join(', '));
		}
	}
	if (account.team && team.guid === account.team.guid && Array.isArray(account.team.roles) && account.team.roles.length) {
		return safe(account.team.roles.join(', '));
	}
	if (Array.isArray(team.roles) && team.roles.length && team.roles.every(r => typeof r === 'string')) {
		return safe(team.roles.join(', '));
	}
	return null;
}

/**
 * Spec 1.8 (`renderAccountInfo`): the region line, then the orgs, roles and teams tables, each
 * preceded by one blank line. Returned without a trailing newline.
 * @param {object} account
 * @param {object} o
 * @param {object} o.style
 * @param {string} [o.region] - config key `region`, which wins over `org.region`
 * @param {Array<{id,name,default}>} [o.roles] - optional role catalogue to describe `account.roles`
 */
function renderAccountInfo(account, { style, region, roles: catalogue } = {}) {
	const org = account.org || {};
	let s = `The current region is set to ${style.highlight(safe(region || org.region || 'US'))}.`;

	if (Array.isArray(account.orgs) && account.orgs.length) {
		const rows = account.orgs.map(o => [
			o.default ? style.green(`${CHECK} ${safe(o.name)}`) : `  ${safe(o.name)}`,
			safe(o.guid),
			safe(o.id)
		]);
		s += `\n\n${renderTable([ 'Organization', 'GUID', 'ORG ID' ], rows)}`;
	}

	if (Array.isArray(account.roles) && account.roles.length) {
		const rows = account.roles.map(role => {
			const info = typeof role === 'string' && Array.isArray(catalogue) ? catalogue.find(r => r && r.id === role) : null;
			return roleRow(info || role, style);
		});
		s += `\n\n${renderTable([ org.name ? `"${safe(org.name)}" Roles` : 'Roles', 'Description', 'Type' ], rows)}`;
	}

	if (account.team) {
		// The reference sorts with a broken comparator (spec 10.4 #16); we sort by name.
		const teams = Array.isArray(org.teams) && org.teams.length ? [ ...org.teams ] : [ account.team ];
		teams.sort((a, b) => String(a.name).localeCompare(String(b.name)));
		const rows = teams.map(team => [
			team.guid === account.team.guid ? style.green(`${CHECK} ${safe(team.name)}`) : `  ${safe(team.name)}`,
			safe(team.guid),
			teamRoles(team, account) || style.note('n/a')
		]);
		s += `\n\n${renderTable([ org.name ? `"${safe(org.name)}" Teams` : 'Teams', 'GUID', 'Role' ], rows)}`;
	}

	return s;
}

/**
 * The last line of `axway auth ls`: where tokens are kept (`storeLocation()`'s result).
 */
function renderStoreLocation({ type, path } = {}, style) {
	switch (type) {
		case 'secure':
			return style.note(`Tokens are kept in ${path}, encrypted with a key in the OS keychain.`);
		case 'file':
			return style.note(`Tokens are kept in ${path} (file store, no OS keychain).`);
		case 'memory':
			return style.note('Tokens are kept in memory only (token store type "memory").');
		default:
			return style.note('Tokens are not kept (token store type "null").');
	}
}

module.exports = {
	formatDuration,
	renderAccountInfo,
	renderAccountList,
	renderBanner,
	renderLoggedIn,
	renderStoreLocation,
	renderSwitched,
	renderTable,
	safe,
	textWidth
};
