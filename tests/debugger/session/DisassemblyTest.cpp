// Disassembly: the wasm text of runtime::disassembleBody checked against
// wabt's wasm-objdump (the oracle the set-up installs) instruction by
// instruction on real programs, the text of every immediate kind on a
// hand-written module, disassembleAround's walk across functions and past
// the ends of the code, and Session::disassemble at a stop.
#include "SessionTestSupport.h"

#include "wasmscope/runtime/Decoder.h"
#include "wasmscope/runtime/Launch.h"
#include "wasmscope/runtime/WasmText.h"
#include "wasmscope/session/Disassembly.h"

#include <cstdio>
#include <fstream>
#include <sstream>

namespace wasmscope::debugger::test {
namespace {

std::string runCommand(const std::string& command, int* status = nullptr) {
  FILE* p = popen(command.c_str(), "r");
  std::string out;
  char buf[4096];
  while (p && fgets(buf, sizeof buf, p))
    out += buf;
  int rc = p ? pclose(p) : -1;
  if (status)
    *status = rc;
  return out;
}

runtime::Module decodeFile(const std::string& path) {
  auto bytes = runtime::readModuleFile(path);
  EXPECT_TRUE(bytes.ok()) << path;
  auto module = runtime::decodeModule(*bytes);
  EXPECT_TRUE(module.ok()) << path;
  return std::move(*module);
}

/// wasm-objdump -d's instructions: (file offset, mnemonic), locals lines left out.
std::vector<std::pair<uint32_t, std::string>> objdumpInstructions(const std::string& path) {
  std::istringstream lines(runCommand("wasm-objdump -d '" + path + "'"));
  std::vector<std::pair<uint32_t, std::string>> out;
  std::string line;
  while (std::getline(lines, line)) {
    size_t colon = line.find(':'), bar = line.find("| ");
    if (line.size() < 2 || line[0] != ' ' || colon == std::string::npos || bar == std::string::npos)
      continue;
    std::string text = line.substr(bar + 2);
    text.erase(0, text.find_first_not_of(' '));
    std::string mnemonic = text.substr(0, text.find(' '));
    // Empty: the rest of a long encoding (br_table) on a line of its own.
    if (mnemonic.empty() || mnemonic.starts_with("local["))
      continue;
    out.emplace_back(uint32_t(std::stoul(line.substr(1, colon - 1), nullptr, 16)), mnemonic);
  }
  return out;
}

/// Compares every instruction's offset and mnemonic with wasm-objdump's.
void expectMatchesObjdump(const std::string& path) {
  SKIP_WITHOUT(path);
  runtime::Module module = decodeFile(path);
  auto expected = objdumpInstructions(path);
  ASSERT_GT(expected.size(), 1000u) << "wasm-objdump listed too little of " << path;
  std::vector<std::pair<uint32_t, std::string>> ours;
  for (uint32_t f = 0; f < module.codes.size(); ++f) {
    auto body = runtime::disassembleBody(module, f);
    ASSERT_TRUE(body.ok()) << path << " function " << f << ": " << body.error().message;
    for (const auto& ins : *body) {
      std::string text = ins.text.substr(0, ins.text.find(' '));
      ours.emplace_back(ins.codeOffset + module.codeSectionOffset, text);
    }
  }
  ASSERT_EQ(ours.size(), expected.size()) << path;
  size_t mismatches = 0;
  for (size_t i = 0; i < ours.size() && mismatches < 5; ++i)
    if (ours[i] != expected[i]) {
      ++mismatches;
      ADD_FAILURE() << path << ": instruction " << i << " is " << ours[i].second << " at 0x"
                    << std::hex << ours[i].first << ", wasm-objdump says "
                    << expected[i].second << " at 0x" << expected[i].first;
    }
}

TEST(Disassembly, AgreesWithWasmObjdumpOnRealPrograms) {
  for (const char* program : {"tinylua", "minisql"})
    for (const char* opt : {"O0", "O2"})
      expectMatchesObjdump(std::string(SESSION_GUEST_DIR) + "/" + program + "." + opt + ".wasm");
}

constexpr const char* kEveryImmediate = R"((module
  (type $t (func (param i32) (result i32)))
  (import "env" "h" (func $h (param i32)))
  (memory 1)
  (table $tab 4 funcref)
  (table $tab2 2 funcref)
  (global $g (mut i32) (i32.const 0))
  (elem $e func $f)
  (data $d "abc")
  (func $f (type $t) (param i32) (result i32) (local i64 f32 f64)
    block loop local.get 0 br_if 1 local.get 0 br_table 0 1 1 end end
    block (result i32) i32.const -5 end drop
    local.get 0
    if (result i32) i32.const 1 else i32.const 2 end
    i32.load offset=12 i32.load8_u align=1 i64.load32_s offset=4 align=2 drop
    i32.const 0 i64.const -1 i64.store offset=8
    f32.const 1.5 local.set 2 f64.const -0.25 local.set 3
    i32.const 0 call $h
    i32.const 0 i32.const 1 call_indirect $tab2 (type $t)
    global.get $g i32.const 3 select (result i32) global.set $g
    memory.size memory.grow drop
    i32.const 0 i32.const 0 i32.const 3 memory.init $d data.drop $d
    i32.const 0 i32.const 1 i32.const 2 memory.copy
    i32.const 0 i32.const 1 i32.const 2 memory.fill
    i32.const 0 i32.const 0 i32.const 1 table.init $tab2 $e elem.drop $e
    i32.const 0 i32.const 0 i32.const 1 table.copy $tab $tab2
    ref.null func i32.const 1 table.grow $tab2 drop
    table.size $tab drop
    ref.func $f ref.is_null drop
    f32.const 2.5 i32.trunc_sat_f32_s drop
    i32.const 0 table.get $tab drop
    local.get 0 i32.extend8_s)
  (func $second (result i32) i32.const 7))
)";

