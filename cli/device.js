'use strict';

// What the user sees of a device login (RFC 8628): where to go, the code in large, easy-to-read
// form, the link with the code in it, and (on a terminal wide enough) its QR code. Pure
// rendering: the QR text comes from the addon (`qrCode`).

const { stripAnsi } = require('./style');

/**
 * The code letter-spaced in a box: `BDWP-HQPK` becomes
 *   ┌───────────────────┐
 *   │ B D W P - H Q P K │
 *   └───────────────────┘
 */
function renderUserCode(code, style) {
	const spaced = [ ...String(code) ].join(' ');
	const bar = '─'.repeat(spaced.length + 4);
	const bold = style.enabled ? s => `\x1b[1m${s}\x1b[22m` : s => s;
	return [
		`  ┌${bar}┐`,
		`  │  ${style.highlight(bold(spaced))}  │`,
		`  └${bar}┘`
	].join('\n');
}

/**
 * The whole block, without a trailing newline.
 * @param {object} info - `onDeviceCode`'s `{ verificationUri, verificationUriComplete, userCode, expiresIn }`
 * @param {object} o
 * @param {object} o.style
 * @param {string} [o.qr] - the QR code text of the complete link (omitted when not shown)
 */
function renderDeviceCode(info, { style, qr }) {
	const minutes = Math.max(1, Math.round((info.expiresIn || 0) / 60));
	const out = [
		'To log in, open this page in a browser on any device (a phone works too):',
		'',
		`  ${style.highlight(info.verificationUri)}`,
		'',
		'and enter this code:',
		'',
		renderUserCode(info.userCode, style),
		''
	];
	if (info.verificationUriComplete) {
		out.push('Or open this link, which has the code in it:', '', `  ${style.highlight(info.verificationUriComplete)}`, '');
	}
	if (qr) {
		out.push('Or scan it:', '', qr.replace(/\n+$/, ''), '');
	}
	out.push(style.note(`The code expires in ${minutes} minute${minutes === 1 ? '' : 's'}.`));
	return out.join('\n');
}

/** Width (columns) of a rendered QR code. */
function qrWidth(qr) {
	return qr.split('\n').reduce((w, line) => Math.max(w, [ ...stripAnsi(line) ].length), 0);
}

module.exports = { qrWidth, renderDeviceCode, renderUserCode };
