// Text listing of internal code, so that what the compiler made of a
// function can be read: "  12 @0x3f  i32.add_imm  s5 <- s5, 1".
#include "InternalOps.h"
#include "wasmscope/runtime/Compiler.h"

#include <cstdio>

namespace wasmscope::runtime {

std::string disassemble(const CompiledFunction& function) {
  std::string out;
  char buf[64];
  std::snprintf(buf, sizeof buf, "; function %u: %u params, %u locals, %u frame slots\n",
                function.index, function.numParams, function.numLocals, function.frameSlots);
  out += buf;
  // Where the locals live when some take two slots (v128).
  if (function.numLocalSlots != function.numLocals) {
    out += "; local slots:";
    for (uint32_t i = 0; i < function.numLocals; ++i) {
      std::snprintf(buf, sizeof buf, " %u=s%u%s", i, function.localSlots[i],
                    function.localTypes[i] == ValType::V128 ? "+1" : "");
      out += buf;
    }
    out += '\n';
  }
  const std::vector<uint32_t>& code = function.code;
  uint32_t pc = 0;
  while (pc < code.size()) {
    uint32_t opWord = code[pc];
    auto probe = function.probes.find(pc);
    if (probe != function.probes.end())
      opWord = probe->second.originalOp;
    // Measure with the original opcode in place of a probe.
    std::vector<uint32_t> ins(code.begin() + pc, code.begin() + std::min<size_t>(code.size(), pc + 3));
    ins[0] = opWord;
    if (Op(opWord) == Op::BrTable && ins.size() >= 3)
      ins[2] = code[pc + 2];
    uint32_t words = instructionWords(ins.data());
    std::snprintf(buf, sizeof buf, "%6u @0x%-5x %s%-22s", pc, function.wasmOffsetAt(pc),
                  probe != function.probes.end() ? "*" : " ", opName(Op(opWord)));
    out += buf;
    for (uint32_t i = 1; i < words && pc + i < code.size(); ++i) {
      std::snprintf(buf, sizeof buf, " %u", code[pc + i]);
      out += buf;
    }
    out += '\n';
    pc += words;
  }
  return out;
}

} // namespace wasmscope::runtime
