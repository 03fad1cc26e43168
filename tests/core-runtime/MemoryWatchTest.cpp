// Memory watches (MemoryWatch.h): every load and store instruction, the bulk
// memory instructions and WASI's writes into guest memory report the
// accesses that touch a watched range, with the right bytes before and
// after, and nothing else; watches coexist with local probes, the global
// probe and function hooks; a hook can stop the guest or change the set;
// removing the last watch leaves no trace. The interpreter's dispatch loop
// will be restructured later: these tests pin the behaviour down per
// instruction so the new loop can be checked against them.
#include "WatUtil.h"

#include "wasmscope/runtime/Wasi.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <cstring>

namespace wasmscope::runtime::test {
namespace {

/// What a hook saw, copied out of the call.
struct Seen {
  WatchId watch = 0;
  WatchAccess kind = WatchAccess::Read;
  AccessSource source = AccessSource::Instruction;
  uint64_t address = 0, size = 0, accessAddress = 0, accessSize = 0;
  std::vector<uint8_t> oldBytes, newBytes;
  uint32_t wasmOffset = 0;
  FuncIndex funcIndex = 0;
  /// Memory at the watched address during the hook (the store is done).
  std::vector<uint8_t> memoryDuringHook;
};

/// Records every hit into `out`.
WatchHook recorder(std::vector<Seen>& out, MemoryInstance* memory = nullptr) {
  return [&out, memory](ProbeContext& ctx, const MemoryAccess& a) {
    Seen s;
    s.watch = a.watch;
    s.kind = a.kind;
    s.source = a.source;
    s.address = a.address;
    s.size = a.size;
    s.accessAddress = a.accessAddress;
    s.accessSize = a.accessSize;
    s.oldBytes.assign(a.oldBytes.begin(), a.oldBytes.end());
    s.newBytes.assign(a.newBytes.begin(), a.newBytes.end());
    s.wasmOffset = ctx.wasmOffset;
    s.funcIndex = ctx.funcIndex;
    if (memory)
      s.memoryDuringHook.assign(memory->data + a.address, memory->data + a.address + a.size);
    out.push_back(std::move(s));
    return ProbeAction::Continue;
  };
}

std::vector<uint8_t> bytesOf(uint64_t v, size_t n) {
  std::vector<uint8_t> out(n);
  std::memcpy(out.data(), &v, n);
  return out;
}

// store32(addr, value), load32(addr), and friends. Memory starts with
// 0x11223344 at 64 and 0xaabbccdd at 68.
const char* kStores = R"((module
  (memory (export "mem") 1)
  (data (i32.const 64) "\44\33\22\11\dd\cc\bb\aa")
  (func (export "store32") (param i32 i32) (i32.store (local.get 0) (local.get 1)))
  (func (export "store64") (param i32 i64) (i64.store (local.get 0) (local.get 1)))
  (func (export "store8") (param i32 i32) (i32.store8 (local.get 0) (local.get 1)))
  (func (export "load32") (param i32) (result i32) (i32.load (local.get 0)))
  (func (export "storeOffset") (param i32 i32) (i32.store offset=8 (local.get 0) (local.get 1)))
  (func (export "fill") (param i32 i32 i32) (memory.fill (local.get 0) (local.get 1) (local.get 2)))
  (func (export "copy") (param i32 i32 i32) (memory.copy (local.get 0) (local.get 1) (local.get 2)))
  (func (export "size") (result i32) (memory.size))
))";

struct WatchFixture : ::testing::Test {
  void SetUp() override {
    rt = instantiateWat(kStores);
    ASSERT_TRUE(rt.instance);
    mem = rt.instance->memory(0);
    ASSERT_NE(mem, nullptr);
  }
  WatchId watch(uint64_t address, uint64_t size, WatchAccess access) {
    auto id = rt.store->addMemoryWatch(*mem, address, size, access, recorder(seen, mem));
    EXPECT_TRUE(id.ok()) << id.error().describe();
    return id.ok() ? *id : 0;
  }
  uint32_t u32At(uint64_t a) const {
    uint32_t v;
    std::memcpy(&v, mem->data + a, 4);
    return v;
  }
  Instantiated rt;
  MemoryInstance* mem = nullptr;
  std::vector<Seen> seen;
};

