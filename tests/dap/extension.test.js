// The VS Code extension (dap-server/vscode/): its manifest documents every
// launch attribute, the adapter accepts every one of them, and extension.js
// starts `<wasmscope.path> dap` or attaches to `wasmscope run --debug-port`
// (checked against a stub of the `vscode` module, since VS Code itself is
// not available to the tests).
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const Module = require('node:module');
const { Adapter, withAdapter, startRun, exitCode, sample, source, lineOf } = require('./lib/harness');

const EXTENSION = path.join(__dirname, '..', '..', 'dap-server', 'vscode');
const manifest = JSON.parse(fs.readFileSync(path.join(EXTENSION, 'package.json'), 'utf8'));
const debuggerContribution = manifest.contributes.debuggers[0];
const launchAttributes = debuggerContribution.configurationAttributes.launch;

test('the manifest declares the wasmscope debugger with documented attributes', () => {
  assert.equal(manifest.name, 'wasmscope');
  assert.equal(manifest.main, './extension.js');
  assert.equal(debuggerContribution.type, 'wasmscope');
  assert.ok(debuggerContribution.label);
  assert.equal(debuggerContribution.runtime, 'wasmscope');
  assert.deepEqual(debuggerContribution.runtimeArgs, ['dap']);
  assert.deepEqual(launchAttributes.required, ['program']);
  for (const name of ['program', 'args', 'env', 'cwd', 'dirs', 'stopOnEntry', 'fuel', 'maxMemory',
    'maxCallDepth', 'timeout', 'deterministic', 'stdin', 'sourceMap']) {
    const attribute = launchAttributes.properties[name];
    assert.ok(attribute, `missing attribute ${name}`);
    assert.ok(attribute.description && attribute.description.length > 20, `${name} needs a description`);
  }
  assert.equal(debuggerContribution.initialConfigurations[0].type, 'wasmscope');
  assert.ok(debuggerContribution.configurationSnippets.length >= 2);
  assert.equal(manifest.contributes.configuration.properties['wasmscope.path'].default, 'wasmscope');
  for (const file of ['README.md', 'CHANGELOG.md', 'LICENSE', 'extension.js'])
    assert.ok(fs.existsSync(path.join(EXTENSION, file)), `${file} is needed by vsce`);
});

