"""The gdb-remote stub itself: what LLDB sends it in a real session, the
packets LLDB does not use (qWasmStackValue, qWasmGlobal, M) exercised
directly, malformed and hostile input, one client at a time, detach, kill,
a client that disappears, the Unix socket's permissions, and the monitor
commands."""

import os
import re
import socket
import stat
import subprocess
import tempfile
import time
import unittest

from lldbharness import WASMSCOPE, LldbTestCase, Stub, lldb, sample, signed, unsigned
from rspclient import RspClient, checksum

O0 = "O0"


def code_section_offset(path):
    """Where the code section's contents start in a module file."""
    data = open(path, "rb").read()

    def leb(i):
        value = shift = 0
        while True:
            b = data[i]
            i += 1
            value |= (b & 0x7F) << shift
            shift += 7
            if b < 0x80:
                return value, i

    i = 8
    while i < len(data):
        section = data[i]
        size, i = leb(i + 1)
        if section == 10:
            return i
        i += size
    raise AssertionError("no code section in " + path)


def breakpoint_address(name, file_line, opt=O0):
    """LLDB's address of the first breakpoint location of FILE:LINE, from
    wasmscope's own symbols (checked against LLDB by the symbols oracle)."""
    path = sample(name, opt)
    out = subprocess.run([WASMSCOPE, "symbols", path, "--lines", file_line], check=True,
                         capture_output=True, text=True).stdout
    offset = int(out.splitlines()[1].split()[0], 16)
    return 0x4000000000000000 + code_section_offset(path) + offset


def raw(name, args=(), opt=O0, **kwargs):
    stub = Stub(sample(name, opt), args, **kwargs)
    client = RspClient(stub.url)
    return stub, client


