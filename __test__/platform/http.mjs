// Tiny helpers for the plain node:http routes (everything that is not oidc-provider itself).
import { createVerify } from 'node:crypto';

const BODY_LIMIT = 64 * 1024;

export async function readBody(req) {
	const chunks = [];
	let size = 0;
	for await (const chunk of req) {
		size += chunk.length;
		if (size > BODY_LIMIT) {
			throw Object.assign(new Error('Request body too large'), { status: 413 });
		}
		chunks.push(chunk);
	}
	return Buffer.concat(chunks).toString('utf8');
}

/** Parses a form or JSON body into a plain object (`{}` when empty or unparsable). */
export async function readParams(req) {
	const text = await readBody(req);
	if (/json/i.test(req.headers['content-type'] || '')) {
		try {
			const value = JSON.parse(text || '{}');
			return value && typeof value === 'object' ? value : {};
		} catch {
			return {};
		}
	}
	return Object.fromEntries(new URLSearchParams(text));
}

export function send(res, status, body, headers = {}) {
	res.writeHead(status, { 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'no-store', ...headers });
	res.end(body);
}

export const sendJson = (res, status, value, headers) => send(res, status, JSON.stringify(value), { 'Content-Type': 'application/json; charset=utf-8', ...headers });

export const sendHtml = (res, status, html, headers) => send(res, status, html, { 'Content-Type': 'text/html; charset=utf-8', ...headers });

export function redirect(res, location, status = 302, headers = {}) {
	send(res, status, '', { Location: location, ...headers });
}

export function parseCookies(req) {
	const out = {};
	for (const part of (req.headers.cookie || '').split(';')) {
		const i = part.indexOf('=');
		if (i > 0) {
			const name = part.slice(0, i).trim();
			let value = part.slice(i + 1).trim();
			try {
				value = decodeURIComponent(value);
			} catch {}
			out[name] ??= value;
		}
	}
	return out;
}

export function bearerToken(req) {
	const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization || '');
	return m ? m[1] : null;
}

const ENTITIES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = s => String(s ?? '').replace(/[&<>"']/g, c => ENTITIES[c]);

export function page(title, body) {
	return `<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8">
<title>${escapeHtml(title)}</title>
<style>body{font-family:sans-serif;max-width:28em;margin:3em auto}label,input,button,a.button{display:block;margin:.5em 0}a.button{padding:.5em;border:1px solid #888;text-decoration:none}.error{color:#b00}</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
${body}
</body>
</html>
`;
}

// ---- JWT -------------------------------------------------------------------------------------

const b64json = part => JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));

/** Decodes a JWT without verifying it; `null` when it is not a JWT. */
export function decodeJwt(token) {
	const parts = String(token || '').split('.');
	if (parts.length !== 3) {
		return null;
	}
	try {
		return { header: b64json(parts[0]), payload: b64json(parts[1]) };
	} catch {
		return null;
	}
}

/**
 * Verifies an RS256 JWT against `publicKey` (a KeyObject) and its `exp`, `iss` and header `typ`.
 * Returns the payload, or throws an Error whose message is safe to show to the client.
 */
export function verifyJwt(token, publicKey, { issuer, typ } = {}) {
	const decoded = decodeJwt(token);
	if (!decoded) {
		throw new Error('Malformed token');
	}
	const { header, payload } = decoded;
	const [ h, p, sig ] = token.split('.');
	if (header.alg !== 'RS256' || !createVerify('RSA-SHA256').update(`${h}.${p}`).verify(publicKey, Buffer.from(sig, 'base64url'))) {
		throw new Error('Invalid token signature');
	}
	if (typ && header.typ !== typ) {
		throw new Error('Invalid token type');
	}
	if (issuer && payload.iss !== issuer) {
		throw new Error('Invalid token issuer');
	}
	if (typeof payload.exp !== 'number' || payload.exp <= Date.now() / 1000) {
		throw new Error('Token expired');
	}
	return payload;
}