test('the adapter accepts every launch attribute the manifest declares', { timeout: 60000 }, () =>
  withAdapter(async (a) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dap-attrs-'));
    try {
      fs.writeFileSync(path.join(dir, 'input.txt'), 'some input\n');
      const config = {
        program: sample('hello'),
        args: ['x'],
        env: { GREETING: 'attributes', DROPPED: null },
        cwd: dir,
        dirs: [`${dir}::/sandbox`, { host: dir, guest: '/again' }],
        stopOnEntry: true,
        fuel: 1000000000,
        maxMemory: '256MiB',
        maxCallDepth: 100000,
        timeout: '5m',
        deterministic: true,
        stdin: 'input.txt',
        sourceMap: [['/ci/build', dir]],
      };
      // What the extension uses to reach a running server; the adapter
      // started over stdio ignores them (stdio needs no token).
      const connection = { port: 4711, socket: '/tmp/none.sock', token: 'ignored', tokenFile: '/tmp/none' };
      assert.deepEqual([...Object.keys(config), ...Object.keys(connection)].sort(),
        Object.keys(launchAttributes.properties).sort());
      Object.assign(config, { token: 'ignored over stdio' });
      await a.launch(config);
      await a.stopped('entry');
      await a.ok('continue', { threadId: 1 });
      assert.equal((await a.waitEvent('exited')).body.exitCode, 0);
      assert.match(a.output('stdout'), /GREETING = "attributes"/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }));

/// Loads extension.js against a stub `vscode` module.
function loadExtension(settings, activeFile) {
  const registered = {};
  const messages = [];
  class DebugAdapterExecutable {
    constructor(command, args, options) {
      Object.assign(this, { command, args, options });
    }
  }
  class DebugAdapterServer {
    constructor(port, host) {
      Object.assign(this, { port, host });
    }
  }
  class DebugAdapterNamedPipeServer {
    constructor(path) {
      Object.assign(this, { path });
    }
  }
  const stub = {
    DebugAdapterExecutable,
    DebugAdapterServer,
    DebugAdapterNamedPipeServer,
    debug: {
      registerDebugAdapterDescriptorFactory: (type, factory) => ((registered.factory = { type, factory }), { dispose() {} }),
      registerDebugConfigurationProvider: (type, provider) => ((registered.provider = { type, provider }), { dispose() {} }),
    },
    workspace: { getConfiguration: (section) => ({ get: (key) => settings[`${section}.${key}`] }) },
    window: {
      activeTextEditor: activeFile ? { document: { uri: { scheme: 'file', fsPath: activeFile } } } : undefined,
      showErrorMessage: (text) => messages.push(text),
    },
  };
  const load = Module._load;
  Module._load = function (request, ...rest) {
    return request === 'vscode' ? stub : load.call(this, request, ...rest);
  };
  try {
    const file = require.resolve(path.join(EXTENSION, 'extension.js'));
    delete require.cache[file];
    const extension = require(file);
    extension.activate({ subscriptions: [] });
  } finally {
    Module._load = load;
  }
  return { registered, messages };
}

test('extension.js launches the configured wasmscope as `wasmscope dap`', () => {
  let { registered } = loadExtension({ 'wasmscope.path': '/opt/ws/wasmscope', 'wasmscope.logFile': '/tmp/dap.log' });
  assert.equal(registered.factory.type, 'wasmscope');
  const folder = { uri: { fsPath: '/work/project' } };
  const executable = registered.factory.factory.createDebugAdapterDescriptor({ workspaceFolder: folder });
  assert.equal(executable.command, '/opt/ws/wasmscope');
  assert.deepEqual(executable.args, ['dap', '--log', '/tmp/dap.log']);
  assert.equal(executable.options.cwd, '/work/project');

  ({ registered } = loadExtension({}));
  const plain = registered.factory.factory.createDebugAdapterDescriptor({});
  assert.equal(plain.command, 'wasmscope');
  assert.deepEqual(plain.args, ['dap']);
});

test('F5 without launch.json debugs the open .wasm file; no program is refused', () => {
  let { registered, messages } = loadExtension({}, '/work/project/build/app.wasm');
  const config = registered.provider.provider.resolveDebugConfiguration(undefined, {});
  assert.equal(config.type, 'wasmscope');
  assert.equal(config.request, 'launch');
  assert.equal(config.program, '/work/project/build/app.wasm');
  ({ registered, messages } = loadExtension({}, '/work/project/main.c'));
  assert.equal(registered.provider.provider.resolveDebugConfiguration(undefined, {}), undefined);
  assert.match(messages[0], /program/);
});

test('a configuration with `port` or `socket` connects to a running server with its token', () => {
  const { registered, messages } = loadExtension({});
  const factory = registered.factory.factory;
  const server = factory.createDebugAdapterDescriptor({ configuration: { port: 4711 } });
  assert.deepEqual({ ...server }, { port: 4711, host: '127.0.0.1' });
  const pipe = factory.createDebugAdapterDescriptor({ configuration: { socket: '/run/user/1/dap.sock' } });
  assert.deepEqual({ ...pipe }, { path: '/run/user/1/dap.sock' });

  const provider = registered.provider.provider;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dap-token-'));
  try {
    const tokenFile = path.join(dir, 'token');
    fs.writeFileSync(tokenFile, '0123456789abcdef0123456789abcdef\n');
    const config = provider.resolveDebugConfigurationWithSubstitutedVariables(undefined,
      { type: 'wasmscope', request: 'launch', program: 'a.wasm', port: 4711, tokenFile });
    assert.equal(config.token, '0123456789abcdef0123456789abcdef');
    // A port without a token cannot work: refused with a message saying why.
    assert.equal(provider.resolveDebugConfigurationWithSubstitutedVariables(undefined,
      { type: 'wasmscope', request: 'launch', program: 'a.wasm', port: 4711 }), undefined);
    assert.match(messages.pop(), /needs its token/);
    assert.equal(provider.resolveDebugConfigurationWithSubstitutedVariables(undefined,
      { type: 'wasmscope', request: 'launch', program: 'a.wasm', port: 4711, tokenFile: path.join(dir, 'none') }),
    undefined);
    assert.match(messages.pop(), /cannot read the token file/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('an `attach` configuration joins a running program by port or socket, without a program', () => {
  const { registered, messages } = loadExtension({});
  const provider = registered.provider.provider;
  const config = provider.resolveDebugConfiguration(undefined,
    { type: 'wasmscope', request: 'attach', name: 'inspector', port: 4711, token: 'x' });
  assert.equal(config.port, 4711);
  assert.equal(config.program, undefined);
  const bySocket = provider.resolveDebugConfiguration(undefined,
    { type: 'wasmscope', request: 'attach', name: 'run', socket: '/tmp/debug.sock' });
  assert.equal(provider.resolveDebugConfigurationWithSubstitutedVariables(undefined, bySocket), bySocket,
    'a socket needs no token');
  // Without a port or a socket there is nothing to attach to.
  assert.equal(provider.resolveDebugConfiguration(undefined,
    { type: 'wasmscope', request: 'attach', name: 'inspector' }), undefined);
  assert.match(messages.pop(), /needs "port".*or "socket"/);
  const attach = debuggerContribution.configurationAttributes.attach;
  assert.equal(attach.required, undefined);
  for (const name of ['port', 'socket', 'token', 'tokenFile'])
    assert.ok(attach.properties[name].description.length > 20, name);
  assert.match(attach.properties.port.description, /wasmscope run --debug-port/);
  const snippets = debuggerContribution.configurationSnippets.filter((s) => s.body.request === 'attach');
  assert.deepEqual(snippets.map((s) => Object.keys(s.body).filter((k) => ['port', 'socket', 'tokenFile'].includes(k))),
    [['port', 'tokenFile'], ['socket'], ['port', 'tokenFile']]);
});

test('the extension attaches to `wasmscope run --debug-port` with the token from its file', { timeout: 60000 }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dap-ext-attach-'));
  const tokenFile = path.join(dir, 'token');
  const run = await startRun(['--debug-port', '0', '--token-file', tokenFile, sample('worker'), '-']);
  let a = null;
  try {
    assert.equal(fs.statSync(tokenFile).mode & 0o777, 0o600);
    // What VS Code does with the attach snippet, through extension.js.
    const { registered } = loadExtension({});
    const provider = registered.provider.provider;
    let config = { type: 'wasmscope', request: 'attach', name: 'Attach to worker', port: run.port, tokenFile };
    config = provider.resolveDebugConfiguration(undefined, config);
    config = provider.resolveDebugConfigurationWithSubstitutedVariables(undefined, config);
    assert.equal(config.token, run.token);
    const descriptor = registered.factory.factory.createDebugAdapterDescriptor({ configuration: config });
    assert.deepEqual({ ...descriptor }, { port: run.port, host: '127.0.0.1' });

    a = await Adapter.start({ port: descriptor.port });
    await a.ok('initialize', { adapterID: 'wasmscope', clientID: 'vscode', linesStartAt1: true,
      columnsStartAt1: true, pathFormat: 'path' });
    const initialized = a.waitEvent('initialized');
    await a.ok('attach', config);
    await initialized;
    const line = lineOf('worker.c', 'report(&job); /* each job from stdin */');
    await a.ok('setBreakpoints', { source: { path: source('worker.c') }, breakpoints: [{ line }] });
    await a.ok('configurationDone');
    run.job(10);
    const { frames } = await a.stopped('breakpoint');
    assert.equal(frames[0].line, line);
    // The program ends while attached: the client hears of it, with the
    // program's status, as a launched session's would.
    await a.ok('continue', { threadId: 1 });
    await run.waitStdout(/^job 1: 10 rounds/m);
    const exited = a.waitEvent('exited');
    run.process.stdin.end();
    assert.equal((await exited).body.exitCode, 0);
    await a.waitEvent('terminated');
    a.dc.stopAdapter();
    assert.deepEqual(a.violations, []);
    a = null;
    assert.equal(await exitCode(run), 0, run.stderr());
  } finally {
    if (a) a.dc.stopAdapter();
    run.process.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