TEST_F(WatchFixture, StoreIntoWatchedRangeReportsOldAndNewBytesAfterTheWrite) {
  WatchId id = watch(64, 4, WatchAccess::Write);
  ASSERT_TRUE(rt.call("store32", {Value::i32(64), Value::i32(0xdeadbeef)}).ok());
  ASSERT_EQ(seen.size(), 1u);
  const Seen& s = seen[0];
  EXPECT_EQ(s.watch, id);
  EXPECT_EQ(s.kind, WatchAccess::Write);
  EXPECT_EQ(s.source, AccessSource::Instruction);
  EXPECT_EQ(s.address, 64u);
  EXPECT_EQ(s.size, 4u);
  EXPECT_EQ(s.accessAddress, 64u);
  EXPECT_EQ(s.accessSize, 4u);
  EXPECT_EQ(s.oldBytes, bytesOf(0x11223344, 4));
  EXPECT_EQ(s.newBytes, bytesOf(0xdeadbeef, 4));
  EXPECT_EQ(s.memoryDuringHook, bytesOf(0xdeadbeef, 4)); // reported after the write
  // The hook sees the store instruction's frame.
  const CompiledFunction* f = rt.module->function(s.funcIndex);
  ASSERT_NE(f, nullptr);
  EXPECT_GE(s.wasmOffset, f->bodyOffset);
  EXPECT_LT(s.wasmOffset, f->bodyEnd);
  EXPECT_EQ(u32At(64), 0xdeadbeefu);
}

TEST_F(WatchFixture, PartialOverlapReportsOnlyTheWatchedBytes) {
  watch(66, 4, WatchAccess::Write); // bytes 66..69
  ASSERT_TRUE(rt.call("store64", {Value::i32(64), Value::i64(0x0102030405060708ull)}).ok());
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].address, 66u);
  EXPECT_EQ(seen[0].size, 4u);
  EXPECT_EQ(seen[0].accessAddress, 64u);
  EXPECT_EQ(seen[0].accessSize, 8u);
  EXPECT_EQ(seen[0].oldBytes, (std::vector<uint8_t>{0x22, 0x11, 0xdd, 0xcc}));
  EXPECT_EQ(seen[0].newBytes, (std::vector<uint8_t>{0x06, 0x05, 0x04, 0x03}));
}

TEST_F(WatchFixture, AccessesBesideTheRangeAreNotReported) {
  watch(64, 4, WatchAccess::ReadWrite);
  ASSERT_TRUE(rt.call("store32", {Value::i32(60), Value::i32(1)}).ok()); // ends at 64
  ASSERT_TRUE(rt.call("store32", {Value::i32(68), Value::i32(1)}).ok()); // starts at 68
  ASSERT_TRUE(rt.call("store8", {Value::i32(63), Value::i32(1)}).ok());
  ASSERT_TRUE(rt.call("load32", {Value::i32(68)}).ok());
  EXPECT_TRUE(seen.empty());
  ASSERT_TRUE(rt.call("store8", {Value::i32(67), Value::i32(1)}).ok());
  EXPECT_EQ(seen.size(), 1u);
}

TEST_F(WatchFixture, TheStaticOffsetCountsInTheAddress) {
  watch(72, 4, WatchAccess::Write);
  ASSERT_TRUE(rt.call("storeOffset", {Value::i32(64), Value::i32(7)}).ok());
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].address, 72u);
  EXPECT_EQ(u32At(72), 7u);
}

