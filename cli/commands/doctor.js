'use strict';

// axway auth doctor [--json] — checks the set-up (config file, token store, and for the base and
// platform URLs: proxy, DNS, TCP, TLS, HTTP; then the clock). The core runs the checks (each
// bounded in time) and returns a report; this file only renders it. Exit 0 when no check
// failed, 1 otherwise.

const { SilentExit } = require('../errors');
const { CHECK, CROSS } = require('../style');

/** Control characters from servers (certificate names, headers) never reach the terminal. */
// eslint-disable-next-line no-control-regex
const clean = s => String(s).replace(/[\x00-\x1f\x7f-\x9f]/g, ' ');

/**
 * The text report: one line per check (`✔`, `✖`, `!` warning, `-` skipped), the advice of
 * failures and warnings under it, and a summary line.
 * @param {{ ok: boolean, checks: object[] }} report
 * @param {object} style
 */
function renderReport(report, style) {
	const symbol = {
		pass: style.green(CHECK),
		fail: style.red(CROSS),
		warn: style.yellow('!'),
		skip: style.note('-')
	};
	const lines = [];
	for (const check of report.checks) {
		const text = `${symbol[check.status] || '?'} ${clean(check.title)}: ${clean(check.detail)}`;
		lines.push(check.status === 'skip' ? style.note(text) : text);
		if (check.advice && (check.status === 'fail' || check.status === 'warn')) {
			lines.push(`  ${check.status === 'fail' ? style.red('→') : style.yellow('→')} ${clean(check.advice)}`);
		}
	}
	const failed = report.checks.filter(c => c.status === 'fail').length;
	lines.push('');
	lines.push(failed
		? style.red(`${CROSS} ${failed} check${failed === 1 ? '' : 's'} failed`)
		: style.green(`${CHECK} All checks passed`));
	return lines.join('\n');
}

module.exports = {
	name: 'doctor',
	desc: 'Checks the network, TLS, proxy and token store set-up',
	help: 'Checks the config file, the token store, and for the login and platform URLs the proxy,\nDNS, TCP connection, TLS certificate (issuer, expiry, which trust source accepted it) and\nHTTP answer, then the clock. Each failure comes with one line of advice.\nExits with 1 when a check fails.',
	options: {
		json: { type: 'boolean', desc: 'Outputs the report as JSON' }
	},
	renderReport,
	footer: style => `NETWORK SETTINGS (first one set wins; CAs add up):

  Extra CA certificates (PEM), added to the OS trust store and Mozilla's roots:
    ${style.highlight('NODE_EXTRA_CA_CERTS')}, ${style.highlight('SSL_CERT_FILE')}, ${style.highlight('SSL_CERT_DIR')}, ${style.highlight('axway config set network.caFile <pem>')}
  Proxy, http://[user:password@]host:port:
    ${style.highlight('axway config set network.proxy <url>')} (or network.httpsProxy, network.httpProxy),
    then ${style.highlight('HTTPS_PROXY')}, ${style.highlight('HTTP_PROXY')}, ${style.highlight('ALL_PROXY')}; ${style.highlight('NO_PROXY')} lists hosts that go direct
  Client certificate (mutual TLS):
    ${style.highlight('axway config set network.certFile <pem>')} and ${style.highlight('network.keyFile <pem>')}
  Certificate verification off (prints a warning on every run; not recommended):
    ${style.highlight('axway config set network.strictSSL false')}`,

	/**
	 * @param {import('../context').Context} ctx
	 */
	async run(ctx) {
		const report = await ctx.api().doctor({ ...ctx.common() });
		if (ctx.json) {
			ctx.printJSON(report);
		} else {
			ctx.io.log(renderReport(report, ctx.style));
		}
		if (!report.ok) {
			throw new SilentExit(1);
		}
	}
};
