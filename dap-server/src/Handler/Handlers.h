// Every request handler, one class per DAP request; each is implemented in
// its own file (Handler/<Command>Handler.cpp) as a small handle() function
// over typed arguments. Handlers.cpp registers them all.
#pragma once

#include "Handler/RequestHandler.h"

namespace wasmscope::dap {

/// `initialize`: Records the client's conventions; answers with the capabilities that are
/// implemented.
class InitializeHandler final
    : public RequestHandler<protocol::InitializeArguments, protocol::Capabilities> {
public:
  using RequestHandler::RequestHandler;
  std::string_view command() const override { return "initialize"; }
  Precondition precondition() const override { return Precondition::None; }
  HandlerResult<protocol::Capabilities> handle(const protocol::InitializeArguments& args) override;
};

/// `launch`: Loads the module and starts the session's guest thread (it waits for
/// configurationDone); then sends `initialized`.
class LaunchHandler final : public RequestHandler<protocol::LaunchArguments, protocol::NoBody> {
public:
  using RequestHandler::RequestHandler;
  std::string_view command() const override { return "launch"; }
  Precondition precondition() const override { return Precondition::Initialize; }
  HandlerResult<protocol::NoBody> handle(const protocol::LaunchArguments& args) override;
};

/// `attach`: To a shared session (the inspector's run); refused with a clear
/// message otherwise (wasmscope runs the module itself, so there is nothing
/// to attach to). After the order and token checks.
class AttachHandler final : public RequestHandler<protocol::EmptyArguments, protocol::NoBody> {
public:
  using RequestHandler::RequestHandler;
  std::string_view command() const override { return "attach"; }
  Precondition precondition() const override { return Precondition::Initialize; }
  HandlerResult<protocol::NoBody> handle(const protocol::EmptyArguments& args) override;
};

/// `setBreakpoints`: Replaces the line breakpoints of one source file.
class SetBreakpointsHandler final
    : public RequestHandler<protocol::SetBreakpointsArguments, protocol::SetBreakpointsBody> {
public:
  using RequestHandler::RequestHandler;
  std::string_view command() const override { return "setBreakpoints"; }
  Precondition precondition() const override { return Precondition::Initialize; }
  HandlerResult<protocol::SetBreakpointsBody>
  handle(const protocol::SetBreakpointsArguments& args) override;
};

/// `setFunctionBreakpoints`: Replaces every function breakpoint.
class SetFunctionBreakpointsHandler final
    : public RequestHandler<protocol::SetFunctionBreakpointsArguments,
                            protocol::SetBreakpointsBody> {
public:
  using RequestHandler::RequestHandler;
  std::string_view command() const override { return "setFunctionBreakpoints"; }
  Precondition precondition() const override { return Precondition::Initialize; }
  HandlerResult<protocol::SetBreakpointsBody>
  handle(const protocol::SetFunctionBreakpointsArguments& args) override;
};

/// `setInstructionBreakpoints`: Replaces every instruction breakpoint (code offsets).
class SetInstructionBreakpointsHandler final
    : public RequestHandler<protocol::SetInstructionBreakpointsArguments,
                            protocol::SetBreakpointsBody> {
public:
  using RequestHandler::RequestHandler;
  std::string_view command() const override { return "setInstructionBreakpoints"; }
  Precondition precondition() const override { return Precondition::Initialize; }
  HandlerResult<protocol::SetBreakpointsBody>
  handle(const protocol::SetInstructionBreakpointsArguments& args) override;
};

/// `dataBreakpointInfo`: Whether a variable, expression or address can be
/// watched, and the dataId that names its bytes.
class DataBreakpointInfoHandler final
    : public RequestHandler<protocol::DataBreakpointInfoArguments,
                            protocol::DataBreakpointInfoBody> {
public:
  using RequestHandler::RequestHandler;
  std::string_view command() const override { return "dataBreakpointInfo"; }
  HandlerResult<protocol::DataBreakpointInfoBody>
  handle(const protocol::DataBreakpointInfoArguments& args) override;

private:
  std::optional<uint64_t> sizeOfType(std::string_view type, std::optional<int64_t> frame);
};

/// `setDataBreakpoints`: Replaces every data breakpoint (memory watches).
class SetDataBreakpointsHandler final
    : public RequestHandler<protocol::SetDataBreakpointsArguments, protocol::SetBreakpointsBody> {
public:
  using RequestHandler::RequestHandler;
  std::string_view command() const override { return "setDataBreakpoints"; }
  Precondition precondition() const override { return Precondition::Initialize; }
  HandlerResult<protocol::SetBreakpointsBody>
  handle(const protocol::SetDataBreakpointsArguments& args) override;
};

/// `setExceptionBreakpoints`: Turns the "trap" filter on or off.
class SetExceptionBreakpointsHandler final
    : public RequestHandler<protocol::SetExceptionBreakpointsArguments, protocol::NoBody> {
public:
  using RequestHandler::RequestHandler;
  std::string_view command() const override { return "setExceptionBreakpoints"; }
  Precondition precondition() const override { return Precondition::Initialize; }
  HandlerResult<protocol::NoBody>
  handle(const protocol::SetExceptionBreakpointsArguments& args) override;
};

/// `breakpointLocations`: Lines in a range where a breakpoint would stop.
class BreakpointLocationsHandler final
    : public RequestHandler<protocol::BreakpointLocationsArguments,
                            protocol::BreakpointLocationsBody> {
public:
  using RequestHandler::RequestHandler;
  std::string_view command() const override { return "breakpointLocations"; }
  HandlerResult<protocol::BreakpointLocationsBody>
  handle(const protocol::BreakpointLocationsArguments& args) override;
};

/// `configurationDone`: Lets the guest run (or stop on entry).
class ConfigurationDoneHandler final
    : public RequestHandler<protocol::EmptyArguments, protocol::NoBody> {
public:
  using RequestHandler::RequestHandler;
  std::string_view command() const override { return "configurationDone"; }
  HandlerResult<protocol::NoBody> handle(const protocol::EmptyArguments& args) override;
};

/// `threads`: The guest's one thread.
class ThreadsHandler final
    : public RequestHandler<protocol::EmptyArguments, protocol::ThreadsBody> {
public:
  using RequestHandler::RequestHandler;
  std::string_view command() const override { return "threads"; }
  HandlerResult<protocol::ThreadsBody> handle(const protocol::EmptyArguments& args) override;
};

/// `stackTrace`: Frames innermost first, with source locations where DWARF has them.
class StackTraceHandler final
    : public RequestHandler<protocol::StackTraceArguments, protocol::StackTraceBody> {
public:
  using RequestHandler::RequestHandler;
  std::string_view command() const override { return "stackTrace"; }
  HandlerResult<protocol::StackTraceBody>
  handle(const protocol::StackTraceArguments& args) override;
};

/// `scopes`: Locals, wasm locals, globals and operand stack of a frame.
class ScopesHandler final : public RequestHandler<protocol::ScopesArguments, protocol::ScopesBody> {
public:
  using RequestHandler::RequestHandler;
  std::string_view command() const override { return "scopes"; }
  HandlerResult<protocol::ScopesBody> handle(const protocol::ScopesArguments& args) override;
};

/// `variables`: Children of a scope or variable.
class VariablesHandler final
    : public RequestHandler<protocol::VariablesArguments, protocol::VariablesBody> {
public:
  using RequestHandler::RequestHandler;
  std::string_view command() const override { return "variables"; }
  HandlerResult<protocol::VariablesBody> handle(const protocol::VariablesArguments& args) override;
};

/// `setVariable`: Assigns a C expression's value to a variable.
class SetVariableHandler final
    : public RequestHandler<protocol::SetVariableArguments, protocol::SetVariableBody> {
public:
  using RequestHandler::RequestHandler;
  std::string_view command() const override { return "setVariable"; }
  HandlerResult<protocol::SetVariableBody>
  handle(const protocol::SetVariableArguments& args) override;
};

/// `evaluate`: C expressions for watches, hovers and the debug console.
class EvaluateHandler final
    : public RequestHandler<protocol::EvaluateArguments, protocol::EvaluateBody> {
public:
  using RequestHandler::RequestHandler;
  std::string_view command() const override { return "evaluate"; }
  HandlerResult<protocol::EvaluateBody> handle(const protocol::EvaluateArguments& args) override;
};

/// `continue`: Resumes the guest.
class ContinueHandler final
    : public RequestHandler<protocol::ThreadArguments, protocol::ContinueBody> {
public:
  using RequestHandler::RequestHandler;
  std::string_view command() const override { return "continue"; }
  HandlerResult<protocol::ContinueBody> handle(const protocol::ThreadArguments& args) override;
};

/// `next`: Steps over (line or instruction).
class NextHandler final : public RequestHandler<protocol::StepArguments, protocol::NoBody> {
public:
  using RequestHandler::RequestHandler;
  std::string_view command() const override { return "next"; }
  HandlerResult<protocol::NoBody> handle(const protocol::StepArguments& args) override;
};

/// `stepIn`: Steps into (line or instruction).
class StepInHandler final : public RequestHandler<protocol::StepArguments, protocol::NoBody> {
public:
  using RequestHandler::RequestHandler;
  std::string_view command() const override { return "stepIn"; }
  HandlerResult<protocol::NoBody> handle(const protocol::StepArguments& args) override;
};

/// `stepOut`: Runs until the current function returns.
class StepOutHandler final : public RequestHandler<protocol::StepArguments, protocol::NoBody> {
public:
  using RequestHandler::RequestHandler;
  std::string_view command() const override { return "stepOut"; }
  HandlerResult<protocol::NoBody> handle(const protocol::StepArguments& args) override;
};

/// `pause`: Asks the running guest to stop.
class PauseHandler final : public RequestHandler<protocol::ThreadArguments, protocol::NoBody> {
public:
  using RequestHandler::RequestHandler;
  std::string_view command() const override { return "pause"; }
  HandlerResult<protocol::NoBody> handle(const protocol::ThreadArguments& args) override;
};

/// `terminate`: Ends the guest; exited and terminated events follow.
class TerminateHandler final
    : public RequestHandler<protocol::TerminateArguments, protocol::NoBody> {
public:
  using RequestHandler::RequestHandler;
  std::string_view command() const override { return "terminate"; }
  Precondition precondition() const override { return Precondition::Initialize; }
  HandlerResult<protocol::NoBody> handle(const protocol::TerminateArguments& args) override;
};

/// `disconnect`: Ends the guest and the client's session.
class DisconnectHandler final
    : public RequestHandler<protocol::DisconnectArguments, protocol::NoBody> {
public:
  using RequestHandler::RequestHandler;
  std::string_view command() const override { return "disconnect"; }
  Precondition precondition() const override { return Precondition::None; }
  HandlerResult<protocol::NoBody> handle(const protocol::DisconnectArguments& args) override;
};

/// `restart`: Runs the module again from the start with the same configuration and breakpoints.
class RestartHandler final : public RequestHandler<protocol::EmptyArguments, protocol::NoBody> {
public:
  using RequestHandler::RequestHandler;
  std::string_view command() const override { return "restart"; }
  HandlerResult<protocol::NoBody> handle(const protocol::EmptyArguments& args) override;
};

/// `disassemble`: wasm text around a code offset, with source lines.
class DisassembleHandler final
    : public RequestHandler<protocol::DisassembleArguments, protocol::DisassembleBody> {
public:
  using RequestHandler::RequestHandler;
  std::string_view command() const override { return "disassemble"; }
  HandlerResult<protocol::DisassembleBody>
  handle(const protocol::DisassembleArguments& args) override;
};

/// `readMemory`: Reads guest linear memory.
class ReadMemoryHandler final
    : public RequestHandler<protocol::ReadMemoryArguments, protocol::ReadMemoryBody> {
public:
  using RequestHandler::RequestHandler;
  std::string_view command() const override { return "readMemory"; }
  HandlerResult<protocol::ReadMemoryBody>
  handle(const protocol::ReadMemoryArguments& args) override;
};

/// `writeMemory`: Writes guest linear memory.
class WriteMemoryHandler final
    : public RequestHandler<protocol::WriteMemoryArguments, protocol::WriteMemoryBody> {
public:
  using RequestHandler::RequestHandler;
  std::string_view command() const override { return "writeMemory"; }
  HandlerResult<protocol::WriteMemoryBody>
  handle(const protocol::WriteMemoryArguments& args) override;
};

/// `exceptionInfo`: The trap the guest stopped on.
class ExceptionInfoHandler final
    : public RequestHandler<protocol::ExceptionInfoArguments, protocol::ExceptionInfoBody> {
public:
  using RequestHandler::RequestHandler;
  std::string_view command() const override { return "exceptionInfo"; }
  HandlerResult<protocol::ExceptionInfoBody>
  handle(const protocol::ExceptionInfoArguments& args) override;
};

/// `loadedSources`: Source files named by the debug info.
class LoadedSourcesHandler final
    : public RequestHandler<protocol::EmptyArguments, protocol::LoadedSourcesBody> {
public:
  using RequestHandler::RequestHandler;
  std::string_view command() const override { return "loadedSources"; }
  HandlerResult<protocol::LoadedSourcesBody> handle(const protocol::EmptyArguments& args) override;
};

/// `setExpression`: Assigns a C expression's value to an lvalue expression.
class SetExpressionHandler final
    : public RequestHandler<protocol::SetExpressionArguments, protocol::SetVariableBody> {
public:
  using RequestHandler::RequestHandler;
  std::string_view command() const override { return "setExpression"; }
  HandlerResult<protocol::SetVariableBody>
  handle(const protocol::SetExpressionArguments& args) override;
};

/// `completions`: Names and members for the debug console.
class CompletionsHandler final
    : public RequestHandler<protocol::CompletionsArguments, protocol::CompletionsBody> {
public:
  using RequestHandler::RequestHandler;
  std::string_view command() const override { return "completions"; }
  HandlerResult<protocol::CompletionsBody>
  handle(const protocol::CompletionsArguments& args) override;
};

/// `source`: The text of a source that is not on the client's disk.
class SourceHandler final : public RequestHandler<protocol::SourceArguments, protocol::SourceBody> {
public:
  using RequestHandler::RequestHandler;
  std::string_view command() const override { return "source"; }
  HandlerResult<protocol::SourceBody> handle(const protocol::SourceArguments& args) override;
};

/// `modules`: The one module being debugged.
class ModulesHandler final
    : public RequestHandler<protocol::EmptyArguments, protocol::ModulesBody> {
public:
  using RequestHandler::RequestHandler;
  std::string_view command() const override { return "modules"; }
  HandlerResult<protocol::ModulesBody> handle(const protocol::EmptyArguments& args) override;
};

} // namespace wasmscope::dap
