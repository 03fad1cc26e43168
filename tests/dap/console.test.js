// The debug console's requests: completions (the frame's names, and
// members after `.` and `->`) and setExpression (assigning to a watch).
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const { withAdapter, realGuest, realSource, markerLine } = require('./lib/harness');

const TBASELIB = realSource('tinylua/tbaselib.c');

async function stopInPrint(a) {
  await a.launch({ program: realGuest('tinylua') }, {
    breakpoints: { [TBASELIB]: [markerLine('tinylua/tbaselib.c', '@print-newline')] },
  });
  const { frames } = await a.stopped('breakpoint');
  return frames[0].id;
}

test('completions: names in scope, and members after . and ->', { timeout: 60000 }, () =>
  withAdapter(async (a) => {
    const frameId = await stopInPrint(a);
    assert.equal(a.capabilities.supportsCompletionsRequest, true);
    assert.deepEqual(a.capabilities.completionTriggerCharacters, ['.', '>']);
    const labels = async (text, column = text.length + 1) =>
      (await a.ok('completions', { frameId, text, column })).body.targets.map((t) => t.label);
    assert.deepEqual(await labels('L->st'), ['stack_last', 'steps', 'status', 'stack']);
    assert.deepEqual(await labels('L->ci->'), ['func', 'top', 'previous', 'nresults']);
    assert.deepEqual(await labels('L->base_ci.pr'), ['previous']);
    assert.deepEqual(await labels('(*L).nl'), ['nlibs']);
    // The cursor in the middle of the text: the word before it.
    assert.deepEqual(await labels('L->st + 1', 6), ['stack_last', 'steps', 'status', 'stack']);
    const names = await labels('tl_');
    for (const name of ['tl_ctype_', 'tl_gettop', 'tl_debug_hook']) assert.ok(names.includes(name), name);
    const items = (await a.ok('completions', { frameId, text: 'L', column: 2 })).body.targets;
    const L = items.find((t) => t.label === 'L');
    assert.equal(L.type, 'variable');
    assert.equal(L.detail, 'tl_State *');
    assert.deepEqual(await labels('i->'), []); // Nothing to complete on an int.
  }));

test('setExpression assigns through a watch expression', { timeout: 60000 }, () =>
  withAdapter(async (a) => {
    const frameId = await stopInPrint(a);
    assert.equal(a.capabilities.supportsSetExpression, true);
    const set = await a.ok('setExpression', { expression: 'L->steps', value: '7 * 6', frameId });
    assert.equal(set.body.value, '42');
    assert.equal(set.body.type, 'long long');
    const read = await a.ok('evaluate', { expression: 'L->steps', frameId, context: 'watch' });
    assert.equal(read.body.result, '42');
    const bad = await a.request('setExpression', { expression: 'n + 1', value: '3', frameId });
    assert.equal(bad.success, false);
    assert.match(bad.message, /not stored anywhere/);
    const missing = await a.request('setExpression', { expression: 'L->steps' });
    assert.equal(missing.success, false);
    assert.match(missing.message, /\(root\)\.value/);
  }));
