// The Heap timeline view: its empty state only, until the heap profiler's data model
// (profiler MemoryProfile) is there to draw from. It says so rather than
// drawing anything that would look like data.
#include "Views.h"

namespace wasmscope::gui {

void HeapTimelineView::draw(ViewContext& context) {
  context.emptyState("No heap timeline",
                     "Needs the heap profiler (wasmscope issue 10), which this build does not have yet: live heap bytes over time will be drawn here once it records them.");
}

} // namespace wasmscope::gui
