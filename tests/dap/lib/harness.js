// Test harness for the DAP suite: starts `wasmscope dap` under
// @vscode/debugadapter-testsupport's DebugClient, validates EVERY message
// the adapter sends against the DAP JSON schema (read in place from
// $DAP_SCHEMA, never copied), checks that `seq` counts up from 1, and keeps
// events in a buffer so that a test can wait for an event that has already
// arrived.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const net = require('node:net');
const { spawn } = require('node:child_process');
const assert = require('node:assert/strict');
const { DebugClient } = require('@vscode/debugadapter-testsupport');
const Ajv = require('ajv-draft-04');

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set (run the suite through ctest or run_suite.sh)`);
  return value;
};

const WASMSCOPE = env('WASMSCOPE_BIN');
const SAMPLES = env('WASMSCOPE_SAMPLES_DIR');
const SAMPLES_SRC = env('WASMSCOPE_SAMPLES_SRC');
const SCHEMA_PATH = env('DAP_SCHEMA');

// ------------------------------------------------------------ the schema --

const ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false });
// Documentation-only keywords of the DAP schema.
ajv.addKeyword('_enum');
ajv.addKeyword('enumDescriptions');
const intIn = (lo, hi) => ({ type: 'number', validate: (x) => Number.isInteger(x) && x >= lo && x <= hi });
ajv.addFormat('int32', intIn(-(2 ** 31), 2 ** 31 - 1));
ajv.addFormat('uint32', intIn(0, 2 ** 32 - 1));
ajv.addFormat('int64', intIn(-Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER));
ajv.addFormat('uint64', intIn(0, Number.MAX_SAFE_INTEGER));
const schema = JSON.parse(fs.readFileSync(SCHEMA_PATH, 'utf8'));
delete schema.$schema; // ajv-draft-04 knows it is draft-04.
ajv.addSchema(schema, 'dap');
const definitions = new Set(Object.keys(schema.definitions));
const validators = new Map();
function validatorFor(name) {
  if (!validators.has(name)) validators.set(name, ajv.getSchema(`dap#/definitions/${name}`));
  return validators.get(name);
}
const capitalize = (s) => s.charAt(0).toUpperCase() + s.slice(1);

/// The definition a message must satisfy: XResponse for a successful
/// response to X, ErrorResponse for a failed one, XEvent for event X.
function definitionFor(message) {
  if (message.type === 'response') {
    if (message.success === false) return 'ErrorResponse';
    const name = `${capitalize(String(message.command))}Response`;
    return definitions.has(name) ? name : 'Response';
  }
  if (message.type === 'event') {
    const name = `${capitalize(String(message.event))}Event`;
    return definitions.has(name) ? name : 'Event';
  }
  return null;
}

/// Schema violations of one raw message body ([] when valid).
function validateMessage(text) {
  let message;
  try {
    message = JSON.parse(text);
  } catch (e) {
    return [`not JSON: ${e.message}: ${text.slice(0, 200)}`];
  }
  const definition = definitionFor(message);
  if (!definition) return [`unexpected message type '${message.type}': ${text.slice(0, 200)}`];
  const validate = validatorFor(definition);
  if (validate(message)) return [];
  return validate.errors.map(
    (e) => `${definition}: ${e.instancePath || '(root)'} ${e.message} in ${text.slice(0, 300)}`);
}

// Totals for run_suite.sh's closing line.
const totals = { messages: 0, violations: 0 };
process.on('exit', () => {
  const file = process.env.DAP_SCHEMA_STATS;
  if (file) fs.appendFileSync(file, `${totals.messages} ${totals.violations}\n`);
});

// ------------------------------------------------------------- the client --

class Adapter {
  constructor() {
    this.messages = []; // every message from the adapter, parsed, in order
    this.violations = [];
    this.pending = []; // events not yet consumed by waitEvent
    this.waiters = [];
    this.nextSeq = 1;
  }

