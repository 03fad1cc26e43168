// Guest stdout and stderr arrive as output events of those categories,
// arguments, environment and preopened directories reach the guest, and
// the exit code arrives in `exited`.
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { withAdapter, sample } = require('./lib/harness');

test('stdout, stderr, args, env, dirs and exit code 0', { timeout: 60000 }, () =>
  withAdapter(async (a) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dap-hello-'));
    try {
      await a.launch({
        program: sample('hello'),
        args: ['alpha', 'two words'],
        env: { GREETING: 'hi' },
        dirs: [`${dir}::/sandbox`],
      });
      const exited = await a.waitEvent('exited');
      await a.waitEvent('terminated');
      assert.equal(exited.body.exitCode, 0);
      const stdout = a.output('stdout');
      assert.match(stdout, /^argc = 3\n/);
      assert.match(stdout, /argv\[1\] = "alpha"\n/);
      assert.match(stdout, /argv\[2\] = "two words"\n/);
      assert.match(stdout, /GREETING = "hi"\n/);
      assert.match(stdout, /read \d+ bytes back from \/sandbox\/hello.txt/);
      assert.equal(a.output('stderr'), 'hello: file round trip ok\n');
      assert.equal(fs.readFileSync(path.join(dir, 'hello.txt'), 'utf8'), 'Hello from WebAssembly, 2 arguments.\n');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }));

test('a non-zero exit code and stderr', { timeout: 60000 }, () =>
  withAdapter(async (a) => {
    await a.launch({ program: sample('compute'), args: ['0'] });
    const exited = await a.waitEvent('exited');
    assert.equal(exited.body.exitCode, 2);
    assert.equal(a.output('stderr'), 'usage: compute [SIZE > 0] [STEPS >= 0]\n');
    assert.equal(a.output('stdout'), '');
  }));

test('a guest without its directory fails with exit code 1', { timeout: 60000 }, () =>
  withAdapter(async (a) => {
    await a.launch({ program: sample('hello') });
    assert.equal((await a.waitEvent('exited')).body.exitCode, 1);
    assert.match(a.output('stderr'), /hello: cannot create \/sandbox\/hello.txt/);
  }));

test('launch errors are error responses', { timeout: 60000 }, () =>
  withAdapter(async (a) => {
    await a.ok('initialize', { adapterID: 'wasmscope' });
    let r = await a.request('launch', { program: '/no/such/module.wasm' });
    assert.equal(r.success, false);
    assert.match(r.message, /module\.wasm/);
    r = await a.request('launch', { program: sample('hello'), maxMemory: 'lots' });
    assert.equal(r.success, false);
    assert.match(r.message, /at \(root\)\.maxMemory/);
    r = await a.request('launch', { program: sample('hello'), dirs: ['/definitely/not/here::/x'] });
    assert.equal(r.success, false);
    r = await a.request('launch', { program: sample('hello'), timeout: '30' });
    assert.equal(r.success, false);
    assert.match(r.message, /expected a duration .* at \(root\)\.timeout/);
  }));

test('a flood of output arrives complete and in order', { timeout: 60000 }, () =>
  withAdapter(async (a) => {
    await a.launch({ program: sample('request_handler'), args: ['3000'] });
    assert.equal((await a.waitEvent('exited')).body.exitCode, 0);
    const lines = a.output('stdout').split('\n');
    assert.equal(lines.length, 3000 + 3); // 3000 requests, 2 summary lines, and ''
    for (let i = 0; i < 3000; i += 500) assert.match(lines[i], new RegExp(`^ *${i} `));
    assert.match(lines[3000], /^handled 3000 requests/);
  }));

test('many small writes arrive as few output events, complete and in order', { timeout: 60000 }, () =>
  withAdapter(async (a) => {
    const { realGuest, realSource, markerLine } = require('./lib/harness');
    // minisql's shell with stdout unbuffered: every row is several writes.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dap-msql-'));
    const input = path.join(dir, 'in.sql');
    let statements = '';
    for (let i = 0; i < 3000; i++) statements += `insert k${i % 50} v${i}\nselect k${i % 50}\n`;
    fs.writeFileSync(input, statements);
    try {
      const shell = realSource('minisql/shell.c');
      await a.launch({ program: realGuest('minisql'), args: ['--unbuffered'], stdin: input }, {
        breakpoints: { [shell]: [{ line: markerLine('minisql/shell.c', '@shell-exec'), hitCondition: '==2001' }] },
      });
      await a.stopped('breakpoint');
      // Everything written before the stop came before the `stopped` event.
      const stopIndex = a.messages.findIndex((m) => m.event === 'stopped');
      const before = a.messages.slice(0, stopIndex)
        .filter((m) => m.event === 'output' && m.body.category === 'stdout')
        .map((m) => m.body.output).join('');
      assert.equal(before.split('\n').length - 1, 1000, 'the rows of the first 2000 statements');
      await a.ok('continue', { threadId: 1 });
      assert.equal((await a.waitEvent('exited')).body.exitCode, 0);
      const events = a.messages.filter((m) => m.event === 'output' && m.body.category === 'stdout');
      const text = a.output('stdout');
      const rows = text.split('\n');
      assert.equal(rows.length, 3000 + 2); // 3000 rows, the summary, and ''
      assert.equal(rows[0], 'key=k0 value=v0');
      assert.equal(rows[2999], 'key=k49 value=v2999');
      assert.equal(rows[3000], 'rows: 3000, changes: 3000');
      // About 4 writes per row: 12000 writes, in far fewer events.
      assert.ok(events.length < 200, `${events.length} output events`);
      // The exit comes after all of it.
      const exitIndex = a.messages.findIndex((m) => m.event === 'exited');
      assert.ok(a.messages.slice(exitIndex).every((m) => m.event !== 'output' || m.body.category !== 'stdout'));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }));
