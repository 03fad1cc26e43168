// Colour helpers for the palette (see Palette.h).
#include "Palette.h"

#include <algorithm>
#include <cmath>

namespace wasmscope::gui::palette {

Rgb blend(Rgb a, Rgb b, double t) {
  t = std::clamp(t, 0.0, 1.0);
  auto mix = [t](uint8_t x, uint8_t y) {
    return uint8_t(std::lround(double(x) + (double(y) - double(x)) * t));
  };
  return {mix(a.r, b.r), mix(a.g, b.g), mix(a.b, b.b)};
}

Rgb flameColor(uint64_t nameHash) {
  // Warm hues (red to yellow) with varied lightness, as flame graphs use.
  double hue = double(nameHash % 55) / 55.0;        // 0..1 across red..yellow
  double shade = double((nameHash >> 8) % 30) / 30.0; // lightness variation
  Rgb dark{200, 70, 50};
  Rgb light{235, 175, 70};
  Rgb base = blend(dark, light, hue);
  return blend(base, Rgb{250, 225, 160}, shade * 0.35);
}

} // namespace wasmscope::gui::palette
