// `wasmscope run --debug-port` / `--debug-socket`: a program that runs at
// full speed in its own process, with its own stdout and exit status, and a
// DAP client that attaches to it while it runs (VS Code's "attach"
// configuration), sets breakpoints that take effect in the running guest,
// pauses it, and detaches again, leaving it to run to completion; a second
// client attaches later. The guest is the `worker` sample reading jobs from
// stdin, so the test decides when it works and when it ends.
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { Adapter, RawConnection, startRun, exitCode, sample, source, lineOf, WASMSCOPE } = require('./lib/harness');

const FILE = 'worker.c';
const REPORT_LINE = lineOf(FILE, 'report(&job); /* each job from stdin */');

/// initialize, attach (with the token), then what a client sends before
/// configurationDone: VS Code's order.
async function attach(a, args, breakpoints = []) {
  await a.ok('initialize', { adapterID: 'wasmscope', clientID: 'dap-suite', linesStartAt1: true,
    columnsStartAt1: true, pathFormat: 'path', supportsVariableType: true });
  const initialized = a.waitEvent('initialized');
  await a.ok('attach', { name: 'Attach', type: 'wasmscope', request: 'attach', ...args });
  await initialized;
  const set = await a.ok('setBreakpoints', { source: { path: source(FILE) },
    breakpoints: breakpoints.map((line) => ({ line })) });
  await a.ok('setExceptionBreakpoints', { filters: [] });
  await a.ok('configurationDone');
  return set.body.breakpoints;
}

/// After a disconnect the server has closed the connection: stop the
/// client without asking again, and check what it received.
function dropClient(a) {
  a.dc.stopAdapter();
  assert.deepEqual(a.violations, [], 'DAP schema violations');
}

/// The value of a C expression in a frame, as the debugger formats it.
async function value(a, expression, frameId) {
  return (await a.ok('evaluate', { expression, frameId, context: 'watch' })).body.result;
}

test('attach to a running program, stop at a breakpoint, detach, attach again; it runs to the end',
  { timeout: 90000 }, async () => {
    const run = await startRun(['--debug-port', '0', sample('worker'), '-']);
    let a = null;
    try {
      // The program works before anyone attaches.
      run.job(30);
      await run.waitStdout(/^job 1: 30 rounds, checksum [0-9a-f]{8}\n/m);

      a = await Adapter.start({ port: run.port });
      const placed = await attach(a, { port: run.port, token: run.token }, [REPORT_LINE]);
      assert.equal(placed[0].verified, true, JSON.stringify(placed));
      assert.equal(placed[0].line, REPORT_LINE);
      // Attaching stops nothing.
      await new Promise((r) => setTimeout(r, 200));
      assert.equal(a.messages.filter((m) => m.event === 'stopped').length, 0);

      // The breakpoint, set while the guest waited for work, stops the next job.
      run.job(40);
      const { event, frames } = await a.stopped('breakpoint');
      assert.deepEqual(event.body.hitBreakpointIds, [placed[0].id]);
      assert.deepEqual(frames.slice(0, 2).map((f) => [f.name, f.line]),
        [['serve_stdin', REPORT_LINE], ['main', lineOf(FILE, 'int done = serve_stdin();')]]);
      assert.equal(frames[0].source.path, source(FILE));
      const locals = await a.locals(frames[0].id);
      assert.equal(locals.get('done').value, '1');
      assert.equal(await value(a, 'job.id', frames[0].id), '2');
      assert.equal(await value(a, 'job.rounds', frames[0].id), '40');
      const checksum = Number(await value(a, 'job.checksum', frames[0].id)) >>> 0;
      // Stopped: the job's line is not printed yet.
      assert.doesNotMatch(run.stdout(), /job 2:/);

      await a.ok('continue', { threadId: 1 });
      const line2 = await run.waitStdout(/^job 2: 40 rounds, checksum ([0-9a-f]{8})\n/m);
      assert.equal(parseInt(line2[1], 16), checksum, 'the checksum the debugger showed is the one printed');
      // While attached, the client sees the output too.
      await a.waitEvent('output', (e) => e.body.category === 'stdout' && /job 2: 40 rounds/.test(e.body.output));

      // The breakpoint stays for the next job.
      run.job(50);
      const again = await a.stopped('breakpoint');
      assert.equal(await value(a, 'job.id', again.frames[0].id), '3');

      // Detach while stopped: the guest resumes, the breakpoint is gone.
      await a.ok('disconnect', { terminateDebuggee: false });
      dropClient(a);
      a = null;
      await run.waitStdout(/^job 3: 50 rounds/m);
      run.job(60);
      await run.waitStdout(/^job 4: 60 rounds/m);

      // A second client attaches later: the first one's breakpoint went
      // with it (the session reports none, and a job runs through)...
      a = await Adapter.start({ port: run.port });
      await attach(a, { token: run.token });
      run.job(70);
      await run.waitStdout(/^job 5: 70 rounds/m);
      assert.deepEqual(a.messages.filter((m) => m.event === 'stopped' || m.event === 'breakpoint'), []);
      // ... it sets its own, and detaches by dropping the connection, which
      // releases the guest too.
      await a.ok('setBreakpoints', { source: { path: source(FILE) }, breakpoints: [{ line: REPORT_LINE }] });
      run.job(80);
      const second = await a.stopped('breakpoint');
      assert.equal(await value(a, 'job.id', second.frames[0].id), '6');
      dropClient(a);
      a = null;
      await run.waitStdout(/^job 6: 80 rounds/m);

      // The end of input ends the worker: the process exits with its status
      // and all of its output.
      run.process.stdin.end();
      assert.equal(await exitCode(run), 0, run.stderr());
      assert.deepEqual(run.stdout().split('\n').filter(Boolean).map((l) => l.replace(/checksum .*/, '')),
        [30, 40, 50, 60, 70, 80].map((rounds, i) => `job ${i + 1}: ${rounds} rounds, `));
      assert.match(run.stderr(), /worker: 6 jobs from stdin\n/);
    } finally {
      if (a) a.dc.stopAdapter();
      run.process.kill('SIGKILL');
    }
  });

