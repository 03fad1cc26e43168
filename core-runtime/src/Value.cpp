// Text form of a typed value ("i32:42", "f64:1.5", "funcref:null") for
// messages, traces and the command-line tool. Floats print in the shortest
// form that reads back to the same bits; NaNs show their payload.
#include "wasmscope/runtime/Value.h"

#include "wasmscope/runtime/Instance.h"

#include <charconv>
#include <cinttypes>
#include <cmath>
#include <cstdio>

namespace wasmscope::runtime {

namespace {

template <typename F> std::string floatText(F value, uint64_t mantissaBits, bool negative) {
  if (std::isnan(value)) {
    char buf[48];
    std::snprintf(buf, sizeof buf, "%snan:0x%" PRIx64, negative ? "-" : "", mantissaBits);
    return buf;
  }
  if (std::isinf(value))
    return negative ? "-inf" : "inf";
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  if (ec != std::errc())
    return "?";
  return std::string(buf, end);
}

} // namespace

std::string Value::toString() const {
  std::string prefix = std::string(valTypeName(type)) + ":";
  switch (type) {
  case ValType::I32:
    return prefix + std::to_string(int32_t(asI32()));
  case ValType::I64:
    return prefix + std::to_string(int64_t(asI64()));
  case ValType::F32: {
    uint32_t b = uint32_t(bits);
    return prefix + floatText(asF32(), b & 0x7fffffu, (b >> 31) != 0);
  }
  case ValType::F64:
    return prefix + floatText(asF64(), bits & 0xfffffffffffffull, (bits >> 63) != 0);
  case ValType::V128: {
    char buf[32];
    std::snprintf(buf, sizeof buf, "0x%016" PRIx64, bits);
    return prefix + buf;
  }
  case ValType::FuncRef: {
    if (isNull())
      return prefix + "null";
    const FunctionInstance* f = asFunc();
    return prefix + (f->name.empty() ? std::string("<anonymous>") : f->name);
  }
  case ValType::ExternRef:
    if (isNull())
      return prefix + "null";
    return prefix + std::to_string(asExtern());
  }
  return prefix + "?";
}

} // namespace wasmscope::runtime
