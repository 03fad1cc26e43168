// wasmscope's runtime behind the spec driver's callbacks: one Store and
// Linker per script, with the spectest module linked in. Only this file
// pair sees the runtime; the runner and the driver see a SpecEngine.
#pragma once

#include "SpecEngine.h"

#include <memory>

namespace wasmscope::spec {

/// A fresh store with the spectest module registered, behind SpecEngine.
Outcome<std::unique_ptr<SpecEngine>> createRuntimeEngine();

} // namespace wasmscope::spec
