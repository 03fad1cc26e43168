// Disassembly: `disassemble` around a frame's instructionPointerReference
// gives wasm text with source lines, instruction stepping walks the listed
// forward through the listed instructions, a frame without line info (the
// entry point) disassembles with its function's name, and bad references
// get error responses.
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const { withAdapter, sample, source, lineOf } = require('./lib/harness');

const FILE = source('linked_structures.c');
const L = (text) => lineOf('linked_structures.c', text);
const address = (reference) => parseInt(reference, 16);

test('disassemble shows the code around a stop, with lines, and stepi follows it', { timeout: 60000 }, () =>
  withAdapter(async (a) => {
    await a.launch({ program: sample('linked_structures') }, {
      breakpoints: { [FILE]: [L('sum += node->value;')] },
    });
    const { frames } = await a.stopped('breakpoint');
    assert.equal(a.capabilities.supportsDisassembleRequest, true);
    const ip = frames[0].instructionPointerReference;
    const { body } = await a.ok('disassemble', {
      memoryReference: ip, instructionOffset: -8, instructionCount: 20, resolveSymbols: true,
    });
    assert.equal(body.instructions.length, 20);
    const here = body.instructions[8];
    assert.equal(address(here.address), address(ip));
    assert.equal(here.line, L('sum += node->value;'));
    assert.match(here.location.path, /linked_structures\.c$/);
    assert.match(here.instruction.trim(), /^[a-z0-9_]+\.[a-z0-9_]+|^[a-z_]+/);
    for (let i = 1; i < body.instructions.length; i++)
      assert.ok(address(body.instructions[i].address) > address(body.instructions[i - 1].address));
    assert.ok(body.instructions.every((i) => i.presentationHint !== 'invalid'));

    // Instruction steps land on listed instructions, forward. (The
    // interpreter runs `local.get`s and a `local.set` folded into the
    // instruction that uses them, so one step may pass over those.)
    const listed = body.instructions.map((i) => address(i.address));
    let pc = address(ip);
    for (let k = 1; k <= 3; k++) {
      const fs = await a.step('next', { granularity: 'instruction' });
      const now = address(fs[0].instructionPointerReference);
      assert.ok(listed.includes(now), `step ${k}: ${fs[0].instructionPointerReference} is not a listed instruction`);
      assert.ok(now > pc, `step ${k}: ${now} after ${pc}`);
      pc = now;
    }

    // The entry of the function carries its name as the symbol.
    const entry = await a.ok('disassemble', { memoryReference: ip, instructionOffset: -400, instructionCount: 400 });
    assert.ok(entry.body.instructions.some((i) => i.symbol === 'list_sum'));
  }));

test('the entry point, which has no line info, disassembles with its name', { timeout: 60000 }, () =>
  withAdapter(async (a) => {
    await a.launch({ program: sample('linked_structures'), stopOnEntry: true });
    const { frames } = await a.stopped('entry');
    // _start.command_export comes from the name section only.
    assert.equal(frames[0].source, undefined);
    assert.equal(frames[0].presentationHint, 'subtle');
    const { body } = await a.ok('disassemble', {
      memoryReference: frames[0].instructionPointerReference, instructionCount: 4,
    });
    assert.equal(body.instructions.length, 4);
    assert.equal(address(body.instructions[0].address), address(frames[0].instructionPointerReference));
    assert.equal(body.instructions[0].symbol, '_start.command_export');
    assert.match(body.instructions[0].instruction, /^call \d+ <_start>$/);
    assert.equal(body.instructions[0].location, undefined);
    // It is the module's last function: past its end, padding marked invalid.
    assert.match(body.instructions[1].instruction, /^call \d+ <__wasm_call_dtors>$/);
    assert.equal(body.instructions[2].instruction, 'end');
    assert.equal(body.instructions[3].presentationHint, 'invalid');
    const tail = await a.ok('disassemble', { memoryReference: '0x7fffffff', instructionOffset: -2, instructionCount: 6 });
    assert.equal(tail.body.instructions.length, 6);
    assert.equal(tail.body.instructions[1].instruction, 'end');
    assert.equal(tail.body.instructions[5].presentationHint, 'invalid');
  }));

test('disassemble rejects bad references and counts', { timeout: 60000 }, () =>
  withAdapter(async (a) => {
    await a.launch({ program: sample('linked_structures') }, {
      breakpoints: { [FILE]: [L('sum += node->value;')] },
    });
    await a.stopped('breakpoint');
    for (const args of [
      { memoryReference: 'main', instructionCount: 4 },
      { memoryReference: '0x10', instructionCount: -1 },
      { memoryReference: '0x10', instructionCount: 1e9 },
      { memoryReference: '0x10', offset: -0x20, instructionCount: 4 },
      { memoryReference: '0xffffffffff', instructionCount: 4 },
    ]) {
      const response = await a.request('disassemble', args);
      assert.equal(response.success, false, JSON.stringify(args));
      assert.ok(response.message.length > 0);
    }
  }));
