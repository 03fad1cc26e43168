// Disassembly annotated with the debug info: wasm text for each instruction
// with its code offset, encoding, the function it starts and the source line
// it belongs to. Serves DAP's `disassemble` (through Session::disassemble)
// and `wasmscope symbols --disassemble`.
#pragma once

#include "wasmscope/runtime/Module.h"
#include "wasmscope/runtime/Result.h"
#include "wasmscope/symbols/Symbols.h"

#include <cstdint>
#include <string>
#include <vector>

namespace wasmscope::debugger {

/// One instruction of a disassembly (DAP DisassembledInstruction).
struct DisassembledInstruction {
  /// Code offset (code-section-relative, as stack frames' `address`).
  uint32_t address = 0;
  uint32_t size = 0; ///< Bytes of its encoding (0 for padding).
  std::string bytes; ///< Its encoding in hex, "41 10".
  std::string text;  ///< Wasm text, "i32.load offset=12" (WasmText.h).
  /// The function's name on the first instruction of a function, else "".
  std::string symbol;
  /// The line-table row covering it; kNoFile / 0 when it has none (line 0).
  FileIndex file = kNoFile;
  uint32_t line = 0;
  uint32_t column = 0;
  /// The file's path (a Session gives the local path, see
  /// LaunchConfig::sourceMap) and, as StackFrame's, its sourceReference.
  std::string sourcePath;
  int64_t sourceReference = 0;
  /// Block nesting, for indentation.
  uint32_t depth = 0;
  /// False for padding outside the module's code (DAP "invalid"): a request
  /// for instructions before the first function or after the last gets as
  /// many as it asked for, these filling the rest.
  bool valid = true;
};

/// Every instruction of function `funcIndex` (a wasm function index, imports
/// counted; an imported function is an error), annotated from `symbols` (may
/// be null: no names or lines beyond the name section).
Result<std::vector<DisassembledInstruction>>
disassembleFunction(const runtime::Module& module, const ModuleSymbols* symbols, uint32_t funcIndex);

/// `count` instructions starting `instructionOffset` instructions from the
/// one at `address` (or, when `address` is not an instruction's first byte,
/// the first instruction after it), across function boundaries, in address
/// order. Always `count` entries: positions outside the module's code are
/// invalid padding at addresses counting down from the first instruction
/// or up from the end of the code. `count` is capped at kMaxDisassembly.
std::vector<DisassembledInstruction> disassembleAround(const runtime::Module& module,
                                                       const ModuleSymbols* symbols,
                                                       uint32_t address, int64_t instructionOffset,
                                                       uint32_t count);

/// The most instructions one request returns.
inline constexpr uint32_t kMaxDisassembly = 65536;

} // namespace wasmscope::debugger
