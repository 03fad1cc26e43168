// toJSON for response and event bodies (see Types.h).
#include "Protocol/Types.h"

#include <algorithm>

namespace wasmscope::dap::protocol {

namespace {

void putString(json& object, const char* key, const std::string& value) {
  if (!value.empty())
    object[key] = value;
}

void putTrue(json& object, const char* key, bool value) {
  if (value)
    object[key] = true;
}

} // namespace

int64_t clampInt32(int64_t value) {
  return std::clamp<int64_t>(value, INT32_MIN, INT32_MAX);
}

json toJSON(const ExceptionBreakpointsFilter& value) {
  json out = {{"filter", value.filter}, {"label", value.label}, {"default", value.defaultValue}};
  putString(out, "description", value.description);
  return out;
}

json toJSON(const Capabilities& value) {
  json out = json::object();
  putTrue(out, "supportsConfigurationDoneRequest", value.supportsConfigurationDoneRequest);
  putTrue(out, "supportsFunctionBreakpoints", value.supportsFunctionBreakpoints);
  putTrue(out, "supportsConditionalBreakpoints", value.supportsConditionalBreakpoints);
  putTrue(out, "supportsHitConditionalBreakpoints", value.supportsHitConditionalBreakpoints);
  putTrue(out, "supportsEvaluateForHovers", value.supportsEvaluateForHovers);
  putTrue(out, "supportsSetVariable", value.supportsSetVariable);
  putTrue(out, "supportsRestartRequest", value.supportsRestartRequest);
  putTrue(out, "supportsExceptionInfoRequest", value.supportsExceptionInfoRequest);
  putTrue(out, "supportsLoadedSourcesRequest", value.supportsLoadedSourcesRequest);
  putTrue(out, "supportsLogPoints", value.supportsLogPoints);
  putTrue(out, "supportsTerminateRequest", value.supportsTerminateRequest);
  putTrue(out, "supportsDelayedStackTraceLoading", value.supportsDelayedStackTraceLoading);
  putTrue(out, "supportsReadMemoryRequest", value.supportsReadMemoryRequest);
  putTrue(out, "supportsWriteMemoryRequest", value.supportsWriteMemoryRequest);
  putTrue(out, "supportsSteppingGranularity", value.supportsSteppingGranularity);
  putTrue(out, "supportsInstructionBreakpoints", value.supportsInstructionBreakpoints);
  putTrue(out, "supportsDataBreakpoints", value.supportsDataBreakpoints);
  putTrue(out, "supportsDataBreakpointBytes", value.supportsDataBreakpointBytes);
  putTrue(out, "supportsBreakpointLocationsRequest", value.supportsBreakpointLocationsRequest);
  putTrue(out, "supportsClipboardContext", value.supportsClipboardContext);
  putTrue(out, "supportsModulesRequest", value.supportsModulesRequest);
  putTrue(out, "supportTerminateDebuggee", value.supportTerminateDebuggee);
  putTrue(out, "supportsSetExpression", value.supportsSetExpression);
  putTrue(out, "supportsCompletionsRequest", value.supportsCompletionsRequest);
  putTrue(out, "supportsDisassembleRequest", value.supportsDisassembleRequest);
  if (!value.completionTriggerCharacters.empty())
    out["completionTriggerCharacters"] = value.completionTriggerCharacters;
  if (!value.exceptionBreakpointFilters.empty()) {
    json filters = json::array();
    for (const auto& filter : value.exceptionBreakpointFilters)
      filters.push_back(toJSON(filter));
    out["exceptionBreakpointFilters"] = std::move(filters);
  }
  return out;
}

json toJSON(const Source& value) {
  json out = json::object();
  putString(out, "name", value.name);
  putString(out, "path", value.path);
  if (value.sourceReference)
    out["sourceReference"] = clampInt32(value.sourceReference);
  return out;
}

json toJSON(const Breakpoint& value) {
  json out = {{"verified", value.verified}};
  if (value.id)
    out["id"] = clampInt32(*value.id);
  putString(out, "message", value.message);
  if (value.source)
    out["source"] = toJSON(*value.source);
  if (value.line)
    out["line"] = value.line;
  if (value.column)
    out["column"] = value.column;
  putString(out, "instructionReference", value.instructionReference);
  putString(out, "reason", value.reason);
  return out;
}

json toJSON(const BreakpointLocation& value) {
  json out = {{"line", value.line}};
  if (value.column)
    out["column"] = value.column;
  return out;
}

json toJSON(const Thread& value) {
  return {{"id", clampInt32(value.id)}, {"name", value.name}};
}

json toJSON(const StackFrame& value) {
  json out = {{"id", clampInt32(value.id)},
              {"name", value.name},
              {"line", value.line},
              {"column", value.column}};
  if (value.source)
    out["source"] = toJSON(*value.source);
  putString(out, "instructionPointerReference", value.instructionPointerReference);
  putString(out, "moduleId", value.moduleId);
  putString(out, "presentationHint", value.presentationHint);
  return out;
}

json toJSON(const Scope& value) {
  json out = {{"name", value.name},
              {"variablesReference", clampInt32(value.variablesReference)},
              {"expensive", value.expensive}};
  putString(out, "presentationHint", value.presentationHint);
  if (value.namedVariables)
    out["namedVariables"] = *value.namedVariables;
  return out;
}

json toJSON(const Variable& value) {
  json out = {{"name", value.name},
              {"value", value.value},
              {"variablesReference", clampInt32(value.variablesReference)}};
  putString(out, "type", value.type);
  if (value.namedVariables)
    out["namedVariables"] = *value.namedVariables;
  if (value.indexedVariables)
    out["indexedVariables"] = *value.indexedVariables;
  putString(out, "memoryReference", value.memoryReference);
  putString(out, "evaluateName", value.evaluateName);
  return out;
}

json toJSON(const EvaluateBody& value) {
  json out = {{"result", value.result},
              {"variablesReference", clampInt32(value.variablesReference)}};
  putString(out, "type", value.type);
  if (value.namedVariables)
    out["namedVariables"] = *value.namedVariables;
  if (value.indexedVariables)
    out["indexedVariables"] = *value.indexedVariables;
  putString(out, "memoryReference", value.memoryReference);
  return out;
}

json toJSON(const ReadMemoryBody& value) {
  json out = {{"address", value.address}};
  if (value.unreadableBytes)
    out["unreadableBytes"] = std::min(value.unreadableBytes, kMaxSafeInteger);
  if (!value.data.empty())
    out["data"] = value.data;
  return out;
}

json toJSON(const DisassembledInstruction& value) {
  json out = {{"address", value.address}, {"instruction", value.instruction}};
  putString(out, "instructionBytes", value.instructionBytes);
  putString(out, "symbol", value.symbol);
  if (value.location) {
    out["location"] = toJSON(*value.location);
    if (value.line) {
      out["line"] = value.line;
      if (value.column)
        out["column"] = value.column;
    }
  }
  if (value.invalid)
    out["presentationHint"] = "invalid";
  return out;
}

json toJSON(const DisassembleBody& value) {
  json instructions = json::array();
  for (const auto& instruction : value.instructions)
    instructions.push_back(toJSON(instruction));
  return {{"instructions", std::move(instructions)}};
}

json toJSON(const ExceptionInfoBody& value) {
  json out = {{"exceptionId", value.exceptionId}, {"breakMode", value.breakMode}};
  putString(out, "description", value.description);
  if (!value.stackTrace.empty() || !value.description.empty()) {
    json details = json::object();
    putString(details, "message", value.description);
    putString(details, "stackTrace", value.stackTrace);
    out["details"] = std::move(details);
  }
  return out;
}

json toJSON(const Module& value) {
  json out = {{"id", value.id}, {"name", value.name}};
  putString(out, "path", value.path);
  putString(out, "symbolStatus", value.symbolStatus);
  return out;
}

json toJSON(const StoppedEventBody& value) {
  json out = {{"reason", value.reason},
              {"threadId", clampInt32(value.threadId)},
              {"allThreadsStopped", value.allThreadsStopped}};
  putString(out, "description", value.description);
  putString(out, "text", value.text);
  if (!value.hitBreakpointIds.empty()) {
    json ids = json::array();
    for (int64_t id : value.hitBreakpointIds)
      ids.push_back(clampInt32(id));
    out["hitBreakpointIds"] = std::move(ids);
  }
  return out;
}

json toJSON(const ContinuedEventBody& value) {
  return {{"threadId", clampInt32(value.threadId)},
          {"allThreadsContinued", value.allThreadsContinued}};
}

json toJSON(const OutputEventBody& value) {
  json out = {{"category", value.category}, {"output", value.output}};
  if (value.source)
    out["source"] = toJSON(*value.source);
  if (value.line)
    out["line"] = value.line;
  return out;
}

json toJSON(const ExitedEventBody& value) {
  return {{"exitCode", clampInt32(value.exitCode)}};
}

json toJSON(const BreakpointEventBody& value) {
  return {{"reason", value.reason}, {"breakpoint", toJSON(value.breakpoint)}};
}

} // namespace wasmscope::dap::protocol