TEST_F(WatchFixture, AccessKindsSelectWhatIsReported) {
  WatchId reads = watch(64, 4, WatchAccess::Read);
  ASSERT_TRUE(rt.call("store32", {Value::i32(64), Value::i32(5)}).ok());
  EXPECT_TRUE(seen.empty()) << "a read watch ignores stores";
  auto r = rt.call("load32", {Value::i32(64)});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)[0].asI32(), 5u);
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].kind, WatchAccess::Read);
  EXPECT_EQ(seen[0].oldBytes, bytesOf(5, 4));
  EXPECT_EQ(seen[0].newBytes, bytesOf(5, 4));

  seen.clear();
  rt.store->removeMemoryWatch(reads);
  watch(64, 4, WatchAccess::Write);
  ASSERT_TRUE(rt.call("load32", {Value::i32(64)}).ok());
  EXPECT_TRUE(seen.empty()) << "a write watch ignores loads";
  ASSERT_TRUE(rt.call("store32", {Value::i32(64), Value::i32(6)}).ok());
  EXPECT_EQ(seen.size(), 1u);
}

TEST_F(WatchFixture, ReadWriteReportsBoth) {
  watch(64, 4, WatchAccess::ReadWrite);
  ASSERT_TRUE(rt.call("load32", {Value::i32(64)}).ok());
  ASSERT_TRUE(rt.call("store32", {Value::i32(64), Value::i32(9)}).ok());
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].kind, WatchAccess::Read);
  EXPECT_EQ(seen[1].kind, WatchAccess::Write);
}

TEST_F(WatchFixture, OverlappingWatchesEachReportInOrder) {
  WatchId a = watch(64, 8, WatchAccess::Write);
  WatchId b = watch(66, 1, WatchAccess::Write);
  ASSERT_TRUE(rt.call("store32", {Value::i32(64), Value::i32(0)}).ok());
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].watch, a);
  EXPECT_EQ(seen[0].size, 4u);
  EXPECT_EQ(seen[1].watch, b);
  EXPECT_EQ(seen[1].address, 66u);
  EXPECT_EQ(seen[1].size, 1u);
  EXPECT_EQ(seen[1].oldBytes, (std::vector<uint8_t>{0x22}));
}

TEST_F(WatchFixture, BulkInstructionsReportTheirWrites) {
  watch(68, 2, WatchAccess::Write);
  ASSERT_TRUE(rt.call("fill", {Value::i32(60), Value::i32(0x5a), Value::i32(16)}).ok());
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].source, AccessSource::Bulk);
  EXPECT_EQ(seen[0].address, 68u);
  EXPECT_EQ(seen[0].size, 2u);
  EXPECT_EQ(seen[0].accessAddress, 60u);
  EXPECT_EQ(seen[0].accessSize, 16u);
  EXPECT_EQ(seen[0].oldBytes, (std::vector<uint8_t>{0xdd, 0xcc}));
  EXPECT_EQ(seen[0].newBytes, (std::vector<uint8_t>{0x5a, 0x5a}));

  // memory.copy: a write watch on the destination, a read watch on the source.
  seen.clear();
  std::memcpy(mem->data + 200, "ABCDEFGH", 8);
  watch(204, 2, WatchAccess::Read);
  ASSERT_TRUE(rt.call("copy", {Value::i32(66), Value::i32(200), Value::i32(8)}).ok());
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].kind, WatchAccess::Read);
  EXPECT_EQ(seen[0].address, 204u);
  EXPECT_EQ(seen[0].newBytes, (std::vector<uint8_t>{'E', 'F'}));
  EXPECT_EQ(seen[1].kind, WatchAccess::Write);
  EXPECT_EQ(seen[1].address, 68u);
  EXPECT_EQ(seen[1].oldBytes, (std::vector<uint8_t>{0x5a, 0x5a}));
  EXPECT_EQ(seen[1].newBytes, (std::vector<uint8_t>{'C', 'D'}));
  EXPECT_EQ(std::memcmp(mem->data + 66, "ABCDEFGH", 8), 0);

  // A bulk write beside the watch, and an empty one on it, report nothing.
  seen.clear();
  ASSERT_TRUE(rt.call("fill", {Value::i32(70), Value::i32(1), Value::i32(10)}).ok());
  ASSERT_TRUE(rt.call("fill", {Value::i32(68), Value::i32(1), Value::i32(0)}).ok());
  EXPECT_TRUE(seen.empty());
}

