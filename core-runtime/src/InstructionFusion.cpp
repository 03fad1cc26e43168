// The superinstruction pass; see InstructionFusion.h.
#include "InstructionFusion.h"

#include "InternalOps.h"

#include <algorithm>

namespace wasmscope::runtime {

void fuseInstructionPairs(CompiledFunction& function) {
  std::vector<uint32_t>& code = function.code;
  const std::vector<uint32_t>& loops = function.loopHeaders; // increasing pcs
  auto isLoopHeader = [&](uint32_t pc) { return std::binary_search(loops.begin(), loops.end(), pc); };
  uint32_t pc = 0;
  while (pc < code.size()) {
    uint32_t next = pc + instructionWords(&code[pc]);
    if (next >= code.size())
      break;
    Op fused = superinstructionFor(&code[pc], &code[next]);
    if (fused != Op::Count && !isLoopHeader(next)) {
      code[pc] = uint32_t(fused);
      function.fusedPairs.push_back({next, pc, uint32_t(fused)});
    }
    pc = next;
  }
}

const FusedPair* fusedPairEndingAt(const CompiledFunction& function, uint32_t pc) {
  const std::vector<FusedPair>& pairs = function.fusedPairs;
  auto it = std::lower_bound(pairs.begin(), pairs.end(), pc,
                             [](const FusedPair& p, uint32_t at) { return p.secondPc < at; });
  return it != pairs.end() && it->secondPc == pc ? &*it : nullptr;
}

} // namespace wasmscope::runtime