  /// Starts `wasmscope dap` over stdio, or connects to a server at `port`
  /// (a TCP port on 127.0.0.1, or a Unix socket's path).
  static async start({ port } = {}) {
    const adapter = new Adapter();
    const dc = new DebugClient(WASMSCOPE, 'dap', 'wasmscope');
    dc.defaultTimeout = 20000;
    const dispatch = dc.dispatch.bind(dc);
    dc.dispatch = (body) => {
      adapter.observe(body);
      dispatch(body);
    };
    adapter.dc = dc;
    if (typeof port === 'string') {
      await new Promise((resolve, reject) => {
        dc._socket = net.createConnection(port, () => {
          dc.connect(dc._socket, dc._socket);
          resolve();
        });
        dc._socket.once('error', reject);
      });
    } else {
      await dc.start(port);
    }
    return adapter;
  }

  observe(body) {
    totals.messages++;
    const problems = validateMessage(body);
    let message = null;
    try {
      message = JSON.parse(body);
    } catch {}
    if (message && message.seq !== this.nextSeq)
      problems.push(`seq ${message.seq} where ${this.nextSeq} was expected`);
    if (message && Number.isInteger(message.seq)) this.nextSeq = message.seq + 1;
    totals.violations += problems.length;
    this.violations.push(...problems);
    if (!message) return;
    this.messages.push(message);
    if (message.type === 'event') {
      this.pending.push(message);
      this.wake();
    }
  }

  wake() {
    for (const waiter of [...this.waiters]) {
      const index = this.pending.findIndex(waiter.match);
      if (index >= 0) {
        const [event] = this.pending.splice(index, 1);
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        clearTimeout(waiter.timer);
        waiter.resolve(event);
      }
    }
  }

