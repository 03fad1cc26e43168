"""LLDB 22 debugging every sample through wasmscope's gdb-remote stub.

Run at one optimisation level (LLDB_TEST_OPT, O0 or O2): breakpoints by
function and by file:line, backtraces with inlined frames, locals, struct
fields and globals through SBValue, expressions, stepping over, in and out,
watchpoints (stores, and a WASI fd_read writing guest memory), memory reads,
and the run to exit with the guest's status and output. Where clang's -O2
debug info gives LLDB nothing to show (a local without a location at the
stop), the -O2 run checks what is there; docs/LLDB.md lists those limits.
"""

import os
import shutil
import tempfile
import unittest

from lldbharness import OPT, LldbTestCase, lldb, signed, unsigned

O0 = OPT == "O0"


def main_frame_name(name):
    # LLDB names main by its linkage name when wasi-libc passes arguments.
    return name in ("main", "__main_argc_argv")


class Compute(LldbTestCase):
    ARGS = ["24", "10"]

    def test_function_breakpoint_backtrace_and_arguments(self):
        s = self.start("compute", self.ARGS)
        bp = s.target.BreakpointCreateByName("mandel_point")
        self.assertEqual(bp.GetNumLocations(), 1)
        s.cont()
        self.assertStoppedAt("mandel_point", 31 if O0 else 33, lldb.eStopReasonBreakpoint)
        bt = s.backtrace()
        self.assertEqual([f[0] for f in bt[:3]], ["mandel_point", "render_row", "render"])
        # render_row is inlined into render at -O2: a frame of its own, at the call.
        self.assertEqual(bt[1], ("render_row", 47, not O0))
        self.assertEqual(bt[2][1], 53)
        self.assertTrue(main_frame_name(bt[3][0]), bt)
        self.assertEqual(bt[3][1], 175)
        self.assertEqual(s.value("cr").GetValue(), "-2")
        self.assertEqual(s.value("ci").GetValue(), "-1.25")
        # The second pixel of the first row.
        s.cont()
        self.assertAlmostEqual(float(s.value("cr").GetValue()), -2.0 + 2.5 / 24)

    def test_step_out_then_over(self):
        s = self.start("compute", self.ARGS)
        s.target.BreakpointCreateByName("mandel_point")
        s.cont()
        s.target.DeleteAllBreakpoints()
        s.thread.StepOut()
        self.assertStoppedAt("render_row", 47, lldb.eStopReasonPlanComplete)
        if O0:
            # Back in render_row's loop: the increment, then the next pixel
            # (the loop test is line 45 too, so the step runs through it).
            s.thread.StepOver()
            self.assertStoppedAt("render_row", 45)
            self.assertEqual(signed(s.value("x")), 0)
            s.thread.StepOver()
            self.assertStoppedAt("render_row", 46)
            self.assertEqual(signed(s.value("x")), 1)
            s.thread.StepOver()
            self.assertStoppedAt("render_row", 47)
        # Into the next pixel's mandel_point, through the rest of the loop.
        for _ in range(6):
            s.thread.StepInto()
            name, line = s.where()
            if name == "mandel_point":
                break
            self.assertEqual(name, "render_row")
            self.assertIn(line, (45, 46, 47))
        self.assertStoppedAt("mandel_point")
        self.assertEqual(s.backtrace()[1][:2], ("render_row", 47))

    def test_watchpoint_on_a_global_struct_field(self):
        s = self.start("compute", self.ARGS)
        bodies = s.target.FindFirstGlobalVariable("g_bodies")
        self.assertTrue(bodies.IsValid())
        sun_vx = bodies.GetChildAtIndex(0).GetChildMemberWithName("vx")
        self.assertEqual(float(sun_vx.GetValue()), 0.0)
        error = lldb.SBError()
        watch = sun_vx.Watch(True, False, True, error)
        self.assertTrue(error.Success(), error.GetCString())
        s.cont()
        self.assertEqual(s.stop_reason(), lldb.eStopReasonWatchpoint)
        self.assertStoppedAt("offset_momentum", 116)
        self.assertEqual(s.thread.GetStopReasonDataAtIndex(0), watch.GetID())
        vx = float(s.target.FindFirstGlobalVariable("g_bodies").GetChildAtIndex(0)
                   .GetChildMemberWithName("vx").GetValue())
        self.assertAlmostEqual(vx, -3.8766340719874267e-04, places=15)
        if O0:
            px = float(s.value("px").GetValue())
            self.assertEqual(vx, -px / (4 * 3.141592653589793 ** 2))
        s.target.DeleteAllWatchpoints()
        s.cont()
        self.assertExited(0)

    def test_expression_memory_and_exit(self):
        s = self.start("compute", self.ARGS)
        s.target.BreakpointCreateByName("checksum")
        s.cont()
        # At -O2 LLDB finds no prologue to skip and stops at the function's
        # low_pc, which no line-table row covers (the first row is at its
        # first instruction).
        self.assertStoppedAt("checksum", 58 if O0 else lldb.LLDB_INVALID_LINE_NUMBER)
        self.assertEqual(unsigned(s.value("length")), 24 * 24)
        length = s.frame().EvaluateExpression("length / 2 + 1")
        self.assertTrue(length.GetError().Success(), length.GetError().GetCString())
        self.assertEqual(unsigned(length), 24 * 24 // 2 + 1)
        # The image: row 0's first pixel escapes at once, the middle row's
        # center never does.
        image = unsigned(s.value("bytes"))
        row = s.read_memory(image + 12 * 24, 24)
        self.assertEqual(row[12], 255)
        first = s.frame().EvaluateExpression("bytes[0]")
        self.assertEqual(unsigned(first), s.read_memory(image, 1)[0])
        s.target.DeleteAllBreakpoints()
        s.cont()
        self.assertExited(0)
        out = s.process.GetSTDOUT(4096)
        self.assertIn("mandelbrot 24x24: checksum 1bd0b13d, 142 pixels inside", out)
        self.assertIn("n-body energy after 10 steps: -0.169073022", out)


class LinkedStructures(LldbTestCase):
    def test_breakpoint_by_line_and_struct_fields(self):
        s = self.start("linked_structures")
        s.target.BreakpointCreateByLocation("linked_structures.c", 178)
        s.cont()
        self.assertStoppedAt("inventory_value", 178, lldb.eStopReasonBreakpoint)
        bt = s.backtrace()
        self.assertEqual(bt[1][0], "main")
        self.assertEqual(bt[1][1], 229)
        self.assertEqual(bt[0][2], not O0, "inlined at -O2")
        inventory = s.target.FindFirstGlobalVariable("g_inventory")
        self.assertEqual(inventory.GetChildMemberWithName("name").GetSummary(), '"north warehouse"')
        self.assertEqual(signed(inventory.GetChildMemberWithName("item_count")), 4)
        second = inventory.GetChildMemberWithName("items").GetChildAtIndex(1)
        self.assertEqual(second.GetChildMemberWithName("sku").GetSummary(), '"NUT-M4"')
        self.assertEqual(signed(second.GetChildMemberWithName("quantity")), 900)
        self.assertEqual(inventory.GetChildMemberWithName("location").GetSummary(),
                         '"Building 7, Dock B"')
        tags = inventory.GetChildMemberWithName("tag_colors").GetValue()
        self.assertEqual(tags, "COLOR_RED | COLOR_BLUE")
        if O0:
            self.assertEqual(signed(s.value("i")), 0)
            item = s.value("item")
            self.assertEqual(item.GetChildMemberWithName("sku").GetSummary(), '"BOLT-M4"')
            self.assertEqual(unsigned(s.value("total")), 4800)
            self.assertEqual(unsigned(s.frame().EvaluateExpression("item->price_cents * 2")), 8)

    def test_list_walk_and_parent_frame(self):
        s = self.start("linked_structures")
        s.target.BreakpointCreateByLocation("linked_structures.c", 37)
        s.cont()
        self.assertStoppedAt("list_sum", 37)
        # The caller's frame: main's locals read through frame 1.
        self.assertEqual(s.backtrace()[1][:2], ("main", 201))
        if O0:
            node = s.value("node")
            self.assertEqual(signed(node.GetChildMemberWithName("value")), 1)
            self.assertEqual(signed(node.GetChildMemberWithName("next").GetChildMemberWithName("value")), 4)
            head = s.value("list", frame=1)
            self.assertEqual(unsigned(head), unsigned(s.value("head")))
            s.cont()
            self.assertEqual(signed(s.value("sum")), 1)
            self.assertEqual(signed(s.value("node").GetChildMemberWithName("value")), 4)

    def test_step_in_and_out(self):
        s = self.start("linked_structures")
        s.target.BreakpointCreateByLocation("linked_structures.c", 229)
        s.cont()
        self.assertStoppedAt("main", 229)
        s.target.DeleteAllBreakpoints()
        s.thread.StepInto()
        self.assertStoppedAt("inventory_value")
        self.assertEqual(s.backtrace()[1][:2], ("main", 229))
        if O0:
            # LLDB 22 stops a step into a wasm function at its opening line,
            # before the prologue (docs/LLDB.md); one more step reaches the body.
            self.assertEqual(s.where()[1], 171)
            s.thread.StepOver()
            self.assertStoppedAt("inventory_value", 172)
            self.assertEqual(s.value("inventory").GetChildMemberWithName("name").GetSummary(),
                             '"north warehouse"')
        s.thread.StepOut()
        if O0:
            self.assertStoppedAt("main", 229, lldb.eStopReasonPlanComplete)
            s.thread.StepOver()
        # Out of an inlined call LLDB steps to the caller's next line.
        self.assertStoppedAt("main", 231)

    def test_watchpoint_sees_each_write(self):
        s = self.start("linked_structures")
        cheapest = s.target.FindFirstGlobalVariable("g_inventory").GetChildMemberWithName("cheapest")
        error = lldb.SBError()
        cheapest.Watch(True, False, True, error)
        self.assertTrue(error.Success(), error.GetCString())
        writes = []
        while s.cont() == lldb.eStateStopped:
            self.assertEqual(s.stop_reason(), lldb.eStopReasonWatchpoint)
            self.assertIn("inventory_value", s.where()[0])
            value = s.target.FindFirstGlobalVariable("g_inventory").GetChildMemberWithName("cheapest")
            writes.append(unsigned(value))
        self.assertExited(0)
        # items[0], then items[1], the cheaper one. The first store (NULL over
        # NULL) changes nothing, and LLDB's write watchpoints stop on changes.
        items = unsigned(s.target.FindFirstGlobalVariable("g_inventory")
                         .GetChildMemberWithName("items").AddressOf())
        self.assertEqual(writes, [items, items + 16])


class Hello(LldbTestCase):
    ARGS = ["alpha", "two words"]

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="wasmscope-lldb-hello-")
        self.addCleanup(shutil.rmtree, self.dir, True)

    def start_hello(self):
        return self.start("hello", self.ARGS, ["--dir", self.dir + "::/sandbox", "--env", "GREETING=hi"])

    def test_arguments_strings_and_output(self):
        s = self.start_hello()
        s.target.BreakpointCreateByLocation("hello.c", 68)
        s.cont()
        self.assertStoppedAt("read_file", 68, lldb.eStopReasonBreakpoint)
        self.assertEqual(unsigned(s.value("count")), 37)
        self.assertEqual(unsigned(s.value("size")), 128)
        if O0:
            self.assertEqual(s.value("path").GetSummary(), '"/sandbox/hello.txt"')
            self.assertEqual(s.value("buffer").GetSummary(), '"Hello from WebAssembly, 2 arguments.\\n"')
        s.target.DeleteAllBreakpoints()
        s.cont()
        self.assertExited(0)
        out = s.process.GetSTDOUT(4096)
        self.assertIn('argv[2] = "two words"', out)
        self.assertIn('GREETING = "hi"', out)
        self.assertIn("read 37 bytes back from /sandbox/hello.txt", out)
        with open(os.path.join(self.dir, "hello.txt")) as f:
            self.assertEqual(f.read(), "Hello from WebAssembly, 2 arguments.\n")

    def test_watchpoint_sees_fd_read_writing_guest_memory(self):
        s = self.start_hello()
        s.target.BreakpointCreateByLocation("hello.c", 61)
        s.cont()
        self.assertStoppedAt("read_file", 61)
        # main's buffer, from main's frame (read_file's own `buffer` has no
        # location at -O2).
        back = s.value("back", frame=1)
        self.assertTrue(back.IsValid(), back.GetError().GetCString())
        address = unsigned(back.AddressOf())
        error = lldb.SBError()
        s.target.WatchAddress(address, 4, False, True, error)
        self.assertTrue(error.Success(), error.GetCString())
        s.target.DeleteAllBreakpoints()
        s.cont()
        # fread reads straight into the caller's buffer: the WASI call wrote it.
        self.assertEqual(s.stop_reason(), lldb.eStopReasonWatchpoint)
        self.assertEqual(bytes(s.read_memory(address, 4)), b"Hell")
        self.assertNotIn("read_file", [f[0] for f in s.backtrace()[:1]])
        self.assertIn("read_file", [f[0] for f in s.backtrace()])
        s.target.DeleteAllWatchpoints()
        s.cont()
        self.assertExited(0)


