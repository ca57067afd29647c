// A recording forward proxy on 127.0.0.1 (node:http): HTTPS through `CONNECT host:port`
// tunnels, plain HTTP in absolute form. It records every request's target and the
// Proxy-Authorization header it got. With `credentials`, it answers 407 unless they match.
import { createServer, request as httpRequest } from 'node:http';
import { connect } from 'node:net';

/**
 * @param {object} [o]
 * @param {{ user: string, password: string }} [o.credentials] require Basic proxy auth
 * @returns {Promise<{ url, port, host, seen: Array<{ method, target, auth, user }>, reset(), close() }>}
 */
export async function startProxy({ credentials } = {}) {
	const seen = [];
	const expected = credentials
		? `Basic ${Buffer.from(`${credentials.user}:${credentials.password}`).toString('base64')}`
		: null;
	const record = (method, target, headers) => {
		const auth = headers['proxy-authorization'];
		const decoded = auth && auth.startsWith('Basic ')
			? Buffer.from(auth.slice(6), 'base64').toString('utf8')
			: undefined;
		seen.push({ method, target, auth, user: decoded && decoded.split(':')[0], decoded });
		return !expected || auth === expected;
	};

	const server = createServer();
	const sockets = new Set();
	server.on('connection', socket => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});

	server.on('connect', (req, client, head) => {
		if (!record('CONNECT', req.url, req.headers)) {
			client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test"\r\nContent-Length: 0\r\n\r\n');
			return;
		}
		const [ host, port ] = req.url.startsWith('[')
			? [ req.url.slice(1, req.url.indexOf(']')), req.url.slice(req.url.indexOf(']') + 2) ]
			: req.url.split(':');
		const upstream = connect(Number(port), host, () => {
			client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
			if (head && head.length) {
				upstream.write(head);
			}
			upstream.pipe(client);
			client.pipe(upstream);
		});
		sockets.add(upstream);
		upstream.on('close', () => sockets.delete(upstream));
		upstream.on('error', () => client.end('HTTP/1.1 502 Bad Gateway\r\n\r\n'));
		client.on('error', () => upstream.destroy());
	});

	server.on('request', (req, res) => {
		if (!record(req.method, req.url, req.headers)) {
			res.writeHead(407, { 'proxy-authenticate': 'Basic realm="test"', 'content-length': 0 });
			res.end();
			return;
		}
		const headers = { ...req.headers };
		delete headers['proxy-authorization'];
		const upstream = httpRequest(req.url, { method: req.method, headers }, up => {
			res.writeHead(up.statusCode, up.headers);
			up.pipe(res);
		});
		upstream.on('error', () => {
			res.writeHead(502);
			res.end();
		});
		req.pipe(upstream);
	});

	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', resolve);
	});
	const { port } = server.address();
	return {
		url: `http://127.0.0.1:${port}`,
		host: `127.0.0.1:${port}`,
		port,
		seen,
		reset: () => { seen.length = 0; },
		close: () => new Promise(resolve => {
			server.close(() => resolve());
			for (const socket of sockets) {
				socket.destroy();
			}
		})
	};
}
