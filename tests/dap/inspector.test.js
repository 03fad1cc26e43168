// `wasmscope inspect --dap-port`: the desktop inspector (headless, under
// Xvfb) and a DAP client attached to it share one run. The inspector sets a
// breakpoint as a click in its Source view does (--break) and the client
// hears of it; the client sets its own and the inspector shows it (its
// state lines on stderr are what its views show); a stop caused by either
// breakpoint reaches both; the client removes the inspector's breakpoint.
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const { spawn, spawnSync } = require('node:child_process');
const { Adapter, sample, source, lineOf, WASMSCOPE } = require('./lib/harness');

const haveGui = process.env.WASMSCOPE_HAVE_INSPECTOR_GUI === 'ON';
const haveXvfb = spawnSync('sh', ['-c', 'command -v xvfb-run'], { encoding: 'utf8' }).status === 0;

/// Starts the inspector; resolves with {port, token, process, lines(),
/// waitLine(re)} once its DAP server listens.
function startInspector(args) {
  return new Promise((resolve, reject) => {
    const child = spawn('xvfb-run', ['-a', WASMSCOPE, 'inspect', '--headless', '--dap-port', '0', ...args], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let text = '';
    const waiters = [];
    const check = () => {
      for (const w of [...waiters]) {
        const m = w.re.exec(text.slice(w.from));
        if (m) {
          waiters.splice(waiters.indexOf(w), 1);
          clearTimeout(w.timer);
          w.resolve(m);
        }
      }
    };
    let listening = false;
    child.stderr.on('data', (chunk) => {
      text += chunk;
      check();
      if (listening) return;
      const tcp = /DAP server listening on 127\.0\.0\.1:(\d+), token ([0-9a-f]{32})/.exec(text);
      if (!tcp) return;
      listening = true;
      resolve({
        port: Number(tcp[1]),
        token: tcp[2],
        process: child,
        text: () => text,
        mark: () => text.length,
        /// The first match of `re` in what the inspector says after `from`.
        waitLine: (re, from = 0, timeoutMs = 20000) =>
          new Promise((res, rej) => {
            const w = { re, from, resolve: res };
            w.timer = setTimeout(() => {
              waiters.splice(waiters.indexOf(w), 1);
              rej(new Error(`the inspector never said ${re}; it said:\n${text}`));
            }, timeoutMs);
            waiters.push(w);
            check();
          }),
      });
    });
    child.on('exit', (code) => {
      if (!listening) reject(new Error(`inspect exited with ${code}: ${text}`));
    });
  });
}

test('VS Code and the inspector share one paused program', {
  timeout: 90000,
  skip: !haveGui ? 'built without the inspector GUI' : !haveXvfb ? 'xvfb-run not installed' : false,
}, async () => {
  const file = 'request_handler.c';
  const parseLine = lineOf(file, 'char *method = copy_string(line');
  const deleteLine = lineOf(file, 'free(user); /* LEAK 3');
  const inspector = await startInspector(['--stop-on-entry', '--break', `${file}:${parseLine}`,
    sample('request_handler'), '200']);
  const exited = new Promise((resolve) => inspector.process.on('exit', (code) => resolve(code)));
  const a = await Adapter.start({ port: inspector.port });
  try {
    await a.ok('initialize', { adapterID: 'wasmscope', clientID: 'dap-suite', linesStartAt1: true,
      columnsStartAt1: true, pathFormat: 'path' });
    // Launching is refused: the program is the inspector's.
    const launched = await a.request('launch', { program: sample('hello'), token: inspector.token });
    assert.equal(launched.success, false);
    assert.match(launched.message, /attach to it/);
    const initialized = a.waitEvent('initialized');
    await a.ok('attach', { token: inspector.token });
    await initialized;

    // The inspector's breakpoint reaches the client.
    const fromGui = await a.waitEvent('breakpoint', (e) => e.body.reason === 'new');
    assert.equal(fromGui.body.breakpoint.line, parseLine);
    assert.equal(fromGui.body.breakpoint.verified, true);
    const guiId = fromGui.body.breakpoint.id;

    // The client adds its own breakpoint in the same file, sending the
    // file's whole list as VS Code does (it added the inspector's when told
    // of it): the inspector's keeps its id, and the inspector shows both.
    let mark = inspector.mark();
    const set = await a.ok('setBreakpoints', { source: { path: source(file) },
      breakpoints: [{ line: parseLine }, { line: deleteLine }] });
    assert.equal(set.body.breakpoints.length, 2);
    assert.equal(set.body.breakpoints[0].id, guiId);
    assert.equal(set.body.breakpoints[1].verified, true);
    await inspector.waitLine(new RegExp(`breakpoints: .*${file}:${parseLine}.*${file}:${deleteLine}|` +
      `breakpoints: .*${file}:${deleteLine}.*${file}:${parseLine}`), mark);

    // Attached to a program stopped on entry: the client hears of the stop.
    await a.ok('setExceptionBreakpoints', { filters: ['trap'] });
    const entry = a.waitEvent('stopped');
    await a.ok('configurationDone');
    assert.equal((await entry).body.reason, 'entry');
    await inspector.waitLine(/stopped \(entry\)/);

    // The client continues; the inspector's breakpoint stops both.
    mark = inspector.mark();
    let stopped = a.waitEvent('stopped');
    await a.ok('continue', { threadId: 1 });
    let event = await stopped;
    assert.equal(event.body.reason, 'breakpoint');
    assert.deepEqual(event.body.hitBreakpointIds, [guiId]);
    assert.equal(await a.topLine(), parseLine);
    await inspector.waitLine(new RegExp(`stopped \\(breakpoint\\) in parse_request at ${file}:${parseLine}`), mark);

    // The client removes the inspector's breakpoint (it knows it now).
    mark = inspector.mark();
    await a.ok('setBreakpoints', { source: { path: source(file) }, breakpoints: [{ line: deleteLine }] });
    await inspector.waitLine(new RegExp(`breakpoints: ${file}:${deleteLine}\\n`), mark);

    // The next stop is at the client's breakpoint, in both.
    mark = inspector.mark();
    stopped = a.waitEvent('stopped');
    await a.ok('continue', { threadId: 1 });
    event = await stopped;
    assert.equal(event.body.reason, 'breakpoint');
    assert.equal(await a.topLine(), deleteLine);
    await inspector.waitLine(new RegExp(`stopped \\(breakpoint\\) in delete_user at ${file}:${deleteLine}`), mark);

    // Ending the run from the client ends the inspector's too.
    const terminated = a.waitEvent('terminated');
    await a.ok('terminate', {});
    await terminated;
  } catch (e) {
    // A failed check must not leave the inspector waiting for the client.
    await a.close().catch(() => {});
    inspector.process.kill();
    throw e;
  }
  await a.close();
  let timer;
  const code = await Promise.race([exited, new Promise((r) => { timer = setTimeout(() => r('timeout'), 20000); })]);
  clearTimeout(timer);
  if (code === 'timeout') inspector.process.kill();
  assert.equal(code, 0, inspector.text());
  assert.match(inspector.text(), /exited with status 137/);
});
