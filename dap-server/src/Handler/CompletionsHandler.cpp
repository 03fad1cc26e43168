// `completions`: what the debug console offers while typing: the frame's
// names, or the members after `.` and `->`. The client's column counts
// UTF-16 code units from its column base; expressions are ASCII, so a
// column is a byte position (anything past the text is its end).
#include "Handler/Handlers.h"

namespace wasmscope::dap {

HandlerResult<protocol::CompletionsBody>
CompletionsHandler::handle(const protocol::CompletionsArguments& args) {
  std::optional<debugger::FrameId> frame;
  if (args.frameId) {
    auto sessionFrame = m_adapter.sessionFrame(*args.frameId);
    if (!sessionFrame.ok())
      return std::move(sessionFrame).error();
    frame = *sessionFrame;
  }
  if (args.line && *args.line != (m_adapter.client().linesStartAt1 ? 1 : 0))
    return failure("completions are for one-line expressions (line " + std::to_string(*args.line) +
                   " was asked)");
  int64_t base = m_adapter.client().columnsStartAt1 ? 1 : 0;
  int64_t cursor = std::clamp<int64_t>(args.column - base, 0, int64_t(args.text.size()));
  auto items = session().completions(args.text, size_t(cursor), frame);
  if (!items.ok())
    return failure(items.error().message);
  protocol::CompletionsBody body;
  for (const auto& item : *items)
    body.targets.push_back({item.label, item.kind, item.detail});
  return body;
}

} // namespace wasmscope::dap