TEST(MemoryWatchTest, MemoryInitReportsItsWrites) {
  auto rt = instantiateWat(R"((module
    (memory 1)
    (data $d "wasm!")
    (func (export "init") (param i32) (memory.init $d (local.get 0) (i32.const 1) (i32.const 4)))
  ))");
  ASSERT_TRUE(rt.instance);
  MemoryInstance* mem = rt.instance->memory(0);
  std::vector<Seen> seen;
  ASSERT_TRUE(rt.store->addMemoryWatch(*mem, 102, 1, WatchAccess::Write, recorder(seen)).ok());
  ASSERT_TRUE(rt.call("init", {Value::i32(100)}).ok());
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].source, AccessSource::Bulk);
  EXPECT_EQ(seen[0].oldBytes, (std::vector<uint8_t>{0}));
  EXPECT_EQ(seen[0].newBytes, (std::vector<uint8_t>{'m'}));
  EXPECT_EQ(std::memcmp(mem->data + 100, "asm!", 4), 0);
}

TEST_F(WatchFixture, OutOfBoundsAccessTrapsWithoutReporting) {
  uint64_t end = mem->size;
  watch(end - 2, 2, WatchAccess::ReadWrite);
  auto r = rt.call("store32", {Value::i32(uint32_t(end - 2)), Value::i32(1)});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::OutOfBoundsMemoryAccess);
  auto f = rt.call("fill", {Value::i32(uint32_t(end - 2)), Value::i32(1), Value::i32(4)});
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.error().code, ErrorCode::OutOfBoundsMemoryAccess);
  EXPECT_TRUE(seen.empty());
}

TEST_F(WatchFixture, HookCanStopTheGuestAfterTheStore) {
  ASSERT_TRUE(rt.store
                  ->addMemoryWatch(*mem, 64, 4, WatchAccess::Write,
                                   [](ProbeContext&, const MemoryAccess&) { return ProbeAction::Stop; })
                  .ok());
  auto r = rt.call("store32", {Value::i32(64), Value::i32(77)});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::Interrupted);
  EXPECT_EQ(u32At(64), 77u) << "the store happened before the hook";
  // The trap names the store instruction.
  const auto& frames = rt.store->lastTrapFrames();
  ASSERT_FALSE(frames.empty());
  const CompiledFunction* f = rt.module->function(frames.front().funcIndex);
  std::vector<uint32_t> offs = f->instructionOffsets();
  // local.get, local.get, i32.store, end: the store is the third.
  ASSERT_GE(offs.size(), 3u);
  EXPECT_EQ(r.error().offset, offs[2]);
}

TEST_F(WatchFixture, RemovingTheLastWatchRestoresPlainDispatch) {
  WatchId id = watch(64, 4, WatchAccess::ReadWrite);
  ASSERT_TRUE(rt.call("store32", {Value::i32(64), Value::i32(1)}).ok());
  EXPECT_EQ(seen.size(), 1u);
  rt.store->removeMemoryWatch(id);
  EXPECT_TRUE(rt.store->memoryWatches().empty());
  ASSERT_TRUE(rt.call("store32", {Value::i32(64), Value::i32(2)}).ok());
  ASSERT_TRUE(rt.call("load32", {Value::i32(64)}).ok());
  EXPECT_EQ(seen.size(), 1u);
  EXPECT_EQ(u32At(64), 2u);
  rt.store->removeMemoryWatch(id); // twice: harmless
  rt.store->removeMemoryWatch(12345);
}

