// Module-level validation (spec 3.4): everything outside function bodies.
// Function bodies are validated by the one-pass compiler (Compiler.h), which
// calls this first.
#pragma once

#include "wasmscope/runtime/Module.h"
#include "wasmscope/runtime/Result.h"

#include <vector>

namespace wasmscope::runtime {

/// Facts the body validator needs that are derived from the whole module.
struct ModuleContext {
  /// C.refs of the spec: functions that `ref.func` may name in a body
  /// (those referenced by element segments, exports or global initialisers).
  std::vector<bool> declaredFuncRefs;
};

/// Validates types, imports, functions, tables, memories, globals, exports,
/// start, element and data segments, and all constant expressions. Errors
/// carry the spec tests' wording and the offset of the offending item.
Result<ModuleContext> validateModule(const Module& module);

} // namespace wasmscope::runtime
