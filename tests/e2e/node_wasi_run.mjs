// Runs a WASI preview1 command module under node's `node:wasi`, as the
// reference for the differential test (differential.sh). It takes the same
// options as `wasmscope run`, prints nothing of its own, and exits with the
// guest's exit status.
//
//   node node_wasi_run.mjs [--main-thread] [--dir HOST[::GUEST]]...
//                          [--env NAME=VALUE]... MODULE [ARGS...]
//
// The guest's argv is MODULE (as given) followed by ARGS; its environment is
// exactly the --env pairs; each --dir preopens HOST under the name GUEST
// (HOST itself when GUEST is omitted); stdio is the process's own fds 0-2.
//
// The guest runs in a worker thread with a 256 MiB stack: on the main thread
// V8 stops at about 1 MB of stack (some 9000 frames of -O0 code), far short
// of the 100000 nested calls wasmscope allows by default. A trap (or any
// other error) is printed to stderr as node prints an uncaught exception,
// as a JS stack trace, and the exit status is 1. --main-thread skips the
// worker, for measuring start-up.
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';

const kStackSizeMb = 256;

function usage(message) {
  process.stderr.write(`node_wasi_run: ${message}\n` +
    'usage: node node_wasi_run.mjs [--dir HOST[::GUEST]]... [--env NAME=VALUE]... MODULE [ARGS...]\n');
  process.exit(2);
}

function parseCommandLine(argv) {
  const options = { preopens: {}, env: {}, module: null, args: [] };
  let i = 0;
  for (; i < argv.length; ++i) {
    const arg = argv[i];
    const takeValue = (name) => {
      const eq = arg.indexOf('=');
      if (arg.startsWith(name + '=')) return arg.slice(eq + 1);
      if (i + 1 >= argv.length) usage(`${name} needs a value`);
      return argv[++i];
    };
    if (arg === '--') { ++i; break; }
    if (arg === '--main-thread') {
      options.mainThread = true;
    } else if (arg === '--dir' || arg.startsWith('--dir=')) {
      const spec = takeValue('--dir');
      const sep = spec.indexOf('::');
      const host = sep < 0 ? spec : spec.slice(0, sep);
      const guest = sep < 0 ? spec : spec.slice(sep + 2);
      options.preopens[guest] = host;
    } else if (arg === '--env' || arg.startsWith('--env=')) {
      const pair = takeValue('--env');
      const eq = pair.indexOf('=');
      if (eq <= 0) usage(`--env expects NAME=VALUE, got '${pair}'`);
      options.env[pair.slice(0, eq)] = pair.slice(eq + 1);
    } else if (arg.startsWith('-') && arg !== '-') {
      usage(`unknown option '${arg}'`);
    } else {
      break;
    }
  }
  if (i >= argv.length) usage('no module given');
  options.module = argv[i];
  options.args = argv.slice(i + 1);
  return options;
}

async function runGuest(options) {
  // Loaded here so that the worker, not the parent, owns the WASI instance.
  const { WASI } = await import('node:wasi');
  const { readFile } = await import('node:fs/promises');
  const wasi = new WASI({
    version: 'preview1',
    args: [options.module, ...options.args],
    env: options.env,
    preopens: options.preopens,
    returnOnExit: true,
  });
  const bytes = await readFile(options.module);
  const { instance } = await WebAssembly.instantiate(bytes, wasi.getImportObject());
  return wasi.start(instance);
}

if (isMainThread) {
  // node:wasi is experimental in node 20 and says so on stderr, which is the
  // guest's stream here: keep that one warning out of it.
  const emitWarning = process.emitWarning;
  process.emitWarning = (warning, ...rest) => {
    const text = typeof warning === 'string' ? warning : warning?.message ?? '';
    if (/WASI is an experimental feature/.test(text)) return;
    emitWarning.call(process, warning, ...rest);
  };
  const options = parseCommandLine(process.argv.slice(2));
  if (options.mainThread) {
    // Start-up measurements: no worker, V8's default stack.
    process.exitCode = await runGuest(options);
  } else {
    const worker = new Worker(new URL(import.meta.url), {
      workerData: options,
      resourceLimits: { stackSizeMb: kStackSizeMb },
      stdout: false,
      stderr: false,
      execArgv: [...process.execArgv, '--no-warnings'],
    });
    let status = 1;
    worker.on('message', (code) => { status = code; });
    worker.on('error', (error) => {
      process.stderr.write(`${error && error.stack ? error.stack : error}\n`);
      status = 1;
    });
    worker.on('exit', () => { process.exitCode = status; });
  }
} else {
  parentPort.postMessage(await runGuest(workerData));
}