  /// The next (unconsumed) event named `name` that satisfies `predicate`.
  waitEvent(name, predicate = () => true, timeoutMs = 20000) {
    const match = (e) => e.event === name && predicate(e);
    return new Promise((resolve, reject) => {
      const waiter = { match, resolve };
      waiter.timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        reject(new Error(`no '${name}' event within ${timeoutMs} ms; events so far: ` +
          this.messages.filter((m) => m.type === 'event').map((m) => m.event).join(', ')));
      }, timeoutMs);
      this.waiters.push(waiter);
      this.wake();
    });
  }

  /// Sends a request and resolves with its response, successful or not.
  request(command, args) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no response to '${command}'`)), 20000);
      timer.unref();
      this.dc.doSend(command, args, (response) => {
        clearTimeout(timer);
        resolve(response);
      });
    });
  }

  /// Like request(), but the response must be successful.
  async ok(command, args) {
    const response = await this.request(command, args);
    assert.equal(response.success, true, `${command} failed: ${response.message}`);
    return response;
  }

  /// Writes raw bytes to the adapter (for malformed-input tests).
  writeRaw(bytes) {
    this.dc.outputStream.write(bytes);
  }

  /// initialize, launch, breakpoints, configurationDone.
  async launch(launchArgs, { breakpoints = {}, functionBreakpoints, exceptionFilters = ['trap'] } = {}) {
    const init = await this.ok('initialize', {
      adapterID: 'wasmscope', clientID: 'dap-suite', linesStartAt1: true, columnsStartAt1: true,
      pathFormat: 'path', supportsMemoryReferences: true, supportsVariableType: true,
    });
    this.capabilities = init.body;
    const initialized = this.waitEvent('initialized');
    await this.ok('launch', launchArgs);
    await initialized;
    const results = {};
    for (const [file, list] of Object.entries(breakpoints)) {
      const response = await this.ok('setBreakpoints', {
        source: { path: file },
        breakpoints: list.map((b) => (typeof b === 'number' ? { line: b } : b)),
      });
      results[file] = response.body.breakpoints;
    }
    if (functionBreakpoints)
      results.functions = (await this.ok('setFunctionBreakpoints', { breakpoints: functionBreakpoints }))
        .body.breakpoints;
    await this.ok('setExceptionBreakpoints', { filters: exceptionFilters });
    await this.ok('configurationDone');
    return results;
  }

  /// Waits for `stopped` and returns {event, frames}.
  async stopped(reason) {
    const event = await this.waitEvent('stopped');
    if (reason) assert.equal(event.body.reason, reason, `stopped: ${JSON.stringify(event.body)}`);
    const trace = await this.ok('stackTrace', { threadId: event.body.threadId, startFrame: 0, levels: 20 });
    return { event, frames: trace.body.stackFrames };
  }

  /// The top frame's line after a stop.
  async topLine() {
    const trace = await this.ok('stackTrace', { threadId: 1, levels: 1 });
    return trace.body.stackFrames[0].line;
  }

  /// Runs a step request and returns the frames where it stopped.
  async step(command, args = {}) {
    const stopped = this.waitEvent('stopped');
    await this.ok(command, { threadId: 1, ...args });
    const event = await stopped;
    assert.equal(event.body.reason, 'step', `after ${command}: ${JSON.stringify(event.body)}`);
    const trace = await this.ok('stackTrace', { threadId: 1, levels: 20 });
    return trace.body.stackFrames;
  }

  /// Children of a variables reference, by name.
  async children(reference, extra = {}) {
    const response = await this.ok('variables', { variablesReference: reference, ...extra });
    const byName = new Map();
    for (const v of response.body.variables) byName.set(v.name, v);
    return { list: response.body.variables, byName };
  }

  /// A frame's locals (the "Locals" scope) by name.
  async locals(frameId) {
    const scopes = await this.ok('scopes', { frameId });
    const locals = scopes.body.scopes.find((s) => s.presentationHint === 'locals') ?? scopes.body.scopes[0];
    return (await this.children(locals.variablesReference)).byName;
  }

  /// Everything the guest wrote in `category` so far.
  output(category) {
    return this.messages
      .filter((m) => m.type === 'event' && m.event === 'output' && m.body.category === category)
      .map((m) => m.body.output)
      .join('');
  }

  /// Disconnects, stops the adapter and asserts that no message broke the
  /// schema.
  async close() {
    try {
      await Promise.race([
        this.request('disconnect', {}).catch(() => {}),
        new Promise((r) => setTimeout(r, 5000).unref()),
      ]);
    } finally {
      this.dc.stopAdapter();
    }
    assert.deepEqual(this.violations, [], 'DAP schema violations');
    assert.ok(this.messages.length > 0, 'the adapter sent nothing');
  }
}

/// Runs `body(adapter)` against a fresh adapter and closes it (asserting no
/// schema violations) whatever happens.
async function withAdapter(body, options) {
  const adapter = await Adapter.start(options);
  let failure = null;
  try {
    await body(adapter);
  } catch (e) {
    failure = e;
  }
  try {
    await adapter.close();
  } catch (e) {
    failure = failure ?? e;
  }
  if (failure) throw failure;
}

/// `wasmscope dap --port 0` (or with `args` instead): resolves with {port,
/// token, process, stderr()} once it says it listens. A --socket server
/// resolves with {path, process, stderr()}.
function startServer(args = ['--port', '0']) {
  return new Promise((resolve, reject) => {
    const child = spawn(WASMSCOPE, ['dap', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let text = '';
    const stderr = () => text;
    let listening = false;
    child.stderr.on('data', (chunk) => {
      text += chunk;
      if (listening) return;
      const tcp = /DAP server listening on 127\.0\.0\.1:(\d+), token ([0-9a-f]{32})\n/.exec(text);
      const unix = /DAP server listening on (\/[^\n,]+)\n/.exec(text);
      if (tcp) resolve({ port: Number(tcp[1]), token: tcp[2], process: child, stderr });
      else if (unix) resolve({ path: unix[1], process: child, stderr });
      listening = Boolean(tcp || unix);
    });
    child.on('exit', (code) => {
      if (!listening) reject(new Error(`dap ${args.join(' ')} exited with ${code}: ${text}`));
    });
  });
}

/// Starts `wasmscope run ARGS` (with --debug-port or --debug-socket) with pipes for stdin, stdout and stderr;
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
        /// Sends a job (its number of rounds) to the `worker` sample.
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

/// A raw DAP connection to a server (no DebugClient): send requests and
/// read every message, for tests of what a client may not do.
class RawConnection {
  constructor(socket) {
    this.socket = socket;
    this.messages = [];
    this.closed = new Promise((resolve) => socket.on('close', resolve));
    this.buffer = Buffer.alloc(0);
    this.waiters = [];
    this.nextSeq = 1;
    socket.on('data', (chunk) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      for (;;) {
        const end = this.buffer.indexOf('\r\n\r\n');
        if (end < 0) break;
        const length = Number(/Content-Length: (\d+)/.exec(this.buffer.subarray(0, end).toString())[1]);
        if (this.buffer.length < end + 4 + length) break;
        this.messages.push(JSON.parse(this.buffer.subarray(end + 4, end + 4 + length).toString()));
        this.buffer = this.buffer.subarray(end + 4 + length);
      }
      for (const waiter of [...this.waiters]) waiter();
    });
  }

  static connect(target) {
    return new Promise((resolve, reject) => {
      const socket = typeof target === 'number' ? net.connect(target, '127.0.0.1') : net.connect(target);
      socket.once('connect', () => resolve(new RawConnection(socket)));
      socket.once('error', reject);
    });
  }

  send(command, args) {
    const seq = this.nextSeq++;
    const body = JSON.stringify({ seq, type: 'request', command, ...(args === undefined ? {} : { arguments: args }) });
    this.socket.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    return seq;
  }

  /// The first message matching `match`, waiting up to `timeoutMs`.
  waitFor(match, timeoutMs = 10000) {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.messages.find(match);
        if (!found) return false;
        this.waiters.splice(this.waiters.indexOf(check), 1);
        clearTimeout(timer);
        resolve(found);
        return true;
      };
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(check), 1);
        reject(new Error(`no matching message within ${timeoutMs} ms: ${JSON.stringify(this.messages)}`));
      }, timeoutMs);
      this.waiters.push(check);
      check();
    });
  }

  async request(command, args) {
    const seq = this.send(command, args);
    return this.waitFor((m) => m.type === 'response' && m.request_seq === seq);
  }

  close() {
    this.socket.destroy();
  }
}

const sample = (name, opt = 'O0') => path.join(SAMPLES, `${name}.${opt}.wasm`);
const source = (name) => path.join(SAMPLES_SRC, name);

/// The 1-based line of the first line of `file` containing `text`, so tests
/// name lines by their code; `nth` picks a later occurrence.
function lineOf(file, text, nth = 1) {
  const lines = fs.readFileSync(source(file), 'utf8').split('\n');
  let seen = 0;
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].includes(text) && ++seen === nth) return i + 1;
  }
  throw new Error(`'${text}' not found in ${file}`);
}

/// A guest built for the tests (tests/debugger/session/data/NAME.c).
const testGuest = (name) => path.join(env('WASMSCOPE_TEST_GUESTS'), `${name}.wasm`);

/// The programs built like real ones (tests/debugger/data/tinylua and
/// minisql), at -O0 or -O2, and their sources.
const REAL_SOURCES = path.resolve(__dirname, '..', '..', 'debugger', 'data');
const realGuest = (program, opt = 'O0') => testGuest(`${program}.${opt}`);
const realSource = (file) => path.join(REAL_SOURCES, file);
/// The 1-based line of `file` (under tests/debugger/data) holding `marker`.
function markerLine(file, marker) {
  const lines = fs.readFileSync(realSource(file), 'utf8').split('\n');
  const index = lines.findIndex((l) => l.includes(marker));
  if (index < 0) throw new Error(`'${marker}' not found in ${file}`);
  return index + 1;
}
/// A module of the symbols tests (tests/debugger/data, built in the build tree).
const symbolsModule = (name) => path.join(env('WASMSCOPE_SYMBOLS_DATA'), name);

module.exports = {
  Adapter, withAdapter, startServer, startRun, exitCode, RawConnection, sample, source, lineOf, testGuest, validateMessage, net,
  SAMPLES, WASMSCOPE, REAL_SOURCES, realGuest, realSource, markerLine, symbolsModule,
};
