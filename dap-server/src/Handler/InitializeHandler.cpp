// `initialize`: the client's conventions in, the adapter's capabilities out.
// Only what is implemented is advertised.
#include "Handler/Handlers.h"

namespace wasmscope::dap {

HandlerResult<protocol::Capabilities>
InitializeHandler::handle(const protocol::InitializeArguments& args) {
  ClientSettings& client = m_adapter.client();
  client.linesStartAt1 = args.linesStartAt1;
  client.columnsStartAt1 = args.columnsStartAt1;
  client.supportsMemoryReferences = args.supportsMemoryReferences;
  client.clientName = args.clientName.empty() ? args.clientID : args.clientName;

  protocol::Capabilities caps;
  caps.supportsConfigurationDoneRequest = true;
  caps.supportsFunctionBreakpoints = true;
  caps.supportsConditionalBreakpoints = true;
  caps.supportsHitConditionalBreakpoints = true;
  caps.supportsLogPoints = true;
  caps.supportsEvaluateForHovers = true;
  caps.supportsClipboardContext = true;
  caps.supportsSetVariable = true;
  caps.supportsRestartRequest = true;
  caps.supportsTerminateRequest = true;
  caps.supportsExceptionInfoRequest = true;
  caps.supportsLoadedSourcesRequest = true;
  caps.supportsModulesRequest = true;
  caps.supportsDelayedStackTraceLoading = true;
  caps.supportsReadMemoryRequest = true;
  caps.supportsWriteMemoryRequest = true;
  caps.supportsSteppingGranularity = true;
  caps.supportsInstructionBreakpoints = true;
  caps.supportsDataBreakpoints = true;
  caps.supportsDataBreakpointBytes = true;
  caps.supportsBreakpointLocationsRequest = true;
  caps.supportsSetExpression = true;
  caps.supportsCompletionsRequest = true;
  caps.supportsDisassembleRequest = true;
  caps.completionTriggerCharacters = {".", ">"};
  caps.exceptionBreakpointFilters.push_back(
      {std::string(debugger::kTrapFilterId), "Wasm traps",
       "Stop when the guest traps (out-of-bounds access, unreachable, division by zero, "
       "fuel, memory or call-depth limits), with the trapping frame inspectable.",
       true});
  m_adapter.setInitialized();
  return caps;
}

} // namespace wasmscope::dap
