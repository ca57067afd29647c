#!/usr/bin/env node
'use strict';

// The `axway` entry point. Only the `auth` command group is implemented here; everything else
// lives in cli/. This file stays tiny so start-up cost is just Node plus what the command needs.

const { version } = require('../package.json');

// The core puts this in the platform API User-Agent (`... Axway CLI/<ver>`). Set it before any
// API call; an outer launcher that already set it wins.
if (!process.env.AXWAY_CLI) {
	process.env.AXWAY_CLI = version;
}

require('../cli/main.js').main(process.argv.slice(2));
