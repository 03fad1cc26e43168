// A trap stops with reason "exception" on the trapping source line (with
// the "trap" filter on), the output written before it has already arrived,
// and the adapter survives; with the filter off the guest just ends.
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { withAdapter, sample, lineOf } = require('./lib/harness');

/// A WASI command that never ends: `i32.const 1; loop; br 0; end`.
function spinningModule() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dap-spin-'));
  fs.writeFileSync(path.join(dir, 'spin.wat'),
    '(module (memory (export "memory") 1)\n' +
    '  (func $spin (export "_start") i32.const 1 loop br 0 end drop))\n');
  execFileSync('wat2wasm', ['--debug-names', path.join(dir, 'spin.wat'), '-o', path.join(dir, 'spin.wasm')]);
  return { dir, wasm: path.join(dir, 'spin.wasm') };
}

const STORE_LINE = lineOf('out_of_bounds.c', 'g_histogram[bucket] += 1;');

test('a trap stops with reason exception at the faulting line', { timeout: 60000 }, () =>
  withAdapter(async (a) => {
    await a.launch({ program: sample('out_of_bounds') }, { exceptionFilters: ['trap'] });
    const { event, frames } = await a.stopped('exception');
    assert.match(event.body.text, /out of bounds memory access/);
    assert.match(event.body.description, /out of bounds memory access/);
    assert.equal(frames[0].name, 'record');
    assert.equal(frames[0].line, STORE_LINE);
    // clang names a main(argc, argv) `__main_argc_argv` in wasm; frames
    // show the name as written.
    assert.equal(frames[1].name, 'main');
    assert.equal(frames[1].line, lineOf('out_of_bounds.c', 'record(samples[i]);'));

    // The trapping frame is inspectable: the bogus bucket index is there.
    const locals = await a.locals(frames[0].id);
    assert.equal(locals.get('bucket').value, '500000000');
    assert.equal(locals.get('milliseconds').value, '2000000000');

    const info = await a.ok('exceptionInfo', { threadId: 1 });
    assert.equal(info.body.exceptionId, 'trap');
    assert.match(info.body.description, /out of bounds/);

    // Guest output arrives as it is written: the lines before the trap are in.
    assert.match(a.output('stdout'), /recording sample 8: 2000000000 ms\n$/);

    await a.ok('continue', { threadId: 1 });
    const exited = await a.waitEvent('exited');
    assert.equal(exited.body.exitCode, 134);
    await a.waitEvent('terminated');
    // The adapter is still alive and answering.
    assert.equal((await a.request('threads')).success, true);
  }));

test('with the trap filter off, a trap ends the guest without stopping', { timeout: 60000 }, () =>
  withAdapter(async (a) => {
    await a.launch({ program: sample('out_of_bounds') }, { exceptionFilters: [] });
    const exited = await a.waitEvent('exited');
    assert.equal(exited.body.exitCode, 134);
    await a.waitEvent('terminated');
    assert.ok(!a.messages.some((m) => m.event === 'stopped'), 'no stop expected');
    assert.match(a.output('console'), /out of bounds memory access/);
  }));

test('a trap in the -O2 build stops too', { timeout: 60000 }, () =>
  withAdapter(async (a) => {
    await a.launch({ program: sample('out_of_bounds', 'O2') });
    const { event, frames } = await a.stopped('exception');
    assert.match(event.body.text, /out of bounds/);
    // record() is inlined into main at -O2; the store's line is still right.
    assert.equal(frames[0].line, STORE_LINE);
  }));

test('limits stop like traps: fuel, and call depth with a deep stack paged', { timeout: 60000 }, () =>
  withAdapter(async (a) => {
    await a.launch({ program: sample('compute'), fuel: 100000 });
    const { event } = await a.stopped('exception');
    assert.equal(event.body.text, 'out of fuel');
    await a.ok('continue', { threadId: 1 });
    assert.equal((await a.waitEvent('exited')).body.exitCode, 134);
  }).then(() => withAdapter(async (a) => {
    await a.launch({ program: sample('recursion'), args: ['20000'], maxCallDepth: 1000 });
    const event = await a.waitEvent('stopped');
    assert.equal(event.body.reason, 'exception');
    assert.equal(event.body.text, 'call stack exhausted');
    // A client loads a deep stack a page at a time.
    const page = await a.ok('stackTrace', { threadId: 1, startFrame: 0, levels: 20 });
    assert.equal(page.body.stackFrames.length, 20);
    assert.ok(page.body.totalFrames >= 1000, `totalFrames ${page.body.totalFrames}`);
    const later = await a.ok('stackTrace', { threadId: 1, startFrame: 500, levels: 20 });
    assert.equal(later.body.stackFrames.length, 20);
    assert.match(later.body.stackFrames[0].name, /^parse_(expr|term|factor)$/);
  })));

test('the timeout stops a guest that never ends, like a trap', { timeout: 60000 }, () => {
  const spin = spinningModule();
  return withAdapter(async (a) => {
    const started = Date.now();
    await a.launch({ program: spin.wasm, timeout: '300ms' });
    const { event, frames } = await a.stopped('exception');
    assert.equal(event.body.text, 'wall-clock limit exceeded');
    assert.match(frames[0].name, /^spin\b/); // no DWARF: "spin @ 0x..."
    assert.ok(Date.now() - started < 10000);
    await a.ok('continue', { threadId: 1 });
    assert.equal((await a.waitEvent('exited')).body.exitCode, 134);
  }).finally(() => fs.rmSync(spin.dir, { recursive: true, force: true }));
});
