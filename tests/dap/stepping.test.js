// Stepping over, into and out of functions lands on the exact lines of the
// sample's source; instruction granularity moves one instruction.
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const { withAdapter, sample, source, lineOf } = require('./lib/harness');

const FILE = source('linked_structures.c');
const L = (text) => lineOf('linked_structures.c', text);

test('next, stepIn and stepOut land on the right lines', { timeout: 60000 }, () =>
  withAdapter(async (a) => {
    await a.launch({ program: sample('linked_structures') }, {
      breakpoints: { [FILE]: [L('list = list_reverse(list);')] },
    });
    const { frames } = await a.stopped('breakpoint');
    assert.equal(frames[0].line, L('list = list_reverse(list);'));
    const where = (fs) => `${fs[0].name}:${fs[0].line}`;

    // Over the call to list_reverse.
    let fs = await a.step('next');
    assert.equal(where(fs), `main:${L('printf("list: squares')}`);
    // Into list_sum, the first callee of the printf line that has line info.
    fs = await a.step('stepIn');
    assert.equal(where(fs), `list_sum:${L('int sum = 0;')}`);
    assert.equal(fs[1].name, 'main');
    fs = await a.step('next');
    assert.equal(where(fs), `list_sum:${L('for (const struct ListNode *node = head; node;')}`);
    // Out, back to the middle of main's printf line.
    fs = await a.step('stepOut');
    assert.equal(where(fs), `main:${L('printf("list: squares')}`);
    // The static array declaration has no code: next skips it.
    fs = await a.step('next');
    assert.equal(where(fs), `main:${L('TreeNode *tree = NULL;')}`);
    fs = await a.step('next');
    assert.equal(where(fs), `main:${L('for (size_t i = 0; i < sizeof kWords')}`);
    fs = await a.step('next');
    assert.equal(where(fs), `main:${L('tree_insert(&tree, kWords[i].key')}`);
    fs = await a.step('stepIn');
    assert.equal(where(fs), `tree_insert:${L('TreeNode **link = root;')}`);
    fs = await a.step('next');
    assert.equal(where(fs), `tree_insert:${L('while (*link)')}`);
    // Out of tree_insert: the call was the loop body's last code, so the
    // step ends on the loop's increment.
    fs = await a.step('stepOut');
    assert.equal(where(fs), `main:${L('for (size_t i = 0; i < sizeof kWords')}`);
    await a.ok('continue', { threadId: 1 });
    assert.equal((await a.waitEvent('exited')).body.exitCode, 0);
  }));

test('instruction stepping moves one wasm instruction', { timeout: 60000 }, () =>
  withAdapter(async (a) => {
    await a.launch({ program: sample('linked_structures') }, {
      breakpoints: { [FILE]: [L('sum += node->value;')] },
    });
    const { frames } = await a.stopped('breakpoint');
    assert.equal(a.capabilities.supportsSteppingGranularity, true);
    let pc = frames[0].instructionPointerReference;
    for (let i = 0; i < 3; i++) {
      const fs = await a.step('next', { granularity: 'instruction' });
      assert.equal(fs[0].name, 'list_sum');
      const next = fs[0].instructionPointerReference;
      assert.ok(parseInt(next, 16) > parseInt(pc, 16), `${next} after ${pc}`);
      pc = next;
    }
  }));
