// The inspector's look: ImGui's style in the palette's colours, and the
// fonts (DejaVu Sans and DejaVu Sans Mono from fonts-dejavu-core when they
// are installed, else ImGui's built-in font).
#pragma once

#include "ViewContext.h"

namespace wasmscope::gui {

/// Sets the style and loads the fonts into the current context's atlas
/// (before the atlas is built). `scale` multiplies sizes (HiDPI).
Fonts applyTheme(float scale = 1.0f);

} // namespace wasmscope::gui
