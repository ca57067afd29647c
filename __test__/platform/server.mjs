// Local test platform: a real OpenID Connect server (oidc-provider, Keycloak-style paths) and a
// mock of Axway's platform API on one port. See README.md.
//
//   import { startPlatform } from './__test__/platform/server.mjs';
//   node __test__/platform/server.mjs [--port N]   -> prints {"baseUrl","platformUrl","port"}
import { createServer } from 'node:http';
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

import { createDirectory } from './directory.mjs';
import { readParams, sendJson } from './http.mjs';
import { createOidc } from './oidc.mjs';
import { createPlatformApi } from './platform-api.mjs';
import { createRecorder } from './recorder.mjs';
import { REALM } from './seed.mjs';

const envInt = (name, fallback) => {
	const n = Number.parseInt(process.env[name], 10);
	return Number.isFinite(n) && n > 0 ? n : fallback;
};

const OIDC_ROUTES = {
	'protocol/openid-connect/auth/device': 'device-auth',
	'protocol/openid-connect/token': 'token',
	'protocol/openid-connect/auth': 'auth',
	'protocol/openid-connect/userinfo': 'userinfo',
	'protocol/openid-connect/revoke': 'revoke',
	'protocol/openid-connect/logout': 'logout',
	'protocol/openid-connect/certs': 'certs',
	'.well-known/openid-configuration': 'well-known',
	'login-actions': 'login',
	device: 'device'
};
const API_ROUTES = {
	'/api/v1/auth/findSession': 'findSession',
	'/api/v1/auth/login': 'toolingLogin',
	'/api/v1/auth/switchLoggedInOrg': 'switchOrg',
	'/auth/org.select': 'org.select',
	'/auth/signout': 'signout'
};

/** Route names used for faults and the request log. */
function routeName(path, mountPath) {
	if (path.startsWith('/__test__/')) {
		return 'test';
	}
	if (path.startsWith(`${mountPath}/`)) {
		const rest = path.slice(mountPath.length + 1);
		const key = Object.keys(OIDC_ROUTES).find(k => rest === k || rest.startsWith(`${k}/`));
		return key ? OIDC_ROUTES[key] : 'oidc';
	}
	return API_ROUTES[path] || /^\/api\/v1\/([a-z]+)/.exec(path)?.[1] || 'page';
}

/**
 * Starts the platform on 127.0.0.1.
 * @param {object} [opts]
 * @param {number} [opts.port=0] 0 picks a free port.
 * @param {number} [opts.accessTtl] access/id token lifetime in seconds (env PLATFORM_ACCESS_TTL, default 1800)
 * @param {number} [opts.refreshTtl] refresh token lifetime in seconds (env PLATFORM_REFRESH_TTL, default 86400)
 * @param {boolean} [opts.rotateRefreshTokens] issue a new refresh token on every refresh and reject
 *   reuse of the old one (env PLATFORM_ROTATE_REFRESH=1; default false: reusable, like Keycloak)
 * @param {boolean} [opts.quiet] no logging at all
 * @param {boolean} [opts.deviceFlow=true] offer the device login (RFC 8628); `false`: a realm
 *   that does not advertise a `device_authorization_endpoint` (env PLATFORM_DEVICE_FLOW=0)
 * @param {number} [opts.deviceInterval] seconds between device login polls the server asks for
 *   (env PLATFORM_DEVICE_INTERVAL, default 5, as Keycloak)
 * @param {number} [opts.deviceCodeTtl] device code lifetime in seconds (env PLATFORM_DEVICE_CODE_TTL, default 600)
 */
