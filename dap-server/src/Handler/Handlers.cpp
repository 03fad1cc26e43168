// Registers every request handler with the dispatcher.
#include "Handler/Handlers.h"
#include "Dispatcher.h"

#include <memory>

namespace wasmscope::dap {

void addAllHandlers(Dispatcher& dispatcher, Adapter& adapter) {
  dispatcher.add(std::make_unique<InitializeHandler>(adapter));
  dispatcher.add(std::make_unique<LaunchHandler>(adapter));
  dispatcher.add(std::make_unique<AttachHandler>(adapter));
  dispatcher.add(std::make_unique<SetBreakpointsHandler>(adapter));
  dispatcher.add(std::make_unique<SetFunctionBreakpointsHandler>(adapter));
  dispatcher.add(std::make_unique<SetInstructionBreakpointsHandler>(adapter));
  dispatcher.add(std::make_unique<DataBreakpointInfoHandler>(adapter));
  dispatcher.add(std::make_unique<SetDataBreakpointsHandler>(adapter));
  dispatcher.add(std::make_unique<SetExceptionBreakpointsHandler>(adapter));
  dispatcher.add(std::make_unique<BreakpointLocationsHandler>(adapter));
  dispatcher.add(std::make_unique<ConfigurationDoneHandler>(adapter));
  dispatcher.add(std::make_unique<ThreadsHandler>(adapter));
  dispatcher.add(std::make_unique<StackTraceHandler>(adapter));
  dispatcher.add(std::make_unique<ScopesHandler>(adapter));
  dispatcher.add(std::make_unique<VariablesHandler>(adapter));
  dispatcher.add(std::make_unique<SetVariableHandler>(adapter));
  dispatcher.add(std::make_unique<EvaluateHandler>(adapter));
  dispatcher.add(std::make_unique<ContinueHandler>(adapter));
  dispatcher.add(std::make_unique<NextHandler>(adapter));
  dispatcher.add(std::make_unique<StepInHandler>(adapter));
  dispatcher.add(std::make_unique<StepOutHandler>(adapter));
  dispatcher.add(std::make_unique<PauseHandler>(adapter));
  dispatcher.add(std::make_unique<TerminateHandler>(adapter));
  dispatcher.add(std::make_unique<DisconnectHandler>(adapter));
  dispatcher.add(std::make_unique<RestartHandler>(adapter));
  dispatcher.add(std::make_unique<ReadMemoryHandler>(adapter));
  dispatcher.add(std::make_unique<WriteMemoryHandler>(adapter));
  dispatcher.add(std::make_unique<ExceptionInfoHandler>(adapter));
  dispatcher.add(std::make_unique<LoadedSourcesHandler>(adapter));
  dispatcher.add(std::make_unique<ModulesHandler>(adapter));
  dispatcher.add(std::make_unique<SetExpressionHandler>(adapter));
  dispatcher.add(std::make_unique<CompletionsHandler>(adapter));
  dispatcher.add(std::make_unique<SourceHandler>(adapter));
  dispatcher.add(std::make_unique<DisassembleHandler>(adapter));
}

} // namespace wasmscope::dap
