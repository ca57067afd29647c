'use strict';

// axway auth server-info (hidden) — spec 1.10: the realm's OpenID well-known document, as JSON.

module.exports = {
	name: 'server-info',
	hidden: true,
	desc: 'Displays the authentication server\'s OpenID configuration',
	options: {
		json: { type: 'boolean', desc: 'Outputs the server info as JSON (the default)' }
	},

	/**
	 * @param {import('../context').Context} ctx
	 */
	async run(ctx) {
		const info = await ctx.api().serverInfo({ ...ctx.common() });
		// Always JSON, like the reference; it starts with `{`, so no banner either way.
		ctx.printJSON(info);
	}
};