class OutOfBounds(LldbTestCase):
    def test_trap_stops_with_the_bad_index_then_exits_134(self):
        s = self.start("out_of_bounds")
        s.cont()
        self.assertEqual(s.process.GetState(), lldb.eStateStopped)
        self.assertEqual(s.stop_reason(), lldb.eStopReasonException)
        self.assertIn("out of bounds memory access", s.thread.GetStopDescription(200))
        self.assertStoppedAt("record", 31)
        self.assertEqual(s.backtrace()[0][2], not O0)
        if O0:
            self.assertEqual(unsigned(s.value("milliseconds")), 2000000000)
            self.assertEqual(unsigned(s.value("bucket")), 500000000)
        else:
            # clang's -O2 debug info gives record's inlined arguments no
            # location at the store.
            self.assertFalse(s.value("bucket").GetError().Success())
        self.assertIn("main", s.backtrace()[1][0])
        self.assertEqual(s.backtrace()[1][1], 51)
        s.cont()
        self.assertExited(134)
        self.assertIn("recording sample 8: 2000000000 ms", s.process.GetSTDOUT(4096))


class Recursion(LldbTestCase):
    def test_deep_backtrace(self):
        s = self.start("recursion", ["50"])
        bp = s.target.BreakpointCreateByName("list_hash")
        bp.SetIgnoreCount(40)
        s.cont()
        self.assertStoppedAt("list_hash", None, lldb.eStopReasonBreakpoint)
        self.assertEqual(bp.GetHitCount(), 41)
        # Frames of one function share LLDB 22's wasm stack ID (every CFA is
        # 0), so an SBFrame of a recursive caller resolves to the innermost;
        # the command line's backtrace reads each frame's pc as unwound.
        ok, text = s.command("bt")
        self.assertTrue(ok, text)
        lines = [l for l in text.splitlines() if "frame #" in l]
        hashes = [l for l in lines if "`list_hash" in l]
        self.assertEqual(len(hashes), 41, text[:2000])
        self.assertTrue(all("recursion.c:125" in l for l in hashes[1:]), hashes[:3])
        self.assertIn("recursion.c:172", lines[len(hashes)])
        self.assertEqual(s.thread.GetNumFrames(), len(lines))

    def test_ackermann_conditional_breakpoint(self):
        s = self.start("recursion", ["50"])
        bp = s.target.BreakpointCreateByName("ackermann")
        bp.SetCondition("m == 1 && n == 3")
        s.cont()
        self.assertStoppedAt("ackermann")
        self.assertEqual(unsigned(s.value("m")), 1)
        self.assertEqual(unsigned(s.value("n")), 3)
        ok, text = s.command("bt")
        self.assertGreater(text.count("`ackermann"), 2, text[:2000])
        s.target.DeleteAllBreakpoints()
        s.cont()
        self.assertExited(0)
        self.assertIn("ackermann(3, 6) = 509 in 172233 calls", s.process.GetSTDOUT(4096))


