'use strict';

// The waiting part of `axway auth login`, as the user sees it. The core picks the flow (the
// browser login, or the device login when asked for or when no browser can reach the user) and
// calls back: `onOpenBrowser` with the browser login's link, `onDeviceCode` with the device
// login's code, `onSelectOrg` when a device login has several orgs to choose from. While it
// waits, one status line (spinner, time left) runs on stderr when that is a terminal. Ctrl-C
// cancels: the device login stores nothing before the user approved it.
//
// With --json, everything shown goes to stderr: stdout carries only the account JSON.

const { CliError } = require('./errors');

/** The port of the browser login's loopback redirect (for the SSH port-forwarding hint). */
function callbackPort(url) {
	try {
		return new URL(new URL(url).searchParams.get('redirect_uri')).port || null;
	} catch {
		return null;
	}
}

/**
 * Runs `api.login(options)` with the callbacks that show the login to the user.
 * @param {import('./context').Context} ctx
 * @param {object} options - login options (`device`, `launchBrowser`, `org`, …)
 */
async function interactiveLogin(ctx, options) {
	const { io, style, json } = ctx;
	const api = ctx.api();
	const show = json ? io.error.bind(io) : io.log.bind(io);
	const shownOn = json ? io.stderr : io.stdout;
	const headless = options.device === 'auto' ? ctx.headlessReason() : null;

	let waiting = null;
	const stopWaiting = () => {
		if (waiting) {
			waiting.stop();
			waiting = null;
		}
	};
	const wait = (text, expiresIn) => {
		stopWaiting();
		waiting = require('./progress').startWaiting({ stream: io.stderr, text, expiresIn });
	};

	const call = {
		...options,
		onOpenBrowser({ url, expiresIn } = {}) {
			if (!options.launchBrowser) {
				// Fix of spec 10.4 #7: with --json this goes to stderr so stdout stays JSON.
				show(`Please open following link in your browser:\n\n  ${style.highlight(url)}\n`);
			} else if (headless) {
				// the server offers no device login: the browser login's link, opened by hand
				const port = callbackPort(url);
				const forward = port ? ` (over SSH, forward its port first: ssh -L ${port}:localhost:${port} <this host>)` : '';
				show(`No web browser can be opened from here: ${headless}.`);
				show(`Open this link in a browser on this machine${forward}:\n\n  ${style.highlight(url)}\n`);
			} else {
				show('Launching web browser to login...');
				show(`If no browser opens, open this link:\n\n  ${style.highlight(url)}\n`);
			}
			wait('Waiting for the login in the browser', expiresIn);
		},
		onDeviceCode(info) {
			const { qrWidth, renderDeviceCode } = require('./device');
			let qr;
			if (shownOn.isTTY && typeof api.qrCode === 'function') {
				const text = api.qrCode(info.verificationUriComplete || info.verificationUri);
				if (qrWidth(text) + 2 <= (shownOn.columns || 0)) {
					qr = text.split('\n').map(line => (line ? `  ${line}` : line)).join('\n');
				}
			}
			show(renderDeviceCode(info, { style, qr }));
			show();
			wait('Waiting for the code to be entered in the browser', info.expiresIn);
		}
	};

	// several orgs and no --org: ask on a terminal; otherwise (--json, a pipe) the platform's
	// default org stays selected
	if (!json && !options.org && ctx.canPrompt()) {
		call.onSelectOrg = async ({ orgs, current }) => {
			stopWaiting();
			const choices = orgs.map(o => ({ label: `${o.name} ${style.note(`(${o.guid || o.id})`)}`, value: String(o.guid || o.id) }));
			const initial = current ? orgs.findIndex(o => o.guid === current.guid) : -1;
			try {
				const chosen = await ctx.prompter().select('Select an organization', choices, initial);
				io.log();
				return chosen;
			} catch {
				throw new Error('Login cancelled: nothing was stored');
			} finally {
				ctx.closePrompter();
			}
		};
	}

	let onSigint;
	const cancelled = new Promise((resolve, reject) => {
		onSigint = () => reject(new CliError('Login cancelled', { code: 'ERR_CANCELLED', exitCode: 130 }));
		process.once('SIGINT', onSigint);
	});
	try {
		return await Promise.race([ api.login(call), cancelled ]);
	} finally {
		stopWaiting();
		process.removeListener('SIGINT', onSigint);
	}
}

module.exports = { callbackPort, interactiveLogin };
