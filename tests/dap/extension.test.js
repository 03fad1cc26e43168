// The VS Code extension (dap-server/vscode/): its manifest documents every
// launch attribute, the adapter accepts every one of them, and extension.js
// starts `<wasmscope.path> dap` (checked against a stub of the `vscode`
// module, since VS Code itself is not available to the tests).
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const Module = require('node:module');
const { withAdapter, sample } = require('./lib/harness');

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

test('an `attach` configuration joins `wasmscope inspect --dap-port` without a program', () => {
  const { registered, messages } = loadExtension({});
  const provider = registered.provider.provider;
  const config = provider.resolveDebugConfiguration(undefined,
    { type: 'wasmscope', request: 'attach', name: 'inspector', port: 4711, token: 'x' });
  assert.equal(config.port, 4711);
  assert.equal(config.program, undefined);
  // Without a port there is nothing to attach to.
  assert.equal(provider.resolveDebugConfiguration(undefined,
    { type: 'wasmscope', request: 'attach', name: 'inspector' }), undefined);
  assert.match(messages.pop(), /needs "port"/);
  const attach = debuggerContribution.configurationAttributes.attach;
  assert.deepEqual(attach.required, ['port']);
  for (const name of ['port', 'token', 'tokenFile'])
    assert.ok(attach.properties[name].description, name);
});
