// The dataId of a data breakpoint: "<address>/<size>" ("0x11a20/4"), the
// bytes of linear memory it watches. dataBreakpointInfo makes them and
// setDataBreakpoints reads them back (a client may also type its own).
#pragma once

#include "Protocol/Requests.h"

#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace wasmscope::dap {

/// The most bytes one data breakpoint watches (all of a 32-bit memory).
inline constexpr uint64_t kMaxDataBreakpointSize = uint64_t(1) << 32;

/// "0x11a20/4".
inline std::string formatDataBreakpointId(uint64_t address, uint64_t size) {
  return protocol::formatMemoryReference(address) + "/" + std::to_string(size);
}

/// The address and size a dataId names; nullopt when it is malformed.
inline std::optional<std::pair<uint64_t, uint64_t>> parseDataBreakpointId(std::string_view id) {
  size_t slash = id.find('/');
  if (slash == std::string_view::npos)
    return std::nullopt;
  auto address = protocol::parseMemoryReference(id.substr(0, slash));
  std::string_view sizeText = id.substr(slash + 1);
  uint64_t size = 0;
  auto [end, ec] = std::from_chars(sizeText.data(), sizeText.data() + sizeText.size(), size);
  if (!address || ec != std::errc() || end != sizeText.data() + sizeText.size() || size == 0 ||
      size > kMaxDataBreakpointSize)
    return std::nullopt;
  return std::pair{*address, size};
}

} // namespace wasmscope::dap
