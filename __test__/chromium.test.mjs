// The browser login (PKCE) end to end, in a real browser: Debian's headless Chromium through
// playwright-core, driving the URL that `axway auth login --no-launch-browser` prints, exactly as
// a user does (issue 3, "Tested as a user would use it").
//
//   node --test __test__/chromium.test.mjs
//
// Chromium comes from `apt-get install chromium` (.ci/run); the test fails, saying so, without it.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { createDecipheriv } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';

import { api, apiOptions, makeHome, runCli, seed, usePlatform } from './helpers/env.mjs';
import { LOGIN_URL_RE, launchChromium, redirectUriOf, spawnCli } from './helpers/chromium.mjs';

const { USERS, ORGS } = seed;
const alice = USERS.alice;

const platform = usePlatform();

const claims = jwt => JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8'));

it('axway auth login --no-launch-browser: alice logs in in Chromium, picks Beta Inc, and the command reports the account', { timeout: 60_000 }, async t => {
	const h = makeHome(platform);
	const browser = await launchChromium();
	const cli = spawnCli([ 'auth', 'login', '--no-launch-browser' ], { home: h, timeout: 50_000 });
	try {
		// 1. the command prints the login URL and waits
		const [ , url ] = await cli.waitFor(LOGIN_URL_RE, { stream: 'stdout' });
		const urlPrinted = performance.now() - cli.startedAt;
		const auth = new URL(url);
		assert.equal(auth.origin, platform.baseUrl);
		assert.equal(auth.searchParams.get('code_challenge_method'), 'S256');
		const redirect = redirectUriOf(url);
		assert.equal(redirect.hostname, 'localhost');

		// 2. the user opens it: the login page of the identity server
		const { page } = browser;
		await page.goto(url);
		await page.fill('input[name=login]', alice.email);
		await page.fill('input[name=password]', alice.password);
		await Promise.all([
			page.waitForURL(u => u.pathname === '/auth/org.select'),
			page.click('button[type=submit]')
		]);

		// 3. alice is in two orgs: the platform's org select page; she picks Beta Inc
		assert.equal(await page.textContent('#user'), alice.email);
		assert.deepEqual(await page.$$eval('a.org', as => as.map(a => a.dataset.orgId).sort()), [ '100', '200' ]);
		await page.click(`a.org[data-org-id="${ORGS.beta.org_id}"]`);

		// 4. back on the command's own callback server: the success page
		await page.waitForURL(u => u.host === redirect.host && u.pathname.startsWith('/callback/'));
		await page.waitForSelector('text=Authorization Successful!');
		assert.equal(await page.title(), 'Authorization Successful!');
		const successShown = performance.now() - cli.startedAt;

		// 5. the command reports the account and exits 0
		const result = await cli.done;
		t.diagnostic(`PKCE login in Chromium, wall time from spawn to exit: ${Math.round(result.ms)} ms (URL printed at ${Math.round(urlPrinted)} ms, success page at ${Math.round(successShown)} ms)`);
		assert.equal(result.code, 0, `exit code\nstdout: ${result.stdout}\nstderr: ${result.stderr}`);
		assert.match(result.stdout, new RegExp(`You are logged into a platform account in organization Beta Inc \\(${ORGS.beta.guid}\\) as ${alice.email.replace('.', '\\.')}`));
		assert.match(result.stdout, /This account has been set as the default\./);
		assert.deepEqual(platform.state().orgSelections.map(s => [ s.email, s.orgId ]), [ [ alice.email, ORGS.beta.org_id ] ]);
		assert.equal(platform.state().userLogins.filter(l => l.ok).length, 1, 'one login at the form');
	} finally {
		cli.kill();
		await browser.close();
	}

	try {
		// 6. `auth ls --json` shows the account, in Beta Inc, with its tokens stored
		const ls = await runCli([ 'auth', 'ls', '--json' ], { home: h });
		assert.equal(ls.code, 0, ls.stderr);
		assert.equal(ls.json.length, 1, ls.stdout);
		const [ account ] = ls.json;
		assert.equal(account.name, `amplify-cli:${alice.email}`);
		assert.equal(account.auth.authenticator, 'PKCE');
		assert.equal(account.isPlatform, true);
		assert.equal(account.org.id, ORGS.beta.org_id);
		assert.equal(account.org.name, ORGS.beta.name);
		assert.equal(account.default, true);
		assert.equal(account.user.email, alice.email);
		assert.ok(account.auth.expires.access > Date.now() && account.auth.expires.refresh > Date.now());

		assert.ok(existsSync(h.storeFile), 'the token store file exists');
		const [ stored ] = await api().list(apiOptions(h, { validate: false }));
		assert.equal(stored.hash, account.hash);
		assert.equal(claims(stored.auth.tokens.access_token).orgId, ORGS.beta.org_id, 'the stored access token carries the selected org');
		assert.equal(claims(stored.auth.tokens.access_token).email, alice.email);
		// list() hands out the access token only (issue 13); the store file keeps the others
		assert.equal(stored.auth.tokens.refresh_token, undefined);
		const decipher = createDecipheriv('aes-128-cbc', Buffer.from('d4be0906bc9fae40'), Buffer.alloc(16));
		const hex = Buffer.from(readFileSync(h.storeFile, 'utf8').trim(), 'hex');
		const [ record ] = JSON.parse(Buffer.concat([ decipher.update(hex), decipher.final() ]).toString('utf8'));
		assert.equal(typeof record.auth.tokens.refresh_token, 'string');
		assert.equal(typeof record.auth.tokens.id_token, 'string');
		assert.equal(h.config().auth.defaultAccount, account.name);
	} finally {
		h.cleanup();
	}
});