test('live breakpoints and pause in a busy guest on a Unix socket, then let it finish',
  { timeout: 90000 }, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dap-attach-'));
    const socket = path.join(dir, 'debug.sock');
    const run = await startRun(['--debug-socket', socket, sample('worker'), '-']);
    let a = null;
    try {
      assert.equal(run.path, socket);
      assert.equal(fs.statSync(socket).mode & 0o777, 0o600);
      // A job that would run for hours.
      run.job(100000000);
      a = await Adapter.start({ port: socket });
      await attach(a, {}); // A socket needs no token.
      await new Promise((r) => setTimeout(r, 100));
      // A breakpoint set in the loop the guest is busy in stops it there...
      const hot = lineOf(FILE, 'hash = mix(hash, buffer[i]); /* the hot loop */');
      await a.ok('setBreakpoints', { source: { path: source(FILE) }, breakpoints: [{ line: hot }] });
      const hit = await a.stopped('breakpoint');
      assert.deepEqual(hit.frames.slice(0, 3).map((f) => [f.name, f.line]),
        [['run_job', hot], ['serve_stdin', lineOf(FILE, 'run_job(&job);')], ['main', lineOf(FILE, 'int done = serve_stdin();')]]);
      // ... and, removed, stops it no more.
      await a.ok('setBreakpoints', { source: { path: source(FILE) }, breakpoints: [] });
      await a.ok('continue', { threadId: 1 });
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(a.messages.filter((m) => m.event === 'stopped').length, 1);
      const stopped = a.waitEvent('stopped');
      await a.ok('pause', { threadId: 1 });
      assert.equal((await stopped).body.reason, 'pause');
      const trace = await a.ok('stackTrace', { threadId: 1, levels: 20 });
      const names = trace.body.stackFrames.map((f) => f.name);
      // In the hot loop: mix() or run_job() itself, called from serve_stdin.
      const job = names.indexOf('run_job');
      assert.ok(job === 0 || (job === 1 && names[0] === 'mix'), names.join(' <- '));
      assert.deepEqual(names.slice(job + 1, job + 3), ['serve_stdin', 'main']);
      const frame = trace.body.stackFrames[job];
      assert.equal(frame.source.path, source(FILE));
      assert.equal(await value(a, 'job->rounds', frame.id), '100000000');
      const round = Number(await value(a, 'round', frame.id));
      assert.ok(round >= 0 && round < 100000000, String(round));
      // Cut the job short from the debug console, then detach.
      await a.ok('evaluate', { expression: 'job->rounds = round + 1', frameId: frame.id, context: 'repl' });
      await a.ok('disconnect', { terminateDebuggee: false });
      dropClient(a);
      a = null;
      await run.waitStdout(new RegExp(`^job 1: ${round + 1} rounds`, 'm'));
      run.process.stdin.end();
      assert.equal(await exitCode(run), 0, run.stderr());
      // The socket goes with the process.
      assert.equal(fs.existsSync(socket), false);
    } finally {
      if (a) a.dc.stopAdapter();
      run.process.kill('SIGKILL');
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

test('a wrong token is refused and the program runs on; terminateDebuggee ends it',
  { timeout: 60000 }, async () => {
    const run = await startRun(['--debug-port', '0', sample('worker'), '-']);
    let a = null;
    try {
      const raw = await RawConnection.connect(run.port);
      await raw.request('initialize', { adapterID: 'wasmscope' });
      const refused = await raw.request('attach', { token: '0'.repeat(32) });
      assert.equal(refused.success, false);
      assert.match(refused.message, /wrong token/);
      await raw.closed;
      // A request without a token is refused as well.
      const bare = await RawConnection.connect(run.port);
      await bare.request('initialize', { adapterID: 'wasmscope' });
      const bareRefused = await bare.request('attach', {});
      assert.equal(bareRefused.success, false);
      assert.match(bareRefused.message, /needs a token.*wasmscope run --debug-port/);
      await bare.closed;

      // With the token, `launch` is refused: the program runs already.
      const launcher = await RawConnection.connect(run.port);
      await launcher.request('initialize', { adapterID: 'wasmscope' });
      const launched = await launcher.request('launch', { program: sample('hello'), token: run.token });
      assert.equal(launched.success, false);
      assert.match(launched.message, /wasmscope run --debug-port.*attach to it/);
      launcher.close();

      run.job(20);
      await run.waitStdout(/^job 1: 20 rounds/m);
      // The right token still works, and terminateDebuggee ends the program.
      a = await Adapter.start({ port: run.port });
      await attach(a, { token: run.token });
      // (A client that disconnects hears nothing more: the exit status says
      // the guest was ended, as by SIGKILL.)
      await a.ok('disconnect', { terminateDebuggee: true });
      dropClient(a);
      a = null;
      assert.equal(await exitCode(run), 137);
    } finally {
      if (a) a.dc.stopAdapter();
      run.process.kill('SIGKILL');
    }
  });

test('--debug-wait holds the program until a client has set its breakpoints', { timeout: 60000 }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dap-attach-'));
  const socket = path.join(dir, 'debug.sock');
  const run = await startRun(['--debug-wait', '--debug-socket', socket, sample('worker'), '2', '30']);
  let a = null;
  try {
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(run.stdout(), '', 'nothing runs before a client attaches');
    assert.match(run.stderr(), /waiting for a client/);
    a = await Adapter.start({ port: socket });
    const line = lineOf(FILE, 'report(&job); /* each job from the command line */');
    await attach(a, {}, [line]);
    // The very first job stops: the breakpoint was in before _start ran.
    const { frames } = await a.stopped('breakpoint');
    assert.deepEqual([frames[0].name, frames[0].line], ['main', line]);
    assert.equal(await value(a, 'job.id', frames[0].id), '1');
    await a.ok('disconnect', {});
    dropClient(a);
    a = null;
    assert.equal(await exitCode(run), 0, run.stderr());
    assert.match(run.stdout(), /^job 1: 30 rounds.*\njob 2: 30 rounds.*\n$/);
  } finally {
    if (a) a.dc.stopAdapter();
    run.process.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('debug-server options that do not go together are usage errors', () => {
  const { spawnSync } = require('node:child_process');
  const cases = [
    [['--debug-port', '0', '--debug-socket', '/tmp/x.sock'], /--debug-port and --debug-socket exclude each other/],
    [['--token-file', '/tmp/t', '--debug-socket', '/tmp/x.sock'], /--token-file needs --debug-port/],
    [['--debug-wait'], /--debug-wait needs --debug-port or --debug-socket/],
    [['--debug-port', '0', '--gdb-port', '0'], /exclude each other/],
    [['--debug-port', '0', '--invoke', 'main'], /--invoke cannot be debugged/],
  ];
  for (const [args, message] of cases) {
    const r = spawnSync(WASMSCOPE, ['run', ...args, sample('worker'), '1', '1'], { encoding: 'utf8', timeout: 10000 });
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message);
    assert.match(r.stderr, /^wasmscope: error: /);
    assert.equal(r.stdout, '');
  }
});

test('with nobody attached it is a plain run: the same output, trap report and exit status', { timeout: 60000 }, () => {
  const { spawnSync } = require('node:child_process');
  const run = (args) => spawnSync(WASMSCOPE, ['run', ...args], { encoding: 'utf8', timeout: 30000 });
  for (const [module, args] of [['out_of_bounds', []], ['compute', ['0']], ['worker', ['3', '20']]]) {
    const plain = run([sample(module), ...args]);
    const served = run(['--debug-port', '0', sample(module), ...args]);
    const label = `${module} ${args.join(' ')}`;
    assert.equal(served.status, plain.status, label);
    assert.equal(served.stdout, plain.stdout, label);
    // stderr: the server's line, then what a plain run prints.
    assert.match(served.stderr, /^wasmscope: DAP server listening on 127\.0\.0\.1:\d+, token [0-9a-f]{32}\n/);
    assert.equal(served.stderr.replace(/^wasmscope: DAP server listening on .*\n/, ''), plain.stderr, label);
  }
  assert.equal(run([sample('out_of_bounds')]).status, 134);
});
