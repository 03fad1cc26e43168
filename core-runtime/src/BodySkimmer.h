// A decode-only pass over function bodies: reads every instruction's
// immediates and the block structure, checks nothing about types or indices.
//
// Validation and compilation run in one pass (FunctionCompiler), so a body
// reaches its first validation error before the decoder has seen the rest of
// the module. The spec orders the phases the other way: a binary that is both
// malformed and invalid is malformed (binary.wast). compileModule therefore
// skims every body for a decoding error before it reports a validation error.
#pragma once

#include "wasmscope/runtime/Module.h"
#include "wasmscope/runtime/Result.h"

#include <optional>

namespace wasmscope::runtime {

/// The first error that decoding the function bodies of `module` gives, in
/// module order, or nothing if all of them are well formed.
std::optional<Error> findMalformedBody(const Module& module);

} // namespace wasmscope::runtime
