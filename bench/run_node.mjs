// Runs one benchmark kernel under node (V8): instantiates K.wasm with no
// imports, calls the export (default `run`) and prints its result the way
// `wasmscope run --invoke` does, so the benchmark can compare checksums.
//   node run_node.mjs K.wasm [FUNC]
import { readFileSync } from 'node:fs';

const [path, func = 'run'] = process.argv.slice(2);
if (!path) {
  process.stderr.write('usage: node run_node.mjs K.wasm [FUNC]\n');
  process.exit(2);
}
const { instance } = await WebAssembly.instantiate(readFileSync(path), {});
const entry = instance.exports[func];
if (typeof entry !== 'function') {
  process.stderr.write(`run_node.mjs: ${path}: no exported function '${func}'\n`);
  process.exit(2);
}
// An i64 result arrives as a BigInt, whose decimal form is already signed.
process.stdout.write(`${entry()}\n`);
