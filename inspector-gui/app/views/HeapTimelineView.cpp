// The Heap timeline view: its empty state only, until it draws from the heap profiler's
// model (profiler MemoryProfile). It says so rather than
// drawing anything that would look like data.
#include "Views.h"

namespace wasmscope::gui {

void HeapTimelineView::draw(ViewContext& context) {
  context.emptyState("No heap timeline",
                     "The inspector does not draw the heap over time yet. For the exact peak "
                     "and the sites live at it, run wasmscope profile --memory MODULE, then "
                     "wasmscope report PROFILE --peak.");
}

} // namespace wasmscope::gui
