// The Heap timeline view: its empty state only, until the heap profiler's data model
// (profiler MemoryProfile) is there to draw from. It says so rather than
// drawing anything that would look like data.
#include "Views.h"

namespace wasmscope::gui {

void HeapTimelineView::draw(ViewContext& context) {
  context.emptyState("No heap timeline",
                     "Needs the heap profiler, which this build of wasmscope does not have "
                     "yet: live heap bytes over time are drawn here once it records them.");
}

} // namespace wasmscope::gui
