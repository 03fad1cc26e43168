// The Allocations view: its empty state only, until the heap profiler's data model
// (profiler MemoryProfile) is there to draw from. It says so rather than
// drawing anything that would look like data.
#include "Views.h"

namespace wasmscope::gui {

void AllocationsView::draw(ViewContext& context) {
  context.emptyState("No allocation data",
                     "Needs the heap profiler, which this build of wasmscope does not have "
                     "yet: allocations, leaks and their sites are listed here once it "
                     "records them.");
}

} // namespace wasmscope::gui
