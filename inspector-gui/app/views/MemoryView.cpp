// The Memory view: its empty state only, until it draws from the heap profiler's
// model (profiler MemoryProfile). It says so rather than
// drawing anything that would look like data.
#include "Views.h"

namespace wasmscope::gui {

void MemoryView::draw(ViewContext& context) {
  context.emptyState("No memory data",
                     "The inspector does not draw linear memory by allocation yet. Read it from a "
                     "DAP client (wasmscope inspect --dap-port 0 MODULE, then VS Code's memory "
                     "view); for leaks and their source stacks run wasmscope profile --memory "
                     "MODULE, then wasmscope report PROFILE --leaks.");
}

} // namespace wasmscope::gui
