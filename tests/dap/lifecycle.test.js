// Stop on entry, pause a running guest, terminate it, restart it, and the
// TCP server mode (`wasmscope dap --port`) serving clients one after another.
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const { Adapter, withAdapter, startServer, sample } = require('./lib/harness');

test('stopOnEntry stops before the first instruction', { timeout: 60000 }, () =>
  withAdapter(async (a) => {
    await a.launch({ program: sample('hello'), stopOnEntry: true, dirs: [] });
    const { event, frames } = await a.stopped('entry');
    assert.equal(event.body.threadId, 1);
    assert.ok(frames.length >= 1);
    assert.equal(a.output('stdout'), '');
    await a.ok('continue', { threadId: 1 });
    await a.waitEvent('exited');
    await a.waitEvent('terminated');
  }));

test('pause stops a running guest; terminate ends it', { timeout: 60000 }, () =>
  withAdapter(async (a) => {
    // Big enough to run for many seconds.
    await a.launch({ program: sample('compute'), args: ['2000', '100000'] });
    await new Promise((r) => setTimeout(r, 200));
    await a.ok('pause', { threadId: 1 });
    const { frames } = await a.stopped('pause');
    assert.ok(frames.length >= 2);
    assert.ok(frames.some((f) => f.name === 'main'));
    await a.ok('continue', { threadId: 1 });
    await a.ok('terminate');
    const exited = await a.waitEvent('exited');
    assert.equal(exited.body.exitCode, 137);
    await a.waitEvent('terminated');
  }));

test('restart runs the module again', { timeout: 60000 }, () =>
  withAdapter(async (a) => {
    await a.launch({ program: sample('compute'), args: ['0'] });
    assert.equal((await a.waitEvent('exited')).body.exitCode, 2);
    await a.ok('restart');
    assert.equal((await a.waitEvent('exited')).body.exitCode, 2);
    assert.equal(a.output('stderr'), 'usage: compute [SIZE > 0] [STEPS >= 0]\n'.repeat(2));
  }));

test('--port serves clients on 127.0.0.1, one after another', { timeout: 60000 }, async () => {
  const server = await startServer();
  try {
    for (let round = 0; round < 2; round++) {
      await withAdapter(async (a) => {
        await a.launch({ program: sample('compute'), args: ['0'], token: server.token });
        assert.equal((await a.waitEvent('exited')).body.exitCode, 2);
        await a.waitEvent('terminated');
      }, { port: server.port });
    }
  } finally {
    server.process.kill();
  }
});

test('closing stdin ends the adapter even while the guest runs', { timeout: 60000 }, async () => {
  const a = await Adapter.start();
  await a.launch({ program: sample('compute'), args: ['2000', '100000'] });
  const exited = new Promise((resolve) => a.dc._adapterProcess.on('exit', (code) => resolve(code)));
  a.dc._adapterProcess.stdin.end();
  assert.equal(await exited, 0);
  assert.deepEqual(a.violations, []);
});
