'use strict';

// axway auth logout [accounts...] (hidden alias revoke) — spec 1.5

const REVOKED_HINTS = {
	server: ' (revoked at the server)',
	local: ' (removed locally)'
};

module.exports = {
	name: 'logout',
	aliases: [ 'revoke' ],
	hiddenAliases: [ 'revoke' ],
	desc: 'Log out all or specific accounts',
	args: [
		{ name: 'accounts...', key: 'accounts', variadic: true, desc: 'One or more specific accounts to revoke credentials' }
	],
	options: {
		json: { type: 'boolean', desc: 'Outputs revoked accounts as JSON' }
	},

	/**
	 * @param {import('../context').Context} ctx
	 */
	async run(ctx) {
		const { CliError } = require('../errors');
		const names = ctx.options.accounts || [];
		const { io, style } = ctx;

		const revoked = await ctx.api().logout({
			...ctx.common(),
			accounts: names,
			all: names.length === 0,
			// Fix of spec 10.4 #9: the reference passes a callback the SDK never calls. Ours is
			// used if the core calls it before opening the sign-out page of a platform account.
			onOpenBrowser() {
				if (ctx.isHeadless()) {
					const out = ctx.json ? io.error.bind(io) : io.log.bind(io);
					out(style.yellow(' ┃ Logging out of a platform account requires a web browser and is unsupported'));
					out(style.yellow(' ┃ in headless environments.'));
					out();
				}
			}
		});

		if (ctx.json) {
			// exit 0 even when empty; secrets are stripped (the reference dumps them)
			ctx.printJSON(revoked);
			return;
		}

		if (!revoked.length) {
			if (names.length === 1) {
				throw new CliError(`No account "${names[0]}" found`, { code: 'ERR_NOT_FOUND' });
			}
			throw new CliError('No authenticated accounts found', { code: 'ERR_NOT_FOUND' });
		}

		io.log('Revoked authenticated accounts:');
		for (const account of revoked) {
			const hint = account && REVOKED_HINTS[account.revoked];
			io.log(` ${style.highlight(account.name)}${hint ? style.note(hint) : ''}`);
		}
	}
};
