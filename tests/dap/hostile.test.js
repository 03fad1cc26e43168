// The hostile-input suite: an adapter process fed everything a careless or
// malicious client could send. Every request of the protocol (read from the
// DAP schema itself) in every wrong order, then with a wrong type, a huge
// number or a negative one in each of its arguments in turn; unknown
// commands; malformed JSON, deep nesting and giant strings; a bad header
// block; launches of a directory, a FIFO and /dev/zero; stale and forged
// frame ids and references; the nested expression that once crashed the
// adapter. Every request must be answered (requests sent = responses
// received, printed at the end), every message must fit the schema (the
// harness checks), and the adapter must still serve a real session after.
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { withAdapter, sample } = require('./lib/harness');

const schema = JSON.parse(fs.readFileSync(process.env.DAP_SCHEMA, 'utf8'));
const definitions = schema.definitions;

/// Every request of the protocol: its command and its arguments' schema.
const requests = Object.keys(definitions)
  .filter((name) => name.endsWith('Request') && name !== 'Request')
  .map((name) => {
    const body = definitions[name].allOf[1];
    const command = body.properties.command.enum[0];
    const ref = body.properties.arguments && body.properties.arguments.$ref;
    const args = ref ? definitions[ref.split('/').pop()] : null;
    return { command, properties: (args && args.properties) || {} };
  });

/// Values that break what `property` declares: another JSON type, and for
/// numbers the extremes.
function hostileValues(property) {
  const declared = property.type || (property.$ref ? 'object' : 'string');
  const types = Array.isArray(declared) ? declared : [declared];
  const values = [];
  if (!types.includes('string')) values.push('not a ' + types.join(' or '));
  if (!types.includes('integer') && !types.includes('number')) values.push(12345);
  if (!types.includes('boolean')) values.push(true);
  if (!types.includes('object')) values.push({ nested: { deeper: [1, 2, 3] } });
  if (!types.includes('array')) values.push([1, 'two', null]);
  if (types.includes('integer') || types.includes('number'))
    values.push(-1, -(2 ** 53), 2 ** 53, 1e308, 2 ** 64, 0.5);
  if (types.includes('string')) values.push('x'.repeat(100000), '\u0000\uffff\ud800');
  return values;
}

const frame = (body) => `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;

/// Counts requests and their responses: every request gets exactly one.
class Ledger {
  constructor(adapter) {
    this.adapter = adapter;
    this.sent = 0;
    this.answered = 0;
    this.rawSeq = 1000000; // Raw frames use seqs far from DebugClient's own.
  }

  async request(command, args) {
    this.sent++;
    const response = await this.adapter.request(command, args);
    assert.equal(response.request_seq !== undefined, true);
    this.answered++;
    return response;
  }

  /// A raw frame that carries a request with this seq; waits for its answer.
  async raw(bodyFor) {
    const seq = this.rawSeq++;
    this.sent++;
    this.adapter.writeRaw(frame(bodyFor(seq)));
    const deadline = Date.now() + 10000;
    for (;;) {
      const found = this.adapter.messages.find((m) => m.type === 'response' && m.request_seq === seq);
      if (found) {
        this.answered++;
        return found;
      }
      if (Date.now() > deadline) throw new Error(`no response to raw request ${seq}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  /// Every request of the protocol with each of its arguments made hostile
  /// in turn (`skip` names commands left out), plus without arguments.
  async sweep(skip = new Set(), withoutArguments = true) {
    for (const { command, properties } of requests) {
      if (skip.has(command)) continue;
      if (withoutArguments) await this.request(command, undefined);
      await this.request(command, 'not an object');
      for (const [name, property] of Object.entries(properties))
        for (const value of hostileValues(property)) await this.request(command, { [name]: value });
    }
  }
}

