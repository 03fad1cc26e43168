// Bodies of the responses that carry lists or several fields, with toJSON.
// A handler returns one of these (or a Types.h struct, or NoBody); the base
// handler serialises it into the response's `body`.
#pragma once

#include "Protocol/Types.h"

#include <vector>

namespace wasmscope::dap::protocol {

/// For responses without a body (`next`, `pause`, `configurationDone`, ...).
struct NoBody {};
inline json toJSON(const NoBody&) {
  return nullptr;
}

struct SetBreakpointsBody {
  std::vector<Breakpoint> breakpoints;
};
json toJSON(const SetBreakpointsBody& value);

/// `dataBreakpointInfo`: dataId null when there is nothing to watch.
struct DataBreakpointInfoBody {
  std::optional<std::string> dataId;
  std::string description;
  std::vector<std::string> accessTypes;
  bool canPersist = false;
};
json toJSON(const DataBreakpointInfoBody& value);

struct BreakpointLocationsBody {
  std::vector<BreakpointLocation> breakpoints;
};
json toJSON(const BreakpointLocationsBody& value);

struct ThreadsBody {
  std::vector<Thread> threads;
};
json toJSON(const ThreadsBody& value);

struct StackTraceBody {
  std::vector<StackFrame> stackFrames;
  uint32_t totalFrames = 0;
};
json toJSON(const StackTraceBody& value);

struct ScopesBody {
  std::vector<Scope> scopes;
};
json toJSON(const ScopesBody& value);

struct VariablesBody {
  std::vector<Variable> variables;
};
json toJSON(const VariablesBody& value);

struct SetVariableBody {
  std::string value;
  std::string type;
  int64_t variablesReference = 0;
  std::optional<uint32_t> namedVariables;
  std::optional<uint32_t> indexedVariables;
  std::string memoryReference;
};
json toJSON(const SetVariableBody& value);

struct ContinueBody {
  bool allThreadsContinued = true;
};
json toJSON(const ContinueBody& value);

struct WriteMemoryBody {
  uint64_t bytesWritten = 0;
};
json toJSON(const WriteMemoryBody& value);

struct LoadedSourcesBody {
  std::vector<Source> sources;
};
json toJSON(const LoadedSourcesBody& value);

struct ModulesBody {
  std::vector<Module> modules;
};
json toJSON(const ModulesBody& value);

struct CompletionItem {
  std::string label;
  std::string type;   ///< DAP CompletionItemType ("variable", "field", ...)
  std::string detail; ///< The C type.
};
json toJSON(const CompletionItem& value);

struct CompletionsBody {
  std::vector<CompletionItem> targets;
};
json toJSON(const CompletionsBody& value);

struct SourceBody {
  std::string content;
  std::string mimeType;
};
json toJSON(const SourceBody& value);

} // namespace wasmscope::dap::protocol