TEST_F(WatchFixture, HooksMayChangeTheSetWhileRunning) {
  // The first hit removes its own watch and adds one elsewhere; the loop's
  // next store (to the new range) is reported by the new watch.
  auto rtLoop = instantiateWat(R"((module
    (memory (export "mem") 1)
    (func (export "run")
      (i32.store (i32.const 16) (i32.const 1))
      (i32.store (i32.const 32) (i32.const 2))
      (i32.store (i32.const 16) (i32.const 3)))
  ))");
  ASSERT_TRUE(rtLoop.instance);
  MemoryInstance* m = rtLoop.instance->memory(0);
  std::vector<Seen> hits;
  WatchId first = 0;
  auto firstId = rtLoop.store->addMemoryWatch(
      *m, 16, 4, WatchAccess::Write, [&](ProbeContext&, const MemoryAccess& a) {
        Seen s;
        s.watch = a.watch;
        hits.push_back(s);
        rtLoop.store->removeMemoryWatch(first);
        EXPECT_TRUE(rtLoop.store->addMemoryWatch(*m, 32, 4, WatchAccess::Write, recorder(hits)).ok());
        return ProbeAction::Continue;
      });
  ASSERT_TRUE(firstId.ok());
  first = *firstId;
  ASSERT_TRUE(rtLoop.call("run").ok());
  ASSERT_EQ(hits.size(), 2u);
  EXPECT_EQ(hits[0].watch, first);
  EXPECT_NE(hits[1].watch, first);
  EXPECT_EQ(hits[1].newBytes, bytesOf(2, 4));
}

TEST_F(WatchFixture, WatchesCoexistWithProbesAndHooks) {
  watch(64, 4, WatchAccess::Write);
  // A local probe on the store itself: the probe runs, then the store, and
  // the watch still sees it.
  FunctionInstance* store32 = rt.instance->findFunction("store32");
  const CompiledFunction* cf = store32->code;
  std::vector<uint32_t> offs = cf->instructionOffsets();
  int probeHits = 0;
  auto probe = rt.store->addLocalProbe(*rt.instance, cf->index, offs[2], [&](ProbeContext&) {
    ++probeHits;
    EXPECT_TRUE(seen.empty()) << "the probe runs before the store";
    return ProbeAction::Continue;
  });
  ASSERT_TRUE(probe.ok());
  ASSERT_TRUE(rt.call("store32", {Value::i32(64), Value::i32(1)}).ok());
  EXPECT_EQ(probeHits, 1);
  EXPECT_EQ(seen.size(), 1u);
  rt.store->removeLocalProbe(*probe);

  // The global probe and function hooks on at the same time.
  seen.clear();
  int steps = 0, entries = 0;
  rt.store->setGlobalProbe([&](ProbeContext&) {
    ++steps;
    return ProbeAction::Continue;
  });
  rt.store->setFunctionHooks({[&](ProbeContext&) { ++entries; }, {}});
  ASSERT_TRUE(rt.call("store32", {Value::i32(64), Value::i32(2)}).ok());
  EXPECT_GT(steps, 0);
  EXPECT_EQ(entries, 1);
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].newBytes, bytesOf(2, 4));
  rt.store->setGlobalProbe({});
  ASSERT_TRUE(rt.call("store32", {Value::i32(64), Value::i32(3)}).ok());
  EXPECT_EQ(seen.size(), 2u) << "function hooks alone keep the watched table";
  rt.store->clearFunctionHooks();
}

TEST_F(WatchFixture, WatchesOfAnotherMemoryAreIgnored) {
  Instantiated other = instantiateWat(kStores);
  ASSERT_TRUE(other.instance);
  ASSERT_TRUE(rt.store
                  ->addMemoryWatch(*other.instance->memory(0), 64, 4, WatchAccess::ReadWrite,
                                   recorder(seen))
                  .ok());
  ASSERT_TRUE(rt.call("store32", {Value::i32(64), Value::i32(1)}).ok());
  EXPECT_TRUE(seen.empty());
}

