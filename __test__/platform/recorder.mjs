// Recorded events (for tests to assert on) and injected faults (for bad-input tests).
import { page, send, sendHtml } from './http.mjs';

// `slow_down` and `expired_token` answer a token request (a device login's poll) with that
// RFC 8628 error: oidc-provider itself never asks a client to slow down. `unauthorized` is a
// bare `401 Unauthorized` (text/plain), `noaccesstoken` a 200 token reply without an access
// token (the SDK's own tests use both).
export const FAULT_MODES = [ 'hang', 'html', '500', 'badjson', 'slow_down', 'expired_token', 'unauthorized', 'noaccesstoken', 'none' ];

const EVENT_KINDS = [
	'tokenRequests', // { grantType, clientId, status, error?, refreshToken: bool, at }
	'revocations', // { clientId, tokenType: 'access_token'|'refresh_token'|'unknown', hint?, status, at }
	'userLogins', // browser logins at the OIDC login form { email, ok, at }
	'orgSelections', // { userGuid, email, orgId, at }
	'signOuts', // { idTokenHint: bool, subject?, redirect?, browserSession: bool, at }
	'toolingLogins', // { username, clientId, ok, at }
	'deviceAuthorizations', // device login codes handed out { clientId, expiresIn, interval, at }
	'requests' // { method, path, route, at } (every request, capped)
];
const REQUEST_LOG_CAP = 20000;

export function createRecorder() {
	let events;
	let faults; // [{ route, mode, remaining }]
	const hanging = new Set(); // responses kept open by "hang" faults

	const recorder = {
		reset() {
			events = Object.fromEntries(EVENT_KINDS.map(k => [ k, [] ]));
			faults = [];
		},

		record(kind, entry) {
			const list = events[kind];
			if (kind === 'requests' && list.length >= REQUEST_LOG_CAP) {
				list.shift();
			}
			list.push({ ...entry, at: Date.now() });
		},

		state() {
			const tokenCounts = {};
			for (const { grantType, clientId } of events.tokenRequests) {
				const byClient = (tokenCounts[grantType ?? 'unknown'] ??= {});
				byClient[clientId ?? 'unknown'] = (byClient[clientId ?? 'unknown'] ?? 0) + 1;
			}
			return structuredClone({
				...events,
				tokenCounts,
				faults: faults.map(({ route, mode, remaining }) => ({ route, mode, remaining: Number.isFinite(remaining) ? remaining : 'all' }))
			});
		},

		/**
		 * `count` = how many matching requests misbehave (default 1; "all" or 0 = until reset).
		 * Mode "none" clears the faults of `route` ("*" clears every fault).
		 */
		addFault(route, mode, count = 1) {
			if (typeof route !== 'string' || !route || !FAULT_MODES.includes(mode)) {
				throw new Error(`Expected {route, mode} with mode one of ${FAULT_MODES.join(', ')}`);
			}
			if (mode === 'none') {
				faults = route === '*' ? [] : faults.filter(f => f.route !== route);
				return;
			}
			const remaining = count === 'all' || count === 0 || count === Infinity ? Infinity : Number(count);
			if (!(remaining > 0)) {
				throw new Error('Expected count to be a positive number or "all"');
			}
			faults.push({ route, mode, remaining });
		},

		/** Returns the fault mode to apply to a request for `route`, consuming one use. */
		takeFault(route) {
			const fault = faults.find(f => f.route === route || f.route === '*');
			if (!fault) {
				return null;
			}
			if (--fault.remaining <= 0) {
				faults.splice(faults.indexOf(fault), 1);
			}
			return fault.mode;
		},

		applyFault(mode, res, { oauth }) {
			switch (mode) {
				case 'hang':
					hanging.add(res);
					res.on('close', () => hanging.delete(res));
					return;
				case 'html':
					return sendHtml(res, 200, page('Service Temporarily Unavailable', '<p>The server is down for maintenance.</p>'));
				case '500':
					return send(res, 500, JSON.stringify(oauth
						? { error: 'server_error', error_description: 'Injected fault' }
						: { success: false, description: 'Internal Server Error', code: 500 }), { 'Content-Type': 'application/json' });
				case 'badjson':
					return send(res, 200, '{"success":true,"result":{"access_token":"eyJ', { 'Content-Type': 'application/json' });
				case 'unauthorized':
					return send(res, 401, 'Unauthorized', { 'Content-Type': 'text/plain' });
				case 'noaccesstoken':
					return send(res, 200, JSON.stringify({ refresh_token: 'bar', expires_in: 600, refresh_expires_in: 600 }), { 'Content-Type': 'application/json' });
				case 'slow_down':
				case 'expired_token':
					return send(res, 400, JSON.stringify({ error: mode, error_description: `Injected fault: ${mode}` }), { 'Content-Type': 'application/json' });
			}
		},

		destroyHanging() {
			for (const res of hanging) {
				res.socket?.destroy();
			}
			hanging.clear();
		}
	};
	recorder.reset();
	return recorder;
}
