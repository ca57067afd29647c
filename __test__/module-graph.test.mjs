// No two JS modules of the package require each other, directly or through others (issue 9),
// as tests/module_graph.rs checks for the Rust core: reads cli/, lib/, bin/ and binding.js and
// follows their relative `require`s (a template such as `./commands/${name}.js` reaches every
// file it can name).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

function jsFiles(dir) {
	return readdirSync(join(ROOT, dir)).flatMap(name => {
		const rel = join(dir, name);
		return statSync(join(ROOT, rel)).isDirectory() ? jsFiles(rel) : rel.endsWith('.js') ? [ rel ] : [];
	});
}

function requires(file, files) {
	const text = readFileSync(join(ROOT, file), 'utf8');
	const found = new Set();
	for (const [ , spec ] of text.matchAll(/require\(\s*[`'"](\.{1,2}\/[^`'"]+)[`'"]/g)) {
		const target = normalize(join(dirname(file), spec));
		if (spec.includes('${')) {
			const prefix = target.slice(0, target.indexOf('${'));
			files.filter(f => f.startsWith(prefix)).forEach(f => found.add(f));
		} else {
			found.add(target.endsWith('.js') || target.endsWith('.json') ? target : `${target}.js`);
		}
	}
	return [ ...found ].filter(f => files.includes(f));
}

/** The first cycle in the graph, as a path of files, or null. */
function findCycle(graph) {
	const state = new Map();
	const visit = (file, path) => {
		state.set(file, 'open');
		for (const next of graph.get(file)) {
			if (state.get(next) === 'open') {
				return [ ...path.slice(path.indexOf(next)), next ];
			}
			const cycle = state.has(next) ? null : visit(next, [ ...path, next ]);
			if (cycle) {
				return cycle;
			}
		}
		state.set(file, 'done');
		return null;
	};
	for (const file of graph.keys()) {
		const cycle = state.has(file) ? null : visit(file, [ file ]);
		if (cycle) {
			return cycle;
		}
	}
	return null;
}

test('no JS module of the package requires one that requires it', () => {
	const files = [ ...jsFiles('cli'), ...jsFiles('lib'), ...jsFiles('bin'), 'binding.js' ].map(f => relative('.', f));
	const graph = new Map(files.map(f => [ f, requires(f, files) ]));
	assert.ok(graph.get('cli/args.js').includes('cli/commands/login.js'), 'templates are followed');
	assert.ok([ ...graph.values() ].flat().length > 40, 'requires are found');
	assert.equal(findCycle(graph)?.join(' -> ') ?? null, null);
	// the check itself finds a cycle when there is one
	assert.deepEqual(findCycle(new Map([ [ 'a', [ 'b' ] ], [ 'b', [ 'c' ] ], [ 'c', [ 'a' ] ] ])), [ 'a', 'b', 'c', 'a' ]);
});
