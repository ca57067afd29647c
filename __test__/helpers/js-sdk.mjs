// The JS SDK (@axway/amplify-sdk 3.2.16) as the compatibility suites drive it.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const LOOPBACK = [ '127.0.0.1', 'localhost', '[::1]' ];

/**
 * A `got` for the JS SDK that refuses every request off loopback and records its URL in
 * `blocked` (the SDK signs service accounts out at the production platform, whatever is
 * configured: tests must never reach the internet).
 */
export function loopbackGot(blocked = []) {
	const { got } = require('@axway/amplify-request');
	return got.extend({
		hooks: {
			beforeRequest: [ options => {
				if (!LOOPBACK.includes(options.url.hostname)) {
					blocked.push(options.url.href);
					throw new Error(`compat test: refusing non-loopback request to ${options.url.origin}`);
				}
			} ]
		}
	});
}
