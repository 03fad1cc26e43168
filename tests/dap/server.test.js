// `wasmscope dap` as a server: on a TCP port any local user can reach, so a
// client must send the token printed at start (a missing or wrong one is
// refused and the connection closed); on a Unix socket only its owner can
// open (mode 0600); one client at a time, a second one told why it is not
// served; and a session whose guest sleeps in a host call ends it at once
// on terminate.
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { withAdapter, startServer, RawConnection, sample, testGuest } = require('./lib/harness');

const exitOf = (child) =>
  child.exitCode !== null ? Promise.resolve(child.exitCode) : new Promise((r) => child.on('exit', (code) => r(code)));

test('--port needs the token it prints', { timeout: 60000 }, async () => {
  const server = await startServer();
  try {
    // No token: refused, and the connection is closed by the adapter.
    let c = await RawConnection.connect(server.port);
    assert.equal((await c.request('initialize', { adapterID: 'x' })).success, true);
    let r = await c.request('setBreakpoints', { source: { path: 'a.c' } });
    assert.match(r.message, /before authentication/);
    r = await c.request('launch', { program: sample('hello') });
    assert.equal(r.success, false);
    assert.match(r.message, /this adapter needs a token/);
    await c.closed;
    assert.ok(!c.messages.some((m) => m.event === 'initialized'), 'nothing was launched');

    // A wrong token: the same.
    c = await RawConnection.connect(server.port);
    await c.request('initialize', { adapterID: 'x' });
    r = await c.request('launch', { program: sample('hello'), token: server.token.replace(/^./, (d) => (d === '0' ? '1' : '0')) });
    assert.equal(r.message, 'wrong token (the connection is closed)');
    await c.closed;

    // The right one: a real session.
    await withAdapter(async (a) => {
      await a.launch({ program: sample('compute'), args: ['0'], token: server.token });
      assert.equal((await a.waitEvent('exited')).body.exitCode, 2);
    }, { port: server.port });
  } finally {
    server.process.kill();
  }
});

test('a second client is told that another is being served', { timeout: 60000 }, async () => {
  const server = await startServer();
  try {
    const first = await RawConnection.connect(server.port);
    await first.request('initialize', { adapterID: 'x' });
    const second = await RawConnection.connect(server.port);
    const note = await second.waitFor((m) => m.type === 'event' && m.event === 'output');
    assert.match(note.body.output, /another client is being served on 127\.0\.0\.1:\d+; this adapter serves one client at a time/);
    const refused = await second.request('initialize', { adapterID: 'y' });
    assert.equal(refused.success, false);
    assert.match(refused.message, /another client is being served/);
    await second.closed;
    // The first client is still served, and once it leaves the next one is.
    const authenticated = await first.request('launch', { program: '/nonexistent.wasm', token: server.token });
    assert.match(authenticated.message, /cannot open/);
    assert.equal((await first.request('setExceptionBreakpoints', { filters: [] })).success, true);
    first.close();
    await first.closed;
    let third;
    for (let attempt = 0; attempt < 50; attempt++) {
      third = await RawConnection.connect(server.port);
      const r = await third.request('initialize', { adapterID: 'z' });
      if (r.success) break;
      third.close(); // Still winding the first one down.
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.match((await third.request('launch', { program: '/nonexistent.wasm', token: server.token })).message,
      /cannot open/);
    third.close();
  } finally {
    server.process.kill();
  }
});

test('--token-file and --socket', { timeout: 60000 }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dap-server-'));
  try {
    const tokenFile = path.join(dir, 'token');
    const tcp = await startServer(['--port', '0', '--token-file', tokenFile]);
    try {
      assert.equal(fs.readFileSync(tokenFile, 'utf8'), `${tcp.token}\n`);
      assert.equal(fs.statSync(tokenFile).mode & 0o777, 0o600);
    } finally {
      tcp.process.kill();
    }

    // A stale socket file from a server that is gone is replaced.
    const socketPath = path.join(dir, 'dap.sock');
    const stale = await startServer(['--socket', socketPath]);
    stale.process.kill('SIGKILL');
    await exitOf(stale.process);
    assert.ok(fs.existsSync(socketPath));
    const server = await startServer(['--socket', socketPath]);
    try {
      assert.equal(server.path, socketPath);
      assert.equal(fs.statSync(socketPath).mode & 0o777, 0o600);
      // No token over a socket only its owner can open.
      await withAdapter(async (a) => {
        await a.launch({ program: sample('compute'), args: ['0'] });
        assert.equal((await a.waitEvent('exited')).body.exitCode, 2);
      }, { port: socketPath });
      // A second server on the same path is refused.
      await assert.rejects(startServer(['--socket', socketPath]), /another server is listening/);
    } finally {
      server.process.kill();
    }
    await exitOf(server.process);
    // A path that is not a socket is never replaced.
    fs.writeFileSync(path.join(dir, 'file'), 'keep me');
    await assert.rejects(startServer(['--socket', path.join(dir, 'file')]), /exists and is not a socket/);
    assert.equal(fs.readFileSync(path.join(dir, 'file'), 'utf8'), 'keep me');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a guest sleeping in a host call: terminate ends it at once', { timeout: 60000 }, async () => {
  // The runtime interrupts waits in WASI calls (Store::interrupt), so even a
  // guest sleeping an hour stops on terminate; --guest-stop-timeout remains
  // the bound for anything that would not.
  const server = await startServer(['--port', '0', '--guest-stop-timeout', '0.5']);
  try {
    const c = await RawConnection.connect(server.port);
    await c.request('initialize', { adapterID: 'x' });
    assert.equal((await c.request('launch', { program: testGuest('blocking'), token: server.token })).success, true);
    await c.request('configurationDone');
    await c.waitFor((m) => m.event === 'output' && /blocking in sleep/.test(m.body.output));
    const sent = Date.now();
    const terminate = await c.request('terminate');
    assert.equal(terminate.success, true);
    const exited = await c.waitFor((m) => m.event === 'exited');
    assert.equal(exited.body.exitCode, 137);
    await c.waitFor((m) => m.event === 'terminated');
    assert.ok(Date.now() - sent < 1000, `stopped after ${Date.now() - sent} ms`);
    const disconnect = await c.request('disconnect');
    assert.equal(disconnect.success, true);
    // Nothing was given up: the server goes on serving, no warning printed.
    assert.equal(server.process.exitCode, null);
    assert.doesNotMatch(server.stderr(), /did not stop/);
  } finally {
    server.process.kill();
  }
});
