// A hostile identity server and platform API on 127.0.0.1 for the hardening tests (issue 13):
// it answers like the real thing in mode `ok`, and misbehaves on request — endless or huge
// bodies, terminal escape sequences in descriptions and names, secrets echoed back.
//
//   const hostile = await startHostile();
//   hostile.set({ token: 'endless200' });   // or 'endless400', 'huge400', 'large400', 'evil400', 'echo', 'ok'
//   hostile.set({ org: 'evil500' });         // platform error with escapes in its description
//   hostile.set({ toolingLogin: 'echo' });   // echoes the tooling password in its error
//   hostile.baseUrl; await hostile.close();
import { createServer } from 'node:http';

/** Everything a terminal must never receive raw: screen clear, window title, BEL, CR/LF, NUL, RLO. */
export const EVIL = 'Acme\u001b[2J\u001b]0;pwned\u0007\r\nFAKE LINE\u0000\u202eevil\u009b31m';
export const EVIL_ORG = `Org ${EVIL}`;
export const EVIL_TEAM = `Team ${EVIL}`;
export const USER_GUID = 'hostile-user-guid';
export const ORG_ID = 100;

const b64 = value => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
/** An unsigned-looking JWT (the CLI only reads the claims, as the reference does). */
const jwt = claims => `${b64({ alg: 'RS256', typ: 'JWT' })}.${b64(claims)}.${b64('not-a-signature')}`;

const json = (res, status, body) => {
	const text = JSON.stringify(body);
	res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
	res.end(text);
};

/** Writes `head`, then `chunk` for as long as the client reads (or `total` bytes), then `tail`. */
function stream(res, status, head, { total = Infinity, tail = '' } = {}) {
	res.writeHead(status, { 'Content-Type': 'application/json' });
	res.write(head);
	const chunk = Buffer.alloc(64 * 1024, 'a');
	let sent = 0;
	let closed = false;
	res.on('close', () => { closed = true; });
	const pump = () => {
		while (!closed && sent < total) {
			sent += chunk.length;
			if (!res.write(chunk)) {
				res.once('drain', pump);
				return;
			}
		}
		if (!closed) {
			res.end(tail);
		}
	};
	pump();
}

async function readBody(req) {
	let body = '';
	for await (const chunk of req) {
		body += chunk;
		if (body.length > 1e6) {
			break;
		}
	}
	return body;
}

export async function startHostile() {
	const modes = { token: 'ok', org: 'ok', toolingLogin: 'ok' };
	const requests = [];
	const sockets = new Set();
	const server = createServer(async (req, res) => {
		const url = new URL(req.url, 'http://x');
		const path = url.pathname;
		requests.push(`${req.method} ${path}`);
		const body = req.method === 'POST' ? await readBody(req) : '';
		if (path.endsWith('/protocol/openid-connect/token')) {
			const form = new URLSearchParams(body);
			switch (modes.token) {
				case 'endless200':
					return stream(res, 200, '{"access_token":"');
				case 'endless400':
					return stream(res, 400, '{"error":"invalid_client","error_description":"');
				case 'huge400':
					// 50 MB of description, chunked (no Content-Length)
					return stream(res, 400, '{"error":"invalid_client","error_description":"', { total: 50 * 1024 * 1024, tail: '"}' });
				case 'large400':
					// 1 MB of description: under the body limit, so it is parsed, then truncated
					return json(res, 400, { error: 'invalid_client', error_description: `${EVIL} ${'x'.repeat(1024 * 1024)}` });
				case 'evil400':
					return json(res, 400, { error: 'invalid_client', error_description: EVIL });
				case 'echo': {
					const secret = form.get('client_secret') ?? '';
					return json(res, 401, {
						error: 'invalid_client',
						error_description: `Invalid client secret "${secret}" (form: ${new URLSearchParams({ s: secret }).toString().slice(2)})`
					});
				}
				default:
					return json(res, 200, {
						access_token: jwt({ guid: USER_GUID, orgId: ORG_ID, exp: Math.floor(Date.now() / 1000) + 1800 }),
						expires_in: 1800,
						refresh_expires_in: 0,
						token_type: 'bearer',
						scope: 'openid'
					});
			}
		}
		if (path.endsWith('/protocol/openid-connect/userinfo')) {
			return json(res, 200, { guid: USER_GUID, org_guid: 'hostile-org-guid', org_name: EVIL_ORG });
		}
		if (path === '/api/v1/auth/findSession') {
			return json(res, 200, { success: true, result: null });
		}
		if (path === '/api/v1/auth/login') {
			if (modes.toolingLogin === 'echo') {
				const { password } = JSON.parse(body || '{}');
				return json(res, 401, { success: false, description: `Invalid password "${password}" for ${EVIL}`, code: 401 });
			}
			return json(res, 401, { success: false, description: 'Invalid username or password.', code: 401 });
		}
		if (path.startsWith('/api/v1/org/')) {
			if (modes.org === 'evil500') {
				return json(res, 500, { success: false, description: EVIL, code: 500 });
			}
			return json(res, 200, { success: true, result: { org_id: ORG_ID, guid: 'hostile-org-guid', name: EVIL_ORG, region: `US${EVIL}` } });
		}
		if (path === '/api/v1/team') {
			return json(res, 200, {
				success: true,
				result: [ { guid: 'hostile-team-guid', name: EVIL_TEAM, default: true, users: [ { guid: USER_GUID, roles: [ `admin${EVIL}` ], type: 'client' } ] } ]
			});
		}
		if (path === '/auth/signout') {
			res.writeHead(200).end();
			return;
		}
		res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
	});
	server.on('connection', socket => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	await new Promise(resolve => server.listen(0, '127.0.0.1', resolve));
	const baseUrl = `http://127.0.0.1:${server.address().port}`;
	return {
		baseUrl,
		platformUrl: baseUrl,
		requests,
		set(changes) {
			Object.assign(modes, changes);
		},
		reset() {
			Object.assign(modes, { token: 'ok', org: 'ok', toolingLogin: 'ok' });
			requests.length = 0;
		},
		close() {
			for (const socket of sockets) {
				socket.destroy();
			}
			return new Promise(resolve => server.close(() => resolve()));
		}
	};
}
