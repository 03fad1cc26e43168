// lldb-dap (LLDB 22's own Debug Adapter Protocol server) attached to
// wasmscope's gdb-remote stub, as VS Code's LLDB DAP extension does it with
// the attach configuration in docs/LLDB.md: a real DAP client
// (@vscode/debugadapter-testsupport's DebugClient, from tests/dap's
// node_modules) sets a breakpoint by file and line, reads the stack, the
// scopes and a struct through `variables`, evaluates an expression, and
// runs the guest to its end.
//
// Environment (ctest sets it): WASMSCOPE, WASMSCOPE_SAMPLES, SAMPLES_SRC,
// LLDB_DAP (lldb-dap-22), NODE_PATH (tests/dap/node_modules).
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { DebugClient } = require('@vscode/debugadapter-testsupport');

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set (run through ctest)`);
  return value;
};
const WASMSCOPE = env('WASMSCOPE');
const SAMPLES = env('WASMSCOPE_SAMPLES');
const SAMPLES_SRC = env('SAMPLES_SRC');
const LLDB_DAP = env('LLDB_DAP');

/// `wasmscope run --gdb-port 0 MODULE`; resolves with the URL it listens on.
function startStub(module, args = []) {
  const child = spawn(WASMSCOPE, ['run', '--gdb-port', '0', module, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  child.stdout.on('data', (d) => (stdout += d));
  const exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  const url = new Promise((resolve, reject) => {
    let err = '';
    child.stderr.on('data', (d) => {
      err += d;
      const m = /process connect --plugin wasm (\S+)/.exec(err);
      if (m) resolve(m[1]);
    });
    child.on('exit', () => reject(new Error(`the stub exited: ${err}`)));
  });
  return { child, url, exited, stdout: () => stdout };
}

test('lldb-dap attaches to the stub: breakpoint, stack, variables, expression, exit', async () => {
  const stub = startStub(path.join(SAMPLES, 'linked_structures.O0.wasm'));
  const url = await stub.url;
  const dc = new DebugClient(LLDB_DAP, '--repl-mode=command', 'lldb-dap');
  dc.defaultTimeout = 30000;
  await dc.start();
  try {
    await dc.initializeRequest({ adapterID: 'lldb-dap', linesStartAt1: true, columnsStartAt1: true,
                                 pathFormat: 'path', supportsVariableType: true });
    // The attach configuration docs/LLDB.md shows for VS Code.
    // lldb-dap answers attach only after configurationDone.
    const attached = dc.attachRequest({ attachCommands: [`process connect --plugin wasm ${url}`] });
    await dc.waitForEvent('initialized');
    const source = path.join(SAMPLES_SRC, 'linked_structures.c');
    const bp = await dc.setBreakpointsRequest({ source: { path: source }, breakpoints: [{ line: 178 }] });
    assert.equal(bp.body.breakpoints.length, 1);
    assert.equal(bp.body.breakpoints[0].verified, true, JSON.stringify(bp.body));
    // DebugClient does not keep events: wait before they can arrive.
    const firstStop = dc.waitForEvent('stopped');
    await dc.configurationDoneRequest();
    await attached;

    // The guest was stopped at _start when lldb-dap attached; go on to 178.
    const first = await firstStop;
    let stopped = first;
    if (first.body.reason !== 'breakpoint') {
      const next = dc.waitForEvent('stopped');
      await dc.continueRequest({ threadId: first.body.threadId });
      stopped = await next;
    }
    assert.equal(stopped.body.reason, 'breakpoint');
    const threadId = stopped.body.threadId;
    const trace = await dc.stackTraceRequest({ threadId, levels: 5 });
    const frames = trace.body.stackFrames;
    assert.equal(frames[0].name.startsWith('inventory_value'), true, frames[0].name);
    assert.equal(frames[0].line, 178);
    assert.equal(path.basename(frames[0].source.path), 'linked_structures.c');
    assert.equal(frames[1].name.startsWith('main'), true, frames[1].name);
    assert.equal(frames[1].line, 229);

    const scopes = await dc.scopesRequest({ frameId: frames[0].id });
    const locals = scopes.body.scopes.find((s) => /local/i.test(s.name));
    assert.ok(locals, JSON.stringify(scopes.body.scopes));
    const vars = (await dc.variablesRequest({ variablesReference: locals.variablesReference })).body.variables;
    const byName = Object.fromEntries(vars.map((v) => [v.name, v]));
    assert.equal(byName.total.value, '4800');
    assert.equal(byName.i.value, '0');
    // `item` points at items[0]: its fields through variables.
    assert.ok(byName.item.variablesReference > 0);
    const item = (await dc.variablesRequest({ variablesReference: byName.item.variablesReference })).body.variables;
    const fields = Object.fromEntries(item.map((v) => [v.name, v.value]));
    assert.equal(fields.sku, '"BOLT-M4"');
    assert.equal(fields.quantity, '1200');
    assert.equal(fields.price_cents, '4');

    const sum = await dc.evaluateRequest({ expression: 'item->quantity * item->price_cents', frameId: frames[0].id,
                                           context: 'watch' });
    assert.equal(sum.body.result, '4800');

    await dc.setBreakpointsRequest({ source: { path: source }, breakpoints: [] });
    const exitedEvent = dc.waitForEvent('exited');
    await dc.continueRequest({ threadId });
    const exited = await exitedEvent;
    assert.equal(exited.body.exitCode, 0);
  } finally {
    await dc.stop();
  }
  assert.equal(await stub.exited, 0);
  assert.match(stub.stdout(), /inventory 'north warehouse' at Building 7, Dock B: 4 items worth 609\.85/);
});
