'use strict';

// axway auth list (alias ls) — spec 1.3

module.exports = {
	name: 'list',
	aliases: [ 'ls' ],
	desc: 'Lists all authenticated accounts',
	help: 'Displays a list of all authenticated accounts, their selected platform\norganization, and the current team.',
	options: {
		json: { type: 'boolean', desc: 'Outputs accounts as JSON' }
	},

	/**
	 * @param {import('../context').Context} ctx
	 */
	async run(ctx) {
		const accounts = await ctx.api().list({ ...ctx.common(), validate: true });

		if (ctx.json) {
			ctx.printJSON(accounts);
			return;
		}

		if (!accounts.length) {
			ctx.io.log('No authenticated accounts.');
		} else {
			const { renderAccountList } = require('../render');
			ctx.io.log(renderAccountList(accounts, { style: ctx.style, now: ctx.now() }));
		}
		// the last line: where the tokens are
		if (typeof ctx.api().storeLocation === 'function') {
			const { renderStoreLocation } = require('../render');
			ctx.io.log();
			ctx.io.log(renderStoreLocation(await ctx.api().storeLocation(ctx.common()), ctx.style));
		}
	}
};
