// C++ and Rust values as their libraries mean them (LLDB's data
// formatters): libc++'s string, vector, map, unordered_map, optional,
// unique_ptr and shared_ptr; Rust's String, &str, slices, Vec, HashMap, Box and enums
// (Option, Result); C++
// base classes and methods, and breakpoints on C++ methods, templates and
// Rust functions. The programs are tests/debugger/data/containers.cpp and
// values.rs, built by tests/debugger/session with clang++-19 and rustc.
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const { withAdapter, testGuest, realSource, markerLine } = require('./lib/harness');

const CXX = realSource('containers.cpp');
const RUST = realSource('values.rs');

async function evaluate(a, frameId, expression) {
  const r = await a.request('evaluate', { expression, frameId, context: 'watch' });
  assert.equal(r.success, true, `${expression}: ${r.message}`);
  return r.body;
}

test('libc++ containers and smart pointers show their contents', { timeout: 60000 }, () =>
  withAdapter(async (a) => {
    await a.launch({ program: testGuest('containers') }, {
      breakpoints: { [CXX]: [markerLine('containers.cpp', '@print')] },
    });
    const { frames } = await a.stopped('breakpoint');
    const locals = await a.locals(frames[0].id);
    const value = (name) => locals.get(name).value;
    assert.equal(value('shortText'), '"hi"');
    assert.equal(value('longText'), '"a string longer than the short buffer"');
    assert.equal(value('empty'), '""');
    assert.equal(locals.get('shortText').variablesReference, 0);
    assert.equal(value('some'), '42');
    assert.equal(value('none'), 'nullopt');
    assert.match(value('shared'), /^0x[0-9a-f]+ strong=2 weak=1$/);
    assert.equal(value('nothing'), '0x00000000');
    // Type names as LLDB shows them: no inline `__2` namespace, no default
    // template arguments.
    const types = Object.fromEntries([...locals].map(([name, v]) => [name, v.type]));
    assert.deepEqual(
      [types.shortText, types.numbers, types.words, types.names, types.counts, types.some, types.owned, types.shared],
      ['std::string', 'std::vector<int>', 'std::vector<std::string>', 'std::map<int, std::string>',
        'std::unordered_map<std::string, int>', 'std::optional<int>', 'std::unique_ptr<geo::Circle>',
        'std::shared_ptr<int>']);

    // A vector: its size, its elements as indexed children, paged.
    const numbers = locals.get('numbers');
    assert.equal(numbers.value, 'size=5');
    assert.equal(numbers.indexedVariables, 5);
    const page = await a.children(numbers.variablesReference, { filter: 'indexed', start: 2, count: 3 });
    assert.deepEqual(page.list.map((v) => [v.name, v.value]), [['[2]', '3'], ['[3]', '5'], ['[4]', '8']]);
    // Their evaluateName reaches them.
    assert.equal((await evaluate(a, frames[0].id, page.list[1].evaluateName)).result, '5');
    const words = await a.children(locals.get('words').variablesReference);
    assert.deepEqual(words.list.map((v) => v.value), ['"alpha"', '"beta"']);

    // A map in key order; an unordered_map's one entry.
    const names = locals.get('names');
    assert.equal(names.value, 'size=3');
    const entries = await a.children(names.variablesReference);
    assert.deepEqual(entries.list.map((v) => v.value),
      ['{first=1, second="one"}', '{first=2, second="two"}', '{first=3, second="three"}']);
    const counts = await a.children(locals.get('counts').variablesReference);
    assert.deepEqual(counts.list.map((v) => v.value), ['{first="apple", second=3}']);

    // unique_ptr expands to the object, with its base class.
    const owned = await a.children(locals.get('owned').variablesReference);
    assert.deepEqual(owned.list.map((v) => v.name), ['Shape', 'radius']);
    assert.equal(owned.byName.get('Shape').value, '{_vptr$Shape=' + owned.byName.get('Shape').value.split('=')[1].split(',')[0] + ', id=7}');
    assert.equal(owned.byName.get('radius').value, '2.5');
    const shared = await a.children(locals.get('shared').variablesReference);
    assert.equal(shared.list[0].value, '11');

    // Indexing in expressions, as LLDB's frame variable does.
    assert.equal((await evaluate(a, frames[0].id, 'numbers[4]')).result, '8');
    assert.equal((await evaluate(a, frames[0].id, 'names[2].second')).result, '"three"');
    const outOfRange = await a.request('evaluate', { expression: 'numbers[5]', frameId: frames[0].id, context: 'watch' });
    assert.equal(outOfRange.success, false);
    assert.match(outOfRange.message, /out of range .* size=5/);

    // A vector whose end lies before its begin (corrupt memory) shows its
    // plain members instead of a made-up size.
    await a.ok('setExpression', { expression: 'numbers.__end_', value: 'numbers.__begin_ - 1', frameId: frames[0].id });
    const corrupt = await evaluate(a, frames[0].id, 'numbers');
    assert.match(corrupt.result, /^\{__begin_=0x[0-9a-f]+, __end_=0x[0-9a-f]+/);
  }));

test('breakpoints on a C++ method and a template stop there, with this', { timeout: 60000 }, () =>
  withAdapter(async (a) => {
    const placed = await a.launch({ program: testGuest('containers') }, {
      functionBreakpoints: [{ name: 'geo::Circle::area' }, { name: 'geo::twice<int>' }],
    });
    assert.deepEqual(placed.functions.map((b) => b.verified), [true, true]);
    let { frames } = await a.stopped('function breakpoint');
    assert.match(frames[0].name, /^geo::Circle::area\(\) const$/);
    assert.equal(frames[0].line, markerLine('containers.cpp', '@area'));
    const locals = await a.locals(frames[0].id);
    assert.ok(locals.has('this'), [...locals.keys()].join(','));
    assert.equal((await evaluate(a, frames[0].id, 'this->radius')).result, '2.5');
    await a.ok('continue', { threadId: 1 });
    ({ frames } = await a.stopped('function breakpoint'));
    assert.match(frames[0].name, /^int geo::twice<int>\(int\)$/);
    assert.equal(frames[0].line, markerLine('containers.cpp', '@twice'));
  }));

test('Rust String, &str, slices, Vec, HashMap, Box, Option and Result show their contents', { timeout: 60000 }, () =>
  withAdapter(async (a) => {
    await a.launch({ program: testGuest('values') }, {
      breakpoints: { [RUST]: [markerLine('values.rs', '@print')] },
    });
    const { frames } = await a.stopped('breakpoint');
    // Rust's legacy mangling hash is left out of names.
    assert.equal(frames[0].name, 'values::main');
    const locals = await a.locals(frames[0].id);
    assert.equal(locals.get('text').value, '"hello rust"');
    assert.equal(locals.get('slice').value, '"hello"');
    const numbers = locals.get('numbers');
    assert.equal(numbers.value, 'size=5');
    assert.equal(numbers.indexedVariables, 5);
    const elements = await a.children(numbers.variablesReference);
    assert.deepEqual(elements.list.map((v) => v.value), ['1', '2', '3', '5', '8']);
    const tail = locals.get('tail');
    assert.equal(tail.value, 'size=2');
    assert.deepEqual((await a.children(tail.variablesReference)).list.map((v) => v.value), ['5', '8']);
    // Enums by their discriminant: a tagged Option, a niche-encoded one
    // (None is a null reference), a Result.
    assert.equal(locals.get('some').value, 'Some(42)');
    assert.equal(locals.get('none').value, 'None');
    assert.equal(locals.get('none').variablesReference, 0);
    assert.deepEqual((await a.children(locals.get('some').variablesReference)).list.map((v) => v.value), ['42']);
    assert.match(locals.get('found').value, /^Some\(0x[0-9a-f]{8}\)$/);
    assert.equal(locals.get('missing').value, 'None');
    assert.equal(locals.get('parsed').value, 'Ok(12)');
    // A HashMap: its entries in bucket order (hashing is seeded at random).
    const counts = locals.get('counts');
    assert.equal(counts.value, 'size=3');
    const entries = await a.children(counts.variablesReference);
    assert.deepEqual(entries.list.map((v) => v.value).sort(),
      ['{__0="apple", __1=3}', '{__0="pear", __1=5}', '{__0="plum", __1=8}']);
    const boxed = await a.children(locals.get('boxed').variablesReference);
    assert.equal(boxed.byName.get('x').value, '3');
    assert.equal((await evaluate(a, frames[0].id, 'numbers[3]')).result, '5');
  }));

test('a breakpoint on a Rust function by its path stops there', { timeout: 60000 }, () =>
  withAdapter(async (a) => {
    const placed = await a.launch({ program: testGuest('values') }, {
      functionBreakpoints: [{ name: 'values::describe' }],
    });
    assert.equal(placed.functions[0].verified, true, JSON.stringify(placed.functions));
    const { frames } = await a.stopped('function breakpoint');
    assert.equal(frames[0].name, 'values::describe');
    assert.equal(frames[0].line, markerLine('values.rs', '@describe'));
    const locals = await a.locals(frames[0].id);
    assert.equal(locals.get('label').value, '"hello"');
    assert.equal((await evaluate(a, frames[0].id, 'p->y')).result, '4');
  }));
