// The Memory view: its empty state only, until the heap profiler's data model
// (profiler MemoryProfile) is there to draw from. It says so rather than
// drawing anything that would look like data.
#include "Views.h"

namespace wasmscope::gui {

void MemoryView::draw(ViewContext& context) {
  context.emptyState("No memory data",
                     "Needs the heap profiler, which this build of wasmscope does not have "
                     "yet: nothing is drawn here until it records allocations. Meanwhile, "
                     "read linear memory from a DAP client: wasmscope inspect --dap-port 0 "
                     "MODULE, then VS Code's memory view.");
}

} // namespace wasmscope::gui
