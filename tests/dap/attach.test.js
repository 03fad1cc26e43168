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
const { spawn } = require('node:child_process');
const { Adapter, RawConnection, sample, source, lineOf, WASMSCOPE } = require('./lib/harness');

const FILE = 'worker.c';
const REPORT_LINE = lineOf(FILE, 'report(&job); /* each job from stdin */');

/// Starts `wasmscope run ARGS` with pipes for stdin, stdout and stderr;
/// resolves once its DAP server listens, with {port, token} or {path}, the
/// process, its output so far (stdout(), stderr()), waitStdout(re) and
/// exited (a promise of the exit code).
function startRun(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(WASMSCOPE, ['run', ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const waiters = [];
    const check = () => {
      for (const w of [...waiters]) {
        const m = w.re.exec(out);
        if (m) {
          waiters.splice(waiters.indexOf(w), 1);
          clearTimeout(w.timer);
          w.resolve(m);
        }
      }
    };
    const exited = new Promise((r) => child.on('exit', (code, signal) => r(code ?? signal)));
    let listening = false;
    child.stdout.on('data', (chunk) => {
      out += chunk;
      check();
    });
    child.stderr.on('data', (chunk) => {
      err += chunk;
      if (listening) return;
      const tcp = /DAP server listening on 127\.0\.0\.1:(\d+), token ([0-9a-f]{32})\n/.exec(err);
      const unix = /DAP server listening on (\/[^\n,]+)\n/.exec(err);
      if (!tcp && !unix) return;
      listening = true;
      resolve({
        ...(tcp ? { port: Number(tcp[1]), token: tcp[2] } : { path: unix[1] }),
        process: child,
        exited,
        stdout: () => out,
        stderr: () => err,
        /// Sends a job (its number of rounds) to the worker.
        job: (rounds) => child.stdin.write(`${rounds}\n`),
        waitStdout: (re, timeoutMs = 20000) =>
          new Promise((res, rej) => {
            const w = { re, resolve: res };
            w.timer = setTimeout(() => {
              waiters.splice(waiters.indexOf(w), 1);
              rej(new Error(`the program never printed ${re}; it printed:\n${out}\nstderr:\n${err}`));
            }, timeoutMs);
            waiters.push(w);
            check();
          }),
      });
    });
    exited.then((code) => {
      if (!listening) reject(new Error(`run ${args.join(' ')} exited with ${code}: ${err}`));
    });
  });
}

/// Waits for the process to exit (killing it after `timeoutMs`).
async function exitCode(run, timeoutMs = 20000) {
  let timer;
  const code = await Promise.race([run.exited,
    new Promise((r) => { timer = setTimeout(() => r('timeout'), timeoutMs); })]);
  clearTimeout(timer);
  if (code === 'timeout') run.process.kill('SIGKILL');
  return code;
}

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

test('pause a running guest on a Unix socket: the stack of the busy loop, then let it finish',
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
