// The Allocations view: its empty state only, until the heap profiler's data model
// (profiler MemoryProfile) is there to draw from. It says so rather than
// drawing anything that would look like data.
#include "Views.h"

namespace wasmscope::gui {

void AllocationsView::draw(ViewContext& context) {
  context.emptyState("No allocation data",
                     "Needs the heap profiler (wasmscope issue 10), which this build does not have yet: allocations, leaks and their sites will be listed here once it records them.");
}

} // namespace wasmscope::gui
