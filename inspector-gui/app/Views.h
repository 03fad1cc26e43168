// The inspector's views, one class each (each implemented in a file of its
// own under views/). A view keeps only how it is looked at (zoom, scroll,
// sort order, search text); what it shows comes from the InspectorModel,
// and what a click means is decided there. Each draws an empty state, saying
// how to get data, when it has nothing to show.
#pragma once

#include "ViewContext.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace wasmscope::gui {

/// How to get memory data, for the memory views' empty states.
std::string memoryEmptyHow(InspectorModel& model);

/// Linear memory as a zoomable strip beside a hex view.
class MemoryView {
public:
  void draw(ViewContext& context);
  /// Bytes a cell of the strip covers (a power of two) and the first shown.
  uint64_t bytesPerCell() const { return m_bytesPerCell; }
  uint64_t firstAddress() const { return m_begin; }
  /// Brings the selection into view (zoomed in on its block) next frame.
  void centerOnSelection() { m_center = true; }

private:
  void drawMap(ViewContext& context);
  void drawHex(ViewContext& context);
  void fit(uint64_t size, size_t cells);

  uint64_t m_begin = 0;
  uint64_t m_bytesPerCell = 0; ///< 0: fit the whole memory next frame.
  uint64_t m_mapSize = 0;
  size_t m_cols = 0;
  double m_drag = 0;
  bool m_center = true; ///< Bring the selection into view next frame.
  char m_goto[32] = {};
  std::vector<MemoryKind> m_cells;
  std::vector<uint64_t> m_back; ///< Addresses before each followed pointer.
  std::optional<uint64_t> m_lastSelection;
};

/// Live and leaked blocks and loss records by allocation site.
class AllocationsView {
public:
  void draw(ViewContext& context);
  /// The table's order (tests read it): indices into allocations().rows().
  const std::vector<size_t>& order() const { return m_order; }

private:
  void drawTable(ViewContext& context);
  void drawDetail(ViewContext& context);

  char m_filter[128] = {};
  AllocColumn m_sortColumn = AllocColumn::Bytes;
  bool m_descending = true;
  std::vector<size_t> m_order;
  const void* m_orderRows = nullptr;
  size_t m_orderCount = SIZE_MAX;
  std::string m_orderFilter;
  bool m_orderDirty = true;
};

/// Live heap bytes over instruction time.
class HeapTimelineView {
public:
  void draw(ViewContext& context);

private:
  double m_from = 0;
  double m_to = 0;
  const void* m_shown = nullptr;
  std::optional<uint64_t> m_dragTime; ///< Where a scrub drag is, until released.
};

/// The call trace as a flame chart over instruction time.
class CallTraceView {
public:
  void draw(ViewContext& context);

private:
  double m_from = 0;
  double m_to = 0;
  uint64_t m_version = UINT64_MAX;
  float m_scrollY = 0;
};

/// The function table and the flame graph of call paths.
class ProfileView {
public:
  void draw(ViewContext& context);
  /// The table's order (tests read it): indices into functions().rows().
  const std::vector<size_t>& order() const { return m_order; }

private:
  void drawTable(ViewContext& context);
  void drawFlameGraph(ViewContext& context);

  char m_search[128] = {};
  ProfileColumn m_sortColumn = ProfileColumn::Self;
  bool m_descending = true;
  std::vector<size_t> m_order;
  uint64_t m_orderVersion = UINT64_MAX;
  std::string m_orderSearch;
  double m_from = 0;
  double m_to = 0;
  uint64_t m_flameVersion = UINT64_MAX;
};

/// A source file with its line heat and breakpoints.
class SourceView {
public:
  void draw(ViewContext& context);

private:
  std::string m_error;
};

/// Stack frames, variables and the guest's output.
class DebugView {
public:
  void draw(ViewContext& context);

private:
  void drawVariables(ViewContext& context);
  void drawConsole(ViewContext& context);
  uint64_t m_consoleVersion = 0;
};

/// Sections, imports, exports and functions of the module.
class ModuleView {
public:
  void draw(ViewContext& context);

private:
  char m_filter[128] = {};
};

} // namespace wasmscope::gui
