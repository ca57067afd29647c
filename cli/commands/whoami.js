'use strict';

// axway auth whoami [account-name] — spec 1.7

/**
 * Keeps the accounts whose `name`, `user.email` or `org.name` matches `pattern`.
 *
 * The pattern is a case-insensitive regular expression, as in the reference. Fix of spec
 * 10.4 #10: when it is not a valid regex (e.g. `foo(`, `[bar`), it is matched as a literal,
 * case-insensitive substring instead of failing with "Invalid regular expression". Missing
 * fields never match (the reference tested the string "undefined").
 */
function filterAccounts(accounts, pattern) {
	let test;
	try {
		const re = new RegExp(pattern, 'i');
		test = s => re.test(s);
	} catch {
		const needle = String(pattern).toLowerCase();
		test = s => s.toLowerCase().includes(needle);
	}
	const matches = v => typeof v === 'string' && test(v);
	return accounts.filter(a => matches(a.name) || matches(a.user && a.user.email) || matches(a.org && a.org.name));
}

module.exports = {
	name: 'whoami',
	desc: 'Display info for an authenticated account',
	help: 'Display the currently selected account, organizations, roles, and teams.',
	args: [
		{ name: 'account-name', key: 'accountName', desc: 'The account to display' }
	],
	options: {
		account: { type: 'string', placeholder: '<name>', desc: 'The account (name or hash) to show instead of the default account; also AXWAY_AUTH_ACCOUNT' },
		json: { type: 'boolean', desc: 'Outputs accounts as JSON' }
	},
	filterAccounts,

	/**
	 * @param {import('../context').Context} ctx
	 */
	async run(ctx) {
		const { accountName } = ctx.options;
		const options = { ...ctx.common(), validate: true };
		if (ctx.options.account) {
			options.account = ctx.options.account;
		}
		let accounts = await ctx.api().list(options);

		// The core marks the account in use as `default`: --account, else AXWAY_AUTH_ACCOUNT (matched
		// by name or hash), else the configured default. A chosen account is the only one shown.
		const chosen = ctx.options.account || ctx.io.env.AXWAY_AUTH_ACCOUNT;
		if (accountName) {
			accounts = filterAccounts(accounts, accountName);
		} else if (chosen) {
			accounts = accounts.filter(a => a.default);
		}

		if (ctx.json) {
			ctx.printJSON(accounts);
			return;
		}

		const { style, io } = ctx;
		if (!accounts.length) {
			const wanted = accountName || chosen;
			io.log(wanted ? `The account ${style.highlight(wanted)} is not logged in.` : 'You are not logged in.');
			return;
		}

		const { renderAccountInfo, renderLoggedIn } = require('../render');
		const account = accounts.find(a => a.default) || accounts[0];
		io.log(renderLoggedIn(account, style));
		io.log(renderAccountInfo(account, ctx.infoOptions()));
	}
};
