'use strict';

// The SDK's `environments` and `getEndpoints` exports, answered from the core's environment table
// and endpoint rule (`describeOptions`): nothing here restates them.

const native = require('../index.js');
const { E } = require('./errors.js');

const describe = options => native.describeOptions({ profile: 'sdk', tokenStoreType: null, ...options });

/** The environment's table entry (`{ name, baseUrl, platformUrl, realm }`) for a name or alias;
 * `prod` when none is given. The SDK's `environments.resolve`. */
function resolve(env) {
	if (env && typeof env !== 'string') {
		throw new TypeError('Expected environment to be a string');
	}
	return describe({ env: env || undefined }).environment;
}

/** The realm's OpenID endpoints (`auth`, `certs`, `token`, `userinfo`, `wellKnown`) for a base
 * URL (one trailing slash ignored). The SDK's `getEndpoints`. */
function getEndpoints({ baseUrl, realm } = {}) {
	if (!baseUrl || typeof baseUrl !== 'string') {
		throw E.INVALID_ARGUMENT('Expected baseUrl to be a non-empty string');
	}
	if (!realm || typeof realm !== 'string') {
		throw E.INVALID_ARGUMENT('Expected realm to be a non-empty string');
	}
	const { endpoints } = describe({ baseUrl, realm });
	return { auth: endpoints.auth, certs: endpoints.certs, token: endpoints.token, userinfo: endpoints.userinfo, wellKnown: endpoints.wellKnown };
}

/** The environment table by name (`staging`, `prod`, and `preprod`, which is its own
 * environment here as in SDK 4.x), without the `name` key, as the SDK's table. */
const environments = {
	resolve,
	get environments() {
		// built on first use (the addon resolves each name), then kept
		const table = Object.fromEntries([ 'staging', 'prod', 'preprod' ].map(name => {
			const { name: _, ...entry } = resolve(name);
			return [ name, entry ];
		}));
		Object.defineProperty(this, 'environments', { enumerable: true, value: table });
		return table;
	}
};

module.exports = { environments, getEndpoints, resolve };
