// The Memory view: linear memory as a zoomable strip of cells, each
// coloured by the most important kind of byte it covers (leaked over live
// over stack over data over freed over unused), beside a hex view of the
// selection. Zoomed out, cells cover whole 4 KiB granules and come from
// the map's summary; zoomed in, down to a byte a cell, from its ranges.
// The wheel zooms around the cursor, dragging scrolls, a click selects the
// block under it (and shows it in the Allocations view's table).
#include "Views.h"

#include "AllocStack.h"

#include <algorithm>
#include <bit>
#include <cinttypes>
#include <cmath>
#include <cstring>

namespace wasmscope::gui {

namespace {

constexpr float kCellPx = 4.0f;

std::string hex(uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%" PRIx64, v);
  return buf;
}

std::string bytesText(uint64_t n) {
  char buf[32];
  if (n >= (uint64_t(1) << 30))
    std::snprintf(buf, sizeof buf, "%.1f GiB", double(n) / double(uint64_t(1) << 30));
  else if (n >= (uint64_t(1) << 20))
    std::snprintf(buf, sizeof buf, "%.1f MiB", double(n) / double(uint64_t(1) << 20));
  else if (n >= 1024)
    std::snprintf(buf, sizeof buf, "%.1f KiB", double(n) / 1024.0);
  else
    std::snprintf(buf, sizeof buf, "%" PRIu64 " B", n);
  return buf;
}

/// Parses "0x1f40", "1f40" or "8000" (decimal only without letters).
std::optional<uint64_t> parseAddress(const char* text) {
  std::string s(text);
  while (!s.empty() && s.back() == ' ')
    s.pop_back();
  int base = 10;
  if (s.rfind("0x", 0) == 0 || s.rfind("0X", 0) == 0) {
    s = s.substr(2);
    base = 16;
  } else if (s.find_first_of("abcdefABCDEF") != std::string::npos) {
    base = 16;
  }
  if (s.empty())
    return std::nullopt;
  char* end = nullptr;
  unsigned long long v = std::strtoull(s.c_str(), &end, base);
  if (!end || *end)
    return std::nullopt;
  return uint64_t(v);
}

} // namespace

std::string memoryEmptyHow(InspectorModel& model) {
  if (model.isLive()) {
    if (model.profile())
      return "The run is not profiled for memory. Start the inspector with --memory: "
             "wasmscope inspect --memory MODULE.";
    return "The heap appears when the program stops or ends (with --memory: wasmscope "
           "inspect --memory MODULE): set a breakpoint, or press Continue to let it finish.";
  }
  if (model.profile())
    return "This profile has no memory part. Record one with wasmscope profile --memory -o "
           "prog.profile.json MODULE, or run live with wasmscope inspect --memory MODULE.";
  return "Open a profile recorded with wasmscope profile --memory (wasmscope inspect "
         "prog.profile.json), or run a module live with wasmscope inspect --memory MODULE.";
}

void MemoryView::fit(uint64_t size, size_t cells) {
  m_begin = 0;
  m_bytesPerCell = std::bit_ceil(std::max<uint64_t>(1, (size + cells - 1) / std::max<size_t>(1, cells)));
}

void MemoryView::draw(ViewContext& context) {
  InspectorModel& model = context.model();
  MemoryMap& map = model.memoryMap();
  if (map.empty()) {
    context.emptyState("No memory data", memoryEmptyHow(model));
    return;
  }
  // Toolbar: the legend with each kind's bytes, zoom and go-to.
  for (int k = 0; k < kMemoryKindCount - 1; ++k) {
    MemoryKind kind = MemoryKind(k);
    if ((kind == MemoryKind::Leaked || kind == MemoryKind::Possible) && !map.leakChecked())
      continue;
    ImVec2 p = ImGui::GetCursorScreenPos();
    float h = ImGui::GetTextLineHeight();
    ImGui::GetWindowDrawList()->AddRectFilled(p, ImVec2(p.x + h, p.y + h),
                                              toImU32(palette::memoryColor(kind)));
    ImGui::Dummy(ImVec2(h, h));
    ImGui::SameLine();
    ImGui::Text("%s %s", palette::memoryKindName(kind), bytesText(map.totals()[k]).c_str());
    ImGui::SameLine(0, 16);
  }
  ImGui::NewLine();
  if (ImGui::Button("Whole memory"))
    m_bytesPerCell = 0;
  ImGui::SameLine();
  ImGui::SetNextItemWidth(160);
  if (ImGui::InputTextWithHint("##goto", "Go to address", m_goto, sizeof m_goto,
                               ImGuiInputTextFlags_EnterReturnsTrue)) {
    if (auto address = parseAddress(m_goto)) {
      model.selectAddress(*address);
      m_center = true;
    }
  }
  ImGui::SameLine();
  ImGui::TextColored(toImVec4(palette::kDimText), "%s of linear memory, %s a cell%s",
                     bytesText(map.size()).c_str(), bytesText(std::max<uint64_t>(1, m_bytesPerCell)).c_str(),
                     map.time() ? (" - at instruction " + groupDigits(*map.time()) +
                                   " (scrubbed in the Heap timeline)").c_str()
                                : (map.leakChecked() ? " - at exit, after the leak check" : " - at the end"));

  ImVec2 avail = ImGui::GetContentRegionAvail();
  float mapWidth = std::floor(avail.x * 0.62f);
  ImGui::BeginChild("map", ImVec2(mapWidth, 0), false,
                    ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
  drawMap(context);
  ImGui::EndChild();
  ImGui::SameLine();
  ImGui::BeginChild("hex", ImVec2(0, 0), false);
  drawHex(context);
  ImGui::EndChild();
}

void MemoryView::drawMap(ViewContext& context) {
  InspectorModel& model = context.model();
  MemoryMap& map = model.memoryMap();
  ImVec2 origin = ImGui::GetCursorScreenPos();
  ImVec2 size = ImGui::GetContentRegionAvail();
  size_t cols = size_t(std::max(1.0f, std::floor(size.x / kCellPx)));
  size_t rows = size_t(std::max(1.0f, std::floor(size.y / kCellPx)));
  size_t cells = cols * rows;
  if (m_bytesPerCell == 0 || m_mapSize != map.size() || m_cols != cols) {
    if (m_bytesPerCell == 0 || m_mapSize != map.size())
      fit(map.size(), cells);
    m_mapSize = map.size();
    m_cols = cols;
  }
  const std::optional<uint64_t>& selected = model.selection().address;
  // A selection made elsewhere (the Allocations view, go-to, a followed
  // pointer) that is off the strip is brought into view.
  if (selected != m_lastSelection) {
    m_lastSelection = selected;
    uint64_t shown = m_begin + cells * m_bytesPerCell;
    if (selected && (*selected < m_begin || *selected >= shown))
      m_center = true;
  }
  if (m_center && selected) {
    // Show the selection (from --select, go-to or a followed pointer): zoom
    // in until its block spans a few cells.
    uint64_t span = 1;
    if (auto b = map.blockAt(*selected))
      span = std::max<uint32_t>(1, map.blocks()[*b].block.size);
    uint64_t bpc = std::bit_ceil(std::max<uint64_t>(1, span / 16));
    m_bytesPerCell = std::max<uint64_t>(1, std::min(m_bytesPerCell, bpc));
    uint64_t rowBytes = m_bytesPerCell * cols;
    uint64_t start = *selected / rowBytes * rowBytes;
    m_begin = start > rowBytes * (rows / 2) ? start - rowBytes * (rows / 2) : 0;
  }
  m_center = false;
  uint64_t rowBytes = m_bytesPerCell * cols;
  ImGui::InvisibleButton("strip", ImVec2(float(cols) * kCellPx, float(rows) * kCellPx));
  bool hovered = ImGui::IsItemHovered();
  ImGuiIO& io = ImGui::GetIO();
  auto cellAt = [&](ImVec2 p) -> std::optional<size_t> {
    float x = p.x - origin.x, y = p.y - origin.y;
    if (x < 0 || y < 0 || x >= float(cols) * kCellPx || y >= float(rows) * kCellPx)
      return std::nullopt;
    return size_t(y / kCellPx) * cols + size_t(x / kCellPx);
  };
  // Zoom around the cursor, by powers of two (cells stay aligned).
  if (hovered && io.MouseWheel != 0) {
    if (auto cell = cellAt(io.MousePos)) {
      uint64_t anchor = m_begin + *cell * m_bytesPerCell;
      uint64_t next = io.MouseWheel > 0 ? std::max<uint64_t>(1, m_bytesPerCell / 2)
                                        : m_bytesPerCell * 2;
      uint64_t whole = std::bit_ceil(std::max<uint64_t>(1, (map.size() + cells - 1) / cells));
      next = std::min(next, whole);
      uint64_t before = *cell / cols * (next * cols) + (*cell % cols) * next;
      uint64_t begin = anchor > before ? anchor - before : 0;
      m_bytesPerCell = next;
      // Aligned to a cell (a power of two: whole summary granules when
      // cells are that large), not to a row, so the byte stays put.
      m_begin = begin / next * next;
      rowBytes = m_bytesPerCell * cols;
    }
  }
  if (ImGui::IsItemActive() && ImGui::IsMouseDragging(0, 2.0f)) {
    m_drag += -io.MouseDelta.y / kCellPx;
    int64_t steps = int64_t(m_drag);
    m_drag -= double(steps);
    int64_t begin = int64_t(m_begin) + steps * int64_t(rowBytes);
    m_begin = uint64_t(std::max<int64_t>(0, begin));
  }
  if (m_begin >= map.size())
    m_begin = map.size() > rowBytes ? (map.size() - 1) / rowBytes * rowBytes : 0;

  m_cells.resize(cells);
  map.cells(m_begin, m_bytesPerCell, m_cells);
  // The selected block over everything.
  std::optional<uint32_t> selectedBlock;
  if (selected)
    selectedBlock = map.blockAt(*selected);
  if (selectedBlock) {
    const profiler::HeapBlock& b = map.blocks()[*selectedBlock].block;
    uint64_t end = uint64_t(b.address) + std::max<uint32_t>(b.size, 1);
    if (end > m_begin && b.address < m_begin + cells * m_bytesPerCell) {
      size_t c0 = size_t((std::max<uint64_t>(b.address, m_begin) - m_begin) / m_bytesPerCell);
      size_t c1 = size_t((end - 1 - m_begin) / m_bytesPerCell);
      for (size_t c = c0; c <= c1 && c < cells; ++c)
        m_cells[c] = MemoryKind::Selected;
    }
  }
  ImDrawList* list = ImGui::GetWindowDrawList();
  uint64_t visibleEnd = std::min(map.size(), m_begin + cells * m_bytesPerCell);
  size_t usedCells = size_t((visibleEnd - m_begin + m_bytesPerCell - 1) / m_bytesPerCell);
  // Runs of one kind per row: one rectangle each.
  for (size_t r = 0; r < rows; ++r) {
    size_t c = 0;
    while (c < cols) {
      size_t i = r * cols + c;
      if (i >= usedCells)
        break;
      MemoryKind kind = m_cells[i];
      size_t e = c + 1;
      while (e < cols && r * cols + e < usedCells && m_cells[r * cols + e] == kind)
        ++e;
      float y = origin.y + float(r) * kCellPx;
      list->AddRectFilled(ImVec2(origin.x + float(c) * kCellPx, y),
                          ImVec2(origin.x + float(e) * kCellPx, y + kCellPx),
                          toImU32(palette::memoryColor(kind)));
      c = e;
    }
  }
  ImVec2 mapMax(origin.x + float(cols) * kCellPx,
                origin.y + float(std::min(rows, (usedCells + cols - 1) / cols)) * kCellPx);
  context.mark("memory.map", origin, mapMax, std::to_string(m_bytesPerCell));

  if (hovered) {
    if (auto cell = cellAt(io.MousePos); cell && *cell < usedCells) {
      uint64_t address = m_begin + *cell * m_bytesPerCell;
      uint64_t end = std::min(map.size(), address + m_bytesPerCell);
      std::optional<uint32_t> block = map.blockIn(address, end);
      ImGui::BeginTooltip();
      ImGui::Text("%s - %s  %s", hex(address).c_str(), hex(end - 1).c_str(),
                  palette::memoryKindName(m_cells[*cell] == MemoryKind::Selected
                                              ? map.kindAt(address)
                                              : m_cells[*cell]));
      if (block) {
        const MapBlock& b = map.blocks()[*block];
        ImGui::Text("block %s, %s bytes (%s)", hex(b.block.address).c_str(),
                    groupDigits(b.block.size).c_str(), palette::memoryKindName(b.kind));
        if (const profiler::Profile* profile = model.profile())
          ImGui::TextUnformatted(allocSiteLabel(allocFrames(*profile, b.block.stack)).c_str());
      }
      ImGui::EndTooltip();
      if (clickedWithoutDrag()) {
        if (block)
          model.selectAddress(map.blocks()[*block].block.address);
        else
          model.selectAddress(address);
      }
    }
  }
}

void MemoryView::drawHex(ViewContext& context) {
  InspectorModel& model = context.model();
  MemoryMap& map = model.memoryMap();
  const std::optional<uint64_t> selected = model.selection().address;
  ImVec2 top = ImGui::GetCursorScreenPos();
  if (!selected) {
    ImGui::TextWrapped("Click the map to select a block, or go to an address.");
  } else {
    ImGui::Text("Selected %s: %s", hex(*selected).c_str(),
                palette::memoryKindName(map.kindAt(*selected)));
    if (auto b = map.blockAt(*selected)) {
      const MapBlock& block = map.blocks()[*b];
      ImGui::Text("block %s, %s bytes, allocation #%s at instruction %s",
                  hex(block.block.address).c_str(), groupDigits(block.block.size).c_str(),
                  groupDigits(block.block.serial).c_str(), groupDigits(block.block.time).c_str());
      if (const profiler::Profile* profile = model.profile())
        for (const AllocFrame& frame : allocFrames(*profile, block.block.stack)) {
          ImGui::TextColored(toImVec4(palette::kDimText), "  %s", frame.text().c_str());
          if (frame.function == "main" || frame.function == "__main_argc_argv")
            break;
        }
    }
  }
  uint64_t base = selected ? *selected / 16 * 16 : 0;
  base = base >= 16 * 4 ? base - 16 * 4 : 0;
  constexpr uint64_t kRows = 24;
  MemoryBytes bytes = model.readMemory(base, kRows * 16);
  if (bytes.source.empty()) {
    ImGui::Spacing();
    ImGui::PushStyleColor(ImGuiCol_Text, toImVec4(palette::kEmptyText));
    ImGui::TextWrapped("No memory contents: a saved profile keeps the allocations, not the "
                       "bytes. Run live (wasmscope inspect --memory MODULE) to read them, "
                       "stopped at a breakpoint or at the end of the run.");
    ImGui::PopStyleColor();
    context.mark("memory.hex", top, ImVec2(top.x + ImGui::GetContentRegionAvail().x,
                                           ImGui::GetCursorScreenPos().y), "no contents");
    return;
  }
  // Follow pointer and the typed values of the selected word.
  if (selected) {
    uint64_t at = *selected;
    MemoryBytes word = model.readMemory(at, 8);
    if (word.data.size() >= 4) {
      uint32_t u32 = 0;
      std::memcpy(&u32, word.data.data(), 4);
      float f32 = 0;
      std::memcpy(&f32, word.data.data(), 4);
      ImGui::Text("u8 %u  u32 %u  i32 %d  f32 %g", unsigned(word.data[0]), u32, int32_t(u32),
                  double(f32));
      ImGui::Text("as a pointer: %s (%s)", hex(u32).c_str(),
                  u32 < map.size() ? palette::memoryKindName(map.kindAt(u32)) : "outside memory");
      ImGui::SameLine();
      if (ImGui::SmallButton("Follow pointer") && u32 < map.size()) {
        m_back.push_back(at);
        model.selectAddress(u32);
        m_center = true;
      }
      if (!m_back.empty()) {
        ImGui::SameLine();
        if (ImGui::SmallButton("Back")) {
          model.selectAddress(m_back.back());
          m_back.pop_back();
          m_center = true;
        }
      }
    }
  }
  if (const std::optional<TypedValue>& typed = model.selectedTypedValue()) {
    ImGui::Text("%s = %s", typed->expression.c_str(), typed->value.c_str());
    ImGui::TextColored(toImVec4(palette::kDimText), "  %s, %s", typed->type.c_str(),
                       typed->via.c_str());
    for (const TypedMember& m : typed->members)
      ImGui::Text("  %s = %s", m.name.c_str(), m.value.c_str());
  }
  ImGui::TextColored(toImVec4(palette::kDimText), "%s", bytes.source.c_str());
  if (context.fonts().mono)
    ImGui::PushFont(context.fonts().mono);
  ImVec2 hexTop = ImGui::GetCursorScreenPos();
  float charW = ImGui::CalcTextSize("0").x;
  for (uint64_t r = 0; r < kRows; ++r) {
    uint64_t rowAddress = base + r * 16;
    if (rowAddress - base >= bytes.data.size())
      break;
    ImGui::Text("%08" PRIx64, rowAddress);
    for (uint64_t i = 0; i < 16; ++i) {
      uint64_t offset = r * 16 + i;
      if (offset >= bytes.data.size())
        break;
      uint64_t address = rowAddress + i;
      MemoryKind kind = map.kindAt(address);
      ImGui::SameLine(charW * float(10 + i * 3));
      bool isSelected = selected && address == *selected;
      ImVec2 p = ImGui::GetCursorScreenPos();
      if (isSelected)
        ImGui::GetWindowDrawList()->AddRectFilled(
            ImVec2(p.x - 1, p.y), ImVec2(p.x + charW * 2 + 1, p.y + ImGui::GetTextLineHeight()),
            toImU32(palette::kSelected, 90));
      ImGui::TextColored(toImVec4(kind == MemoryKind::Unused ? palette::kDimText
                                                             : palette::memoryColor(kind)),
                         "%02x", unsigned(bytes.data[offset]));
      if (ImGui::IsItemClicked())
        model.selectAddress(address);
    }
    std::string ascii;
    for (uint64_t i = 0; i < 16 && r * 16 + i < bytes.data.size(); ++i) {
      uint8_t c = bytes.data[r * 16 + i];
      ascii.push_back(c >= 32 && c < 127 ? char(c) : '.');
    }
    ImGui::SameLine(charW * float(10 + 16 * 3 + 1));
    ImGui::TextColored(toImVec4(palette::kDimText), "%s", ascii.c_str());
  }
  if (context.fonts().mono)
    ImGui::PopFont();
  context.mark("memory.hex", hexTop,
               ImVec2(hexTop.x + ImGui::GetContentRegionAvail().x, ImGui::GetCursorScreenPos().y),
               bytes.source);
}

} // namespace wasmscope::gui