/// Every request of the protocol, answered, before `initialize`.
test('hostile: wrong order, wrong types, unknown commands, malformed frames', { timeout: 120000 }, () =>
  withAdapter(async (a) => {
    const ledger = new Ledger(a);
    // Before initialize: every request but disconnect is refused in order.
    for (const { command } of requests) {
      if (command === 'initialize' || command === 'disconnect') continue;
      const r = await ledger.request(command, {});
      assert.equal(r.success, false, command);
    }
    const r1 = await ledger.request('launch', { program: sample('hello') });
    assert.equal(r1.message, "'launch' before initialize: send 'initialize' first");
    await a.ok('initialize', { adapterID: 'wasmscope' });
    const again = await ledger.request('initialize', { adapterID: 'wasmscope' });
    assert.equal(again.message, "'initialize' was already received: a client initializes once");

    // Before launch: every request, each argument hostile in turn.
    await ledger.sweep(new Set(['disconnect', 'initialize', 'launch']));
    for (let i = 0; i < 20; i++)
      assert.equal((await ledger.request(`unknown${i}`, { x: i })).message, `unsupported command 'unknown${i}'`);

    // Malformed frames that still carry a seq are answered...
    let r = await ledger.raw((seq) => `{"seq": ${seq}, "type": "request", "command": "threads", `);
    assert.match(r.message, /malformed JSON/);
    r = await ledger.raw((seq) => `{"seq": ${seq}, "type": "request", "command": "evaluate", "arguments": ` +
      '['.repeat(100000) + ']'.repeat(100000) + '}');
    assert.match(r.message, /malformed JSON/);
    r = await ledger.raw((seq) => JSON.stringify({ seq, type: 'request', command: 'x'.repeat(1 << 20) }));
    assert.equal(r.success, false);
    r = await ledger.raw((seq) => JSON.stringify({ seq, type: 'request', command: 'setBreakpoints',
      arguments: { source: { path: 'p'.repeat(1 << 20) }, breakpoints: [{ line: 2 ** 31 }] } }));
    assert.equal(r.success, true); // Pending, unverified: no program yet.
    r = await ledger.raw((seq) => JSON.stringify({ seq, type: 'banana', command: 'threads' }));
    assert.equal(r.success, false);
    // ...and ones without a usable seq are reported in an output event.
    for (const body of ['{"seq": -4, "type": "request", "command": "threads"}',
      '{"seq": 3.5, "type": "request", "command": "threads"}', 'null', '[]', '"just a string"'])
      a.writeRaw(frame(body));
    await a.waitEvent('output', (e) => /without a valid seq|malformed/.test(e.body.output));

    // A bad header block does not swallow the request after it.
    a.writeRaw('Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}');
    r = await ledger.request('setExceptionBreakpoints', { filters: [] });
    assert.equal(r.success, true);
    await a.waitEvent('output', (e) => /conflicting Content-Length/.test(e.body.output));
    a.writeRaw('Content-Length: 99999999999999999999\r\n\r\n' + 'x'.repeat(4096));
    r = await ledger.request('setExceptionBreakpoints', { filters: [] });
    assert.equal(r.success, true);

    // Launches of what is not a module file are refused at once.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dap-hostile-'));
    try {
      const fifo = path.join(dir, 'fifo');
      execFileSync('mkfifo', [fifo]);
      fs.writeFileSync(path.join(dir, 'text.wasm'), 'not a module');
      for (const [program, pattern] of [[dir, /cannot read .*: it is a directory/],
        [fifo, /it is a FIFO \(named pipe\), not a regular file/], ['/dev/zero', /it is a device, not a regular file/],
        [path.join(dir, 'text.wasm'), /magic header not detected/],
        [path.join(dir, 'missing.wasm'), /cannot open/]]) {
        r = await ledger.request('launch', { program });
        assert.equal(r.success, false, program);
        assert.match(r.message, pattern);
      }
      r = await ledger.request('launch', { program: sample('hello'), stdin: dir });
      assert.match(r.message, /stdin file .* is a directory/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }

    console.log(`hostile (before launch): ${ledger.sent} requests sent, ${ledger.answered} answered`);
    assert.equal(ledger.answered, ledger.sent);
    assert.ok(ledger.sent > 500, `only ${ledger.sent} requests`);
  }));

test('hostile: a stopped guest under stale ids, forged references and deep expressions', { timeout: 120000 }, () =>
  withAdapter(async (a) => {
    const ledger = new Ledger(a);
    await a.launch({ program: sample('linked_structures'), stopOnEntry: true });
    await a.stopped('entry');
    const trace = await a.ok('stackTrace', { threadId: 1 });
    const staleFrame = trace.body.stackFrames[0].id;
    const scopes = await a.ok('scopes', { frameId: staleFrame });
    const staleReference = scopes.body.scopes[0].variablesReference;
    // A step makes every id of the entry stop stale.
    await a.step('stepIn', { granularity: 'instruction' });

    let r = await ledger.request('scopes', { frameId: staleFrame });
    assert.match(r.message, /unknown or stale frame id/);
    r = await ledger.request('variables', { variablesReference: staleReference });
    assert.match(r.message, /unknown or stale variablesReference/);
    for (const id of [-1, 0, 2 ** 31 - 1, 2 ** 53, -(2 ** 53)]) {
      r = await ledger.request('scopes', { frameId: id });
      assert.equal(r.success, false, `frameId ${id}`);
      r = await ledger.request('variables', { variablesReference: id });
      assert.equal(r.success, false, `variablesReference ${id}`);
      r = await ledger.request('evaluate', { expression: '1', frameId: id });
      assert.equal(r.success, false, `evaluate frameId ${id}`);
      r = await ledger.request('stackTrace', { threadId: id });
      assert.equal(r.success, false, `threadId ${id}`);
    }
    r = await ledger.request('readMemory', { memoryReference: '0xffffffffffffffff', offset: 2 ** 53, count: 16 });
    assert.equal(r.success, false);
    r = await ledger.request('readMemory', { memoryReference: '0x0', count: 2 ** 53 - 1 });
    assert.match(r.message, /exceeds the limit of/);
    r = await ledger.request('writeMemory', { memoryReference: '0xfffffffe', data: 'AAAAAAAA' });
    assert.equal(r.success, false);
    r = await ledger.request('stackTrace', { threadId: 1, startFrame: 2 ** 32, levels: 2 ** 53 });
    assert.deepEqual(r.body.stackFrames, []); // Past the last frame: none.

    // The expression that once overflowed the adapter's stack, and friends.
    const nested = (n, inner = '1') => '('.repeat(n) + inner + ')'.repeat(n);
    r = await ledger.request('evaluate', { expression: nested(1945), context: 'repl' });
    assert.match(r.message, /expression nested too deeply/);
    r = await ledger.request('evaluate', { expression: '-'.repeat(4000) + '1', context: 'watch' });
    assert.match(r.message, /expression nested too deeply/);
    r = await ledger.request('evaluate', { expression: 'x'.repeat(1 << 20), context: 'hover' });
    assert.match(r.message, /expression too long/);
    r = await ledger.request('setVariable', { variablesReference: staleReference, name: 'x', value: nested(3000) });
    assert.equal(r.success, false);
    const file = path.join(process.env.WASMSCOPE_SAMPLES_SRC, 'linked_structures.c');
    r = await ledger.request('setBreakpoints', { source: { path: file }, breakpoints: [
      { line: 40, condition: nested(2047, 'i') }, { line: 41, logMessage: `{${nested(1945)}}` },
      { line: -5 }, { line: 2 ** 31 }, { line: 40, hitCondition: '%0' }] });
    assert.equal(r.success, true);
    assert.ok(r.body.breakpoints.every((b) => !b.verified), JSON.stringify(r.body.breakpoints));
    assert.match(r.body.breakpoints[0].message, /expression nested too deeply/);

    // Every request again, arguments hostile in turn, while stopped (the
    // ones that would end or restart the session are sent last, below).
    await ledger.sweep(new Set(['disconnect', 'terminate', 'restart', 'initialize']), false);
    await ledger.sweep(new Set(requests.map((q) => q.command).filter((c) =>
      !['threads', 'loadedSources', 'modules', 'configurationDone', 'exceptionInfo'].includes(c))), true);

    // Still a working debugger.
    const threads = await a.ok('threads');
    assert.equal(threads.body.threads.length, 1);
    const top = await a.ok('stackTrace', { threadId: 1, levels: 1 });
    assert.ok(top.body.stackFrames.length === 1);
    await a.ok('continue', { threadId: 1 });
    assert.equal((await a.waitEvent('exited')).body.exitCode, 0);

    console.log(`hostile (stopped guest): ${ledger.sent} requests sent, ${ledger.answered} answered`);
    assert.equal(ledger.answered, ledger.sent);
    assert.ok(ledger.sent > 500, `only ${ledger.sent} requests`);
  }));
