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
		json: { type: 'boolean', desc: 'Outputs revoked accounts as JSON' },
		reset: { type: 'boolean', desc: 'Move an unreadable token store aside instead of logging out' }
	},
	footer: style => `A token store that cannot be read (corrupt, written by another tool, or whose key is
gone from the OS keychain) is reported and left untouched. To start afresh, run:

  ${style.highlight('axway auth logout --reset')}

This renames the store file (and its v1 copy) to ${style.highlight('<file>.<UTC timestamp>.corrupt')} in the
same directory; nothing is deleted. A readable store is left as it is. Then log in again.`,

	/**
	 * @param {import('../context').Context} ctx
	 */
	async run(ctx) {
		const { CliError } = require('../errors');
		const names = ctx.options.accounts || [];
		const { io, style } = ctx;

		if (ctx.options.reset) {
			if (names.length) {
				throw new CliError('--reset does not take account names: it moves the whole unreadable token store aside', { code: 'ERR_INVALID_ARGUMENT' });
			}
			const { movedTo } = await ctx.api().resetStore(ctx.common());
			if (ctx.json) {
				ctx.printJSON({ movedTo });
			} else if (movedTo) {
				io.log(`Moved the unreadable token store aside to ${style.highlight(movedTo)}`);
				io.log('Log in again to create a new one.');
			} else {
				io.log('The token store is readable (or absent); nothing was moved.');
				io.log(`To log out, run ${style.highlight('axway auth logout')}`);
			}
			return;
		}

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
			io.log(` ${style.highlight(require('../render').safe(account.name))}${hint ? style.note(hint) : ''}`);
		}
	}
};
