// Values in programs built like real ones: a struct declared in one unit's
// header and defined in another expands (lua_State-like `tl_State` in a
// unit that includes only the public header), sizeof never answers 0 for a
// type whose size is unknown, statics the linker removed are not listed,
// main is `main`, functions evaluate to their type and address, and a
// byte table reads as an array while text reads as a string.
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const { withAdapter, realGuest, realSource, markerLine } = require('./lib/harness');

const TBASELIB = realSource('tinylua/tbaselib.c');
const TMAIN = realSource('tinylua/tmain.c');
const SHELL = realSource('minisql/shell.c');

async function evaluate(a, frameId, expression, context = 'watch') {
  const r = await a.request('evaluate', { expression, frameId, context });
  return r.success ? r.body : { error: r.message };
}

for (const opt of ['O0', 'O2']) {
  test(`-${opt}: an opaque struct pointer expands with the definition from another unit`,
    { timeout: 60000 }, () =>
      withAdapter(async (a) => {
        await a.launch({ program: realGuest('tinylua', opt) }, {
          breakpoints: { [TBASELIB]: [markerLine('tinylua/tbaselib.c', '@print-newline')] },
        });
        const { frames } = await a.stopped('breakpoint');
        assert.equal(frames[0].name, 'base_print');
        const locals = await a.locals(frames[0].id);
        const L = locals.get('L');
        assert.ok(L, `locals: ${[...locals.keys()]}`);
        assert.equal(L.type, 'tl_State *');
        assert.ok(L.variablesReference > 0, 'L must expand');
        const members = await a.children(L.variablesReference);
        assert.deepEqual(members.list.slice(0, 3).map((m) => m.name), ['top', 'stack_last', 'ci']);
        assert.equal((await evaluate(a, frames[0].id, 'L->nlibs')).result, '1');
        assert.equal((await evaluate(a, frames[0].id, 'sizeof(*L)')).result, '1368');
        assert.equal((await evaluate(a, frames[0].id, 'sizeof(tl_State)')).result, '1368');
        assert.equal((await evaluate(a, frames[0].id, 'L->ci->func->tag')).result, 'TV_STR');
      }));

  test(`-${opt}: statics the linker removed are not listed; tables and text read right`,
    { timeout: 60000 }, () =>
      withAdapter(async (a) => {
        await a.launch({ program: realGuest('tinylua', opt) }, {
          breakpoints: { [TMAIN]: [markerLine('tinylua/tmain.c', '@main-newstate')] },
        });
        const { frames } = await a.stopped('breakpoint');
        assert.equal(frames[0].name, 'main');
        assert.ok(!frames.some((f) => f.name === '__main_argc_argv'));
        const scopes = await a.ok('scopes', { frameId: frames[0].id });
        const globalsScope = scopes.body.scopes.find((s) => s.name === 'Globals');
        const globals = (await a.children(globalsScope.variablesReference)).byName;
        assert.ok(globals.has('tl_ctype_'));
        assert.ok(globals.has('tl_debug_hook'));
        assert.ok(!globals.has('tl_unused_counter'), 'removed by the linker');
        assert.ok(!globals.has('tl_unused_banner'), 'removed by the linker');
        const table = globals.get('tl_ctype_');
        assert.equal(table.type, 'const unsigned char[257]');
        assert.match(table.value, /^\[257\] \{0 '\\0', /);
        assert.equal(table.indexedVariables, 257);
        const text = await evaluate(a, frames[0].id, 'kDefaultScript');
        assert.equal(text.result, '"print hello 1 2\\nadd 1 2 3 4\\nprint done\\n"');
        const size = await evaluate(a, frames[0].id, 'sizeof(*tl_debug_hook)');
        assert.match(size.error ?? '', /incomplete/, JSON.stringify(size));
      }));

  test(`-${opt}: a function evaluates to its type and code address`, { timeout: 60000 }, () =>
    withAdapter(async (a) => {
      await a.launch({ program: realGuest('tinylua', opt) }, {
        breakpoints: { [TBASELIB]: [markerLine('tinylua/tbaselib.c', '@print-newline')] },
      });
      const { frames } = await a.stopped('breakpoint');
      const fn = await evaluate(a, frames[0].id, 'tlV_execute', 'repl');
      assert.equal(fn.type, 'int (tl_State *, CallInfo *)');
      assert.match(fn.result, /^0x[0-9a-f]{8} <tlV_execute>$/);
      // The address is where a function breakpoint's function begins.
      const placed = await a.ok('setFunctionBreakpoints', { breakpoints: [{ name: 'tlV_execute' }] });
      const entry = parseInt(placed.body.breakpoints[0].instructionReference, 16);
      const start = parseInt(fn.result, 16);
      // (past the prologue).
      assert.ok(start <= entry && entry - start < 256, `${fn.result} vs ${entry.toString(16)}`);
      const gettop = await evaluate(a, frames[0].id, 'tl_gettop');
      assert.equal(gettop.type, 'int (tl_State *)');
    }));
}

test('the shell\'s opaque connection pointer expands (sqlite3 * in shell.c)', { timeout: 60000 }, () =>
  withAdapter(async (a) => {
    await a.launch({ program: realGuest('minisql', 'O0') }, {
      breakpoints: { [SHELL]: [markerLine('minisql/shell.c', '@main-open')] },
    });
    await a.stopped('breakpoint');
    const frames = await a.step('next'); // msql_open has run.
    assert.equal(frames[0].name, 'main');
    const db = await evaluate(a, frames[0].id, 'data.db');
    assert.equal(db.type, 'msql *');
    assert.ok(db.variablesReference > 0);
    assert.equal((await evaluate(a, frames[0].id, 'data.db->zName')).result, '"main"');
    assert.match((await evaluate(a, frames[0].id, 'sizeof(msql)')).result, /^[1-9][0-9]*$/);
  }));
