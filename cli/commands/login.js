'use strict';

// axway auth login — spec 1.4

const { nonEmpty } = require('../context');

module.exports = {
	name: 'login',
	desc: 'Log in to the Axway Amplify Platform',
	help: 'Log in to the Axway Amplify Platform.',
	options: {
		device: { type: 'boolean', group: 'General', desc: 'Log in with a code entered in a browser on any device (SSH, containers, WSL)' },
		force: { type: 'boolean', group: 'General', desc: 'Re-authenticate even if the account is already authenticated' },
		json: { type: 'boolean', group: 'General', desc: 'Outputs authenticated account as JSON' },
		'no-launch-browser': { type: 'boolean', group: 'General', desc: 'Display the authentication URL instead of opening it in the default web browser' },
		org: { type: 'string', placeholder: '<guid|id|name>', group: 'General', desc: 'The organization to select after a device login (no prompt)' },
		'client-id': { type: 'string', optionalValue: true, placeholder: '[id]', group: 'Service Accounts', desc: 'The CLI specific client ID' },
		'client-secret': { type: 'string', short: 'c', optionalValue: true, placeholder: '[key]', group: 'Service Accounts', desc: 'The service account\'s client secret key (visible to other users in ps: prefer --client-secret-stdin or AXWAY_AUTH_CLIENT_SECRET)' },
		'client-secret-stdin': { type: 'boolean', group: 'Service Accounts', desc: 'Read the client secret from standard input (one line)' },
		password: { type: 'string', short: 'p', optionalValue: true, placeholder: '[pass]', group: 'Service Accounts', desc: 'Your Platform Tooling password; requires --client-secret or --secret-file' },
		'password-stdin': { type: 'boolean', group: 'Service Accounts', desc: 'Read the Platform Tooling password from standard input (one line)' },
		'secret-file': { type: 'string', short: 's', optionalValue: true, placeholder: '[path]', group: 'Service Accounts', desc: 'Path to the PEM formatted private key' },
		username: { type: 'string', short: 'u', optionalValue: true, placeholder: '[email]', group: 'Service Accounts', desc: 'Your email address used to log into the Amplify Platform; requires --client-secret or --secret-file' }
	},
	footer: style => `Examples:

  Log into a platform account using a web browser:
    ${style.highlight('axway auth login')}

  Log into a platform account from a machine without a browser (SSH, container, WSL):
    ${style.highlight('axway auth login --device')}
  (without --device this happens by itself when no browser can be opened here)

  Log into a service account using a PEM formatted secret key:
    ${style.highlight('axway auth login --client-id <id> --secret-file <path>')}

  Log into a service account using a client secret from standard input or the environment:
    ${style.highlight('printf \'%s\\n\' "$CLIENT_SECRET" | axway auth login --client-id <id> --client-secret-stdin')}
    ${style.highlight('AXWAY_AUTH_CLIENT_SECRET=<key> axway auth login --client-id <id>')}

  Log into a service account, typing the client secret at a prompt (DOSA_ client ids):
    ${style.highlight('axway auth login --client-id <id>')}

  Log into a service account with platform tooling credentials:
    ${style.highlight('axway auth login --client-id <id> --secret-file <path> --username <email>')}
  or
    ${style.highlight('axway auth login --client-id <id> --client-secret-stdin --username <email>')}

Secrets can also come from the environment: AXWAY_AUTH_CLIENT_SECRET, AXWAY_AUTH_SECRET_FILE
and AXWAY_AUTH_PASSWORD (below the flags, above config.json).

To set your Platform Tooling password, visit https://platform.axway.com/user/credentials`,

	/**
	 * @param {import('../context').Context} ctx
	 */
	async run(ctx) {
		const { CliError, SilentExit } = require('../errors');
		const { options, io, style, json } = ctx;
		let clientSecret = nonEmpty(options.clientSecret);
		const secretFile = nonEmpty(options.secretFile);
		const clientId = nonEmpty(options.clientId);
		let { username, password } = options;

		// 0. secrets from standard input (never on argv)
		if (options.clientSecretStdin && options.passwordStdin) {
			throw new CliError('--client-secret-stdin and --password-stdin cannot be used together (standard input holds one secret): give the other one in AXWAY_AUTH_CLIENT_SECRET or AXWAY_AUTH_PASSWORD', { code: 'ERR_INVALID_ARGUMENT' });
		}
		if (options.clientSecretStdin) {
			if (clientSecret || secretFile) {
				throw new CliError('--client-secret-stdin cannot be used with --client-secret or --secret-file', { code: 'ERR_INVALID_ARGUMENT' });
			}
			clientSecret = await require('../stdin').readSecretLine(io.stdin, '--client-secret-stdin');
		}
		if (options.passwordStdin) {
			if (nonEmpty(password)) {
				throw new CliError('--password-stdin cannot be used with --password', { code: 'ERR_INVALID_ARGUMENT' });
			}
			password = await require('../stdin').readSecretLine(io.stdin, '--password-stdin');
		}

		// What the core would log in with: flags, then AXWAY_AUTH_CLIENT_SECRET /
		// AXWAY_AUTH_SECRET_FILE / AXWAY_AUTH_PASSWORD, then config.json.
		const api = ctx.api();
		const plan = () => api.loginPlan({ ...ctx.common(), clientId, clientSecret, secretFile, password: nonEmpty(password) });
		let { authenticator, password: havePassword } = plan();

		// A `DOSA_` client id is a service account: with no secret anywhere, ask for it (hidden) on a
		// terminal. Elsewhere (and with --json) it stays a browser (PKCE) login, as in the reference.
		if (authenticator === 'PKCE' && clientId && clientId.startsWith('DOSA_') && !json && ctx.canPrompt()) {
			io.showBanner();
			clientSecret = await ctx.prompter().password('Client secret:', { validate: s => (s ? true : 'Please enter the client secret') });
			({ authenticator, password: havePassword } = plan());
		}
		const service = authenticator !== 'PKCE';

		// 1. username/password (platform tooling) only go with a service account
		if (username !== undefined) {
			if (!service) {
				throw new CliError('Username/password can only be specified when using --client-secret or --secret-file', { code: 'ERR_INVALID_ARGUMENT' });
			}
			if (!username || (!password && !havePassword)) {
				if (json) {
					// exactly the reference's stderr output; stdout stays empty
					io.stderr.write(`${JSON.stringify({ error: '--username and --password are required when --json is set' }, null, 2)}\n`);
					throw new SilentExit(1);
				}
				if (options.clientSecretStdin || options.passwordStdin) {
					throw new CliError('Standard input held a secret, so it cannot answer prompts: give --username <email>, and the password with --password-stdin or AXWAY_AUTH_PASSWORD', { code: 'ERR_INVALID_ARGUMENT' });
				}
				io.showBanner();
				const prompter = ctx.prompter();
				if (!username) {
					username = await prompter.input('Username:', { validate: s => (s ? true : 'Please enter your username') });
				}
				if (!password && !havePassword) {
					password = await prompter.password('Password:', { validate: s => (s ? true : 'Please enter your password') });
				}
				prompter.close();
				io.log();
			}
		}

		// the banner is eager for login, and never shown with --json
		if (!json) {
			io.showBanner();
		}

		const launchBrowser = options.launchBrowser !== false;
		const org = nonEmpty(options.org);
		if (service && (options.device || org)) {
			throw new CliError('--device and --org are for platform users: a service account logs in with --client-secret or --secret-file', { code: 'ERR_INVALID_ARGUMENT' });
		}

		let account;
		try {
			// the device login (or, headless, the browser login's link) is shown while it waits
			const { interactiveLogin } = require('../interactive');
			account = await interactiveLogin(ctx, {
				...ctx.common(),
				clientId,
				clientSecret,
				secretFile,
				username: nonEmpty(username),
				password: nonEmpty(password),
				// Fix of spec 10.4 #7: --no-launch-browser keeps --force/--username/--password and
				// works with service accounts (which simply never open a browser).
				force: !!options.force,
				launchBrowser,
				// --device: always; otherwise when no browser can reach the user from here (SSH,
				// container, no display) and the server offers it; --no-launch-browser: never
				device: options.device ? true : (launchBrowser && !service ? 'auto' : false),
				org
			});
		} catch (err) {
			if (err && err.code === 'EAUTHENTICATED' && err.account) {
				// already logged in: exit 0
				const existing = err.account;
				if (json) {
					ctx.printJSON(existing);
					return;
				}
				const { renderAccountInfo, renderLoggedIn } = require('../render');
				io.log(renderLoggedIn(existing, style, { already: true }));
				io.log(renderAccountInfo(existing, ctx.infoOptions()));
				return;
			}
			throw err;
		}

		if (json) {
			ctx.printJSON(account);
			return;
		}

		const { renderAccountInfo, renderLoggedIn } = require('../render');
		const { authConfigSpecifier } = require('../environment');
		io.log(renderLoggedIn(account, style));
		io.log(renderAccountInfo(account, ctx.infoOptions()));
		io.log();
		if (account.default) {
			io.log('This account has been set as the default.');
		} else {
			const spec = authConfigSpecifier(account.auth && account.auth.env);
			io.log('To make this account the default, run:');
			io.log(`  ${style.highlight(`axway config set ${spec}.defaultAccount ${account.name}`)}`);
		}
	}
};