class RealSession(LldbTestCase):
    def test_lldb_uses_the_wasm_packets_and_reads_the_module_from_memory(self):
        s = self.start("linked_structures", opt=O0, log_packets=True)
        s.target.BreakpointCreateByLocation("linked_structures.c", 37)
        s.cont()
        self.assertEqual(signed(s.value("sum")), 0)
        s.command("frame select 1")
        s.command("frame variable list")
        sent = s.packets()
        kinds = {p.split(":")[0].split(",")[0][:1] if p[:1] in "mMxXZzcs" else p.split(":")[0] for p in sent}
        for expected in ("qSupported", "qHostInfo", "qProcessInfo", "qRegisterInfo0",
                         "qXfer", "qWasmCallStack", "qWasmLocal", "x", "Z", "c"):
            self.assertIn(expected, kinds, sorted(kinds))
        # The DWARF comes from the module's bytes at 0x4000000000000000.
        self.assertTrue(any(p.startswith("x40000000000") for p in sent))
        self.assertIn("qWasmLocal:1;", " ".join(sent), "a caller's local, by frame index")

    def test_writes_to_memory_and_refuses_to_write_the_pc(self):
        s = self.start("linked_structures", opt=O0)
        s.target.BreakpointCreateByLocation("linked_structures.c", 37)
        s.cont()
        # sum lives in the shadow stack at -O0: assigning writes memory (M/X).
        result = s.frame().EvaluateExpression("sum = 1000")
        self.assertTrue(result.GetError().Success(), result.GetError().GetCString())
        self.assertEqual(signed(s.value("sum")), 1000)
        ok, text = s.command("register write pc 0x4000000000000000")
        self.assertFalse(ok, text)
        s.target.DeleteAllBreakpoints()
        s.cont()
        self.assertExited(0)
        # The program printed the list's sum after the change: 1000 + 385.
        self.assertIn("sum 1385", s.process.GetSTDOUT(4096))

    def test_detach_lets_the_guest_finish(self):
        s = self.start("compute", ["24", "10"], opt=O0)
        s.target.BreakpointCreateByName("mandel_point")
        s.cont()
        error = s.process.Detach()
        self.assertTrue(error.Success(), error.GetCString())
        self.assertEqual(s.stub.wait(), 0)
        self.assertIn(b"mandelbrot 24x24: checksum 1bd0b13d", s.stub.stdout)
        self.assertIn("LLDB detached", s.stub.stderr)

    def test_kill_ends_the_guest(self):
        s = self.start("compute", ["24", "10"], opt=O0)
        s.target.BreakpointCreateByName("render")
        s.cont()
        error = s.process.Kill()
        self.assertTrue(error.Success(), error.GetCString())
        self.assertEqual(s.stub.wait(), 137)
        self.assertNotIn(b"mandelbrot", s.stub.stdout)

    def test_interrupt_pauses_a_running_guest(self):
        s = self.start("compute", ["3000", "100000"], opt=O0)
        s.debugger.SetAsync(True)
        s.process.Continue()
        s.wait_for_state(lambda st: st == lldb.eStateRunning)
        time.sleep(0.3)
        error = s.process.Stop()
        self.assertTrue(error.Success(), error.GetCString())
        s.wait_for_state(lambda st: st == lldb.eStateStopped)
        self.assertEqual(s.stop_reason(), lldb.eStopReasonSignal)
        self.assertGreater(s.thread.GetNumFrames(), 1)

    def test_unix_socket_is_private_and_serves_lldb(self):
        directory = tempfile.mkdtemp(prefix="wasmscope-sock-")
        path = os.path.join(directory, "gdb.sock")
        self.addCleanup(lambda: os.path.exists(path) and os.remove(path))
        self.addCleanup(os.rmdir, directory)
        s = self.start("compute", ["24", "10"], opt=O0, socket_path=path)
        mode = os.stat(path).st_mode
        self.assertTrue(stat.S_ISSOCK(mode))
        self.assertEqual(stat.S_IMODE(mode), 0o600)
        s.target.BreakpointCreateByName("checksum")
        s.cont()
        self.assertEqual(unsigned(s.value("length")), 576)
        s.target.DeleteAllBreakpoints()
        s.cont()
        self.assertExited(0)
        self.assertFalse(os.path.exists(path), "the socket is removed at exit")

    def test_monitor_commands(self):
        s = self.start("request_handler", ["5"], opt=O0)
        ok, text = s.command("process plugin packet monitor help")
        self.assertTrue(ok, text)
        for name in ("profile", "leak_check [full|summary]", "block_list RECORD|FROM..TO|FILE:LINE",
                     "who_points_at ADDR [LEN]"):
            self.assertIn(name, text)
        ok, text = s.command("process plugin packet monitor profile")
        self.assertIn("profile: not available", text)
        self.assertIn("--gdb-profile", text)
        for command in ("leak_check", "block_list 1", "who_points_at 0x11000"):
            ok, text = s.command("process plugin packet monitor " + command)
            name = command.split()[0]
            self.assertIn(name + ": not available", text)
            self.assertIn("memory profiler", text)
            self.assertIn("--gdb-memory", text)
        ok, text = s.command("process plugin packet monitor who_points_at nowhere")
        self.assertIn("usage: who_points_at ADDR", text)
        ok, text = s.command("process plugin packet monitor frobnicate")
        self.assertIn("unknown monitor command 'frobnicate'", text)

    def profile_table(self, text):
        """{function: (self instructions, calls)} from `monitor profile`."""
        rows = {}
        for line in text.splitlines():
            parts = line.split()
            if len(parts) >= 5 and parts[0].endswith("%") and parts[0] != "self":
                rows[parts[4]] = (int(parts[1].replace(",", "")),
                                  parts[3] if parts[3] == "-" else int(parts[3].replace(",", "")))
        return rows

    def instructions_so_far(self, text):
        for line in text.splitlines():
            if line.startswith("instructions so far: "):
                return int(line.split()[3].replace(",", ""))
        self.fail("no instruction count in: " + text)

    def test_monitor_profile_with_gdb_profile(self):
        s = self.start("request_handler", ["5"], options=["--gdb-profile"], opt=O0)
        # Before _start next to nothing has run (the block the guest is
        # parked in counts in full).
        ok, text = s.command("process plugin packet monitor profile")
        self.assertTrue(ok, text)
        self.assertLess(self.instructions_so_far(text), 100, text)
        # Breakpoints still hit with the profiler's call hooks and counters
        # on: a line in the request loop, once per request, then a function
        # breakpoint after it.
        s.target.BreakpointCreateByLocation("request_handler.c", 331)
        s.target.BreakpointCreateByName("table_destroy")
        s.cont()
        self.assertStoppedAt("main", 331, lldb.eStopReasonBreakpoint)
        ok, text = s.command("process plugin packet monitor profile")
        self.assertTrue(ok, text)
        first = self.instructions_so_far(text)
        self.assertGreater(first, 1000, text)
        rows = self.profile_table(text)
        # One request answered so far (the run is deterministic: request 0
        # formats its response once).
        self.assertEqual(rows["response_append"][1], 1, text)
        self.assertEqual(rows["__main_argc_argv"][1], 1, text)
        printf_calls = rows["printf_core"][1]
        # A step is counted too.
        s.command("thread step-over")
        self.assertEqual(s.process.GetState(), lldb.eStateStopped)
        ok, text = s.command("process plugin packet monitor profile")
        stepped = self.instructions_so_far(text)
        self.assertGreater(stepped, first, text)
        s.target.FindBreakpointByID(1).SetEnabled(False)
        s.cont()
        self.assertStoppedAt("table_destroy", reason=lldb.eStopReasonBreakpoint)
        ok, text = s.command("process plugin packet monitor profile")
        self.assertTrue(ok, text)
        self.assertGreater(self.instructions_so_far(text), stepped, text)
        rows = self.profile_table(text)
        # Four more requests and the summary lines were printed since.
        self.assertGreater(rows["printf_core"][1], printf_calls + 4, text)
        s.target.DeleteAllBreakpoints()
        s.cont()
        self.assertExited(0)
        self.assertIn(b"handled 5 requests", s.stub.stdout)

    # --- The memory monitor (--gdb-memory) ------------------------------------------

    def monitor(self, command):
        ok, text = self.s.command("process plugin packet monitor " + command)
        self.assertTrue(ok, text)
        return text

    def loss_records(self, text):
        """{record number: (total bytes, blocks, kind, [stack lines])} from
        leak_check or block_list."""
        records = {}
        current = None
        for line in text.splitlines():
            m = re.match(r"([\d,]+)(?: \([\d,]+ direct, [\d,]+ indirect\))? bytes in ([\d,]+) blocks "
                         r"are (definitely lost|indirectly lost|possibly lost|still reachable) "
                         r"in loss record (\d+) of (\d+)$", line)
            if m:
                current = []
                records[int(m.group(4))] = (int(m.group(1).replace(",", "")),
                                            int(m.group(2).replace(",", "")), m.group(3), current)
            elif current is not None and re.match(r"   (at|by) 0x4[0-9a-f]{15}: ", line):
                current.append(line.split(": ", 1)[1])
            else:
                current = None
        return records

    def blocks(self, text):
        """[(address, size, indirect)] from block_list."""
        return [(int(m.group(2), 16), int(m.group(3)), bool(m.group(1)))
                for m in re.finditer(r"^(  )?0x([0-9a-f]{8})\[(\d+)\]", text, re.M)]

    def record_at(self, records, kind, *stack):
        """The number of the one record of `kind` whose stack starts with `stack`."""
        found = [n for n, (_, _, k, lines) in records.items()
                 if k == kind and lines[:len(stack)] == list(stack)]
        self.assertEqual(len(found), 1, "%s at %s in %s" % (kind, stack, records))
        return found[0]

    def test_monitor_memory_with_gdb_memory(self):
        s = self.start("request_handler", ["12"], options=["--gdb-memory"], opt=O0)
        # Before _start nothing is allocated.
        text = self.monitor("leak_check")
        self.assertIn(": 0 bytes in 0 blocks not freed", text)
        self.assertIn("definitely lost: 0 bytes in 0 blocks", text)
        # After the request loop: twelve requests (the run is deterministic)
        # leaked a method string (LEAK 1, "BREW") and not-found responses
        # with their bodies (LEAK 2); nothing is freed yet at exit.
        s.target.BreakpointCreateByLocation("request_handler.c", 346)
        s.cont()
        self.assertStoppedAt("main", 346, lldb.eStopReasonBreakpoint)
        text = self.monitor("leak_check")
        records = self.loss_records(text)
        definite = {n: r for n, r in records.items() if r[2] == "definitely lost"}
        self.assertEqual(sorted((r[0], r[1]) for r in definite.values()),
                         [(5, 1), (16, 1), (32, 1), (192, 4)], text)
        self.assertIn("192 (64 direct, 128 indirect) bytes in 4 blocks are definitely lost in loss "
                      "record 1 of 10", text)
        leak1 = self.record_at(records, "definitely lost", "malloc", "copy_string (request_handler.c:101)",
                               "parse_request (request_handler.c:112)")
        self.assertEqual(records[leak1][:2], (5, 1))
        leak2 = self.record_at(records, "definitely lost", "calloc", "response_new (request_handler.c:156)",
                               "route (request_handler.c:306)")
        self.assertEqual(records[leak2][:2], (192, 4))
        self.assertIn("definitely lost: 101 bytes in 7 blocks", text)
        self.assertIn("indirectly lost: 144 bytes in 5 blocks", text)
        self.assertIn("still reachable: 99 bytes in 4 blocks", text)
        # Only definite and possible records by default; `reachable` shows all.
        self.assertEqual(len(records), 4, text)
        everything = self.loss_records(self.monitor("leak_check full reachable"))
        self.assertEqual(len(everything), 10)
        table = self.record_at(everything, "still reachable", "calloc", "table_init (request_handler.c:192)")
        user = self.record_at(everything, "still reachable", "malloc", "add_user (request_handler.c:205)")

        # block_list by number: the four 16-byte responses, each with its
        # 32-byte body lost through it.
        text = self.monitor("block_list %d" % leak2)
        blocks = self.blocks(text)
        self.assertEqual(sorted((size, indirect) for _, size, indirect in blocks),
                         [(16, False)] * 4 + [(32, True)] * 4, text)
        self.assertEqual(len(re.findall(r"\] indirect loss record \d+$", text, re.M)), 4, text)
        # ... and by the malloc site's line.
        text = self.monitor("block_list request_handler.c:112")
        self.assertEqual([size for _, size, _ in self.blocks(text)], [5], text)
        self.assertIn("in loss record %d of 10" % leak1, text)

        # who_points_at on still reachable blocks: the bucket array is held
        # by main's `table` on the shadow stack; a user by the bucket array.
        [(buckets, size, _)] = self.blocks(self.monitor("block_list %d" % table))
        self.assertEqual(size, 64)
        text = self.monitor("who_points_at 0x%x" % buckets)
        self.assertIn("0x%08x is 0 bytes inside a block of size 64 alloc'd (still reachable, loss "
                      "record %d of 10)" % (buckets, table), text)
        self.assertRegex(text, r"\*0x[0-9a-f]{8} points at 0x%08x\n  Address 0x[0-9a-f]{8} is on the "
                               r"shadow stack \(the C stack in linear memory\): `table` of main" % buckets)
        self.assertIn("found 1 pointer\n", text)
        [(user_block, size, _)] = self.blocks(self.monitor("block_list %d" % user))
        self.assertEqual(size, 12)
        text = self.monitor("who_points_at 0x%x 12" % user_block)
        holder = re.search(r"\*0x([0-9a-f]{8}) points at 0x%08x\n  Address 0x[0-9a-f]{8} is (\d+) bytes "
                           r"inside a block of size 64 alloc'd \(still reachable" % user_block, text)
        self.assertIsNotNone(holder, text)
        self.assertEqual(int(holder.group(1), 16), buckets + int(holder.group(2)))
        self.assertIn("by 0x", text)
        self.assertIn("table_init (request_handler.c:192)", text)
        # Nothing points at a definitely lost block.
        lost = self.blocks(self.monitor("block_list %d" % leak1))[0][0]
        self.assertIn("found 0 pointers", self.monitor("who_points_at 0x%x" % lost))

        # `increased` against this check: after the rest of the run's
        # frees (table_destroy), nothing grew; of the reachable blocks only
        # the last response is left, which main's `response` still holds.
        s.target.DeleteAllBreakpoints()
        s.target.BreakpointCreateByLocation("request_handler.c", 350)
        s.cont()
        self.assertStoppedAt("main", 350, lldb.eStopReasonBreakpoint)
        text = self.monitor("leak_check increased")
        self.assertIn("no loss records of the kinds asked for that changed so", text)
        self.assertIn("still reachable: 16 (-83) bytes in 1 (-3) blocks", text)
        self.assertIn("definitely lost: 101 (+0) bytes in 7 (+0) blocks", text)
        # block_list numbers as the last leak_check did; bad numbers say so.
        ok, text = s.command("process plugin packet monitor block_list 99")
        self.assertIn("no loss record 99", text)
        ok, text = s.command("process plugin packet monitor leak_check frobnicate")
        self.assertIn("leak_check: unknown argument 'frobnicate'", text)
        s.target.DeleteAllBreakpoints()
        s.cont()
        self.assertExited(0)

    def test_monitor_leak_check_at_O2(self):
        # Inlined frames are frames of their own in the stacks: copy_string
        # is inlined into parse_request, parse_request into main.
        s = self.start("request_handler", ["12"], options=["--gdb-memory"], opt="O2")
        s.target.BreakpointCreateByName("table_destroy")
        s.cont()
        self.assertStoppedAt("table_destroy")
        text = self.monitor("leak_check")
        records = self.loss_records(text)
        leak1 = self.record_at(records, "definitely lost", "malloc", "copy_string (request_handler.c:101)",
                               "parse_request (request_handler.c:112)")
        self.assertEqual(records[leak1][:2], (5, 1))
        self.assertIn("definitely lost: 101 bytes in 7 blocks", text)
        s.target.DeleteAllBreakpoints()
        s.cont()
        self.assertExited(0)

    def test_gdb_memory_needs_the_stub(self):
        run = subprocess.run([WASMSCOPE, "run", "--gdb-memory", sample("request_handler", O0)],
                             capture_output=True, text=True)
        self.assertEqual(run.returncode, 2)
        self.assertIn("--gdb-memory needs --gdb-port or --gdb-socket", run.stderr)

    def test_gdb_memory_takes_the_guests_own_allocators(self):
        # The name reaches the heap profiler: the launch fails naming it.
        run = subprocess.run([WASMSCOPE, "run", "--gdb-port", "0", "--gdb-memory",
                              "--allocator", "nosuch=malloc", sample("request_handler", O0)],
                             capture_output=True, text=True, timeout=60)
        self.assertEqual(run.returncode, 2)
        self.assertIn("--allocator: no function named nosuch", run.stderr)
        run = subprocess.run([WASMSCOPE, "run", "--allocator", "malloc=malloc",
                              sample("request_handler", O0)], capture_output=True, text=True)
        self.assertEqual(run.returncode, 2)
        self.assertIn("--allocator needs --gdb-memory", run.stderr)

    def test_gdb_profile_needs_the_stub(self):
        run = subprocess.run([WASMSCOPE, "run", "--gdb-profile", sample("request_handler", O0)],
                             capture_output=True, text=True)
        self.assertEqual(run.returncode, 2)
        self.assertIn("--gdb-profile needs --gdb-port or --gdb-socket", run.stderr)