export async function startPlatform({
	port = 0,
	accessTtl = envInt('PLATFORM_ACCESS_TTL', 1800),
	refreshTtl = envInt('PLATFORM_REFRESH_TTL', 86400),
	rotateRefreshTokens = process.env.PLATFORM_ROTATE_REFRESH === '1',
	quiet = false,
	deviceFlow = process.env.PLATFORM_DEVICE_FLOW !== '0',
	deviceInterval = envInt('PLATFORM_DEVICE_INTERVAL', 5),
	deviceCodeTtl = envInt('PLATFORM_DEVICE_CODE_TTL', 600)
} = {}) {
	const server = createServer();
	// Keep idle connections as long as a real front end does (Node's default is 5 s): a device
	// login polls every 5 s or more, and a connection closed just as the client reuses it is a
	// transport error the client then backs off from (10 s).
	server.keepAliveTimeout = 65_000;
	const sockets = new Set();
	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, '127.0.0.1', () => {
			server.off('error', reject);
			resolve();
		});
	});

	const actualPort = server.address().port;
	const baseUrl = `http://127.0.0.1:${actualPort}`;
	const mountPath = `/auth/realms/${REALM}`;
	const issuer = `${baseUrl}${mountPath}`;

	const dir = createDirectory();
	const recorder = createRecorder();
	const oidc = await createOidc({ issuer, dir, recorder, accessTtl, refreshTtl, rotateRefreshTokens, quiet, deviceFlow, deviceInterval, deviceCodeTtl });
	const api = createPlatformApi({ dir, oidc, recorder });

	const reset = () => {
		recorder.reset();
		dir.reset();
		api.reset();
	};

	async function testRoute(req, res, path) {
		if (path === '/__test__/state' && req.method === 'GET') {
			return sendJson(res, 200, recorder.state());
		}
		if (req.method === 'POST') {
			if (path === '/__test__/reset') {
				reset();
				return sendJson(res, 200, { ok: true });
			}
			if (path === '/__test__/fault') {
				const { route, mode, count } = await readParams(req);
				try {
					recorder.addFault(route, mode, count);
				} catch (err) {
					return sendJson(res, 400, { ok: false, error: err.message });
				}
				return sendJson(res, 200, { ok: true });
			}
			if (path === '/__test__/invalidate-sessions') {
				api.invalidateSessions();
				return sendJson(res, 200, { ok: true });
			}
		}
		return sendJson(res, 404, { ok: false, error: 'Not Found' });
	}

	async function dispatch(req, res) {
		const url = new URL(req.url, baseUrl);
		const path = url.pathname;
		const route = routeName(path, mountPath);
		if (route === 'test') {
			return testRoute(req, res, path);
		}

		recorder.record('requests', { method: req.method, path, route });
		const fault = recorder.takeFault(route);
		if (fault) {
			return recorder.applyFault(fault, res, { oauth: path.startsWith(`${mountPath}/`) });
		}

		if (route === 'userinfo') {
			return oidc.handleUserinfo(req, res);
		}
		if (route === 'login') {
			return oidc.handleInteraction(req, res, url);
		}
		if (path === mountPath || path.startsWith(`${mountPath}/`)) {
			return oidc.handleProvider(req, res);
		}
		return api.handle(req, res, url);
	}

	server.on('request', (req, res) => {
		dispatch(req, res).catch((err) => {
			if (!quiet) {
				console.error('[platform]', err);
			}
			if (!res.headersSent) {
				sendJson(res, err.status || 500, { success: false, description: err.message, code: err.status || 500 });
			} else {
				res.destroy();
			}
		});
	});

	let closing;
	return {
		baseUrl,
		platformUrl: baseUrl,
		issuer,
		realm: REALM,
		port: actualPort,
		url: path => new URL(path, baseUrl).href,
		state: () => recorder.state(),
		reset,
		/** @param {string} route e.g. "token", "userinfo", "findSession", "*"; @param {string} mode hang|html|500|badjson|slow_down|expired_token|none */
		fault: (route, mode, count) => recorder.addFault(route, mode, count),
		invalidateSessions: () => api.invalidateSessions(),
		close() {
			closing ??= new Promise((resolve) => {
				server.close(() => resolve());
				recorder.destroyHanging();
				server.closeAllConnections();
				for (const socket of sockets) {
					socket.destroy();
				}
			});
			return closing;
		}
	};
}

function isMain() {
	try {
		return !!process.argv[1] && pathToFileURL(realpathSync(process.argv[1])).href === import.meta.url;
	} catch {
		return false;
	}
}

if (isMain()) {
	// stdout carries exactly one JSON line: route every console logger to stderr
	console.log = console.info = console.debug = console.error;
	const i = process.argv.indexOf('--port');
	const port = i > 0 ? Number(process.argv[i + 1]) : envInt('PLATFORM_PORT', 0);
	const platform = await startPlatform({ port });
	process.stdout.write(`${JSON.stringify({ baseUrl: platform.baseUrl, platformUrl: platform.platformUrl, port: platform.port })}\n`);
	const stop = () => platform.close().then(() => process.exit(0));
	process.once('SIGTERM', stop);
	process.once('SIGINT', stop);
}
