'use strict';

// axway auth switch — spec 1.6
//
// The core does the switching (config defaults, org switch, team). The shim only picks the
// account (and, interactively, the team) when the user did not name them, and renders.

const HEADLESS_SWITCH = 'Switching default account and organization requires a web browser and is unsupported in headless environments';

const { nonEmpty } = require('../context');

module.exports = {
	name: 'switch',
	desc: 'Select default account, organization, and team',
	help: 'Select default account, organization, and team.',
	options: {
		account: { type: 'string', optionalValue: true, placeholder: '[name]', desc: 'The account to switch to' },
		json: { type: 'boolean', desc: 'Disables prompting and outputs selected account and org as JSON' },
		org: { type: 'string', optionalValue: true, placeholder: '[guid|id|name]', desc: 'The organization to switch to' },
		team: { type: 'string', optionalValue: true, placeholder: '[guid|name]', desc: 'The team to use for the selected account' }
	},

	/**
	 * @param {import('../context').Context} ctx
	 */
	async run(ctx) {
		const { CliError } = require('../errors');
		const { safe } = require('../render');
		const { io, style, json, options } = ctx;
		const api = ctx.api();
		let accountName = nonEmpty(options.account);
		const org = nonEmpty(options.org);
		let team = nonEmpty(options.team);

		// Only to pick the account and team: the core's switch validates the account once.
		const accounts = await api.list({ ...ctx.common(), validate: false });
		if (!accounts.length) {
			throw new CliError('No authenticated accounts found', { code: 'ERR_NOT_FOUND' });
		}

		if (!accountName) {
			if (accounts.length === 1) {
				accountName = accounts[0].name;
			} else if (json) {
				throw new CliError('Must specify --account when --json is set and there are multiple authenticated accounts', { code: 'ERR_INVALID_ARGUMENT' });
			} else if (!ctx.canPrompt()) {
				throw new CliError('Must specify --account when stdin is not a terminal and there are multiple authenticated accounts', { code: 'ERR_INVALID_ARGUMENT' });
			} else {
				const choices = accounts
					.map(a => ({ label: safe(a.name), value: a.name }))
					.sort((a, b) => a.label.localeCompare(b.label));
				const current = accounts.find(a => a.default);
				const initial = current ? choices.findIndex(c => c.value === current.name) : -1;
				accountName = await ctx.prompter().select('Please choose an account', choices, initial);
				io.log();
			}
		}

		// The account as listed (name or hash, like the SDK's find). If it is not there, the core's
		// switch reports the error.
		const selected = accounts.find(a => a.name === accountName || a.hash === accountName);

		// The reference requires --org with --json for every account (spec 10.4 #8). We require
		// it only where an org choice exists: a platform account with several orgs.
		if (json && !org && selected && selected.isPlatform && Array.isArray(selected.orgs) && selected.orgs.length > 1) {
			throw new CliError('Must specify --org when --json is set', { code: 'ERR_INVALID_ARGUMENT' });
		}

		// Team prompt (spec 1.6 step 6): only when the org stays the one we know the teams of.
		if (!team && !json && selected && ctx.canPrompt()) {
			const current = selected.org || {};
			const sameOrg = !org
				|| [ current.guid, current.id !== undefined ? String(current.id) : undefined ].includes(org)
				|| (current.name && current.name.toLowerCase() === org.toLowerCase());
			const teams = Array.isArray(current.teams) ? current.teams : [];
			if (sameOrg && teams.length > 1) {
				const choices = teams
					.map(t => ({ label: `${safe(t.name)} ${style.note(`(${safe(t.guid)})`)}`, sort: `${t.name} (${t.guid})`, value: t.guid }))
					.sort((a, b) => a.sort.localeCompare(b.sort));
				const initial = selected.team ? choices.findIndex(c => c.value === selected.team.guid) : -1;
				team = await ctx.prompter().select('Select a team to use', choices, initial);
				io.log();
			}
		}
		ctx.closePrompter();

		// A platform (non-tooling) account switches its org through the platform's web page
		// (spec 6.4), which needs a browser. Checked here: a callback the core invokes must not throw.
		// Only when the org changes: making the account the default (or picking a team) needs none.
		const current = (selected && selected.org) || {};
		const orgChanges = !!org
			&& ![ current.guid, current.id !== undefined ? String(current.id) : undefined ].includes(org)
			&& !(current.name && current.name.toLowerCase() === org.toLowerCase());
		if (selected && selected.isPlatform && !selected.isPlatformTooling && orgChanges && ctx.isHeadless()) {
			throw new CliError(HEADLESS_SWITCH, { code: 'ERR_HEADLESS' });
		}

		const account = await api.switch({
			...ctx.common(),
			account: accountName,
			org,
			team,
			onOpenBrowser() {
				if (!json) {
					io.log('Launching web browser to switch organization...');
				}
			}
		});

		if (json) {
			// Fix of spec 10.4 #8: only the JSON, no account-info text after it.
			ctx.printJSON(account);
			return;
		}

		const { renderAccountInfo, renderSwitched } = require('../render');
		io.log(renderSwitched(account, style));
		io.log(renderAccountInfo(account, ctx.infoOptions()));
	}
};
