// A line with several breakpoint locations (two macros that each open a
// block, as Lua's setivalue does): breakpointLocations lists every one by
// column, setBreakpoints says how many there are, and the guest stops once
// per pass over the line, not once per location, also while stepping.
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const { withAdapter, realGuest, realSource, markerLine } = require('./lib/harness');

const TVM = realSource('tinylua/tvm.c');
const PAIR = markerLine('tinylua/tvm.c', '@pair-line');

for (const opt of ['O0', 'O2']) {
  test(`-${opt}: every location of a line, and one stop per pass`, { timeout: 60000 }, () =>
    withAdapter(async (a) => {
      // "add 1 2 3 4" pushes two pairs: two passes over the line.
      const placed = await a.launch({ program: realGuest('tinylua', opt), args: ['add 1 2 3 4'] }, {
        breakpoints: { [TVM]: [PAIR] },
      });
      const bp = placed[TVM][0];
      assert.equal(bp.verified, true);
      assert.equal(bp.line, PAIR);
      assert.match(bp.message, /^2 locations \(columns \d+, \d+\)$/);
      const locations = await a.ok('breakpointLocations', { source: { path: TVM }, line: PAIR });
      const columns = locations.body.breakpoints.map((l) => l.column);
      assert.equal(locations.body.breakpoints.length, 2, JSON.stringify(locations.body));
      for (const l of locations.body.breakpoints) assert.equal(l.line, PAIR);
      assert.ok(columns[0] < columns[1], `columns ${columns}`);
      for (let pass = 0; pass < 2; pass++) {
        await a.stopped('breakpoint');
        assert.equal(await a.topLine(), PAIR);
        await a.ok('continue', { threadId: 1 });
      }
      assert.equal((await a.waitEvent('exited')).body.exitCode, 0);
      const stops = a.messages.filter((m) => m.event === 'stopped').length;
      assert.equal(stops, 2, 'one stop per pass, not one per location');
    }));

  test(`-${opt}: next from the line is not stopped by its other location`, { timeout: 60000 }, () =>
    withAdapter(async (a) => {
      await a.launch({ program: realGuest('tinylua', opt), args: ['add 1 2'] }, {
        breakpoints: { [TVM]: [PAIR] },
      });
      await a.stopped('breakpoint');
      const frames = await a.step('next');
      assert.notEqual(frames[0].line, PAIR);
    }));
}

test('a logpoint on such a line logs once per pass', { timeout: 60000 }, () =>
  withAdapter(async (a) => {
    await a.launch({ program: realGuest('tinylua'), args: ['add 1 2 3 4 5 6'] }, {
      breakpoints: { [TVM]: [{ line: PAIR, logMessage: 'pair {pc->a} {pc->b}' }] },
    });
    assert.equal((await a.waitEvent('exited')).body.exitCode, 0);
    const logs = a.output('console').split('\n').filter((l) => l.startsWith('pair '));
    assert.deepEqual(logs, ['pair 1 2', 'pair 3 4', 'pair 5 6']);
  }));
