// Line and function breakpoints: verified with the line they really stop
// on (or not, with a reason), stops with reason "breakpoint", and the stack
// trace's names, sources, lines and columns.
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { withAdapter, sample, source, lineOf } = require('./lib/harness');

const FILE = source('linked_structures.c');
const SUM_LINE = lineOf('linked_structures.c', 'sum += node->value;');
const DECL_LINE = lineOf('linked_structures.c', 'static const struct { int key;');
const TREE_LINE = lineOf('linked_structures.c', 'TreeNode *tree = NULL;');
const INSERT_BODY = lineOf('linked_structures.c', 'TreeNode **link = root;');

test('a line breakpoint is verified, stops, and the stack trace has sources and lines', { timeout: 60000 }, () =>
  withAdapter(async (a) => {
    const result = await a.launch({ program: sample('linked_structures') }, {
      breakpoints: { [FILE]: [SUM_LINE, DECL_LINE, 5000] },
    });
    const [sum, moved, nowhere] = result[FILE];
    assert.equal(sum.verified, true);
    assert.equal(sum.line, SUM_LINE);
    assert.equal(sum.source.path, FILE);
    // A line without code moves to the next line that has some.
    assert.equal(moved.verified, true);
    assert.equal(moved.line, TREE_LINE);
    assert.match(moved.message, /moved/);
    // A line past the end of the file is not verified, and says why.
    assert.equal(nowhere.verified, false);
    assert.ok(nowhere.message.length > 0);

    // main's line TREE_LINE runs after list_sum has finished.
    const { event, frames } = await a.stopped('breakpoint');
    assert.deepEqual(event.body.hitBreakpointIds, [sum.id]);
    assert.equal(event.body.threadId, 1);
    assert.equal(frames[0].name, 'list_sum');
    assert.equal(frames[0].line, SUM_LINE);
    assert.ok(frames[0].column >= 1);
    assert.equal(frames[0].source.path, FILE);
    assert.equal(frames[0].source.name, 'linked_structures.c');
    assert.match(frames[0].instructionPointerReference, /^0x[0-9a-f]+$/);
    assert.equal(frames[1].name, 'main');
    assert.equal(frames[1].line, lineOf('linked_structures.c', 'printf("list: squares'));
    // Frames without line info show the function and its wasm offset.
    const bare = frames.filter((f) => !f.source);
    assert.ok(bare.length > 0, 'expected a frame without DWARF (the libc entry)');
    for (const f of bare) {
      assert.match(f.name, / @ 0x[0-9a-f]+$/);
      assert.equal(f.line, 0);
      assert.equal(f.presentationHint, 'subtle');
    }

    const threads = await a.ok('threads');
    assert.equal(threads.body.threads.length, 1);
    assert.equal(threads.body.threads[0].id, 1);

    // Paging through the stack.
    const page = await a.ok('stackTrace', { threadId: 1, startFrame: 1, levels: 1 });
    assert.equal(page.body.stackFrames.length, 1);
    assert.equal(page.body.stackFrames[0].name, 'main');
    assert.equal(page.body.totalFrames, frames.length);

    // Clear it; the next stop is the moved breakpoint in main.
    await a.ok('setBreakpoints', { source: { path: FILE }, breakpoints: [{ line: DECL_LINE }] });
    await a.ok('continue', { threadId: 1 });
    const next = await a.stopped('breakpoint');
    assert.equal(next.frames[0].name, 'main');
    assert.equal(next.frames[0].line, TREE_LINE);
    await a.ok('continue', { threadId: 1 });
    const exited = await a.waitEvent('exited');
    assert.equal(exited.body.exitCode, 0);
    await a.waitEvent('terminated');
  }));

test('breakpoints by file name only, and a function breakpoint', { timeout: 60000 }, () =>
  withAdapter(async (a) => {
    const result = await a.launch({ program: sample('linked_structures') }, {
      breakpoints: { 'linked_structures.c': [lineOf('linked_structures.c', 'list = list_reverse(list);')] },
      functionBreakpoints: [{ name: 'tree_insert' }, { name: 'no_such_function' }],
    });
    assert.equal(result['linked_structures.c'][0].verified, true);
    assert.equal(result.functions[0].verified, true);
    assert.equal(result.functions[0].line, INSERT_BODY);
    assert.equal(result.functions[1].verified, false);

    let stop = await a.stopped('breakpoint');
    assert.equal(stop.frames[0].name, 'main');
    await a.ok('continue', { threadId: 1 });
    stop = await a.stopped('function breakpoint');
    assert.equal(stop.frames[0].name, 'tree_insert');
    assert.equal(stop.frames[0].line, INSERT_BODY);
    assert.equal(path.basename(stop.frames[0].source.path), 'linked_structures.c');
    // Remove the function breakpoints: the program runs to its end.
    await a.ok('setFunctionBreakpoints', { breakpoints: [] });
    await a.ok('continue', { threadId: 1 });
    assert.equal((await a.waitEvent('exited')).body.exitCode, 0);
  }));

test('breakpoint locations and loaded sources', { timeout: 60000 }, () =>
  withAdapter(async (a) => {
    await a.launch({ program: sample('linked_structures'), stopOnEntry: true });
    await a.stopped('entry');
    const start = lineOf('linked_structures.c', 'static int list_sum');
    const locations = await a.ok('breakpointLocations', { source: { path: FILE }, line: start, endLine: start + 5 });
    const lines = locations.body.breakpoints.map((b) => b.line);
    assert.ok(lines.includes(SUM_LINE), `lines ${lines}`);
    assert.ok(lines.every((l) => l >= start && l <= start + 5));
    const sources = await a.ok('loadedSources');
    assert.ok(sources.body.sources.some((s) => s.path === FILE));
    const modules = await a.ok('modules');
    assert.equal(modules.body.modules.length, 1);
    assert.equal(modules.body.modules[0].name, 'linked_structures.O0.wasm');
  }));

test('a run without debugging (noDebug) ignores breakpoints and traps', { timeout: 60000 }, () =>
  withAdapter(async (a) => {
    const result = await a.launch({ program: sample('linked_structures'), noDebug: true }, {
      breakpoints: { [FILE]: [SUM_LINE] },
    });
    assert.equal(result[FILE][0].verified, false);
    assert.equal((await a.waitEvent('exited')).body.exitCode, 0);
    assert.ok(!a.messages.some((m) => m.event === 'stopped'));
  }));
