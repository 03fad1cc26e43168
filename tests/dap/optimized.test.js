// Stepping in programs built like real ones, at -O0 and -O2: a return
// address with no line of its own (line 0 after a call at -O2) is not a
// function without line info, and inlined calls are frames (stepping over
// one does not land in the next inlined call). The programs are
// tests/debugger/data/tinylua (Lua-like) and minisql (SQLite-like).
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const { withAdapter, realGuest, realSource, markerLine } = require('./lib/harness');

const TSTATE = realSource('tinylua/tstate.c');
const MSQL = realSource('minisql/msql.c');
const where = (frames) => `${frames[0].name}:${frames[0].line}`;

for (const opt of ['O0', 'O2']) {
  test(`-${opt}: step out of tl_gettop stops in base_print, its caller`, { timeout: 60000 }, () =>
    withAdapter(async (a) => {
      await a.launch({ program: realGuest('tinylua', opt) }, {
        breakpoints: { [TSTATE]: [markerLine('tinylua/tstate.c', '@gettop-body')] },
      });
      const { frames } = await a.stopped('breakpoint');
      assert.equal(frames[0].name, 'tl_gettop');
      assert.equal(frames[1].name, 'base_print');
      await a.ok('setBreakpoints', { source: { path: TSTATE }, breakpoints: [] });
      const call = markerLine('tinylua/tbaselib.c', '@print-gettop');
      const out = await a.step('stepOut');
      // -O0: the rest of the calling line; -O2: its return address has no
      // line, so the caller's next statement (the loop header).
      assert.equal(where(out), `base_print:${opt === 'O0' ? call : call + 1}`);
      assert.equal(out[1].name, 'tl_precallC');
    }));

  test(`-${opt}: next off the end of tl_gettop stops in base_print`, { timeout: 60000 }, () =>
    withAdapter(async (a) => {
      await a.launch({ program: realGuest('tinylua', opt) }, {
        breakpoints: { [TSTATE]: [markerLine('tinylua/tstate.c', '@gettop-body')] },
      });
      await a.stopped('breakpoint');
      await a.ok('setBreakpoints', { source: { path: TSTATE }, breakpoints: [] });
      let frames = await a.step('next');
      if (frames[0].name === 'tl_gettop') frames = await a.step('next'); // `return n;` at -O0
      assert.equal(frames[0].name, 'base_print', where(frames));
      assert.equal(frames[1].name, 'tl_precallC');
    }));

  test(`-${opt}: next from an inlined call's last line does not stop in the next inlined call`,
    { timeout: 60000 }, () =>
      withAdapter(async (a) => {
        await a.launch({ program: realGuest('minisql', opt) }, {
          breakpoints: { [MSQL]: [markerLine('minisql/msql.c', '@enter-body')] },
        });
        const { frames } = await a.stopped('breakpoint');
        assert.equal(frames[0].name, 'msqlEnter');
        assert.equal(frames[1].name, 'msql_changes');
        await a.ok('setBreakpoints', { source: { path: MSQL }, breakpoints: [] });
        let out = await a.step('next');
        if (out[0].name === 'msqlEnter') out = await a.step('next'); // The closing brace at -O0.
        // Not msqlError (inlined right after msqlEnter at -O2): the caller.
        const line = opt === 'O0' ? markerLine('minisql/msql.c', '@changes-error')
          : markerLine('minisql/msql.c', '@changes-return');
        assert.equal(where(out), `msql_changes:${line}`);
        // Step in from there does enter a call, inlined or not.
        if (opt === 'O0') {
          out = await a.step('stepIn');
          assert.equal(out[0].name, 'msqlError');
        }
      }));
}