runtime::Module everyImmediateModule() {
  char dir[] = "/tmp/wasmscope-disasm-XXXXXX";
  EXPECT_NE(mkdtemp(dir), nullptr);
  std::string wat = std::string(dir) + "/m.wat", wasm = std::string(dir) + "/m.wasm";
  std::ofstream(wat) << kEveryImmediate;
  int status = 0;
  std::string log = runCommand("wat2wasm --debug-names " + wat + " -o " + wasm + " 2>&1", &status);
  EXPECT_EQ(status, 0) << log;
  runtime::Module module = decodeFile(wasm);
  std::remove(wat.c_str());
  std::remove(wasm.c_str());
  rmdir(dir);
  return module;
}

TEST(Disassembly, WritesEveryKindOfImmediateAsWasmText) {
  runtime::Module module = everyImmediateModule();
  auto body = runtime::disassembleBody(module, 0);
  ASSERT_TRUE(body.ok()) << body.error().message;
  std::vector<std::string> texts;
  for (const auto& ins : *body)
    texts.push_back(std::string(2 * ins.depth, ' ') + ins.text);
  std::vector<std::string> expected = {
      "block", "  loop", "    local.get 0", "    br_if 1", "    local.get 0",
      "    br_table 0 1 1", "  end", "end", "block (result i32)", "  i32.const -5", "end",
      "drop", "local.get 0", "if (result i32)", "  i32.const 1", "else", "  i32.const 2", "end",
      "i32.load offset=12", "i32.load8_u", "i64.load32_s offset=4 align=2", "drop",
      "i32.const 0", "i64.const -1", "i64.store offset=8", "f32.const 1.5", "local.set 2",
      "f64.const -0.25", "local.set 3", "i32.const 0", "call 0 <h>", "i32.const 0",
      "i32.const 1", "call_indirect 1 (type 0)", "global.get 0", "i32.const 3",
      "select (result i32)", "global.set 0", "memory.size", "memory.grow", "drop",
      "i32.const 0", "i32.const 0", "i32.const 3", "memory.init 0", "data.drop 0",
      "i32.const 0", "i32.const 1", "i32.const 2", "memory.copy", "i32.const 0", "i32.const 1",
      "i32.const 2", "memory.fill", "i32.const 0", "i32.const 0", "i32.const 1",
      "table.init 1 0", "elem.drop 0", "i32.const 0", "i32.const 0", "i32.const 1",
      "table.copy 0 1", "ref.null func", "i32.const 1", "table.grow 1", "drop", "table.size 0",
      "drop", "ref.func 1", "ref.is_null", "drop", "f32.const 2.5", "i32.trunc_sat_f32_s",
      "drop", "i32.const 0", "table.get 0", "drop", "local.get 0", "i32.extend8_s", "end"};
  EXPECT_EQ(texts, expected);
  // Sizes tile the body exactly.
  uint32_t at = module.codes[0].body.begin - module.codeSectionOffset;
  for (const auto& ins : *body) {
    EXPECT_EQ(ins.codeOffset, at) << ins.text;
    at += ins.size;
  }
  EXPECT_EQ(at, module.codes[0].body.end - module.codeSectionOffset);
}

