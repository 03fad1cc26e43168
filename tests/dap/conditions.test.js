// Conditional breakpoints stop only when the condition holds, hit counts
// pick the Nth hit, and logpoints print without stopping.
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const { withAdapter, sample, source, lineOf } = require('./lib/harness');

const FILE = source('linked_structures.c');
const SUM_LINE = lineOf('linked_structures.c', 'sum += node->value;');
const PUSH_LINE = lineOf('linked_structures.c', 'list = list_push(list, i * i);');

test('a conditional breakpoint stops only when its condition holds', { timeout: 60000 }, () =>
  withAdapter(async (a) => {
    await a.launch({ program: sample('linked_structures') }, {
      breakpoints: { [FILE]: [{ line: SUM_LINE, condition: 'node->value == 49' }] },
    });
    const { frames } = await a.stopped('breakpoint');
    const value = await a.ok('evaluate', { expression: 'node->value', frameId: frames[0].id, context: 'watch' });
    assert.equal(value.body.result, '49');
    const sum = await a.ok('evaluate', { expression: 'sum', frameId: frames[0].id, context: 'watch' });
    assert.equal(sum.body.result, String(1 + 4 + 9 + 16 + 25 + 36));
    await a.ok('continue', { threadId: 1 });
    assert.equal((await a.waitEvent('exited')).body.exitCode, 0);
    assert.equal(a.messages.filter((m) => m.event === 'stopped').length, 1);
  }));

test('hit conditions: the 3rd hit, and every 4th', { timeout: 60000 }, () =>
  withAdapter(async (a) => {
    await a.launch({ program: sample('linked_structures') }, {
      breakpoints: { [FILE]: [{ line: PUSH_LINE, hitCondition: '3' }, { line: SUM_LINE, hitCondition: '%4' }] },
    });
    let stop = await a.stopped('breakpoint');
    let i = await a.ok('evaluate', { expression: 'i', frameId: stop.frames[0].id, context: 'watch' });
    assert.equal(i.body.result, '3');
    const seen = [];
    for (let k = 0; k < 2; k++) {
      await a.ok('continue', { threadId: 1 });
      stop = await a.stopped('breakpoint');
      assert.equal(stop.frames[0].line, SUM_LINE);
      const v = await a.ok('evaluate', { expression: 'node->value', frameId: stop.frames[0].id, context: 'watch' });
      seen.push(v.body.result);
    }
    assert.deepEqual(seen, ['16', '64']);
    await a.ok('continue', { threadId: 1 });
    assert.equal((await a.waitEvent('exited')).body.exitCode, 0);
  }));

test('a logpoint prints without stopping', { timeout: 60000 }, () =>
  withAdapter(async (a) => {
    await a.launch({ program: sample('linked_structures') }, {
      breakpoints: { [FILE]: [{ line: SUM_LINE, logMessage: 'node {node->value}, sum so far {sum}' }] },
    });
    assert.equal((await a.waitEvent('exited')).body.exitCode, 0);
    assert.ok(!a.messages.some((m) => m.event === 'stopped'), 'a logpoint must not stop');
    // Messages of one logpoint arrive together (output is coalesced), each
    // event carrying the logpoint's source line.
    const events = a.messages.filter((m) => m.event === 'output' && m.body.category === 'console' &&
      m.body.output.startsWith('node '));
    assert.ok(events.length >= 1);
    for (const e of events) {
      assert.equal(e.body.line, SUM_LINE);
      assert.equal(e.body.source.path, FILE);
    }
    const logs = events.map((e) => e.body.output).join('').split('\n');
    assert.equal(logs.length, 10 + 1);
    assert.equal(logs[0], 'node 1, sum so far 0');
    assert.equal(logs[2], 'node 9, sum so far 5');
    assert.equal(logs[9], 'node 100, sum so far 285');
    // The program's own output is unchanged.
    assert.match(a.output('stdout'), /^list: squares from 1, sum 385\n/);
  }));
