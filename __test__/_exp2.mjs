import { api, apiOptions, makeHome, startPlatform, seed, runCli } from './helpers/env.mjs';
import { loginInBrowser } from './helpers/browser.mjs';
const platform = await startPlatform({ quiet: true });
const h = makeHome(platform);
const acct = await api().login(apiOptions(h, { launchBrowser: false, onOpenBrowser: ({ url: u }) => { loginInBrowser(u, seed.USERS.alice, { orgId: 200 }); } }));
delete acct.auth; delete acct.org.subscriptions;
console.log(JSON.stringify(acct, null, 1));
const ls = await runCli(['auth','ls','--json'], { home: h });
const a = ls.json[0]; delete a.org.subscriptions;
console.log(JSON.stringify(a.auth), Object.keys(a));
try { await api().login(apiOptions(h, { launchBrowser: false, onOpenBrowser: () => {} })); } catch (e) { console.log(e.code, e.message, Object.keys(e), e.account?.name); }
await platform.close();
