// The `spectest` host module the spec test scripts import from: print
// functions, four globals, a table and a memory, as the reference
// interpreter defines them (spec interpreter's host/spectest.ml).
#pragma once

#include "wasmscope/runtime/Instance.h"
#include "wasmscope/runtime/Result.h"

namespace wasmscope::runtime {
class Store;
}

namespace wasmscope::spec {

/// Builds the spectest module in `store`. Its print functions print nothing:
/// the scripts call them only to check that imports link and run.
runtime::Result<runtime::Instance*> buildSpectestModule(runtime::Store& store);

} // namespace wasmscope::spec
