// `disassemble`: wasm text for the instructions around a code offset (a
// stack frame's instructionPointerReference, an instruction breakpoint's
// reference), each with its bytes, the function it starts and its source
// line, so a client can show code that has no source (libc, a pause in
// compiler-generated code) and step it by instruction.
#include "Handler/Handlers.h"

namespace wasmscope::dap {

HandlerResult<protocol::DisassembleBody>
DisassembleHandler::handle(const protocol::DisassembleArguments& args) {
  auto base = protocol::parseMemoryReference(args.memoryReference);
  if (!base)
    return failure("expected a code offset such as \"0x1a2b\" at (root).memoryReference");
  if (args.instructionCount > debugger::kMaxDisassembly)
    return failure("instructionCount " + std::to_string(args.instructionCount) +
                   " exceeds the limit of " + std::to_string(debugger::kMaxDisassembly) +
                   " instructions per disassemble request");
  if ((args.offset < 0 && uint64_t(-args.offset) > *base) ||
      (args.offset > 0 && *base + uint64_t(args.offset) > UINT32_MAX) || *base > UINT32_MAX)
    return failure("code offset out of range: " + args.memoryReference + " + " +
                   std::to_string(args.offset));
  uint64_t address = *base + uint64_t(args.offset);
  auto listed =
      session().disassemble(address, args.instructionOffset, uint32_t(args.instructionCount));
  if (!listed.ok())
    return failure(listed.error().message);

  protocol::DisassembleBody body;
  body.instructions.reserve(listed->size());
  for (const auto& instruction : *listed) {
    protocol::DisassembledInstruction out;
    out.address = protocol::formatMemoryReference(instruction.address);
    out.instructionBytes = instruction.bytes;
    // Indent by block nesting, as wasm text is written.
    out.instruction = std::string(2 * std::min<uint32_t>(instruction.depth, 16), ' ') +
                      instruction.text;
    out.symbol = instruction.symbol;
    out.invalid = !instruction.valid;
    if (instruction.line) {
      out.location = makeSource(instruction.sourcePath, {}, instruction.sourceReference);
      out.line = uint32_t(std::max<int64_t>(0, m_adapter.lineToClient(instruction.line)));
      if (instruction.column)
        out.column =
            uint32_t(std::max<int64_t>(0, m_adapter.columnToClient(instruction.column)));
    }
    body.instructions.push_back(std::move(out));
  }
  return body;
}

} // namespace wasmscope::dap