class RequestHandler(LldbTestCase):
    ARGS = ["20"]

    def test_function_breakpoint_strings_and_step_out(self):
        s = self.start("request_handler", self.ARGS)
        s.target.BreakpointCreateByName("add_user")
        s.cont()
        self.assertStoppedAt("add_user", None, lldb.eStopReasonBreakpoint)
        self.assertIn("handle_users", [f[0] for f in s.backtrace()[1:3]])
        if O0:
            # Request 7 is the first POST (the traffic is the same on every run).
            self.assertEqual(s.value("name").GetSummary(), '"edsger"')
            table = s.value("table")
            self.assertEqual(signed(table.GetChildMemberWithName("count")), 0)
        s.target.DeleteAllBreakpoints()
        s.thread.StepOut()
        # At -O2 add_user is inlined: out of it LLDB steps to the next line.
        self.assertStoppedAt("handle_users", 257 if O0 else 258, lldb.eStopReasonPlanComplete)

    def test_watchpoint_on_a_heap_bucket(self):
        s = self.start("request_handler", self.ARGS)
        s.target.BreakpointCreateByLocation("request_handler.c", 210)
        s.cont()
        self.assertStoppedAt("add_user", 210)
        s.target.DeleteAllBreakpoints()
        # main's table, from main's frame. Its bucket array is on the heap
        # (at -O2 the struct itself lives in wasm locals, not in memory).
        frames = [f for f in s.thread if main_frame_name(f.GetFunctionName())]
        self.assertTrue(frames)
        buckets = unsigned(frames[0].FindVariable("table").GetChildMemberWithName("buckets"))
        self.assertNotEqual(buckets, 0)
        # User 0 went into bucket 0; the next POST's user 1 goes into bucket 1.
        self.assertNotEqual(s.process.ReadPointerFromMemory(buckets, lldb.SBError()), 0)
        self.assertEqual(s.process.ReadPointerFromMemory(buckets + 4, lldb.SBError()), 0)
        error = lldb.SBError()
        s.target.WatchAddress(buckets + 4, 4, False, True, error)
        self.assertTrue(error.Success(), error.GetCString())
        s.cont()
        self.assertEqual(s.stop_reason(), lldb.eStopReasonWatchpoint)
        self.assertStoppedAt("add_user", 209)
        user = s.process.ReadPointerFromMemory(buckets + 4, lldb.SBError())
        self.assertNotEqual(user, 0)
        # The new user, read through its struct in memory: id 1, "margaret".
        self.assertEqual(s.process.ReadUnsignedFromMemory(user, 4, lldb.SBError()), 1)
        name = s.process.ReadPointerFromMemory(user + 4, lldb.SBError())
        self.assertEqual(s.process.ReadCStringFromMemory(name, 32, lldb.SBError()), "margaret")
        s.target.DeleteAllWatchpoints()
        s.cont()
        self.assertExited(0)
        self.assertIn("handled 20 requests", s.process.GetSTDOUT(8192))

if __name__ == "__main__":
    unittest.main()
