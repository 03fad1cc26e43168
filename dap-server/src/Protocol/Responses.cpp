// toJSON for list-carrying response bodies (see Responses.h).
#include "Protocol/Responses.h"

namespace wasmscope::dap::protocol {

namespace {
template <typename T> json array(const std::vector<T>& items) {
  json out = json::array();
  for (const auto& item : items)
    out.push_back(toJSON(item));
  return out;
}
} // namespace

json toJSON(const SetBreakpointsBody& value) {
  return {{"breakpoints", array(value.breakpoints)}};
}
json toJSON(const DataBreakpointInfoBody& value) {
  json out = {{"dataId", value.dataId ? json(*value.dataId) : json(nullptr)},
              {"description", value.description},
              {"canPersist", value.canPersist}};
  if (value.dataId)
    out["accessTypes"] = value.accessTypes;
  return out;
}
json toJSON(const BreakpointLocationsBody& value) {
  return {{"breakpoints", array(value.breakpoints)}};
}
json toJSON(const ThreadsBody& value) {
  return {{"threads", array(value.threads)}};
}

json toJSON(const StackTraceBody& value) {
  return {{"stackFrames", array(value.stackFrames)}, {"totalFrames", value.totalFrames}};
}

json toJSON(const ScopesBody& value) {
  return {{"scopes", array(value.scopes)}};
}
json toJSON(const VariablesBody& value) {
  return {{"variables", array(value.variables)}};
}

json toJSON(const SetVariableBody& value) {
  json out = {{"value", value.value}};
  if (!value.type.empty())
    out["type"] = value.type;
  if (value.variablesReference)
    out["variablesReference"] = clampInt32(value.variablesReference);
  if (value.namedVariables)
    out["namedVariables"] = *value.namedVariables;
  if (value.indexedVariables)
    out["indexedVariables"] = *value.indexedVariables;
  if (!value.memoryReference.empty())
    out["memoryReference"] = value.memoryReference;
  return out;
}

json toJSON(const ContinueBody& value) {
  return {{"allThreadsContinued", value.allThreadsContinued}};
}

json toJSON(const WriteMemoryBody& value) {
  return {{"bytesWritten", std::min(value.bytesWritten, kMaxSafeInteger)}};
}

json toJSON(const LoadedSourcesBody& value) {
  return {{"sources", array(value.sources)}};
}

json toJSON(const ModulesBody& value) {
  return {{"modules", array(value.modules)}, {"totalModules", value.modules.size()}};
}

json toJSON(const CompletionItem& value) {
  json out = {{"label", value.label}};
  if (!value.type.empty())
    out["type"] = value.type;
  if (!value.detail.empty())
    out["detail"] = value.detail;
  return out;
}

json toJSON(const CompletionsBody& value) {
  return {{"targets", array(value.targets)}};
}

json toJSON(const SourceBody& value) {
  json out = {{"content", value.content}};
  if (!value.mimeType.empty())
    out["mimeType"] = value.mimeType;
  return out;
}

} // namespace wasmscope::dap::protocol