TEST_F(WatchFixture, InvalidWatchesAreRejected) {
  auto hook = recorder(seen);
  EXPECT_FALSE(rt.store->addMemoryWatch(*mem, 64, 0, WatchAccess::Write, hook).ok());
  EXPECT_FALSE(rt.store->addMemoryWatch(*mem, (1ull << 32) - 2, 4, WatchAccess::Write, hook).ok());
  EXPECT_FALSE(rt.store->addMemoryWatch(*mem, UINT64_MAX, 1, WatchAccess::Write, hook).ok());
  EXPECT_FALSE(rt.store->addMemoryWatch(*mem, 64, 4, WatchAccess::Write, {}).ok());
  EXPECT_FALSE(rt.store->addMemoryWatch(*mem, 64, 4, WatchAccess(0), hook).ok());
  EXPECT_TRUE(rt.store->memoryWatches().empty());
  // Past the current size is fine: memory may grow there.
  EXPECT_TRUE(rt.store->addMemoryWatch(*mem, mem->size + 16, 4, WatchAccess::Write, hook).ok());
}

// Every load and store instruction, one function each, at address 128.
struct AccessCase {
  const char* instruction;
  bool isStore;
  const char* valueType;
  uint32_t bytes;
};

const AccessCase kAccessCases[] = {
    {"i32.load", false, "i32", 4},     {"i64.load", false, "i64", 8},
    {"f32.load", false, "f32", 4},     {"f64.load", false, "f64", 8},
    {"i32.load8_s", false, "i32", 1},  {"i32.load8_u", false, "i32", 1},
    {"i32.load16_s", false, "i32", 2}, {"i32.load16_u", false, "i32", 2},
    {"i64.load8_s", false, "i64", 1},  {"i64.load8_u", false, "i64", 1},
    {"i64.load16_s", false, "i64", 2}, {"i64.load16_u", false, "i64", 2},
    {"i64.load32_s", false, "i64", 4}, {"i64.load32_u", false, "i64", 4},
    {"i32.store", true, "i32", 4},     {"i64.store", true, "i64", 8},
    {"f32.store", true, "f32", 4},     {"f64.store", true, "f64", 8},
    {"i32.store8", true, "i32", 1},    {"i32.store16", true, "i32", 2},
    {"i64.store8", true, "i64", 1},    {"i64.store16", true, "i64", 2},
    {"i64.store32", true, "i64", 4},
};

std::string constOf(const std::string& type) {
  if (type == "i32")
    return "(i32.const 0x7f8e9dac)";
  if (type == "i64")
    return "(i64.const 0x0123456789abcdef)";
  if (type == "f32")
    return "(f32.const 1.5)";
  return "(f64.const -2.25)";
}

