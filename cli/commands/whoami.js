'use strict';

// axway auth whoami [account-name] — spec 1.7

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

	/**
	 * @param {import('../context').Context} ctx
	 */
	async run(ctx) {
		const { accountName } = ctx.options;
		// The core matches (name or hash, else a case-insensitive regular expression over name,
		// email and org name) and marks the account in use as `default`: --account, else
		// AXWAY_AUTH_ACCOUNT, else the configured default.
		const accounts = await ctx.api().whoami({ ...ctx.common(), accountName, account: ctx.options.account, all: true });
		const chosen = ctx.options.account || ctx.io.env.AXWAY_AUTH_ACCOUNT;

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
