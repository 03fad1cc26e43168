// Response and event bodies the adapter sends, as plain structs with toJSON.
// Optional members are left out of the JSON when empty, as the protocol
// expects; every struct here serialises to a value that validates against
// the matching definition of debugAdapterProtocol.json.
#pragma once

#include "Protocol/Json.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace wasmscope::dap::protocol {

struct ExceptionBreakpointsFilter {
  std::string filter;
  std::string label;
  std::string description;
  bool defaultValue = false;
};
json toJSON(const ExceptionBreakpointsFilter& value);

/// What the adapter supports. Only capabilities that are implemented are set.
struct Capabilities {
  bool supportsConfigurationDoneRequest = false;
  bool supportsFunctionBreakpoints = false;
  bool supportsConditionalBreakpoints = false;
  bool supportsHitConditionalBreakpoints = false;
  bool supportsEvaluateForHovers = false;
  bool supportsSetVariable = false;
  bool supportsRestartRequest = false;
  bool supportsExceptionInfoRequest = false;
  bool supportsLoadedSourcesRequest = false;
  bool supportsLogPoints = false;
  bool supportsTerminateRequest = false;
  bool supportsDelayedStackTraceLoading = false;
  bool supportsReadMemoryRequest = false;
  bool supportsWriteMemoryRequest = false;
  bool supportsSteppingGranularity = false;
  bool supportsInstructionBreakpoints = false;
  bool supportsDataBreakpoints = false;
  bool supportsDataBreakpointBytes = false;
  bool supportsBreakpointLocationsRequest = false;
  bool supportsClipboardContext = false;
  bool supportsModulesRequest = false;
  bool supportTerminateDebuggee = false;
  bool supportsSetExpression = false;
  bool supportsCompletionsRequest = false;
  bool supportsDisassembleRequest = false;
  std::vector<std::string> completionTriggerCharacters;
  std::vector<ExceptionBreakpointsFilter> exceptionBreakpointFilters;
};
json toJSON(const Capabilities& value);

struct Source {
  std::string name;
  std::string path;
  /// Non-zero: the client asks for the text with a `source` request.
  int64_t sourceReference = 0;
};
json toJSON(const Source& value);

struct Breakpoint {
  std::optional<int64_t> id;
  bool verified = false;
  std::string message;
  std::optional<Source> source;
  uint32_t line = 0;   ///< 0: left out.
  uint32_t column = 0; ///< 0: left out.
  std::string instructionReference;
  /// "pending" or "failed" when not verified (DAP 1.65 `reason`).
  std::string reason;
};
json toJSON(const Breakpoint& value);

struct BreakpointLocation {
  uint32_t line = 0;
  uint32_t column = 0;
};
json toJSON(const BreakpointLocation& value);

struct Thread {
  int64_t id = 0;
  std::string name;
};
json toJSON(const Thread& value);

struct StackFrame {
  int64_t id = 0;
  std::string name;
  std::optional<Source> source;
  uint32_t line = 0;
  uint32_t column = 0;
  std::string instructionPointerReference;
  std::string moduleId;
  std::string presentationHint; ///< "", "normal", "label", "subtle"
};
json toJSON(const StackFrame& value);

struct Scope {
  std::string name;
  std::string presentationHint; ///< "arguments", "locals", "registers", ""
  int64_t variablesReference = 0;
  std::optional<uint32_t> namedVariables;
  bool expensive = false;
};
json toJSON(const Scope& value);

struct Variable {
  std::string name;
  std::string value;
  std::string type;
  int64_t variablesReference = 0;
  std::optional<uint32_t> namedVariables;
  std::optional<uint32_t> indexedVariables;
  std::string memoryReference;
  std::string evaluateName;
};
json toJSON(const Variable& value);

struct EvaluateBody {
  std::string result;
  std::string type;
  int64_t variablesReference = 0;
  std::optional<uint32_t> namedVariables;
  std::optional<uint32_t> indexedVariables;
  std::string memoryReference;
};
json toJSON(const EvaluateBody& value);

struct ReadMemoryBody {
  std::string address;
  uint64_t unreadableBytes = 0;
  std::string data; ///< base64
};
json toJSON(const ReadMemoryBody& value);

/// DAP DisassembledInstruction.
struct DisassembledInstruction {
  std::string address; ///< "0x0001a2"
  std::string instructionBytes;
  std::string instruction;
  std::string symbol;
  std::optional<Source> location;
  uint32_t line = 0; ///< In the client's line base; 0: none.
  uint32_t column = 0;
  bool invalid = false; ///< presentationHint "invalid".
};
json toJSON(const DisassembledInstruction& value);

struct DisassembleBody {
  std::vector<DisassembledInstruction> instructions;
};
json toJSON(const DisassembleBody& value);

struct ExceptionInfoBody {
  std::string exceptionId;
  std::string description;
  std::string breakMode = "always";
  std::string stackTrace; ///< In `details`.
};
json toJSON(const ExceptionInfoBody& value);

struct Module {
  std::string id;
  std::string name;
  std::string path;
  std::string symbolStatus;
};
json toJSON(const Module& value);

// ------------------------------------------------------------- events ----

struct StoppedEventBody {
  std::string reason;
  std::string description;
  int64_t threadId = 0;
  std::string text;
  bool allThreadsStopped = true;
  std::vector<int64_t> hitBreakpointIds;
};
json toJSON(const StoppedEventBody& value);

struct ContinuedEventBody {
  int64_t threadId = 0;
  bool allThreadsContinued = true;
};
json toJSON(const ContinuedEventBody& value);

struct OutputEventBody {
  std::string category; ///< "console", "important", "stdout", "stderr"
  std::string output;
  std::optional<Source> source;
  uint32_t line = 0;
};
json toJSON(const OutputEventBody& value);

struct ExitedEventBody {
  int64_t exitCode = 0;
};
json toJSON(const ExitedEventBody& value);

struct BreakpointEventBody {
  std::string reason; ///< "changed", "new", "removed"
  Breakpoint breakpoint;
};
json toJSON(const BreakpointEventBody& value);

/// A value in int32 range, clamped (ids and references must fit DAP's int32).
int64_t clampInt32(int64_t value);

} // namespace wasmscope::dap::protocol
