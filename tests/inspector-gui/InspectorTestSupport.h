// Shared helpers of the inspector tests: where the samples are, a live run
// of a sample driven to a stop or its end, and small profiles built by hand.
#pragma once

#include "LiveRun.h"

#include "wasmscope/profiler/Profile.h"

#include <chrono>
#include <memory>
#include <optional>
#include <string>

namespace wasmscope::gui::test {

/// The built sample NAME.O0.wasm, or "" when the samples were not built.
std::string samplePath(const std::string& name);
/// samples/NAME.c in the source tree.
std::string sampleSource(const std::string& name);

/// Waits for the next event of kind T from a LiveRun, giving up after
/// `timeout`; other events are returned through `skipped` (may be null).
template <typename T>
std::optional<debugger::Event> waitFor(LiveRun& run, std::chrono::milliseconds timeout,
                                       std::vector<debugger::Event>* skipped = nullptr);

/// samples/request_handler run live once (default arguments, so all three
/// of its leaks happen) with the heap profiler on, to its end: the final
/// snapshot (profile with its memory part, and linear memory at exit).
/// Empty when the samples were not built; later calls return the same run.
RunSnapshot requestHandlerMemoryRun();

/// A profile with the given frames and a trace of (E|X, frame, time) events.
profiler::Profile profileWithTrace(const std::vector<std::string>& frames,
                                   const std::vector<std::tuple<char, uint32_t, uint64_t>>& events,
                                   std::vector<uint32_t> openAtStart = {});

} // namespace wasmscope::gui::test

#include "InspectorTestSupport.inl"
