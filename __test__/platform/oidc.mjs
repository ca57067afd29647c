// The OpenID Connect side of the platform: a real oidc-provider, configured to look like
// Axway's Keycloak realm (paths, claims, token response fields), plus the few routes we serve
// ourselves in front of it (login page, userinfo).
import { createPublicKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
// Per-instance in-memory storage (the package default is a module-global store and prints a
// "development-only adapter" warning). oidc-provider has no "exports" map, so this path is public.
import { createMemoryAdapter } from 'oidc-provider/lib/adapters/memory_adapter.js';

import { escapeHtml, page, readParams, sendHtml, sendJson, verifyJwt } from './http.mjs';
import { IDENTITY_PROVIDER, JWT_CLIENT_KEY, PASSWORD_CLIENT_ID, PUBLIC_CLIENT_ID, SECRET_SERVICE_ACCOUNTS, SERVICE_ACCOUNTS } from './seed.mjs';

/** Resource indicator every access token is issued for; makes oidc-provider issue JWT access tokens. */
const RESOURCE = 'urn:axway:platform';
const USER_CLAIMS = [ 'email', 'email_verified', 'given_name', 'family_name', 'name', 'preferred_username', 'guid', 'identity_provider', 'orgId' ];
const isLoopbackHttp = (value) => {
	const u = URL.parse(value);
	return !!u && u.protocol === 'http:' && [ 'localhost', '127.0.0.1', '[::1]' ].includes(u.hostname) && !u.hash;
};

/** oidc-provider warns on stderr at import time when Node < 22; `quiet` silences that once. */
async function loadOidcProvider(quiet) {
	const { warn } = console;
	if (quiet) {
		console.warn = () => {};
	}
	try {
		return await import('oidc-provider');
	} finally {
		console.warn = warn;
	}
}

const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

function clients({ deviceFlow }) {
	const jwtKey = createPublicKey(readFileSync(JWT_CLIENT_KEY.publicKey)).export({ format: 'jwk' });
	const serviceAccount = extra => ({ grant_types: [ 'client_credentials' ], response_types: [], redirect_uris: [], ...extra });
	return [
		{
			client_id: PUBLIC_CLIENT_ID,
			application_type: 'native',
			token_endpoint_auth_method: 'none',
			grant_types: [ 'authorization_code', 'refresh_token', ...(deviceFlow ? [ DEVICE_CODE_GRANT ] : []) ],
			response_types: [ 'code' ],
			// any loopback redirect is accepted, see redirectUriAllowed below
			redirect_uris: [ 'http://localhost/callback', 'http://127.0.0.1/callback' ]
		},
		{
			// the resource owner password grant (registered below: oidc-provider has none)
			client_id: PASSWORD_CLIENT_ID,
			application_type: 'native',
			token_endpoint_auth_method: 'none',
			grant_types: [ 'password', 'refresh_token' ],
			response_types: [],
			redirect_uris: []
		},
		...SECRET_SERVICE_ACCOUNTS.map(sa => serviceAccount({
			client_id: sa.clientId,
			client_secret: sa.clientSecret,
			token_endpoint_auth_method: 'client_secret_post'
		})),
		serviceAccount({
			client_id: SERVICE_ACCOUNTS.jwt.clientId,
			token_endpoint_auth_method: 'private_key_jwt',
			token_endpoint_auth_signing_alg: 'RS256',
			jwks: { keys: [ { ...jwtKey, use: 'sig', alg: 'RS256' } ] }
		})
	];
}

/** The default prompts, minus "native clients always need consent" (Keycloak has no such rule). */
function consentPolicy(interactionPolicy) {
	const policy = interactionPolicy.base();
	policy.get('consent').checks.remove('native_client_prompt');
	return policy;
}

function loginPage({ uid, params }, action, error) {
	return page('Sign in to Axway', `
${error ? `<p class="error" id="error">${escapeHtml(error)}</p>` : ''}
<p>Client: ${escapeHtml(params.client_id)}</p>
<form method="post" action="${action}" id="login-form">
	<input type="hidden" name="uid" value="${escapeHtml(uid)}">
	<label>Email <input type="text" name="login" autocomplete="username" autofocus></label>
	<label>Password <input type="password" name="password" autocomplete="current-password"></label>
	<button type="submit" name="submit" value="login">Sign In</button>
</form>
<a id="cancel" href="${action}/abort">Cancel</a>
`);
}

// The device login's pages (RFC 8628 "verification_uri"): oidc-provider renders the forms
// (`op.deviceInputForm`: field `user_code`; `op.deviceConfirmForm`: Continue, or `abort`); we
// only wrap them. After "Continue" the usual login page (`/login-actions/<uid>`) signs the
// user in, then the success page says to go back to the terminal.
function deviceInputPage(ctx, form, out, err) {
	const message = !err
		? '<p>Enter the code shown in your terminal.</p>'
		: err.name === 'AbortedError'
			? '<p class="error" id="error">The login was cancelled. You may close this window.</p>'
			: `<p class="error" id="error">${err.userCode || err.name === 'NoCodeError' ? 'The code you entered is incorrect or expired. Try again.' : 'There was an error processing your request.'}</p>`;
	ctx.body = page('Device login', `${message}${form}<button type="submit" form="op.deviceInputForm" id="continue">Continue</button>`);
}

function deviceConfirmPage(ctx, form, client, deviceInfo, userCode) {
	ctx.body = page('Confirm device login', `
<p>A login for <b>${escapeHtml(client.clientId)}</b> is waiting. Check that your terminal shows this code:</p>
<p><code id="user-code">${escapeHtml(userCode)}</code></p>
${form}
<button type="submit" form="op.deviceConfirmForm" id="confirm">Continue</button>
<button type="submit" form="op.deviceConfirmForm" name="abort" value="yes" id="abort">Deny</button>`);
}

function deviceSuccessPage(ctx) {
	ctx.body = page('Device login approved', '<p id="success">You are signed in. Return to your terminal; you may close this window.</p>');
}

/**
 * @param {object} o
 * @param {boolean} [o.deviceFlow=true] offer the device login (RFC 8628): the
 *   `device_authorization_endpoint` is advertised and `amplify-cli` may use the grant
 * @param {number} [o.deviceInterval=5] the `interval` (s) the device authorization response asks for
 * @param {number} [o.deviceCodeTtl=600] how long (s) a device code lives (`expires_in`)
 * @returns {Promise<{provider, publicKey, verifyAccessToken, handleProvider, handleUserinfo,
 *   handleInteraction, browserUser, endBrowserSession}>}
 */
export async function createOidc({ issuer, dir, recorder, accessTtl, refreshTtl, rotateRefreshTokens = false, quiet = false, deviceFlow = true, deviceInterval = 5, deviceCodeTtl = 600 }) {
	const { default: Provider, errors, interactionPolicy } = await loadOidcProvider(quiet);
	const mountPath = new URL(issuer).pathname;

	const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
	const signingJwk = { ...privateKey.export({ format: 'jwk' }), kid: `platform-${randomBytes(4).toString('hex')}`, alg: 'RS256', use: 'sig' };

	// oidc-provider cannot revoke structured (JWT) access tokens itself; we remember revoked
	// token ids and revoked grants (a revoked refresh token ends its grant = Keycloak session).
	const revokedJtis = new Set();
	const revokedGrants = new Set();

	const userClaims = (user) => ({
		sub: user.sub,
		email: user.email,
		email_verified: true,
		given_name: user.firstname,
		family_name: user.lastname,
		name: `${user.firstname} ${user.lastname}`,
		preferred_username: user.email,
		guid: user.guid,
		identity_provider: IDENTITY_PROVIDER,
		orgId: dir.currentOrg(user).org_id
	});

	async function findAccount(ctx, sub) {
		const user = dir.userBySub(sub);
		return user && { accountId: sub, claims: async () => userClaims(user) };
	}

	// "openid" in the resource scope keeps scope=openid on the (JWT) access token, Keycloak-style
	const resourceServerInfo = () => ({ scope: 'openid', audience: 'account', accessTokenFormat: 'jwt', accessTokenTTL: accessTtl, jwt: { sign: { alg: 'RS256' } } });

	const provider = new Provider(issuer, {
		adapter: createMemoryAdapter(),
		clients: clients({ deviceFlow }),
		jwks: { keys: [ signingJwk ] },
		cookies: { keys: [ randomBytes(32).toString('hex') ] },
		routes: {
			authorization: '/protocol/openid-connect/auth',
			token: '/protocol/openid-connect/token',
			userinfo: '/protocol/openid-connect/userinfo',
			end_session: '/protocol/openid-connect/logout',
			jwks: '/protocol/openid-connect/certs',
			revocation: '/protocol/openid-connect/revoke',
			introspection: '/protocol/openid-connect/token/introspect',
			// Keycloak's device login paths
			device_authorization: '/protocol/openid-connect/auth/device',
			code_verification: '/device'
		},
		// the CLI only ever asks for scope=openid, so every claim hangs off "openid"
		claims: { openid: [ 'sub', ...USER_CLAIMS ] },
		conformIdTokenClaims: false, // put the claims into the id_token even though an access token is issued too
		responseTypes: [ 'code' ],
		features: {
			clientCredentials: { enabled: true },
			deviceFlow: {
				enabled: deviceFlow,
				charset: 'base-20',
				mask: '****-****',
				userCodeInputSource: deviceInputPage,
				userCodeConfirmSource: deviceConfirmPage,
				successSource: deviceSuccessPage
			},
			devInteractions: { enabled: false },
			revocation: { enabled: true, allowedPolicy: (ctx, client, token) => token.clientId === client.clientId },
			rpInitiatedLogout: {
				enabled: true,
				// Keycloak signs out without asking: the confirmation form submits itself with logout=yes
				logoutSource: (ctx, form) => {
					const confirmed = form.replace('</form>', '<input type="hidden" name="logout" value="yes"></form>');
					ctx.body = page('Sign out', `${confirmed}<button type="submit" form="op.logoutForm">Sign out</button><script>document.forms[0].submit()</script>`);
				},
				postLogoutSuccessSource: (ctx) => {
					ctx.body = page('Signed out', '<p>You have been signed out.</p>');
				}
			},
			resourceIndicators: {
				enabled: true,
				defaultResource: (ctx, client, oneOf) => (oneOf ? oneOf[0] : RESOURCE),
				useGrantedResource: () => true,
				getResourceServerInfo: (ctx, indicator) => {
					if (indicator !== RESOURCE) {
						throw new errors.InvalidTarget();
					}
					return resourceServerInfo();
				}
			}
		},
		findAccount,
		async extraTokenClaims(ctx, token) {
			if (token.accountId) {
				const user = dir.userBySub(token.accountId);
				const { sub, ...claims } = userClaims(user);
				return { ...claims, azp: token.clientId, typ: 'Bearer', session_state: token.grantId };
			}
			const sa = dir.serviceAccount(token.clientId);
			return sa && {
				azp: sa.clientId,
				clientId: sa.clientId,
				preferred_username: `service-account-${sa.clientId.toLowerCase()}`,
				guid: sa.guid,
				orgId: sa.org_id,
				typ: 'Bearer'
			};
		},
		// user logins (authorization_code, refresh_token) always get a refresh token, without offline_access
		issueRefreshToken: (ctx, client) => client.grantTypeAllowed('refresh_token'),
		expiresWithSession: () => false,
		rotateRefreshToken: rotateRefreshTokens,
		// amplify-cli is first party: skip the consent prompt by granting scope=openid right away
		async loadExistingGrant(ctx) {
			const { client, session, result, account } = ctx.oidc;
			const grantId = result?.consent?.grantId || session.grantIdFor(client.clientId);
			const existing = grantId && await provider.Grant.find(grantId);
			if (existing?.accountId === account.accountId || client.clientId !== PUBLIC_CLIENT_ID) {
				return existing || undefined;
			}
			const grant = new provider.Grant({ accountId: account.accountId, clientId: client.clientId });
			grant.addOIDCScope('openid');
			grant.addResourceScope(RESOURCE, 'openid');
			await grant.save();
			return grant;
		},
		interactions: { url: (ctx, interaction) => `${mountPath}/login-actions/${interaction.uid}`, policy: consentPolicy(interactionPolicy) },
		clientBasedCORS: () => true,
		renderError: (ctx, out) => {
			ctx.type = 'html';
			ctx.body = page('Error', Object.entries(out).map(([ k, v ]) => `<p><b>${escapeHtml(k)}</b>: ${escapeHtml(v)}</p>`).join(''));
		},
		ttl: {
			AccessToken: accessTtl,
			ClientCredentials: accessTtl,
			IdToken: accessTtl,
			RefreshToken: refreshTtl,
			AuthorizationCode: 60,
			DeviceCode: deviceCodeTtl,
			Interaction: 600,
			Session: Math.max(refreshTtl, 86400),
			Grant: Math.max(refreshTtl, 86400)
		}
	});
	provider.silent = quiet;
	if (!quiet) {
		provider.on('server_error', (ctx, err) => console.error('[platform] oidc-provider error:', err));
	}

	provider.registerGrantType('password', passwordGrant, [ 'username', 'password', 'scope' ]);

	/**
	 * The resource owner password grant, as Keycloak's "direct access grants": the user's email
	 * and browser password give the same tokens as a browser login (JWT access token with the
	 * user claims, id token, refresh token on a grant of their own), so refresh, userinfo,
	 * revocation and the platform API treat them alike. A wrong password is Keycloak's
	 * `invalid_grant` "Invalid user credentials" (401).
	 */
	async function passwordGrant(ctx) {
		const { client, params } = ctx.oidc;
		const user = params.username && dir.userByEmail(params.username);
		const ok = !!user && params.password === user.password;
		recorder.record('userLogins', { email: params.username, ok, via: 'password' });
		if (!ok) {
			const err = new errors.InvalidGrant();
			err.error_description = 'Invalid user credentials';
			err.status = err.statusCode = 401;
			throw err;
		}
		const grant = new provider.Grant({ accountId: user.sub, clientId: client.clientId });
		grant.addOIDCScope('openid');
		grant.addResourceScope(RESOURCE, 'openid');
		const grantId = await grant.save();
		ctx.oidc.entity('Grant', grant);
		ctx.oidc.entity('Account', await findAccount(ctx, user.sub));

		const at = new provider.AccessToken({ accountId: user.sub, client, grantId, gty: 'password', scope: 'openid', expiresWithSession: false });
		at.resourceServer = new provider.ResourceServer(RESOURCE, resourceServerInfo());
		ctx.oidc.entity('AccessToken', at);
		const accessToken = await at.save();

		const rt = new provider.RefreshToken({ accountId: user.sub, client, grantId, gty: 'password', scope: 'openid', resource: RESOURCE, rotations: 0, expiresWithSession: false });
		ctx.oidc.entity('RefreshToken', rt);
		const refreshToken = await rt.save();

		const { sub, ...claims } = userClaims(user);
		const idToken = new provider.IdToken({ sub, ...claims }, { ctx });
		idToken.scope = 'openid';
		ctx.body = {
			access_token: accessToken,
			expires_in: at.expiration,
			id_token: await idToken.issue({ use: 'idtoken' }),
			refresh_token: refreshToken,
			scope: 'openid',
			token_type: 'Bearer'
		};
	}

	// Redirect URIs: the CLI listens on http://localhost:<any port>/callback/<id>. Allow any
	// loopback http URI for the public client, and only the registered ones for everyone else.
	const { redirectUriAllowed } = provider.Client.prototype;
	provider.Client.prototype.redirectUriAllowed = function (value) {
		return this.clientId === PUBLIC_CLIENT_ID ? isLoopbackHttp(value) : redirectUriAllowed.call(this, value);
	};

	// Keycloak-isms on the token and revocation routes, plus event recording.
	// Behind the HTTPS front end of the network tests (tls-front.mjs): trust its
	// X-Forwarded-Proto, so the discovery document advertises its https URLs.
	provider.proxy = true;

	provider.use(async (ctx, next) => {
		await next();
		const route = ctx._matchedRouteName;
		if (route === 'token') {
			afterToken(ctx);
		} else if (route === 'revocation') {
			afterRevocation(ctx);
		} else if (route === 'device_authorization' && ctx.status === 200 && ctx.body && typeof ctx.body === 'object') {
			// oidc-provider sends no `interval` (clients then poll every 5 s); Keycloak sends one
			ctx.body.interval = deviceInterval;
			recorder.record('deviceAuthorizations', { clientId: ctx.oidc.client?.clientId, expiresIn: ctx.body.expires_in, interval: deviceInterval });
		}
	});

	function afterToken(ctx) {
		const body = ctx.body && typeof ctx.body === 'object' ? ctx.body : {};
		if (ctx.status === 200 && body.access_token) {
			const rt = ctx.oidc.entities.RefreshToken;
			body.refresh_expires_in = body.refresh_token && rt ? Math.max(0, rt.remainingTTL) : 0;
			body['not-before-policy'] = 0;
		}
		const params = ctx.oidc.params || ctx.oidc.body || {};
		recorder.record('tokenRequests', {
			grantType: params.grant_type,
			clientId: ctx.oidc.client?.clientId ?? params.client_id,
			status: ctx.status,
			error: body.error,
			refreshToken: !!body.refresh_token
		});
	}

	function afterRevocation(ctx) {
		const params = ctx.oidc.params || {};
		const client = ctx.oidc.client;
		const { AccessToken, ClientCredentials, RefreshToken } = ctx.oidc.entities;
		let tokenType = RefreshToken ? 'refresh_token' : (AccessToken || ClientCredentials) ? 'access_token' : 'unknown';

		if (ctx.body?.error === 'unsupported_token_type' && client) {
			// a JWT access token: the client is already authenticated, revoke it ourselves (RFC 7009
			// answers 200 for tokens that are invalid or already expired as well)
			tokenType = 'access_token';
			try {
				const payload = verifyJwt(params.token, publicKey, { issuer, typ: 'at+jwt' });
				if (payload.client_id === client.clientId) {
					revokedJtis.add(payload.jti);
				}
			} catch {}
			ctx.status = 200;
			ctx.body = '';
		}
		if (RefreshToken && ctx.status === 200) {
			revokedGrants.add(RefreshToken.grantId);
		}
		recorder.record('revocations', { clientId: client?.clientId ?? params.client_id, tokenType, hint: params.token_type_hint, status: ctx.status });
	}

	/** Verifies one of our JWT access tokens; returns its payload or throws (message is client-safe). */
	function verifyAccessToken(token) {
		const payload = verifyJwt(token, publicKey, { issuer, typ: 'at+jwt' });
		if (revokedJtis.has(payload.jti) || revokedGrants.has(payload.session_state)) {
			throw new Error('Token has been revoked');
		}
		return payload;
	}

	const callback = provider.callback();

	return {
		provider,
		publicKey,
		verifyAccessToken,

		/** Hands a request under the issuer path to oidc-provider, mounted like express would. */
		handleProvider(req, res) {
			const rest = req.url.slice(mountPath.length);
			req.originalUrl = req.url;
			req.url = rest.startsWith('/') ? rest : `/${rest}`;
			return callback(req, res);
		},

		/**
		 * Our own userinfo route. oidc-provider refuses access tokens that carry an audience at its
		 * userinfo endpoint ("token audience prevents accessing the userinfo endpoint"), and ours
		 * must carry one (aud "account") to be JWTs at all, so we verify the JWT ourselves.
		 */
		async handleUserinfo(req, res) {
			const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization || '');
			let payload;
			try {
				if (!m) {
					throw new Error('no access token provided');
				}
				payload = verifyAccessToken(m[1]);
			} catch (err) {
				return sendJson(res, 401, { error: 'invalid_token', error_description: err.message }, {
					'WWW-Authenticate': `Bearer realm="${issuer}", error="invalid_token", error_description="${err.message}"`
				});
			}
			const org = dir.org(payload.orgId);
			const orgInfo = { org_guid: org?.guid, org_name: org?.name };
			if (payload.email) {
				const user = dir.userBySub(payload.sub);
				const { orgId, ...claims } = userClaims(user);
				return sendJson(res, 200, { ...claims, ...orgInfo });
			}
			return sendJson(res, 200, { sub: payload.sub, preferred_username: payload.preferred_username, guid: payload.guid, ...orgInfo });
		},

		/** Login page: GET renders it, POST checks the password, /abort denies (error=access_denied). */
		async handleInteraction(req, res, url) {
			const action = url.pathname.replace(/\/abort$/, '');
			let details;
			try {
				details = await provider.interactionDetails(req, res);
				if (action !== `${mountPath}/login-actions/${details.uid}`) {
					throw new Error('interaction mismatch');
				}
			} catch (err) {
				return sendHtml(res, 400, page('Error', `<p class="error">${escapeHtml(err.message)}</p>`));
			}

			if (url.pathname.endsWith('/abort')) {
				return provider.interactionFinished(req, res, { error: 'access_denied', error_description: 'End-User aborted interaction' }, { mergeWithLastSubmission: false });
			}

			if (details.prompt.name === 'login') {
				if (req.method !== 'POST') {
					return sendHtml(res, 200, loginPage(details, action));
				}
				const { login, password } = await readParams(req);
				const user = dir.userByEmail(login);
				const ok = !!user && password === user.password;
				recorder.record('userLogins', { email: login, ok });
				if (!ok) {
					return sendHtml(res, 401, loginPage(details, action, 'Invalid username or password.'));
				}
				return provider.interactionFinished(req, res, { login: { accountId: user.sub } }, { mergeWithLastSubmission: false });
			}

			// consent is never prompted: loadExistingGrant grants amplify-cli's scope=openid itself
			return sendHtml(res, 400, page('Error', `<p class="error">Unexpected prompt ${escapeHtml(details.prompt.name)}</p>`));
		},

		/** The user logged in to this browser (oidc-provider's `_session` cookie), if any. */
		async browserUser(req, res) {
			const session = await provider.Session.get({ req, res, secure: false });
			return session.accountId ? dir.userBySub(session.accountId) : undefined;
		},

		/** Ends the browser's OIDC session; returns the user it belonged to, if any. */
		async endBrowserSession(req, res) {
			const session = await provider.Session.get({ req, res, secure: false });
			const user = session.accountId ? dir.userBySub(session.accountId) : undefined;
			if (session.accountId) {
				await session.destroy();
			}
			return user;
		}
	};
}
