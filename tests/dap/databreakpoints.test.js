// Data breakpoints: dataBreakpointInfo on a struct field from a `variables`
// response, on an expression and on an address; setDataBreakpoints with
// write and read watches that stop with reason "data breakpoint" at the
// line doing the access; wasm locals that have no address; replacing the
// list with an empty one. Every message is checked against the schema.
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const { withAdapter, sample, source, lineOf } = require('./lib/harness');

const FILE = source('linked_structures.c');
const CALL_LINE = lineOf('linked_structures.c', 'unsigned long value = inventory_value(&g_inventory);');
const CLEAR_LINE = lineOf('linked_structures.c', 'inventory->cheapest = NULL;');
const SET_LINE = lineOf('linked_structures.c', 'inventory->cheapest = item;');
const LOOP_LINE = lineOf('linked_structures.c', 'for (int i = 0; i < inventory->item_count; ++i) {');

/// Stops at CALL_LINE and returns the children of g_inventory and the frame.
async function stopBeforeInventory(a) {
  await a.launch({ program: sample('linked_structures') }, { breakpoints: { [FILE]: [CALL_LINE] } });
  const { frames } = await a.stopped('breakpoint');
  assert.equal(frames[0].line, CALL_LINE);
  const scopes = (await a.ok('scopes', { frameId: frames[0].id })).body.scopes;
  const globals = scopes.find((s) => s.name === 'Globals');
  assert.ok(globals, `no Globals scope in ${JSON.stringify(scopes)}`);
  const inventory = (await a.children(globals.variablesReference)).byName.get('g_inventory');
  assert.ok(inventory && inventory.variablesReference > 0);
  const fields = await a.children(inventory.variablesReference);
  return { frame: frames[0], scopes, inventory, fields };
}

/// The address a dataId names ("0x11a20/4").
function addressOf(dataId) {
  return BigInt(dataId.split('/')[0]);
}

test('a write watch on a struct field stops on the lines that write it', { timeout: 60000 }, () =>
  withAdapter(async (a) => {
    const { inventory, fields } = await stopBeforeInventory(a);
    assert.equal(a.capabilities.supportsDataBreakpoints, true);
    assert.equal(a.capabilities.supportsDataBreakpointBytes, true);
    assert.equal(fields.byName.get('cheapest').value.match(/^0x0+$/) !== null, true,
      `cheapest starts NULL: ${fields.byName.get('cheapest').value}`);

    // A pointer field: the watch covers the pointer's own 4 bytes.
    const info = (await a.ok('dataBreakpointInfo', {
      variablesReference: inventory.variablesReference, name: 'cheapest',
    })).body;
    assert.match(info.dataId, /^0x[0-9a-f]+\/4$/);
    assert.deepEqual([...info.accessTypes].sort(), ['read', 'readWrite', 'write']);
    assert.equal(info.canPersist, false);
    assert.match(info.description, /cheapest/);
    const own = (await a.ok('evaluate', { expression: '&g_inventory.cheapest', context: 'watch' })).body;
    assert.equal(addressOf(info.dataId), BigInt(own.memoryReference));

    const set = (await a.ok('setDataBreakpoints', { breakpoints: [{ dataId: info.dataId, accessType: 'write' }] }))
      .body.breakpoints;
    assert.equal(set.length, 1);
    assert.equal(set[0].verified, true);

    await a.ok('continue', { threadId: 1 });
    let stop = await a.stopped('data breakpoint');
    assert.deepEqual(stop.event.body.hitBreakpointIds, [set[0].id]);
    assert.equal(stop.frames[0].name, 'inventory_value');
    assert.equal(stop.frames[0].line, CLEAR_LINE);
    assert.match(stop.event.body.description, /write/);

    await a.ok('continue', { threadId: 1 });
    stop = await a.stopped('data breakpoint');
    assert.equal(stop.frames[0].line, SET_LINE);
    // Parked after the write: the field now points at items[0].
    const now = (await a.ok('evaluate', { expression: 'g_inventory.cheapest == &g_inventory.items[0]', context: 'watch' })).body;
    assert.match(now.result, /^(1|true)$/);

    // Replacing the list with an empty one removes the watch: the guest
    // runs to its end (later writes to cheapest do not stop it).
    const cleared = await a.ok('setDataBreakpoints', { breakpoints: [] });
    assert.deepEqual(cleared.body.breakpoints, []);
    await a.ok('continue', { threadId: 1 });
    assert.equal((await a.waitEvent('exited')).body.exitCode, 0);
    const stops = a.messages.filter((m) => m.type === 'event' && m.event === 'stopped');
    assert.equal(stops.length, 3, 'no stop after the watch was removed');
  }));

test('a read watch on a field found by expression stops where it is read', { timeout: 60000 }, () =>
  withAdapter(async (a) => {
    const { frame, inventory } = await stopBeforeInventory(a);
    const byContainer = (await a.ok('dataBreakpointInfo', {
      variablesReference: inventory.variablesReference, name: 'item_count',
    })).body;
    assert.match(byContainer.dataId, /^0x[0-9a-f]+\/4$/);
    const byExpression = (await a.ok('dataBreakpointInfo', { name: 'g_inventory.item_count', frameId: frame.id })).body;
    assert.equal(byExpression.dataId, byContainer.dataId);

    const set = (await a.ok('setDataBreakpoints', {
      breakpoints: [{ dataId: byExpression.dataId, accessType: 'read', hitCondition: '2' }],
    })).body.breakpoints;
    assert.equal(set[0].verified, true);
    await a.ok('continue', { threadId: 1 });
    // The second read is the loop's second test of i < item_count.
    const stop = await a.stopped('data breakpoint');
    assert.deepEqual(stop.event.body.hitBreakpointIds, [set[0].id]);
    assert.equal(stop.frames[0].name, 'inventory_value');
    assert.equal(stop.frames[0].line, LOOP_LINE);
    assert.match(stop.event.body.description, /read/);
    const locals = await a.locals(stop.frames[0].id);
    assert.equal(locals.get('i').value, '1');
  }));

test('wasm locals have no address; addresses and bad dataIds', { timeout: 60000 }, () =>
  withAdapter(async (a) => {
    const { scopes, inventory } = await stopBeforeInventory(a);
    const registers = scopes.find((s) => s.name === 'Wasm Locals');
    assert.ok(registers, `no Wasm Locals scope in ${JSON.stringify(scopes)}`);
    const local = (await a.children(registers.variablesReference)).list[0];
    assert.ok(local, 'main has wasm locals');
    const info = (await a.ok('dataBreakpointInfo', { variablesReference: registers.variablesReference, name: local.name })).body;
    assert.equal(info.dataId, null);
    assert.match(info.description, /not in linear memory/);

    // By address, with a size (supportsDataBreakpointBytes).
    const name = (await a.ok('dataBreakpointInfo', {
      variablesReference: inventory.variablesReference, name: 'name',
    })).body;
    assert.match(name.dataId ?? name.description, /^0x[0-9a-f]+\/32$/);
    const at = (await a.ok('dataBreakpointInfo', { name: name.dataId.split('/')[0], asAddress: true, bytes: 8 })).body;
    assert.equal(at.dataId, `${name.dataId.split('/')[0]}/8`);

    const bad = await a.request('setDataBreakpoints', { breakpoints: [{ dataId: 'g_inventory' }] });
    assert.equal(bad.success, false);
    assert.match(bad.message, /dataId/);
    const badType = await a.request('setDataBreakpoints', { breakpoints: [{ dataId: name.dataId, accessType: 'execute' }] });
    assert.equal(badType.success, false);
  }));
