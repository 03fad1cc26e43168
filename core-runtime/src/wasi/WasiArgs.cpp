// args_get, args_sizes_get, environ_get, environ_sizes_get: the guest's argv
// and environment, exactly as configured (no host variable leaks in).
#include "WasiState.h"

namespace wasmscope::runtime::wasi {

namespace {

std::vector<std::string> environStrings(const WasiConfig& config) {
  std::vector<std::string> out;
  out.reserve(config.env.size());
  for (const auto& [key, value] : config.env)
    out.push_back(key + "=" + value);
  return out;
}

/// Writes the sizes: count at `countPtr`, total bytes with terminators at `sizePtr`.
Errno sizesGet(WasiCall& c, const std::vector<std::string>& strings) {
  uint64_t bytes = 0;
  for (const std::string& s : strings)
    bytes += s.size() + 1;
  if (strings.size() > UINT32_MAX || bytes > UINT32_MAX)
    return Errno::Overflow;
  uint32_t countPtr = c.u32(0), sizePtr = c.u32(1);
  if (!c.mem.check(countPtr, 4) || !c.mem.check(sizePtr, 4))
    return Errno::Fault;
  WASI_TRY(c.mem.writeU32(countPtr, uint32_t(strings.size())));
  return c.mem.writeU32(sizePtr, uint32_t(bytes));
}

/// Writes the pointer array at `ptrs` and the NUL-terminated strings at `buf`,
/// after checking both ranges, so a bad pointer changes nothing.
Errno stringsGet(WasiCall& c, const std::vector<std::string>& strings) {
  uint32_t ptrs = c.u32(0), buf = c.u32(1);
  uint64_t bytes = 0;
  for (const std::string& s : strings)
    bytes += s.size() + 1;
  if (!c.mem.checkArray(ptrs, strings.size(), 4) || !c.mem.check(buf, bytes))
    return Errno::Fault;
  uint64_t at = buf;
  for (size_t i = 0; i < strings.size(); ++i) {
    WASI_TRY(c.mem.writeU32(ptrs + 4 * uint64_t(i), uint32_t(at)));
    WASI_TRY(c.mem.writeBytes(at, strings[i]));
    WASI_TRY(c.mem.writeU8(at + strings[i].size(), 0));
    at += strings[i].size() + 1;
  }
  return Errno::Success;
}

Errno argsGet(WasiCall& c) { return stringsGet(c, c.wasi.config.args); }
Errno argsSizesGet(WasiCall& c) { return sizesGet(c, c.wasi.config.args); }
Errno environGet(WasiCall& c) { return stringsGet(c, environStrings(c.wasi.config)); }
Errno environSizesGet(WasiCall& c) { return sizesGet(c, environStrings(c.wasi.config)); }

constexpr WasiFunctionDef kFunctions[] = {
    {"args_get", "ii", argsGet},
    {"args_sizes_get", "ii", argsSizesGet},
    {"environ_get", "ii", environGet},
    {"environ_sizes_get", "ii", environSizesGet},
};

} // namespace

std::span<const WasiFunctionDef> argsFunctions() { return kFunctions; }

} // namespace wasmscope::runtime::wasi
