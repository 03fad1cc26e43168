// Runs an untrusted byte stream through the DAP adapter the way the fuzzer
// does: the bytes as a client's whole input on an in-memory transport, the
// input closed, then every message the adapter wrote checked for its shape.
// Shared by the libFuzzer target and the replay of tests/regression/dap/, so
// a saved input replays exactly what failed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace wasmscope::dap::fuzz {

struct DapRunSummary {
  size_t responses = 0;
  size_t events = 0;
  /// Requests the framer and the JSON parser let through with a usable seq,
  /// counted from the input (what the adapter must answer).
  size_t answerableRequests = 0;
  /// Responses whose request_seq matched one of those requests.
  size_t answeredRequests = 0;
  /// Every message that broke the rules: not a JSON object, seq not counting
  /// up from 1, a response without request_seq, command or success, an error
  /// response without a message, an event without a name.
  std::vector<std::string> shapeErrors;
  /// serveClient did not return within the time limit.
  bool hung = false;
};

DapRunSummary runUntrustedDapStream(std::span<const uint8_t> bytes);

} // namespace wasmscope::dap::fuzz