TEST(Disassembly, UndecodableBodyIsAnErrorNotAReadPastIt) {
  runtime::Module module = everyImmediateModule();
  // Cut the second body short inside its i32.const immediate: 41 07 0b -> 41 87.
  runtime::Code& second = module.codes[1];
  module.bytes[second.body.begin + 1] = 0x87;
  second.body.end = second.body.begin + 2;
  auto body = runtime::disassembleBody(module, 1);
  ASSERT_FALSE(body.ok());
  EXPECT_EQ(body.error().offset, second.body.begin + 2) << body.error().describe();
  module.bytes[second.body.begin] = 0xff; // no such opcode
  body = runtime::disassembleBody(module, 1);
  ASSERT_FALSE(body.ok());
  EXPECT_NE(body.error().message.find("illegal opcode 0xff"), std::string::npos);
  EXPECT_FALSE(runtime::disassembleBody(module, 2).ok());
}

TEST(Disassembly, AroundWalksAcrossFunctionsAndPadsPastTheEnds) {
  runtime::Module module = everyImmediateModule();
  auto first = disassembleFunction(module, nullptr, 1);
  auto second = disassembleFunction(module, nullptr, 2);
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(first->front().symbol, "f");
  EXPECT_EQ(second->front().symbol, "second");
  ASSERT_EQ(second->size(), 2u); // i32.const 7, end
  EXPECT_FALSE(disassembleFunction(module, nullptr, 0).ok()); // imported

  // From the last instruction of f: two back, into `second`, then padding.
  uint32_t lastOfFirst = first->back().address;
  auto around = disassembleAround(module, nullptr, lastOfFirst, -2, 7);
  ASSERT_EQ(around.size(), 7u);
  EXPECT_EQ(around[0].text, (*first)[first->size() - 3].text);
  EXPECT_EQ(around[2].address, lastOfFirst);
  EXPECT_EQ(around[3].text, "i32.const 7");
  EXPECT_EQ(around[3].symbol, "second");
  EXPECT_EQ(around[4].text, "end");
  EXPECT_FALSE(around[5].valid);
  EXPECT_FALSE(around[6].valid);
  EXPECT_GT(around[6].address, around[5].address);

  // Before the first instruction: padding, then f from its start.
  auto before = disassembleAround(module, nullptr, first->front().address, -3, 5);
  ASSERT_EQ(before.size(), 5u);
  EXPECT_FALSE(before[0].valid);
  EXPECT_FALSE(before[2].valid);
  EXPECT_EQ(before[3].address, first->front().address);
  EXPECT_EQ(before[4].address, (*first)[1].address);

  // An address inside an instruction names that instruction.
  const auto& call = (*first)[30];
  ASSERT_EQ(call.text, "call 0 <h>");
  auto inside = disassembleAround(module, nullptr, call.address + 1, 0, 1);
  EXPECT_EQ(inside[0].address, call.address);
  // Far past the code: all padding, as many as asked for.
  auto past = disassembleAround(module, nullptr, 1u << 30, -1, 4);
  ASSERT_EQ(past.size(), 4u);
  EXPECT_EQ(past[0].text, "end");
  EXPECT_FALSE(past[1].valid);
}

TEST(Disassembly, SessionListsTheStoppedInstructionWithItsLine) {
  std::string path = stepsPath("O0");
  SKIP_WITHOUT(path);
  Driver d;
  d.launch(configFor(path), false);
  ASSERT_TRUE(d.breakAt("steps.c", steps::kAddBody).verified);
  ASSERT_TRUE(d.session.configurationDone().ok());
  ASSERT_TRUE(d.waitStop());
  StackFrame top = d.top();
  auto listed = d.session.disassemble(top.address, -4, 10);
  ASSERT_TRUE(listed.ok()) << listed.error().message;
  ASSERT_EQ(listed->size(), 10u);
  const DisassembledInstruction& here = (*listed)[4];
  EXPECT_EQ(here.address, top.address);
  EXPECT_EQ(here.line, steps::kAddBody);
  EXPECT_EQ(here.sourcePath, top.sourcePath);
  EXPECT_TRUE(here.valid);
  for (size_t i = 1; i < listed->size(); ++i)
    EXPECT_GT((*listed)[i].address, (*listed)[i - 1].address);
  // The function's entry carries its name.
  auto entry = d.session.disassemble(top.address, -200, 200);
  ASSERT_TRUE(entry.ok());
  bool named = std::any_of(entry->begin(), entry->end(),
                           [](const DisassembledInstruction& i) { return i.symbol == "add"; });
  EXPECT_TRUE(named);
}

} // namespace
} // namespace wasmscope::debugger::test
