// Arguments of the DAP requests the adapter serves, as plain structs, each
// read from the request's `arguments` with fromJSON (errors name the path:
// "missing value at (root).threadId"). Field names and meanings are the
// protocol's (debugAdapterProtocol.json); only what the adapter uses is kept.
#pragma once

#include "Protocol/Json.h"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace wasmscope::dap::protocol {

/// For requests without arguments (threads, configurationDone, ...).
struct EmptyArguments {};
bool fromJSON(const json& value, EmptyArguments& out, const Path& path);

struct InitializeArguments {
  std::string clientID;
  std::string clientName;
  std::string adapterID;
  bool linesStartAt1 = true;
  bool columnsStartAt1 = true;
  std::string pathFormat = "path";
  bool supportsVariableType = false;
  bool supportsMemoryReferences = false;
  bool supportsInvalidatedEvent = false;
};
bool fromJSON(const json& value, InitializeArguments& out, const Path& path);

/// A directory handed to the guest: "HOST" or "HOST::GUEST" (as `wasmscope
/// run --dir`), or {"host": ..., "guest": ...}.
struct PreopenArgument {
  std::string host;
  std::string guest; ///< Empty: the host path as given.
};
bool fromJSON(const json& value, PreopenArgument& out, const Path& path);

/// A byte count: an integer, or a string with a binary suffix ("64MiB").
struct ByteSizeArgument {
  uint64_t bytes = 0;
};
bool fromJSON(const json& value, ByteSizeArgument& out, const Path& path);

/// A duration: a string with a unit, "500ms", "30s", "1.5m", "2h"
/// (runtime::parseDuration).
struct DurationArgument {
  std::chrono::nanoseconds value{0};
};
bool fromJSON(const json& value, DurationArgument& out, const Path& path);

/// `launch`: the attributes a wasmscope launch configuration may hold (see
/// dap-server/vscode/package.json, which documents each for users).
struct LaunchArguments {
  std::string program;
  std::vector<std::string> args;
  /// Ordered as given; a null value leaves the variable out.
  std::vector<std::pair<std::string, std::string>> env;
  std::string cwd;
  std::vector<PreopenArgument> dirs;
  bool stopOnEntry = false;
  std::optional<uint64_t> fuel;
  std::optional<ByteSizeArgument> maxMemory;
  std::optional<uint32_t> maxCallDepth;
  /// Wall-clock limit on the guest's running time (stops do not count).
  std::optional<DurationArgument> timeout;
  bool deterministic = false;
  /// A host file whose contents the guest reads as stdin.
  std::string stdinPath;
  bool noDebug = false;
  /// lldb-dap's `sourceMap`: (build path prefix, local path prefix) pairs,
  /// given as [["/build", "/local"], ...] or {"/build": "/local", ...}.
  std::vector<std::pair<std::string, std::string>> sourceMap;
  // `token` (a server's access token) is checked by the Dispatcher.
};
bool fromJSON(const json& value, LaunchArguments& out, const Path& path);

struct SourceArgument {
  std::string name;
  std::string path;
  int32_t sourceReference = 0;
};
bool fromJSON(const json& value, SourceArgument& out, const Path& path);

struct SourceBreakpointArgument {
  int64_t line = 0;
  std::optional<int64_t> column;
  std::string condition;
  std::string hitCondition;
  std::string logMessage;
};
bool fromJSON(const json& value, SourceBreakpointArgument& out, const Path& path);

struct SetBreakpointsArguments {
  SourceArgument source;
  std::vector<SourceBreakpointArgument> breakpoints;
  /// Deprecated form: lines only (used when `breakpoints` is absent).
  std::vector<int64_t> lines;
  bool sourceModified = false;
};
bool fromJSON(const json& value, SetBreakpointsArguments& out, const Path& path);

struct FunctionBreakpointArgument {
  std::string name;
  std::string condition;
  std::string hitCondition;
};
bool fromJSON(const json& value, FunctionBreakpointArgument& out, const Path& path);

struct SetFunctionBreakpointsArguments {
  std::vector<FunctionBreakpointArgument> breakpoints;
};
bool fromJSON(const json& value, SetFunctionBreakpointsArguments& out, const Path& path);

struct InstructionBreakpointArgument {
  std::string instructionReference;
  int64_t offset = 0;
  std::string condition;
  std::string hitCondition;
};
bool fromJSON(const json& value, InstructionBreakpointArgument& out, const Path& path);

struct SetInstructionBreakpointsArguments {
  std::vector<InstructionBreakpointArgument> breakpoints;
};
bool fromJSON(const json& value, SetInstructionBreakpointsArguments& out, const Path& path);

/// `dataBreakpointInfo`: a variable (`name` in container `variablesReference`),
/// an expression in `frameId`, or with `bytes` / `asAddress` an address.
struct DataBreakpointInfoArguments {
  std::optional<int64_t> variablesReference;
  std::string name;
  std::optional<int64_t> frameId;
  std::optional<int64_t> bytes;
  bool asAddress = false;
  std::string mode;
};
bool fromJSON(const json& value, DataBreakpointInfoArguments& out, const Path& path);

