"""A real LLDB (liblldb through its Python SB API, python3-lldb-22) against
wasmscope's gdb-remote stub.

Each LldbSession starts `wasmscope run --gdb-port 0 MODULE ARGS...`, reads
the port it printed, and connects LLDB's WebAssembly plug-in to it
(`process connect --plugin wasm`). Helpers set breakpoints, run to stops and
read frames and values through SBThread, SBFrame and SBValue, so the tests
assert on what LLDB itself shows a user.

Environment (set by ctest, see CMakeLists.txt):
  WASMSCOPE            the wasmscope binary
  WASMSCOPE_SAMPLES    build/samples, with NAME.O0.wasm and NAME.O2.wasm
  LLDB_PYTHON_PATH     where python3-lldb-22 installs the lldb module
  LLDB_TEST_OPT        O0 or O2: which build of each sample the tests use
"""

import os
import re
import subprocess
import sys
import tempfile
import threading
import time
import unittest

sys.path.insert(0, os.environ.get("LLDB_PYTHON_PATH", "/usr/lib/llvm-22/lib/python3.11/site-packages"))
import lldb  # noqa: E402

WASMSCOPE = os.environ.get("WASMSCOPE", "")
SAMPLES = os.environ.get("WASMSCOPE_SAMPLES", "")
OPT = os.environ.get("LLDB_TEST_OPT", "O0")

# How long any one stop may take to arrive (the slowest is a continue through
# a whole sample on a loaded machine).
STOP_TIMEOUT = 120.0

lldb.SBDebugger.Initialize()


def sample(name, opt=None):
    return os.path.join(SAMPLES, "%s.%s.wasm" % (name, opt or OPT))


