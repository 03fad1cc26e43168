// The Allocations view: its empty state only, until it draws from the heap profiler's
// model (profiler MemoryProfile). It says so rather than
// drawing anything that would look like data.
#include "Views.h"

namespace wasmscope::gui {

void AllocationsView::draw(ViewContext& context) {
  context.emptyState("No allocation data",
                     "The inspector does not list allocations yet. For live and leaked blocks "
                     "by site, with their source stacks, run wasmscope profile --memory MODULE, "
                     "then wasmscope report PROFILE --leaks (or --sites).");
}

} // namespace wasmscope::gui
