// The wasmscope VS Code extension: it only tells VS Code how to start the
// debug adapter, `wasmscope dap` over stdio, using the `wasmscope.path`
// setting; everything else is the Debug Adapter Protocol. Plain JavaScript,
// no build step.
'use strict';

const vscode = require('vscode');

/// Starts `<wasmscope.path> dap [--log FILE]` for each debug session.
class WasmscopeAdapterFactory {
  createDebugAdapterDescriptor(session) {
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
/// open .wasm file) and refuses one without a program with a clear message.
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
    if (!config.program) {
      vscode.window.showErrorMessage(
        'wasmscope: set "program" in the launch configuration to the .wasm module to debug.');
      return undefined; // Aborts the launch.
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
