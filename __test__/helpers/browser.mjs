// A small cookie-keeping HTTP "browser" that drives the browser login the way a user does:
// open the login URL, submit the login form, pick an org on the platform's org.select page,
// and land on the command's success page. (The Chromium test drives the same flow in a real
// browser; this one is for the faster tests.)

export class HttpBrowser {
	cookies = new Map();
	visited = [];

	async fetch(url, init = {}) {
		const cookie = [ ...this.cookies ].map(([ k, v ]) => `${k}=${v}`).join('; ');
		const res = await fetch(url, { ...init, redirect: 'manual', headers: { ...init.headers, ...(cookie ? { Cookie: cookie } : {}) } });
		for (const setCookie of res.headers.getSetCookie()) {
			const [ pair ] = setCookie.split(';');
			const i = pair.indexOf('=');
			const name = pair.slice(0, i).trim();
			const value = pair.slice(i + 1).trim();
			if (!value || /expires=Thu, 01 Jan 1970/i.test(setCookie)) {
				this.cookies.delete(name);
			} else {
				this.cookies.set(name, value);
			}
		}
		this.visited.push({ url, status: res.status });
		return res;
	}

	/** Follows every redirect; returns the final response, its URL and its body text. */
	async follow(url, init) {
		let res = await this.fetch(url, init);
		let location = url;
		for (let hops = 0; [ 301, 302, 303, 307 ].includes(res.status) && hops < 20; hops++) {
			location = new URL(res.headers.get('location'), location).href;
			res = await this.fetch(location);
		}
		return { res, url: location, text: await res.text() };
	}
}

/**
 * Logs `user` in at `loginUrl` (the URL the command printed) and, when the platform asks,
 * picks the org with `orgId`. Returns the last page `{ res, url, text }`.
 */
export async function loginInBrowser(loginUrl, user, { orgId, browser = new HttpBrowser(), deny = false } = {}) {
	let page = await browser.follow(loginUrl);
	const action = /<form[^>]*method="post"[^>]*action="([^"]+)"/i.exec(page.text)?.[1];
	if (!action) {
		throw new Error(`no login form at ${page.url}: ${page.text.slice(0, 200)}`);
	}
	if (deny) {
		const cancel = /<a[^>]*id="cancel"[^>]*href="([^"]+)"/i.exec(page.text)?.[1];
		return browser.follow(new URL(cancel.replaceAll('&amp;', '&'), page.url).href);
	}
	page = await browser.follow(new URL(action.replaceAll('&amp;', '&'), page.url).href, {
		method: 'POST',
		headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({ login: user.email, password: user.password })
	});
	if (/org\.select/.test(page.url)) {
		const links = [ ...page.text.matchAll(/<a[^>]*class="[^"]*\borg\b[^"]*"[^>]*>/g) ].map(m => m[0]);
		const link = links.find(l => orgId === undefined || l.includes(`data-org-id="${orgId}"`)) ?? links[0];
		const href = /href="([^"]+)"/.exec(link)?.[1];
		if (!href) {
			throw new Error(`no org link on ${page.url}`);
		}
		page = await browser.follow(new URL(href.replaceAll('&amp;', '&'), page.url).href);
	}
	return page;
}
