#!/usr/bin/env node
'use strict';

// The `axway` entry point. Only the `auth` command group is implemented here; everything else
// lives in cli/. This file stays tiny so start-up cost is just Node plus what the command needs.

const argv = process.argv.slice(2);

// `axway auth token` with a stored token that lives long enough: printed by one synchronous call,
// before anything else is loaded (scripts call it in loops). Otherwise the full command runs.
if (!(argv[0] === 'auth' && argv[1] === 'token' && require('../cli/commands/token.js').fast(argv))) {
	const { version } = require('../package.json');

	// The core puts this in the platform API User-Agent (`... Axway CLI/<ver>`). Set it before any
	// API call; an outer launcher that already set it wins.
	if (!process.env.AXWAY_CLI) {
		process.env.AXWAY_CLI = version;
	}

	require('../cli/main.js').main(argv);
}