TEST(MemoryWatchTest, EveryLoadAndStoreInstructionIsWatched) {
  std::string wat = "(module (memory 1) (data (i32.const 128) \"\\01\\02\\03\\04\\05\\06\\07\\08\")\n";
  for (size_t i = 0; i < std::size(kAccessCases); ++i) {
    const AccessCase& c = kAccessCases[i];
    std::string name = "f" + std::to_string(i);
    if (c.isStore)
      wat += "(func (export \"" + name + "\") (" + c.instruction + " (i32.const 128) " +
             constOf(c.valueType) + "))\n";
    else
      wat += "(func (export \"" + name + "\") (drop (" + c.instruction + " (i32.const 128))))\n";
  }
  wat += ")";
  for (size_t i = 0; i < std::size(kAccessCases); ++i) {
    const AccessCase& c = kAccessCases[i];
    SCOPED_TRACE(c.instruction);
    auto rt = instantiateWat(wat);
    ASSERT_TRUE(rt.instance);
    MemoryInstance* mem = rt.instance->memory(0);
    std::vector<uint8_t> before(mem->data + 128, mem->data + 136);
    std::vector<Seen> seen;
    // The last byte the access touches, and one past it (never touched).
    ASSERT_TRUE(rt.store
                    ->addMemoryWatch(*mem, 128 + c.bytes - 1, 1,
                                     c.isStore ? WatchAccess::Write : WatchAccess::Read,
                                     recorder(seen, mem))
                    .ok());
    std::vector<Seen> beyond;
    ASSERT_TRUE(rt.store->addMemoryWatch(*mem, 128 + c.bytes, 1, WatchAccess::ReadWrite,
                                         recorder(beyond))
                    .ok());
    ASSERT_TRUE(rt.call("f" + std::to_string(i)).ok());
    ASSERT_EQ(seen.size(), 1u);
    EXPECT_TRUE(beyond.empty());
    EXPECT_EQ(seen[0].accessAddress, 128u);
    EXPECT_EQ(seen[0].accessSize, c.bytes);
    EXPECT_EQ(seen[0].address, 128u + c.bytes - 1);
    EXPECT_EQ(seen[0].oldBytes, std::vector<uint8_t>{before[c.bytes - 1]});
    EXPECT_EQ(seen[0].newBytes, std::vector<uint8_t>{mem->data[128 + c.bytes - 1]});
    if (c.isStore) {
      EXPECT_NE(seen[0].newBytes, seen[0].oldBytes);
      EXPECT_EQ(seen[0].memoryDuringHook, seen[0].newBytes);
    }
  }
}

TEST(MemoryWatchTest, LoadsAndStoresGiveTheSameResultsWatched) {
  // A checksum over stores and loads of every width, with and without a
  // watch that every access passes through the slow path for.
  const char* wat = R"((module (memory 1)
    (func (export "mix") (param $n i32) (result i64) (local $i i32) (local $acc i64)
      (loop $l
        (i32.store (i32.mul (local.get $i) (i32.const 4)) (i32.mul (local.get $i) (i32.const 2654435761)))
        (i64.store16 (i32.add (i32.const 4096) (local.get $i)) (i64.extend_i32_u (local.get $i)))
        (local.set $acc (i64.add (local.get $acc)
          (i64.add (i64.load32_s (i32.mul (local.get $i) (i32.const 4)))
                   (i64.load8_u (i32.add (i32.const 4096) (local.get $i))))))
        (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
      (local.get $acc))))";
  auto plain = instantiateWat(wat);
  auto watched = instantiateWat(wat);
  ASSERT_TRUE(plain.instance && watched.instance);
  size_t hits = 0;
  ASSERT_TRUE(watched.store
                  ->addMemoryWatch(*watched.instance->memory(0), 0, 1u << 16,
                                   WatchAccess::ReadWrite,
                                   [&](ProbeContext&, const MemoryAccess&) {
                                     ++hits;
                                     return ProbeAction::Continue;
                                   })
                  .ok());
  auto a = plain.call("mix", {Value::i32(1000)});
  auto b = watched.call("mix", {Value::i32(1000)});
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ((*a)[0].asI64(), (*b)[0].asI64());
  EXPECT_EQ(hits, 4000u);
  EXPECT_EQ(std::memcmp(plain.instance->memory(0)->data, watched.instance->memory(0)->data, 8192), 0);
}

