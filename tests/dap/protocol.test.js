// Bad input never ends the session: malformed JSON, a malformed header, an
// oversized Content-Length, an unknown command and bad arguments all get an
// error response (or, without a request to answer, an `output` event), and
// a real debug session still runs afterwards.
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const { withAdapter, sample, source, lineOf } = require('./lib/harness');

const frame = (body) => `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;

/// The first message matching `match`, waiting until it arrives.
async function message(a, match, timeoutMs = 10000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = a.messages.find(match);
    if (found) return found;
    if (Date.now() > deadline) throw new Error('expected message did not arrive');
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('malformed input gets errors and the session goes on', { timeout: 60000 }, () =>
  withAdapter(async (a) => {
    await a.ok('initialize', { adapterID: 'wasmscope' });

    // Malformed JSON with a recognisable seq: an error response for it.
    a.writeRaw(frame('{"seq": 9001, "type": "request", "command": "threads", "arguments": {'));
    const malformed = await message(a, (m) => m.type === 'response' && m.request_seq === 9001);
    assert.equal(malformed.success, false);
    assert.match(malformed.message, /malformed JSON/);

    // Not JSON at all: nothing to answer, so an output event says so.
    a.writeRaw(frame('\u0000\u0001 definitely not json'));
    const note = await a.waitEvent('output', (e) => /malformed JSON/.test(e.body.output));
    assert.equal(note.body.category, 'important');

    // A malformed header, then an oversized Content-Length.
    a.writeRaw('Content-Length: twelve\r\n\r\n');
    await a.waitEvent('output', (e) => /invalid Content-Length/.test(e.body.output));
    a.writeRaw('Content-Length: 999999999999\r\n\r\n');
    await a.waitEvent('output', (e) => /exceeds the limit/.test(e.body.output));

    // An unknown command.
    let r = await a.request('reverseTheFlowOfTime', { now: true });
    assert.equal(r.success, false);
    assert.equal(r.command, 'reverseTheFlowOfTime');
    assert.equal(r.message, "unsupported command 'reverseTheFlowOfTime'");

    // Bad arguments, with the path of the bad value.
    r = await a.request('setFunctionBreakpoints', { breakpoints: [{ condition: 'x' }] });
    assert.equal(r.success, false);
    assert.equal(r.message, 'missing value at (root).breakpoints[0].name');
    r = await a.request('setBreakpoints', { source: { path: 'x.c' }, breakpoints: [{ line: 1 }, { line: 'two' }] });
    assert.equal(r.message, 'expected integer at (root).breakpoints[1].line');
    r = await a.request('launch', { program: 42 });
    assert.equal(r.message, 'expected string at (root).program');

    // Requests that need the program say so before launch.
    r = await a.request('next', { threadId: 1 });
    assert.equal(r.message, "'next' before launch: no program is running (send 'launch' first)");

    // After all that, a real session works.
    const file = source('linked_structures.c');
    const line = lineOf('linked_structures.c', 'sum += node->value;');
    const initialized = a.waitEvent('initialized');
    await a.ok('launch', { program: sample('linked_structures') });
    await initialized;
    await a.ok('setBreakpoints', { source: { path: file }, breakpoints: [{ line }] });
    await a.ok('configurationDone');
    const { frames } = await a.stopped('breakpoint');
    assert.equal(frames[0].line, line);
    r = await a.request('stackTrace', { threadId: 2 });
    assert.equal(r.success, false);
    assert.match(r.message, /unknown thread 2/);
    r = await a.request('stackTrace', { levels: 1 });
    assert.equal(r.message, 'missing value at (root).threadId');
    r = await a.request('evaluate', {});
    assert.equal(r.message, 'missing value at (root).expression');
    r = await a.request('scopes', { frameId: 123456 });
    assert.equal(r.success, false);
    r = await a.request('readMemory', { memoryReference: 'nowhere', count: 4 });
    assert.equal(r.message, 'expected an address such as "0x1a2b" at (root).memoryReference');
    await a.ok('setBreakpoints', { source: { path: file }, breakpoints: [] });
    await a.ok('continue', { threadId: 1 });
    assert.equal((await a.waitEvent('exited')).body.exitCode, 0);
  }));

test('reading memory past its end reports unreadable bytes', { timeout: 60000 }, () =>
  withAdapter(async (a) => {
    await a.launch({ program: sample('hello'), stopOnEntry: true });
    await a.stopped('entry');
    const r = await a.ok('readMemory', { memoryReference: '0x0', offset: 1024, count: 16 });
    assert.equal(r.body.address, '0x00000400');
    assert.equal(Buffer.from(r.body.data, 'base64').length, 16);
    const end = await a.ok('readMemory', { memoryReference: '0xfffffff0', count: 32 });
    assert.ok(end.body.unreadableBytes > 0);
  }));
