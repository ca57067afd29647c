'use strict';

// Preloaded with NODE_OPTIONS=--require in a child whose peak memory a test checks: at exit it
// writes the process's peak resident set size (KiB, from getrusage) to $AXWAY_TEST_MAXRSS_FILE.
process.on('exit', () => {
	if (process.env.AXWAY_TEST_MAXRSS_FILE) {
		require('fs').writeFileSync(process.env.AXWAY_TEST_MAXRSS_FILE, String(process.resourceUsage().maxRSS));
	}
});
