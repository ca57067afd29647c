'use strict';

// One benchmark sample, run in a fresh `node` process by benches/run.mjs, which passes this
// file's text with `node -e` (no script file to read, as for the `node -e 0` floor):
//
//   node -e "$(cat benches/case.js)" <sdk|ours> <list|login|validate|token> <homeDir> <platform URL> [clientId clientSecret | accountName]
//   node benches/case.js <same arguments>
//
// Loads the implementation, makes one `sdk.auth` call exactly as existing Axway CLI code makes
// it, checks the result, prints `{"n":…,"maxRSS":…}` and exits. Both implementations run this
// same code; `ours` is loaded from AXWAY_AUTH_BENCH_PKG (the release build's package dir), the
// SDK from this checkout's node_modules.

const [ impl, op, homeDir, url, clientId, clientSecret ] = process.argv.slice(require.main ? 2 : 1);

const options = { baseUrl: url, platformUrl: url, realm: 'Broker', homeDir, tokenStoreType: 'file' };
const auth = impl === 'sdk'
	? new (require(process.env.AXWAY_AUTH_BENCH_SDK).default)(options).auth
	: require(process.env.AXWAY_AUTH_BENCH_PKG).createSdkAuth(options);

let work;
if (op === 'list') {
	work = auth.list().then(accounts => accounts.length);
} else if (op === 'validate') {
	work = auth.list({ validate: true }).then(accounts => accounts.filter(a => a.isPlatform !== undefined).length);
} else if (op === 'login') {
	work = auth.login({ clientId, clientSecret, force: true }).then(account => (account.team ? 1 : 0));
} else if (op === 'token') {
	// what a script does for a token with the SDK: find the account, take its access token
	// (`clientId` is the account name here)
	work = auth.find(clientId).then(account => {
		require('fs').writeSync(2, `${account.auth.tokens.access_token}\n`);
		return 1;
	});
} else {
	work = Promise.reject(new Error(`unknown case ${op}`));
}

work.then(n => {
	// fs.writeSync: process.stdout would set up a stream (milliseconds) just for this line
	require('fs').writeSync(1, JSON.stringify({ n, maxRSS: process.resourceUsage().maxRSS }));
	process.exit(0);
}, err => {
	process.stderr.write(`${(err && err.stack) || err}\n`);
	process.exit(1);
});