struct DataBreakpointArgument {
  std::string dataId;
  std::string accessType; ///< "read", "write", "readWrite"; empty: write.
  std::string condition;
  std::string hitCondition;
};
bool fromJSON(const json& value, DataBreakpointArgument& out, const Path& path);

struct SetDataBreakpointsArguments {
  std::vector<DataBreakpointArgument> breakpoints;
};
bool fromJSON(const json& value, SetDataBreakpointsArguments& out, const Path& path);

struct ExceptionFilterOptionArgument {
  std::string filterId;
  std::string condition;
};
bool fromJSON(const json& value, ExceptionFilterOptionArgument& out, const Path& path);

struct SetExceptionBreakpointsArguments {
  std::vector<std::string> filters;
  std::vector<ExceptionFilterOptionArgument> filterOptions;
};
bool fromJSON(const json& value, SetExceptionBreakpointsArguments& out, const Path& path);

struct BreakpointLocationsArguments {
  SourceArgument source;
  int64_t line = 0;
  std::optional<int64_t> endLine;
};
bool fromJSON(const json& value, BreakpointLocationsArguments& out, const Path& path);

/// `continue`, `pause`, and the thread part of the step requests.
struct ThreadArguments {
  int64_t threadId = 0;
  bool singleThread = false;
};
bool fromJSON(const json& value, ThreadArguments& out, const Path& path);

/// `next`, `stepIn`, `stepOut`.
struct StepArguments {
  int64_t threadId = 0;
  bool singleThread = false;
  std::string granularity = "statement"; ///< "statement", "line", "instruction"
};
bool fromJSON(const json& value, StepArguments& out, const Path& path);

struct StackTraceArguments {
  int64_t threadId = 0;
  int64_t startFrame = 0;
  int64_t levels = 0;
};
bool fromJSON(const json& value, StackTraceArguments& out, const Path& path);

struct ScopesArguments {
  int64_t frameId = 0;
};
bool fromJSON(const json& value, ScopesArguments& out, const Path& path);

struct VariablesArguments {
  int64_t variablesReference = 0;
  std::string filter; ///< "", "named", "indexed"
  int64_t start = 0;
  int64_t count = 0;
};
bool fromJSON(const json& value, VariablesArguments& out, const Path& path);

struct SetVariableArguments {
  int64_t variablesReference = 0;
  std::string name;
  std::string value;
};
bool fromJSON(const json& value, SetVariableArguments& out, const Path& path);

struct EvaluateArguments {
  std::string expression;
  std::optional<int64_t> frameId;
  std::string context; ///< "watch", "repl", "hover", "clipboard", "variables"
};
bool fromJSON(const json& value, EvaluateArguments& out, const Path& path);

struct ReadMemoryArguments {
  std::string memoryReference;
  int64_t offset = 0;
  int64_t count = 0;
};
bool fromJSON(const json& value, ReadMemoryArguments& out, const Path& path);

struct WriteMemoryArguments {
  std::string memoryReference;
  int64_t offset = 0;
  bool allowPartial = false;
  std::string data; ///< base64
};
bool fromJSON(const json& value, WriteMemoryArguments& out, const Path& path);

struct ExceptionInfoArguments {
  int64_t threadId = 0;
};
bool fromJSON(const json& value, ExceptionInfoArguments& out, const Path& path);

struct TerminateArguments {
  bool restart = false;
};
bool fromJSON(const json& value, TerminateArguments& out, const Path& path);

struct DisconnectArguments {
  bool restart = false;
  std::optional<bool> terminateDebuggee;
  bool suspendDebuggee = false;
};
bool fromJSON(const json& value, DisconnectArguments& out, const Path& path);

struct SetExpressionArguments {
  std::string expression;
  std::string value;
  std::optional<int64_t> frameId;
};
bool fromJSON(const json& value, SetExpressionArguments& out, const Path& path);

struct CompletionsArguments {
  std::optional<int64_t> frameId;
  std::string text;
  int64_t column = 0; ///< In the client's column base (1 by default), in UTF-16 units.
  std::optional<int64_t> line;
};
bool fromJSON(const json& value, CompletionsArguments& out, const Path& path);

struct DisassembleArguments {
  std::string memoryReference;
  int64_t offset = 0;            ///< Bytes added to memoryReference.
  int64_t instructionOffset = 0; ///< Instructions from there (may be negative).
  int64_t instructionCount = 0;
  bool resolveSymbols = false;
};
bool fromJSON(const json& value, DisassembleArguments& out, const Path& path);

/// `source`: by `source.sourceReference`, `sourceReference` or `source.path`.
struct SourceArguments {
  std::optional<SourceArgument> source;
  int64_t sourceReference = 0;
};
bool fromJSON(const json& value, SourceArguments& out, const Path& path);

/// A memory reference as the adapter hands them out ("0x1a2b"); decimal is
/// accepted too, as the protocol allows.
std::optional<uint64_t> parseMemoryReference(std::string_view text);
std::string formatMemoryReference(uint64_t address);

/// Standard base64 (RFC 4648), for readMemory/writeMemory.
std::string encodeBase64(const uint8_t* data, size_t size);
std::optional<std::vector<uint8_t>> decodeBase64(std::string_view text);

} // namespace wasmscope::dap::protocol