class RawProtocol(unittest.TestCase):
    def connect(self, name="linked_structures", args=(), **kwargs):
        self.stub, self.client = raw(name, args, **kwargs)
        self.addCleanup(self.stub.close)
        self.addCleanup(self.client.close)
        return self.client

    def test_memory_monitor_after_the_run(self):
        # LLDB 22 sends no monitor command to an exited process; a raw
        # client still gets the leak check at exit, with the frames gone.
        c = self.connect("request_handler", ["12"], options=["--gdb-memory"])
        c.no_ack_mode()
        self.assertEqual(c.request("c"), b"W00")
        c.output = b""
        self.assertEqual(c.request("qRcmd," + b"leak_check".hex()), b"OK")
        text = c.output.decode()
        self.assertIn("leak check at exit", text)
        # As `wasmscope profile --memory` reports this run: every response
        # and user is freed, the leaks stay.
        self.assertIn("definitely lost: 117 bytes in 8 blocks", text)
        self.assertIn("indirectly lost: 144 bytes in 5 blocks", text)
        self.assertIn("still reachable: 0 bytes in 0 blocks", text)
        self.assertRegex(text, r"5 bytes in 1 blocks are definitely lost in loss record \d+ of \d+\n"
                               r"   at 0x4[0-9a-f]{15}: malloc\n"
                               r"   by 0x4[0-9a-f]{15}: copy_string \(request_handler.c:101\)\n")
        self.assertEqual(c.request("k"), b"X09")

    def test_wasm_queries_at_a_breakpoint(self):
        c = self.connect()
        c.no_ack_mode()
        self.assertTrue(c.request("?").startswith(b"T05thread:1;"))
        # list_sum's `sum += node->value` (line 37).
        address = breakpoint_address("linked_structures", "linked_structures.c:37")
        reply = c.request("Z0,%x,1" % address)
        self.assertEqual(reply, b"OK")
        stop = c.request("c")
        self.assertIn(b"reason:breakpoint", stop)
        self.assertIn(b"thread-pcs:%x" % address, stop)
        frames = c.request("qWasmCallStack:1")
        self.assertEqual(len(frames) % 16, 0)
        pcs = [int.from_bytes(bytes.fromhex(frames[i:i + 16].decode()), "little")
               for i in range(0, len(frames), 16)]
        self.assertEqual(pcs[0], address)
        self.assertTrue(all(pc >> 62 == 1 for pc in pcs))
        # Locals are 4 or 8 bytes, little-endian. list_sum(head): local 0 is
        # the list's head, whose first field is 1 (the first square).
        head_hex = c.request("qWasmLocal:0;0")
        self.assertEqual(len(head_hex), 8)
        head = int.from_bytes(bytes.fromhex(head_hex.decode()), "little")
        self.assertEqual(c.request("m%x,4" % head), b"01000000")
        # Global 0 is the shadow stack pointer, inside linear memory.
        sp = int.from_bytes(bytes.fromhex(c.request("qWasmGlobal:0;0").decode()), "little")
        self.assertGreater(sp, 0)
        fp = sp
        self.assertTrue(c.request("qWasmLocal:0;999").startswith(b"E"))
        self.assertTrue(c.request("qWasmLocal:77;0").startswith(b"E"))
        self.assertTrue(c.request("qWasmGlobal:0;99999").startswith(b"E"))
        self.assertTrue(c.request("qWasmStackValue:0;100").startswith(b"E"))
        self.assertTrue(c.request("qWasmStackValue:9;0").startswith(b"E"))
        # Memory: M writes, m reads back; the module's own bytes start "\0asm".
        self.assertEqual(c.request("M%x,4:78563412" % fp), b"OK")
        self.assertEqual(c.request("m%x,4" % fp), b"78563412")
        self.assertEqual(c.request("m4000000000000000,4"), b"0061736d")
        self.assertTrue(c.request("M4000000000000000,1:00").startswith(b"E"))
        self.assertTrue(c.request("m8000000000000000,4").startswith(b"E"))
        self.assertTrue(c.request("mffffffff,8").startswith((b"E", b"")))
        libraries = c.request("qXfer:libraries:read::0,1000")
        self.assertTrue(libraries.startswith(b"l<library-list>"))
        self.assertIn(b'address="0x4000000000000000"', libraries)
        region = c.request("qMemoryRegionInfo:4000000000000010")
        self.assertIn(b"permissions:rx", region)
        self.assertIn(b"start:4000000000000000", region)
        self.assertIn(b"permissions:rw", c.request("qMemoryRegionInfo:100"))
        self.assertEqual(c.request("k"), b"X09")

    def test_watchpoint_packets(self):
        c = self.connect("out_of_bounds")
        c.no_ack_mode()
        # g_histogram[3] (sample 12 ms) is written by record(); find it via
        # the first store: watch the whole histogram for writes.
        reply = c.request("Z2,1000,40")
        self.assertEqual(reply, b"OK")
        self.assertTrue(c.request("Z2,4000000000000100,4").startswith(b"E"), "code is not memory")
        self.assertTrue(c.request("Z2,fffffffe,4").startswith(b"E"), "past 4 GiB")
        self.assertTrue(c.request("Z2,10,0").startswith(b"E"), "empty")
        self.assertEqual(c.request("z2,1000,40"), b"OK")
        self.assertEqual(c.request("z2,1000,40"), b"OK", "removing twice is harmless")
        self.assertIn(b"num:", c.request("qWatchpointSupportInfo:"))

    def test_malformed_packets_get_errors_and_the_session_goes_on(self):
        c = self.connect()
        c.no_ack_mode()
        bad = [b"m", b"mzz,4", b"m10", b"m10,zz", b"m10,99999999", b"M10,2:zz", b"M10,4:00",
               b"X10,5:ab", b"Z0", b"Z0,zz,1", b"z9,1,1", b"vCont;q", b"vCont", b"vCont;",
               b"qWasmLocal:", b"qWasmLocal:a;b", b"qWasmLocal:1", b"qWasmLocal:99999999999;0",
               b"qRegisterInfozz", b"p", b"pzz", b"P0=", b"Hx1", b"Hgzz", b"D;zz", b"qRcmd,zz",
               b"qXfer:libraries:read::zz,1", b"qMemoryRegionInfo:zz", b"T", b"C", b"Czz",
               b"c1234", b"qThreadStopInfoq", b"x", b"\xff\xfe", b"qWasmCallStack:zz"]
        for packet in bad:
            reply = c.request(packet)
            self.assertTrue(reply.startswith(b"E") or reply == b"", (packet, reply))
        # Unknown packets: the empty reply ("not supported").
        for packet in (b"qFooBar", b"vFile:open:6a", b"jThreadsInfo", b"_M4,rw", b"!", b"A"):
            self.assertEqual(c.request(packet), b"", packet)
        # A bad checksum and a dangling escape: errors, not silence.
        c.send_raw(b"$qC#00")
        self.assertTrue(c.read_packet().startswith(b"E"))
        c.send_raw(b"$m0,4}#%02x" % checksum(b"m0,4}"))
        self.assertTrue(c.read_packet().startswith(b"E"))
        # An oversized packet is dropped with an error.
        c.send_raw(b"$" + b"a" * (1 << 20) + b"X" * 100 + b"#00")
        self.assertTrue(c.read_packet().startswith(b"E"))
        # Run-length encoding is understood: "m10* ,4" is "m10000,4".
        c.send_raw(b"$m10* ,4#%02x" % checksum(b"m10* ,4"))
        self.assertEqual(c.read_packet(), c.request("m10000,4"))
        self.assertEqual(c.request("qC"), b"QC1")
        self.assertTrue(c.request("?").startswith(b"T05"))

    def test_ack_mode_and_retransmission(self):
        c = self.connect()
        # Before QStartNoAckMode every packet is acknowledged.
        c.send_raw(b"$qC#%02x" % checksum(b"qC"))
        self.assertEqual(c.read_ack(), b"+")
        self.assertEqual(c.read_packet(), b"QC1")
        # A bad checksum is refused with '-'; '-' from us repeats the reply.
        c.send_raw(b"$qC#00")
        self.assertEqual(c.read_ack(), b"-")
        c.send_raw(b"-")
        self.assertEqual(c.read_packet(), b"QC1")

    def test_one_client_at_a_time_and_reconnect(self):
        c = self.connect("compute", ["24", "10"])
        c.no_ack_mode()
        self.assertEqual(c.request("qC"), b"QC1")
        # A second client waits (backlog) while the first is served.
        host, port = self.stub.url[len("connect://"):].rsplit(":", 1)
        second = socket.create_connection((host, int(port)), timeout=2)
        second.sendall(b"$qC#%02x" % checksum(b"qC"))
        second.settimeout(0.5)
        with self.assertRaises(socket.timeout):
            second.recv(100)
        # The first goes away without detaching: the second is served, and
        # finds the guest stopped where it was.
        c.close()
        second.settimeout(10)
        data = b""
        while b"#" not in data[data.find(b"$"):] or data.find(b"$") < 0:
            data += second.recv(100)
        self.assertIn(b"QC1", data)
        second.close()

    def test_a_client_that_vanishes_while_the_guest_runs(self):
        c = self.connect("compute", ["3000", "100000"])
        c.no_ack_mode()
        c.send_raw(b"$c#63")
        time.sleep(0.2)
        c.close()
        # The stub pauses the guest for the next client.
        c2 = RspClient(self.stub.url)
        self.addCleanup(c2.close)
        c2.no_ack_mode()
        reply = c2.request("?")
        self.assertTrue(reply.startswith(b"T02") or reply.startswith(b"W"), reply)
        c2.request("k")
        self.assertEqual(self.stub.wait(), 137)


if __name__ == "__main__":
    unittest.main()
