// The inspector's colours, as plain RGB values with no GUI dependency: the
// views draw with them, the memory map's legend names them, and the pixel
// tests look for them in screenshots. One table, so a colour changed here
// changes everywhere it is drawn or checked.
#pragma once

#include <cstdint>

namespace wasmscope::gui {

/// An opaque colour.
struct Rgb {
  uint8_t r = 0;
  uint8_t g = 0;
  uint8_t b = 0;
  constexpr bool operator==(const Rgb&) const = default;
  /// Packed as Dear ImGui's ImU32 (IM_COL32: alpha in the top byte, red in
  /// the lowest), without including ImGui.
  constexpr uint32_t packed(uint8_t alpha = 255) const {
    return (uint32_t(alpha) << 24) | (uint32_t(b) << 16) | (uint32_t(g) << 8) | uint32_t(r);
  }
};

/// What a byte of linear memory is, as the memory map colours it. Ordered by
/// precedence: when one pixel covers bytes of several kinds, the highest
/// kind present is drawn, so a single leaked byte in a page stays visible.
enum class MemoryKind : uint8_t {
  Unused,    ///< Not in a data segment, the stack or any allocation.
  Freed,     ///< Was allocated and has been freed since.
  Data,      ///< Data segments and bss (static storage).
  Stack,     ///< The shadow stack (C locals that live in memory).
  Live,      ///< Allocated and not freed (still reachable, at exit).
  Possible,  ///< Possibly lost: only interior pointers reach it.
  Leaked,    ///< Definitely or indirectly lost, after the leak check.
  Selected,  ///< The selected allocation (drawn over everything else).
};
inline constexpr int kMemoryKindCount = 8;

namespace palette {

// Memory map.
inline constexpr Rgb kUnused{38, 41, 48};
inline constexpr Rgb kFreed{92, 98, 112};
inline constexpr Rgb kData{214, 160, 62};
inline constexpr Rgb kStack{150, 110, 220};
inline constexpr Rgb kLive{64, 150, 230};
inline constexpr Rgb kPossible{240, 200, 70};
inline constexpr Rgb kLeaked{232, 72, 77};
inline constexpr Rgb kSelected{255, 255, 255};

/// The colour of a memory kind.
constexpr Rgb memoryColor(MemoryKind kind) {
  switch (kind) {
  case MemoryKind::Unused:
    return kUnused;
  case MemoryKind::Freed:
    return kFreed;
  case MemoryKind::Data:
    return kData;
  case MemoryKind::Stack:
    return kStack;
  case MemoryKind::Live:
    return kLive;
  case MemoryKind::Possible:
    return kPossible;
  case MemoryKind::Leaked:
    return kLeaked;
  case MemoryKind::Selected:
    return kSelected;
  }
  return kUnused;
}

/// The legend's word for a memory kind.
constexpr const char* memoryKindName(MemoryKind kind) {
  switch (kind) {
  case MemoryKind::Unused:
    return "unused";
  case MemoryKind::Freed:
    return "freed";
  case MemoryKind::Data:
    return "data/bss";
  case MemoryKind::Stack:
    return "stack";
  case MemoryKind::Live:
    return "live";
  case MemoryKind::Possible:
    return "possibly lost";
  case MemoryKind::Leaked:
    return "leaked";
  case MemoryKind::Selected:
    return "selected";
  }
  return "?";
}

// Window chrome.
inline constexpr Rgb kBackground{24, 26, 31};
inline constexpr Rgb kPanel{30, 33, 39};
inline constexpr Rgb kText{222, 226, 232};
inline constexpr Rgb kDimText{140, 147, 160};
inline constexpr Rgb kAccent{64, 150, 230};
/// The text of an empty state ("No memory data: ...").
inline constexpr Rgb kEmptyText{150, 157, 170};

// Flame graphs and the call trace: a hue per function, from its name.
inline constexpr Rgb kFlameBase{205, 105, 60};
inline constexpr Rgb kHostFrame{110, 160, 120};
// Source heat column: from cold to hot.
inline constexpr Rgb kHeatCold{45, 60, 90};
inline constexpr Rgb kHeatHot{240, 90, 50};
inline constexpr Rgb kBreakpoint{220, 50, 55};
inline constexpr Rgb kCurrentLine{90, 80, 20};
// Heap timeline.
inline constexpr Rgb kTimelineFill{64, 150, 230};
inline constexpr Rgb kPeak{232, 72, 77};
inline constexpr Rgb kGrow{214, 160, 62};
inline constexpr Rgb kCursor{255, 255, 255};

/// A warm flame colour for a frame, stable for its name: similar names get
/// different shades so neighbours stay apart.
Rgb flameColor(uint64_t nameHash);

/// Linear blend between two colours, t in [0, 1].
Rgb blend(Rgb a, Rgb b, double t);

} // namespace palette

} // namespace wasmscope::gui
