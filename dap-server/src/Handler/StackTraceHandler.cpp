// `stackTrace`: frames innermost first. A frame with DWARF lines has a source
// and line; one without (libc without debug info, say) shows its function
// name and wasm code offset instead, and is marked subtle.
#include "Handler/Handlers.h"

#include <cstdio>

namespace wasmscope::dap {

HandlerResult<protocol::StackTraceBody>
StackTraceHandler::handle(const protocol::StackTraceArguments& args) {
  if (auto ok = m_adapter.checkThread(args.threadId); !ok.ok())
    return std::move(ok).error();
  auto start = uint32_t(std::min<int64_t>(args.startFrame, UINT32_MAX));
  auto levels = uint32_t(std::min<int64_t>(args.levels, UINT32_MAX));
  auto trace = session().stackTrace(start, levels);
  if (!trace.ok())
    return failure(trace.error().message);

  protocol::StackTraceBody body;
  body.totalFrames = trace->totalFrames;
  for (const auto& frame : trace->frames) {
    protocol::StackFrame out;
    out.id = m_adapter.frames().toClient(frame.id);
    out.instructionPointerReference = protocol::formatMemoryReference(frame.address);
    out.moduleId = moduleId();
    if (frame.hasSource && !frame.sourcePath.empty() && frame.line > 0) {
      out.name = frame.name;
      out.source = makeSource(frame.sourcePath, frame.sourceName, frame.sourceReference);
      out.line = uint32_t(std::max<int64_t>(0, m_adapter.lineToClient(frame.line)));
      out.column =
          uint32_t(std::max<int64_t>(0, m_adapter.columnToClient(std::max(frame.column, 1u))));
    } else {
      char offset[24];
      std::snprintf(offset, sizeof offset, " @ 0x%06x", frame.address);
      out.name = frame.name + offset;
      out.presentationHint = "subtle";
    }
    body.stackFrames.push_back(std::move(out));
  }
  return body;
}

} // namespace wasmscope::dap
