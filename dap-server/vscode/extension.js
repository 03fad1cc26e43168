// The wasmscope VS Code extension: it only tells VS Code how to reach the
// debug adapter; everything else is the Debug Adapter Protocol. By default
// it starts `wasmscope dap` over stdio, using the `wasmscope.path` setting.
// A launch configuration with `port` connects to a `wasmscope dap --port N`
// already running instead (its token, from `token` or `tokenFile`, goes in
// the launch arguments), and one with `socket` to `wasmscope dap --socket
// PATH`. An `attach` configuration joins a program already running: one
// started with `wasmscope run --debug-port N` (`port` and the token) or
// `--debug-socket PATH` (`socket`), or the desktop inspector's program,
// `wasmscope inspect --dap-port N`.
// Plain JavaScript, no build step.
'use strict';

const fs = require('fs');
const vscode = require('vscode');

/// Starts `<wasmscope.path> dap [--log FILE]` for each debug session, or
/// connects to a running server when the configuration names one.
class WasmscopeAdapterFactory {
  createDebugAdapterDescriptor(session) {
    const config = session.configuration || {};
    if (config.socket) return new vscode.DebugAdapterNamedPipeServer(config.socket);
    if (config.port) return new vscode.DebugAdapterServer(Number(config.port), '127.0.0.1');
    const settings = vscode.workspace.getConfiguration('wasmscope', session.workspaceFolder);
    const command = (settings.get('path') || 'wasmscope').trim();
    const args = ['dap'];
    const logFile = (settings.get('logFile') || '').trim();
    if (logFile) args.push('--log', logFile);
    const options = session.workspaceFolder ? { cwd: session.workspaceFolder.uri.fsPath } : undefined;
    return new vscode.DebugAdapterExecutable(command, args, options);
  }
}

/// Fills in a launch configuration when there is no launch.json (F5 on an
/// open .wasm file), refuses one without a program with a clear message,
/// and reads a server's token from `tokenFile`.
class WasmscopeConfigurationProvider {
  resolveDebugConfiguration(folder, config) {
    if (!config.type && !config.request && !config.name) {
      const editor = vscode.window.activeTextEditor;
      const file = editor && editor.document.uri.scheme === 'file' ? editor.document.uri.fsPath : '';
      if (file.endsWith('.wasm')) {
        config.type = 'wasmscope';
        config.request = 'launch';
        config.name = 'Debug WebAssembly module';
        config.program = file;
      }
    }
    if (config.request === 'attach') {
      if (!config.port && !config.socket) {
        vscode.window.showErrorMessage(
          'wasmscope: an "attach" configuration needs "port" (of `wasmscope run --debug-port N` or ' +
          '`wasmscope inspect --dap-port N`) or "socket" (of `wasmscope run --debug-socket PATH`).');
        return undefined;
      }
      return config;
    }
    if (!config.program) {
      vscode.window.showErrorMessage(
        'wasmscope: set "program" in the launch configuration to the .wasm module to debug.');
      return undefined; // Aborts the launch.
    }
    return config;
  }

  // After ${workspaceFolder} and friends are substituted, so that tokenFile
  // may use them.
  resolveDebugConfigurationWithSubstitutedVariables(folder, config) {
    if (config.tokenFile && !config.token) {
      try {
        config.token = fs.readFileSync(config.tokenFile, 'utf8').trim();
      } catch (e) {
        vscode.window.showErrorMessage(`wasmscope: cannot read the token file "${config.tokenFile}": ${e.message}`);
        return undefined;
      }
    }
    if (config.port && !config.token) {
      vscode.window.showErrorMessage(
        'wasmscope: "port" connects to `wasmscope dap --port`, `wasmscope run --debug-port` or ' +
        '`wasmscope inspect --dap-port`, which ' +
        'needs its token: set "token" to the one it printed, or start it with --token-file FILE and set "tokenFile".');
      return undefined;
    }
    return config;
  }
}

function activate(context) {
  context.subscriptions.push(
    vscode.debug.registerDebugAdapterDescriptorFactory('wasmscope', new WasmscopeAdapterFactory()),
    vscode.debug.registerDebugConfigurationProvider('wasmscope', new WasmscopeConfigurationProvider()));
}

function deactivate() {}

module.exports = { activate, deactivate, WasmscopeAdapterFactory, WasmscopeConfigurationProvider };
