// Corporate-network test parts, made at test time (nothing committed is a key):
//
// - makePki(dir): a private CA and server certificates made with `openssl` (valid for
//   127.0.0.1/localhost, expired, for the wrong host), plus a client CA and a client certificate
//   for mutual TLS;
// - startFront({ target, cert, key }): an HTTPS front end (node:https) that forwards every request
//   to the local platform, so the platform can be reached the way a TLS-inspecting proxy or a
//   real deployment presents it. The platform sees `X-Forwarded-Proto: https` and the front
//   end's Host, so its OpenID configuration advertises the front end's https URLs.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { createServer } from 'node:https';
import { join } from 'node:path';

function openssl(args, cwd) {
	execFileSync('openssl', args, { cwd, stdio: [ 'ignore', 'ignore', 'pipe' ] });
}

const EC = [ '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes' ];

function makeCa(dir, name, cn) {
	openssl([ 'req', '-x509', ...EC, '-keyout', `${name}.key`, '-out', `${name}.pem`, '-days', '30', '-subj', `/CN=${cn}/O=Axway Auth Tests` ], dir);
	return { cert: join(dir, `${name}.pem`), key: join(dir, `${name}.key`) };
}

function makeLeaf(dir, name, ca, { cn, san, days = 30, usage = 'serverAuth' }) {
	const ext = join(dir, `${name}.ext`);
	writeFileSync(ext, `subjectAltName=${san}\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=${usage}\n`);
	openssl([ 'req', ...EC, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${cn}` ], dir);
	openssl([ 'x509', '-req', '-in', `${name}.csr`, '-CA', ca.cert, '-CAkey', ca.key, '-CAcreateserial', '-out', `${name}.pem`, '-days', String(days), '-extfile', ext ], dir);
	return { cert: join(dir, `${name}.pem`), key: join(dir, `${name}.key`) };
}

/**
 * Makes the test PKI in `dir`.
 * @returns {{ ca, valid, expired, wrongHost, clientCa, client }} each `{ cert, key }` (PEM paths)
 */
export function makePki(dir) {
	const ca = makeCa(dir, 'ca', 'Axway Auth Test CA');
	const clientCa = makeCa(dir, 'client-ca', 'Axway Auth Test Client CA');
	return {
		ca,
		valid: makeLeaf(dir, 'valid', ca, { cn: '127.0.0.1', san: 'IP:127.0.0.1,DNS:localhost' }),
		// notAfter one day before notBefore (now): expired from the start
		expired: makeLeaf(dir, 'expired', ca, { cn: '127.0.0.1', san: 'IP:127.0.0.1,DNS:localhost', days: -1 }),
		wrongHost: makeLeaf(dir, 'wrong-host', ca, { cn: 'wrong.example', san: 'DNS:wrong.example' }),
		clientCa,
		client: makeLeaf(dir, 'client', clientCa, { cn: 'Axway Auth Test Client', san: 'DNS:client.example', usage: 'clientAuth' })
	};
}

/**
 * Starts an HTTPS front end on 127.0.0.1 that forwards to `target` (the platform's http URL).
 * @param {object} o
 * @param {string} o.target http URL of the platform
 * @param {string|Buffer} o.cert PEM
 * @param {string|Buffer} o.key PEM
 * @param {string|Buffer} [o.clientCa] PEM: require a client certificate issued by it
 * @param {number} [o.dateOffsetMs] shift the `Date` header the front end sends (clock-skew tests)
 * @returns {Promise<{ url, port, requests: Array<{method, path}>, reset(), close() }>}
 */
export async function startFront({ target, cert, key, clientCa, dateOffsetMs = 0 }) {
	const requests = [];
	const server = createServer({
		cert,
		key,
		...(clientCa ? { ca: clientCa, requestCert: true, rejectUnauthorized: true } : {})
	});
	const sockets = new Set();
	server.on('secureConnection', socket => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	// failed handshakes are expected in these tests
	server.on('tlsClientError', () => {});
	server.on('request', (req, res) => {
		requests.push({ method: req.method, path: req.url.split('?')[0] });
		const upstream = httpRequest(new URL(req.url, target), {
			method: req.method,
			headers: { ...req.headers, 'x-forwarded-proto': 'https' }
		}, up => {
			const headers = { ...up.headers };
			if (dateOffsetMs) {
				headers.date = new Date(Date.now() + dateOffsetMs).toUTCString();
			}
			res.writeHead(up.statusCode, headers);
			up.pipe(res);
		});
		upstream.on('error', err => {
			res.writeHead(502, { 'content-type': 'text/plain' });
			res.end(`front end: ${err.message}`);
		});
		req.pipe(upstream);
	});
	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', resolve);
	});
	const { port } = server.address();
	return {
		url: `https://127.0.0.1:${port}`,
		port,
		requests,
		reset: () => { requests.length = 0; },
		close: () => new Promise(resolve => {
			server.close(() => resolve());
			for (const socket of sockets) {
				socket.destroy();
			}
		})
	};
}
