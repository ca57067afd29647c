// A small mock of Axway's platform: the /api/v1 routes the auth layer calls, and the browser
// pages around login (org.select, signout, signed.out).
import { createHmac, randomBytes } from 'node:crypto';

import { bearerToken, decodeJwt, escapeHtml, page, parseCookies, readParams, redirect, sendHtml, sendJson } from './http.mjs';

const SID_COOKIE = 'connect.sid';
const fail = (res, status, description) => sendJson(res, status, { success: false, description, code: status });
const ok = (res, result, headers) => sendJson(res, 200, { success: true, result }, headers);
const wantsHtml = req => /text\/html/.test(req.headers.accept || '');

export function createPlatformApi({ dir, oidc, recorder }) {
	// platform (express-style) sessions: id -> { userGuid, kind: 'tooling'|'web', orgId?, clientId? }
	const sessions = new Map();
	const secret = randomBytes(16);

	function createSession(res, session) {
		const id = randomBytes(18).toString('base64url');
		sessions.set(id, session);
		// express-session's signed format "s:<id>.<hmac>", URL-encoded in the header
		const value = `s:${id}.${createHmac('sha256', secret).update(id).digest('base64').replace(/=+$/, '')}`;
		res.setHeader('Set-Cookie', `${SID_COOKIE}=${encodeURIComponent(value)}; Path=/; HttpOnly; SameSite=Lax`);
	}

	function sessionFromCookie(req) {
		const value = parseCookies(req)[SID_COOKIE];
		if (value === undefined) {
			return { present: false };
		}
		const m = /^s:([^.]+)\./.exec(value);
		const session = m && sessions.get(m[1]);
		return { present: true, id: m?.[1], session, user: session && dir.userByGuid(session.userGuid) };
	}

	/** Resolves the caller from `Cookie: connect.sid` or `Authorization: Bearer`. */
	function authenticate(req) {
		const cookie = sessionFromCookie(req);
		if (cookie.present) {
			return cookie.session ? { kind: 'session', ...cookie } : { kind: 'unknownSession' };
		}
		const token = bearerToken(req);
		if (!token) {
			return { error: 'Authentication required.' };
		}
		try {
			const claims = oidc.verifyAccessToken(token);
			if (claims.email) {
				return { kind: 'user', claims, user: dir.userBySub(claims.sub) };
			}
			return { kind: 'service', claims, sa: dir.serviceAccount(claims.clientId) };
		} catch (err) {
			return { error: `Invalid access token: ${err.message}` };
		}
	}

	const sessionOrg = ({ session, user }) => (session.orgId ? dir.org(session.orgId) : dir.currentOrg(user));

	// ---- /api/v1 ------------------------------------------------------------------------------

	async function api(req, res, url) {
		const path = url.pathname;
		const auth = authenticate(req);

		if (path === '/api/v1/auth/findSession' && req.method === 'GET') {
			switch (auth.kind) {
				case 'session': return ok(res, dir.sessionJson(auth.user, sessionOrg(auth)));
				case 'user': return ok(res, dir.sessionJson(auth.user));
				case 'service':
				case 'unknownSession': return ok(res, null);
				default: return fail(res, 401, auth.error);
			}
		}

		if (path === '/api/v1/auth/login' && req.method === 'POST') {
			const { username, password } = await readParams(req);
			// a service account's Bearer token, or the cookie of an earlier tooling login (re-login)
			const sa = auth.kind === 'service' ? auth.sa : auth.session?.clientId && dir.serviceAccount(auth.session.clientId);
			if (!sa) {
				recorder.record('toolingLogins', { username, ok: false });
				return fail(res, 401, auth.error || 'Tooling login requires a service account access token.');
			}
			const user = dir.userByEmail(username);
			const good = !!user && password === user.toolingPassword;
			recorder.record('toolingLogins', { username, clientId: sa.clientId, ok: good });
			if (!good) {
				return fail(res, 401, 'Invalid username or password.');
			}
			const orgId = dir.membership(user, sa.org_id) ? sa.org_id : dir.currentOrg(user).org_id;
			createSession(res, { userGuid: user.guid, kind: 'tooling', orgId, clientId: sa.clientId });
			return ok(res, dir.userJson(user));
		}

		if (path === '/api/v1/auth/logout') {
			if (auth.kind === 'session') {
				sessions.delete(auth.id);
			}
			return ok(res, null, { 'Set-Cookie': `${SID_COOKIE}=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT` });
		}

		// The user's selected org, chosen without a browser (after a device login): as picking it
		// on /auth/org.select, the next token refresh carries it.
		if (path === '/api/v1/auth/switchLoggedInOrg' && req.method === 'POST') {
			if (auth.kind !== 'user') {
				return fail(res, 401, auth.error || 'A platform user\'s access token is required.');
			}
			const { org_id: orgId } = await readParams(req);
			const org = orgId !== undefined && dir.org(orgId);
			if (!org || !dir.selectOrg(auth.user, org.org_id)) {
				return fail(res, 400, 'You are not a member of that organization.');
			}
			recorder.record('orgSelections', { userGuid: auth.user.guid, email: auth.user.email, orgId: org.org_id, via: 'api' });
			return ok(res, { org_id: org.org_id, org_name: org.name, guid: org.guid });
		}

		if (auth.kind === 'unknownSession') {
			return fail(res, 401, 'Session expired or invalid.');
		}
		if (auth.error) {
			return fail(res, 401, auth.error);
		}
		if (req.method !== 'GET') {
			return fail(res, 405, 'Method Not Allowed');
		}

		let m;
		if ((m = /^\/api\/v1\/org\/([^/]+)$/.exec(path))) {
			const org = dir.org(decodeURIComponent(m[1]));
			return org ? ok(res, dir.orgJson(org)) : fail(res, 404, 'Organization not found.');
		}
		if (path === '/api/v1/team') {
			const orgId = url.searchParams.get('org_id');
			const org = orgId && dir.org(orgId);
			if (orgId && !org) {
				return fail(res, 404, 'Organization not found.');
			}
			return ok(res, dir.teamsJson(org));
		}
		if (path === '/api/v1/role') {
			return ok(res, dir.rolesJson({ team: url.searchParams.get('team') === 'true' }));
		}
		return fail(res, 404, 'Not Found');
	}

	// ---- browser pages ------------------------------------------------------------------------

	/**
	 * GET  /auth/org.select?redirect=<url>[&org_hint=<id>]      -> page listing the user's orgs
	 * GET  /auth/org.select?redirect=<url>&org_id=<id>          -> select it, 302 to redirect
	 * POST /auth/org.select  login=…&password=…&redirect=…      -> sign in when there is no session
	 * The user is the one logged in to this browser at the OIDC provider (`_session` cookie, set by
	 * the login form moments before), else the platform web session (`connect.sid`).
	 */
	async function orgSelect(req, res, url) {
		const q = url.searchParams;
		if (req.method === 'POST') {
			const form = await readParams(req);
			const user = dir.userByEmail(form.login);
			const back = new URL('/auth/org.select', url);
			for (const k of [ 'redirect', 'org_hint' ]) {
				if (form[k]) {
					back.searchParams.set(k, form[k]);
				}
			}
			if (!user || form.password !== user.password) {
				return sendHtml(res, 401, loginForm(back, 'Invalid username or password.'));
			}
			createSession(res, { userGuid: user.guid, kind: 'web' });
			return redirect(res, back.pathname + back.search, 303);
		}

		const cookie = sessionFromCookie(req);
		const user = await oidc.browserUser(req, res) || cookie.user;
		if (!user) {
			return sendHtml(res, 200, loginForm(url));
		}

		const target = q.get('redirect');
		if (target && !/^https?:\/\//i.test(target)) {
			return sendHtml(res, 400, page('Error', '<p class="error">Invalid redirect URL.</p>'));
		}

		if (q.has('org_id')) {
			if (!dir.selectOrg(user, q.get('org_id'))) {
				return sendHtml(res, 400, page('Error', '<p class="error">You are not a member of that organization.</p>'));
			}
			recorder.record('orgSelections', { userGuid: user.guid, email: user.email, orgId: dir.currentOrg(user).org_id });
			return target ? redirect(res, target) : sendHtml(res, 200, page('Organization selected', `<p>${escapeHtml(dir.currentOrg(user).name)}</p>`));
		}

		const hint = q.get('org_hint') && dir.org(q.get('org_hint'));
		const current = dir.currentOrg(user);
		const links = user.orgs.map(({ org_id }) => {
			const org = dir.org(org_id);
			const href = new URL('/auth/org.select', url);
			href.searchParams.set('org_id', org.org_id);
			if (target) {
				href.searchParams.set('redirect', target);
			}
			const marks = [ org === current && 'current', org === hint && 'hint' ].filter(Boolean);
			return `<li><a class="button org" data-org-id="${org.org_id}" data-org-guid="${org.guid}"${marks.length ? ` data-state="${marks.join(' ')}"` : ''} href="${escapeHtml(href.pathname + href.search)}">${escapeHtml(org.name)}</a></li>`;
		});
		return sendHtml(res, 200, page('Select an organization', `<p>Signed in as <span id="user">${escapeHtml(user.email)}</span></p>\n<ul id="orgs">\n${links.join('\n')}\n</ul>`));
	}

	function loginForm(url, error) {
		const hidden = [ 'redirect', 'org_hint' ]
			.filter(k => url.searchParams.get(k))
			.map(k => `<input type="hidden" name="${k}" value="${escapeHtml(url.searchParams.get(k))}">`)
			.join('');
		return page('Sign in to the Axway Platform', `
${error ? `<p class="error" id="error">${escapeHtml(error)}</p>` : ''}
<form method="post" action="/auth/org.select" id="login-form">${hidden}
	<label>Email <input type="text" name="login" autofocus></label>
	<label>Password <input type="password" name="password"></label>
	<button type="submit">Sign In</button>
</form>`);
	}

	async function signout(req, res, url) {
		const hint = url.searchParams.get('id_token_hint');
		const target = url.searchParams.get('redirect');
		const browserUser = await oidc.endBrowserSession(req, res);
		const cookie = sessionFromCookie(req);
		if (cookie.session?.kind === 'web') {
			sessions.delete(cookie.id);
		}
		const claims = hint ? decodeJwt(hint)?.payload : undefined;
		recorder.record('signOuts', {
			idTokenHint: !!hint,
			subject: claims?.email ?? claims?.sub,
			redirect: target ?? undefined,
			browserSession: !!browserUser,
			email: (browserUser || cookie.user)?.email
		});
		const clear = { 'Set-Cookie': `${SID_COOKIE}=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT` };
		if (target && /^https?:\/\//i.test(target)) {
			return redirect(res, target, 302, clear);
		}
		return wantsHtml(req) ? sendHtml(res, 200, page('Signed out', '<p>You have been signed out.</p>'), clear) : ok(res, null, clear);
	}

	return {
		/** Handles every non-OIDC route (404 JSON for unknown ones). */
		async handle(req, res, url) {
			const path = url.pathname;
			if (path.startsWith('/api/')) {
				return api(req, res, url);
			}
			if (path === '/auth/org.select') {
				return orgSelect(req, res, url);
			}
			if (path === '/auth/signout') {
				return signout(req, res, url);
			}
			if (path === '/signed.out') {
				const msg = url.searchParams.get('msg');
				return sendHtml(res, 200, page('Signed out', `<p id="msg">${msg === 'signout' ? 'You have been signed out.' : escapeHtml(msg || 'You have been signed out.')}</p>`));
			}
			if (path === '/' || path === '/success') {
				// SDK 3.2.16 sends the browser to {platformUrl}/#/auth/org.select?…: follow that client-side
				const script = '<script>if (location.hash.startsWith("#/auth/org.select")) location.replace(location.hash.slice(1));</script>';
				return sendHtml(res, 200, page('Axway Platform (local test)', `<p>You are signed in. You may close this window.</p>${script}`));
			}
			return fail(res, 404, 'Not Found');
		},

		/** Drops every platform (connect.sid) session, like the platform's 30-minute expiry. */
		invalidateSessions() {
			sessions.clear();
		},

		reset() {
			sessions.clear();
		}
	};
}
