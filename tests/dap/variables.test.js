// Variables: a struct's fields, an array's elements (paged), a pointer's
// target, globals, and expressions for watches, hovers and the console.
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const { withAdapter, sample, source, lineOf } = require('./lib/harness');

const FILE = source('linked_structures.c');
const L = (text) => lineOf('linked_structures.c', text);

test('struct fields, array elements and pointer targets', { timeout: 60000 }, () =>
  withAdapter(async (a) => {
    await a.launch({ program: sample('linked_structures') }, {
      breakpoints: { [FILE]: [L('total += (unsigned long)item->quantity')] },
    });
    const { frames } = await a.stopped('breakpoint');
    assert.equal(frames[0].name, 'inventory_value');
    const locals = await a.locals(frames[0].id);
    assert.equal(locals.get('total').value, '0');
    assert.equal(locals.get('i').value, '0');
    assert.equal(locals.get('i').type, 'int');

    // A pointer's target: `item` points at items[0].
    const item = locals.get('item');
    assert.equal(item.type, 'Item *');
    assert.ok(item.variablesReference > 0);
    const target = (await a.children(item.variablesReference)).byName;
    assert.equal(target.get('sku').value, '"BOLT-M4"');
    assert.equal(target.get('quantity').value, '1200');
    assert.equal(target.get('price_cents').value, '4');

    // A struct behind a pointer, and its fields.
    const inventory = (await a.children(locals.get('inventory').variablesReference)).byName;
    assert.equal(inventory.get('name').value, '"north warehouse"');
    assert.equal(inventory.get('item_count').value, '4');
    assert.match(inventory.get('location').value, /"Building 7, Dock B"/);
    assert.equal(inventory.get('cheapest').value, '0x00000000');
    assert.match(inventory.get('tag_colors').value, /COLOR_RED/);

    // An array of structs: indexed children, paged.
    const items = inventory.get('items');
    assert.equal(items.type, 'Item[6]');
    assert.equal(items.indexedVariables, 6);
    const all = await a.children(items.variablesReference);
    assert.deepEqual(all.list.map((v) => v.name), ['[0]', '[1]', '[2]', '[3]', '[4]', '[5]']);
    const page = await a.children(items.variablesReference, { filter: 'indexed', start: 2, count: 2 });
    assert.deepEqual(page.list.map((v) => v.name), ['[2]', '[3]']);
    const gear = (await a.children(page.byName.get('[2]').variablesReference)).byName;
    assert.equal(gear.get('sku').value, '"GEAR-12"');
    assert.equal(gear.get('quantity').value, '40');
    assert.equal(gear.get('price_cents').value, '850');

    // Globals.
    const scopes = await a.ok('scopes', { frameId: frames[0].id });
    const globals = scopes.body.scopes.find((s) => s.name === 'Globals');
    assert.ok(globals);
    const palette = (await a.children(globals.variablesReference)).byName.get('g_palette');
    const colors = await a.children(palette.variablesReference);
    assert.deepEqual(colors.list.map((v) => v.value.replace(/^0x[0-9a-f]+ /, '')), ['"red"', '"green"', '"blue"']);

    // Memory behind a variable.
    const memory = await a.ok('readMemory', { memoryReference: target.get('sku').memoryReference, count: 8 });
    assert.equal(Buffer.from(memory.body.data, 'base64').toString('latin1'), 'BOLT-M4\0');
  }));

test('a linked list node and its next pointer', { timeout: 60000 }, () =>
  withAdapter(async (a) => {
    await a.launch({ program: sample('linked_structures') }, {
      breakpoints: { [FILE]: [L('sum += node->value;')] },
    });
    const { frames } = await a.stopped('breakpoint');
    const locals = await a.locals(frames[0].id);
    assert.equal(locals.get('sum').value, '0');
    const node = (await a.children(locals.get('node').variablesReference)).byName;
    assert.equal(node.get('value').value, '1');
    const second = (await a.children(node.get('next').variablesReference)).byName;
    assert.equal(second.get('value').value, '4');
    const third = (await a.children(second.get('next').variablesReference)).byName;
    assert.equal(third.get('value').value, '9');
  }));

test('evaluate for watches, hovers and the console; setVariable', { timeout: 60000 }, () =>
  withAdapter(async (a) => {
    await a.launch({ program: sample('linked_structures') }, {
      breakpoints: { [FILE]: [L('total += (unsigned long)item->quantity')] },
    });
    const { frames } = await a.stopped('breakpoint');
    const frameId = frames[0].id;
    const evaluate = (expression, context) => a.request('evaluate', { expression, frameId, context });

    let r = await evaluate('inventory->items[2].quantity', 'watch');
    assert.equal(r.success, true);
    assert.equal(r.body.result, '40');
    assert.equal(r.body.type, 'int');
    r = await evaluate('item->price_cents', 'hover');
    assert.equal(r.body.result, '4');
    r = await evaluate('g_inventory.item_count * 2 + 1', 'repl');
    assert.equal(r.body.result, '9');
    r = await evaluate('*item', 'watch');
    assert.ok(r.body.variablesReference > 0);
    const fields = (await a.children(r.body.variablesReference)).byName;
    assert.equal(fields.get('quantity').value, '1200');
    r = await evaluate('no_such_name', 'watch');
    assert.equal(r.success, false);
    assert.match(r.message, /no_such_name/);
    r = await evaluate('item->', 'repl');
    assert.equal(r.success, false);

    // setVariable on a local, then read it back.
    const scopes = await a.ok('scopes', { frameId });
    const locals = scopes.body.scopes.find((s) => s.presentationHint === 'locals');
    const set = await a.ok('setVariable', { variablesReference: locals.variablesReference, name: 'total', value: '7' });
    assert.equal(set.body.value, '7');
    r = await evaluate('total', 'watch');
    assert.equal(r.body.result, '7');

    // References die when the guest resumes.
    const stale = locals.variablesReference;
    await a.step('next');
    r = await a.request('variables', { variablesReference: stale });
    assert.equal(r.success, false);
  }));
