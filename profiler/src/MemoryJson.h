// The JSON profile's "memory" section (MemoryJson.cpp), used by the JSON
// format's reader and writer.
#pragma once

#include "wasmscope/profiler/MemoryProfile.h"
#include "wasmscope/runtime/Result.h"

#include <nlohmann/json.hpp>

namespace wasmscope::profiler {

/// The memory profile as the JSON profile's "memory" section.
nlohmann::json memoryToJson(const MemoryProfile &memory);
/// Reads a "memory" section; its stacks index `frames` frames and `lines`
/// lines of the enclosing profile.
runtime::Result<MemoryProfile> memoryFromJson(const nlohmann::json &section, size_t frames,
                                              size_t lines);

} // namespace wasmscope::profiler
