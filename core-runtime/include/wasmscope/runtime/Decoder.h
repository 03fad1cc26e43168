// Decoder for the WebAssembly binary format (spec chapter 5). Function
// bodies are located but not decoded here; the one-pass validator and
// compiler reads them.
#pragma once

#include "wasmscope/runtime/Module.h"
#include "wasmscope/runtime/Result.h"

#include <cstdint>
#include <span>

namespace wasmscope::runtime {

/// Decodes a binary module. On malformed input returns an Error whose code
/// and message match the spec tests' wording and whose offset is the byte
/// where decoding failed. Never reads outside `bytes`.
Result<Module> decodeModule(std::span<const uint8_t> bytes);

} // namespace wasmscope::runtime