TEST(MemoryWatchTest, WasiWritesIntoGuestMemoryAreReported) {
  // fd_read from a pipe into a watched buffer, then random_get over it.
  const char* wat = R"((module
    (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
    (import "wasi_snapshot_preview1" "random_get" (func $random_get (param i32 i32) (result i32)))
    (memory (export "memory") 1)
    (func (export "read") (result i32)
      (i32.store (i32.const 0) (i32.const 100))  ;; iovec: buf 100
      (i32.store (i32.const 4) (i32.const 16))   ;;        len 16
      (call $fd_read (i32.const 0) (i32.const 0) (i32.const 1) (i32.const 8)))
    (func (export "random") (result i32) (call $random_get (i32.const 100) (i32.const 8)))
  ))";
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  ASSERT_EQ(write(fds[1], "hello", 5), 5);
  close(fds[1]);
  WasiConfig config;
  config.stdinFd = fds[0];
  config.deterministic = true;
  WasiContext wasi(config);
  Store store;
  Linker linker;
  ASSERT_TRUE(wasi.define(store, linker).ok());
  auto module = compileWat(wat);
  ASSERT_TRUE(module);
  auto inst = store.instantiate(module, linker);
  ASSERT_TRUE(inst.ok()) << inst.error().describe();
  MemoryInstance* mem = (*inst)->memory(0);
  std::vector<Seen> seen, nread, unrelated;
  ASSERT_TRUE(store.addMemoryWatch(*mem, 102, 4, WatchAccess::Write, recorder(seen)).ok());
  ASSERT_TRUE(store.addMemoryWatch(*mem, 8, 4, WatchAccess::Write, recorder(nread)).ok());
  ASSERT_TRUE(store.addMemoryWatch(*mem, 110, 4, WatchAccess::Write, recorder(unrelated)).ok());
  auto r = store.invoke(*(*inst)->findFunction("read"), {});
  ASSERT_TRUE(r.ok()) << r.error().describe();
  EXPECT_EQ((*r)[0].asI32(), 0u);
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].source, AccessSource::Host);
  EXPECT_EQ(seen[0].address, 102u);
  EXPECT_EQ(seen[0].size, 3u) << "read(2) wrote 5 bytes from 100: 102..104";
  EXPECT_EQ(seen[0].oldBytes, (std::vector<uint8_t>{0, 0, 0}));
  EXPECT_EQ(seen[0].newBytes, (std::vector<uint8_t>{'l', 'l', 'o'}));
  // The hook sees the wasm frame calling fd_read.
  EXPECT_EQ(seen[0].funcIndex, (*inst)->findFunction("read")->code->index);
  ASSERT_EQ(nread.size(), 1u);
  EXPECT_EQ(nread[0].newBytes, bytesOf(5, 4));
  EXPECT_TRUE(unrelated.empty()) << "bytes past what read(2) returned were not written";

  seen.clear();
  r = store.invoke(*(*inst)->findFunction("random"), {});
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].address, 102u);
  EXPECT_EQ(seen[0].size, 4u);
  EXPECT_EQ(seen[0].oldBytes, (std::vector<uint8_t>{'l', 'l', 'o', 0}));
  close(fds[0]);
}

TEST(MemoryWatchTest, AHostWriteHookCanStopTheGuest) {
  const char* wat = R"((module
    (import "wasi_snapshot_preview1" "random_get" (func $random_get (param i32 i32) (result i32)))
    (memory (export "memory") 1)
    (func (export "random") (result i32) (call $random_get (i32.const 100) (i32.const 8)))
  ))";
  WasiConfig config;
  config.deterministic = true;
  WasiContext wasi(config);
  Store store;
  Linker linker;
  ASSERT_TRUE(wasi.define(store, linker).ok());
  auto module = compileWat(wat);
  ASSERT_TRUE(module);
  auto inst = store.instantiate(module, linker);
  ASSERT_TRUE(inst.ok());
  ASSERT_TRUE(store
                  .addMemoryWatch(*(*inst)->memory(0), 100, 1, WatchAccess::Write,
                                  [](ProbeContext&, const MemoryAccess&) { return ProbeAction::Stop; })
                  .ok());
  auto r = store.invoke(*(*inst)->findFunction("random"), {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::Interrupted);
}

} // namespace
} // namespace wasmscope::runtime::test
