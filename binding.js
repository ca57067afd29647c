'use strict';

// The package entry point: `require('axway-auth')` and `import ... from 'axway-auth'` (named
// exports come through Node's CommonJS export detection of the line below).
//
// It is the loader that `napi build` generates (index.js), which picks the prebuilt addon for
// this machine: `./axway-auth.<platform>.node` in a source checkout, else the optional package
// `axway-auth-<platform>` that npm installed with this one. When neither loads, the generated
// loader only says "Cannot find native binding"; this file replaces that with an error that
// names the platform and says what to do. Its first line stands alone (the CLI prints only it).

try {
	module.exports = require('./index.js');
} catch (err) {
	throw noAddonError(err);
}
// `switch` is a reserved word, so the addon exports `switchAccount`; both names work.
module.exports.switch = module.exports.switchAccount;
// Internal exports without types (the SDK adapter's store operations and clean-up, a test hook): named here too,
// so that `import` sees the same names as `require`.
module.exports.dropMemoryStore = module.exports.dropMemoryStore;
module.exports.__testPanic = module.exports.__testPanic;
module.exports.tokenStore = module.exports.tokenStore;

/** What `napi.targets` in package.json builds, as napi-rs names them (platform-arch[-abi]). */
function prebuiltPlatforms() {
	return [ 'linux-x64-gnu', 'linux-x64-musl', 'linux-arm64-gnu', 'darwin-x64', 'darwin-arm64', 'win32-x64-msvc' ];
}

/** This machine in napi-rs's naming, the way the generated loader tells glibc from musl. */
function currentPlatform() {
	const { platform, arch } = process;
	if (platform === 'win32') {
		return `win32-${arch}-msvc`;
	}
	if (platform === 'linux') {
		let musl = false;
		try {
			musl = require('fs').readFileSync('/usr/bin/ldd', 'utf8').includes('musl');
		} catch {
			try {
				const header = process.report.getReport().header;
				musl = !header.glibcVersionRuntime;
			} catch {
				// unknown: assume glibc, as the generated loader does
			}
		}
		return `linux-${arch}-${musl ? 'musl' : 'gnu'}`;
	}
	return `${platform}-${arch}`;
}

function firstLine(e) {
	return String((e && e.message) || e).split('\n')[0];
}

function noAddonError(cause) {
	const message = cause && typeof cause.message === 'string' ? cause.message : '';
	if (!/^(Cannot find native binding|Failed to load native binding)/.test(message)) {
		return cause; // a real error from a loaded addon, or the loader's version check: keep it
	}
	const { version } = require('./package.json');
	const platform = currentPlatform();
	const pkg = `axway-auth-${platform}`;
	const supported = prebuiltPlatforms();
	const where = `${platform}, Node ${process.version}`;
	const fromSource = 'build it from source with a Rust toolchain (see "Build from source" in this package\'s README.md)';
	let text;
	if (!supported.includes(platform)) {
		text = `axway-auth has no prebuilt native addon for this platform (${where}); prebuilt addons exist for ${supported.join(', ')}. To use it here, ${fromSource}.`;
	} else {
		let installed = null;
		try {
			installed = require.resolve(pkg);
		} catch {
			// not installed
		}
		if (!installed && require('fs').existsSync(require('path').join(__dirname, 'Cargo.toml'))) {
			text = `axway-auth's native addon is not built in this source checkout (${where}): run npm run build (release) or npm run build:debug, which write axway-auth.${platform}.node.`;
		} else if (!installed) {
			text = `axway-auth's native addon for this platform (${where}) is missing: the optional package ${pkg}@${version} was not installed. ` +
				`Reinstall without --omit=optional / --no-optional; if that does not help (npm bug 4828, a lockfile made on another platform), ` +
				`delete node_modules and package-lock.json and run npm install again, or run npm install ${pkg}@${version}.`;
		} else {
			let reason = 'unknown error';
			try {
				require(pkg);
			} catch (e) {
				reason = firstLine(e);
			}
			text = `axway-auth's native addon for this platform (${where}) is installed (${pkg}) but cannot be loaded: ${reason}. ` +
				`Reinstall axway-auth, or ${fromSource}.`;
		}
	}
	const err = new Error(text);
	err.code = 'ERR_ADDON_NOT_FOUND';
	err.platform = platform;
	err.cause = cause;
	return err;
}

// The SDK-compatible API (lib/): drop-ins for @axway/amplify-sdk 3.2.16's `Auth`, `sdk.auth`, its
// authenticators and token stores. Loaded on first use (the `axway` command never pays for it);
// the assignments name the exports for `import { Auth } from 'axway-auth'`.
module.exports.Auth = module.exports.createSdkAuth = undefined;
module.exports.Authenticator = module.exports.ClientSecret = module.exports.OwnerPassword = module.exports.PKCE = module.exports.SignedJWT = undefined;
module.exports.TokenStore = module.exports.MemoryStore = module.exports.FileStore = module.exports.SecureStore = undefined;
module.exports.environments = module.exports.getEndpoints = undefined;
const SDK_EXPORTS = {
	Auth: 'sdk', createSdkAuth: 'sdk',
	Authenticator: 'authenticators', ClientSecret: 'authenticators', OwnerPassword: 'authenticators', PKCE: 'authenticators', SignedJWT: 'authenticators',
	TokenStore: 'stores', MemoryStore: 'stores', FileStore: 'stores', SecureStore: 'stores',
	environments: 'environments', getEndpoints: 'environments'
};
for (const [ name, file ] of Object.entries(SDK_EXPORTS)) {
	Object.defineProperty(module.exports, name, { enumerable: true, get: () => require(`./lib/${file}.js`)[name] });
}
