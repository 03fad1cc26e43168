// Source paths as a user's machine has them: breakpoints set through `..`,
// a symlink, or a checkout whose path differs from the build's; lldb-dap's
// `sourceMap` launch argument for a module built elsewhere (frames then
// show the local path); and the `source` request for a file that is not on
// this machine, answered from the module's embedded source when it has one.
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { withAdapter, realGuest, realSource, markerLine, symbolsModule, REAL_SOURCES } =
  require('./lib/harness');

const LINE = markerLine('tinylua/tbaselib.c', '@print-gettop');

async function stopVia(a, file, launchExtra = {}) {
  const placed = await a.launch({ program: realGuest('tinylua'), ...launchExtra }, {
    breakpoints: { [file]: [LINE] },
  });
  const bp = placed[file][0];
  assert.equal(bp.verified, true, `${file}: ${bp.message}`);
  assert.equal(bp.line, LINE);
  const { frames } = await a.stopped('breakpoint');
  assert.equal(frames[0].name, 'base_print');
  assert.equal(frames[0].line, LINE);
  return frames;
}

test('a breakpoint path with .. in it', { timeout: 60000 }, () =>
  withAdapter(async (a) => {
    // Spelled by hand: path.join would resolve the `..` itself.
    const frames = await stopVia(a, `${REAL_SOURCES}/tinylua/../tinylua/./tbaselib.c`);
    assert.equal(frames[0].source.path, realSource('tinylua/tbaselib.c'));
  }));

test('a breakpoint path through a symlink; frames show the path the client used', { timeout: 60000 }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dap-link-'));
  const link = path.join(dir, 'src');
  fs.symlinkSync(realSource('tinylua'), link);
  return withAdapter(async (a) => {
    const frames = await stopVia(a, path.join(link, 'tbaselib.c'));
    assert.equal(frames[0].source.path, path.join(link, 'tbaselib.c'));
  }).finally(() => fs.rmSync(dir, { recursive: true, force: true }));
});

test('a checkout elsewhere is matched by its trailing path', { timeout: 60000 }, () =>
  withAdapter(async (a) => {
    const mine = '/home/someone/work/checkout/tinylua/tbaselib.c';
    const frames = await stopVia(a, mine);
    assert.equal(frames[0].source.path, mine);
  }));

test('sourceMap: build paths shown and found under local ones', { timeout: 60000 }, () =>
  withAdapter(async (a) => {
    const local = '/laptop/projects/tinylua';
    const frames = await stopVia(a, `${local}/tbaselib.c`,
      { sourceMap: [[realSource('tinylua'), local]] });
    assert.equal(frames[0].source.path, `${local}/tbaselib.c`);
    assert.equal(frames[1].source.path, `${local}/tstate.c`);
    const loaded = await a.ok('loadedSources', {});
    assert.ok(loaded.body.sources.some((s) => s.path === `${local}/tvm.c`));
    // Not here and not embedded: `source` says so and what to do.
    const r = await a.request('source', { source: { path: `${local}/tbaselib.c` }, sourceReference: 0 });
    assert.equal(r.success, false);
    assert.match(r.message, /-gembed-source/);
  }));

test('sourceMap as an object; a malformed one is refused with its path', { timeout: 60000 }, () =>
  withAdapter(async (a) => {
    await a.ok('initialize', { adapterID: 'wasmscope' });
    let r = await a.request('launch', { program: realGuest('tinylua'), sourceMap: [['/only-one']] });
    assert.equal(r.success, false);
    assert.match(r.message, /\(root\)\.sourceMap\[0\]/);
    r = await a.request('launch', { program: realGuest('tinylua'), sourceMap: 'no' });
    assert.equal(r.success, false);
    assert.match(r.message, /\(root\)\.sourceMap/);
    await a.ok('launch', { program: realGuest('tinylua'), sourceMap: { [realSource('tinylua')]: '/x/y' } });
  }));

test('source: the text of a file that is not here, from the module', { timeout: 60000 }, () =>
  withAdapter(async (a) => {
    // discarded.c built with -gdwarf-5 -gembed-source, its sources mapped
    // to a folder that does not exist on this machine.
    const program = symbolsModule('discarded.embed.wasm');
    const away = '/no/such/folder';
    await a.launch({ program, sourceMap: [[path.dirname(realSource('discarded.c')), away]] }, {
      functionBreakpoints: [{ name: 'main' }],
    });
    const { frames } = await a.stopped('function breakpoint');
    const src = frames[0].source;
    assert.equal(src.path, `${away}/discarded.c`);
    assert.ok(src.sourceReference > 0, JSON.stringify(src));
    const text = await a.ok('source', { source: src, sourceReference: src.sourceReference });
    assert.equal(text.body.content, fs.readFileSync(realSource('discarded.c'), 'utf8'));
    const loaded = await a.ok('loadedSources', {});
    assert.ok(loaded.body.sources.some((s) => s.path === src.path && s.sourceReference > 0));
    const bad = await a.request('source', { sourceReference: 99999 });
    assert.equal(bad.success, false);
  }));