class Stub:
    """`wasmscope run --gdb-port 0` (or --gdb-socket) as a child process."""

    def __init__(self, module, args=(), options=(), socket_path=None):
        endpoint = ["--gdb-socket", socket_path] if socket_path else ["--gdb-port", "0"]
        self.command = [WASMSCOPE, "run"] + endpoint + list(options) + [module] + list(args)
        self.proc = subprocess.Popen(
            self.command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        self.stdout = b""
        self.stderr_lines = []
        self.url = None
        # The first lines on stderr say where the stub listens.
        deadline = time.time() + 30
        while time.time() < deadline:
            line = self.proc.stderr.readline().decode(errors="replace")
            if not line:
                break
            self.stderr_lines.append(line)
            m = re.search(r"process connect --plugin wasm (\S+)", line)
            if m:
                self.url = m.group(1)
                break
        if not self.url:
            self.proc.kill()
            raise RuntimeError("the stub did not start: " + "".join(self.stderr_lines))
        # Drain the pipes in the background so the guest never blocks on them.
        self._out = threading.Thread(target=self._drain, args=(self.proc.stdout, "stdout"), daemon=True)
        self._err = threading.Thread(target=self._drain, args=(self.proc.stderr, "stderr"), daemon=True)
        self._out.start()
        self._err.start()

    def _drain(self, pipe, which):
        for chunk in iter(lambda: pipe.read1(65536), b""):
            if which == "stdout":
                self.stdout += chunk
            else:
                self.stderr_lines.append(chunk.decode(errors="replace"))

    @property
    def stderr(self):
        return "".join(self.stderr_lines)

    def wait(self, timeout=60):
        code = self.proc.wait(timeout)
        self._out.join(5)
        self._err.join(5)
        return code

    def close(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)


class LldbSession:
    """One LLDB debugger connected to one stub."""

    def __init__(self, module, args=(), options=(), socket_path=None, log_packets=False):
        self.stub = Stub(module, args, options, socket_path)
        self.debugger = lldb.SBDebugger.Create()
        self.debugger.SetAsync(False)
        self.packet_log = None
        if log_packets:
            fd, self.packet_log = tempfile.mkstemp(prefix="lldb-packets-", suffix=".log")
            os.close(fd)
            self.command("log enable -f %s gdb-remote packets" % self.packet_log)
        self.target = self.debugger.CreateTarget("")
        error = lldb.SBError()
        self.process = self.target.ConnectRemote(self.debugger.GetListener(), self.stub.url, "wasm", error)
        if not error.Success() or not self.process.IsValid():
            raise RuntimeError("process connect failed: %s" % error.GetCString())
        self.wait_for_state(lambda s: s == lldb.eStateStopped)

    def close(self):
        try:
            if self.process.IsValid() and self.process.GetState() not in (lldb.eStateExited, lldb.eStateDetached):
                self.process.Kill()
        finally:
            lldb.SBDebugger.Destroy(self.debugger)
            self.stub.close()
            if self.packet_log and os.path.exists(self.packet_log):
                os.remove(self.packet_log)

    # --- Running --------------------------------------------------------------

    def wait_for_state(self, accept, timeout=STOP_TIMEOUT):
        # The process's public state moves as its events are taken from the
        # listener.
        listener = self.debugger.GetListener()
        deadline = time.time() + timeout
        while time.time() < deadline:
            state = self.process.GetState()
            if accept(state):
                return state
            event = lldb.SBEvent()
            listener.WaitForEvent(1, event)
        raise AssertionError("timed out in state %s" % lldb.SBDebugger.StateAsCString(self.process.GetState()))

    def cont(self):
        """Continues; returns the state once stopped or exited."""
        error = self.process.Continue()
        if not error.Success():
            raise AssertionError("continue failed: %s" % error.GetCString())
        return self.wait_for_state(lambda s: s in (lldb.eStateStopped, lldb.eStateExited, lldb.eStateCrashed))

    def command(self, text):
        """Runs an LLDB command; returns (succeeded, output + error text)."""
        result = lldb.SBCommandReturnObject()
        self.debugger.GetCommandInterpreter().HandleCommand(text, result)
        return result.Succeeded(), (result.GetOutput() or "") + (result.GetError() or "")

    # --- Looking ---------------------------------------------------------------

    @property
    def thread(self):
        return self.process.GetSelectedThread()

    def frame(self, index=0):
        return self.thread.GetFrameAtIndex(index)

    def backtrace(self):
        """[(function, line, inlined)] innermost first, as LLDB unwinds."""
        return [(f.GetFunctionName(), f.GetLineEntry().GetLine(), f.IsInlined()) for f in self.thread]

    def where(self, index=0):
        f = self.frame(index)
        return f.GetFunctionName(), f.GetLineEntry().GetLine()

    def stop_reason(self):
        return self.thread.GetStopReason()

    def value(self, name, frame=0):
        """A variable of frame `frame` as an SBValue (invalid when absent)."""
        return self.frame(frame).FindVariable(name)

    def read_memory(self, address, size):
        error = lldb.SBError()
        data = self.process.ReadMemory(address, size, error)
        if not error.Success():
            raise AssertionError("memory read at 0x%x failed: %s" % (address, error.GetCString()))
        return data

    def packets(self):
        """The packets LLDB sent so far (with log_packets=True)."""
        self.debugger.HandleCommand("log disable gdb-remote packets")
        with open(self.packet_log, errors="replace") as f:
            return re.findall(r"send packet: \$([^#]*)#", f.read())


def unsigned(value):
    return value.GetValueAsUnsigned()


def signed(value):
    return value.GetValueAsSigned()


class LldbTestCase(unittest.TestCase):
    """Starts a session per test; `self.s` is it."""

    def start(self, name, args=(), options=(), opt=None, **kwargs):
        self.s = LldbSession(sample(name, opt), args, options, **kwargs)
        self.addCleanup(self.s.close)
        return self.s

    def assertStoppedAt(self, function, line=None, reason=None):
        s = self.s
        self.assertEqual(s.process.GetState(), lldb.eStateStopped,
                         "not stopped: %s" % lldb.SBDebugger.StateAsCString(s.process.GetState()))
        name, at = s.where()
        self.assertIn(function, name, "stopped in %s:%s, not %s" % (name, at, function))
        if line is not None:
            self.assertEqual(at, line, "stopped at %s:%s, not line %s" % (name, at, line))
        if reason is not None:
            self.assertEqual(s.stop_reason(), reason)

    def assertExited(self, status):
        s = self.s
        self.assertEqual(s.process.GetState(), lldb.eStateExited)
        self.assertEqual(s.process.GetExitStatus(), status)
        self.assertEqual(s.stub.wait(), status, "wasmscope's own exit status")
