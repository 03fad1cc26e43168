// A typed WebAssembly value as the embedding API passes it. Inside the
// interpreter values are untyped 64-bit slots; this is the boundary form.
#pragma once

#include "wasmscope/runtime/Types.h"

#include <cstdint>
#include <cstring>
#include <string>

namespace wasmscope::runtime {

struct FunctionInstance;

/// A v128 value: 16 bytes, lane 0 in the lowest-addressed bytes (the layout
/// linear memory gives it). `lo` holds bytes 0-7, `hi` bytes 8-15.
struct V128 {
  uint64_t lo = 0;
  uint64_t hi = 0;
  bool operator==(const V128&) const = default;
};

/// One raw 64-bit interpreter slot. i32 and f32 live in the low 32 bits; a
/// v128 takes two consecutive slots (lo, then hi).
union Slot {
  uint32_t i32;
  uint64_t i64;
  float f32;
  double f64;
  void* ref;
};
static_assert(sizeof(Slot) == 8);

/// Reference encoding in a slot: a funcref is a FunctionInstance* (null is 0);
/// an externref is the host's value plus one (null is 0).
struct Value {
  ValType type = ValType::I32;
  uint64_t bits = 0;
  uint64_t high = 0; ///< A v128's bytes 8-15 (`bits` holds bytes 0-7); 0 for other types.

  static Value i32(uint32_t v) { return {ValType::I32, v}; }
  static Value i64(uint64_t v) { return {ValType::I64, v}; }
  static Value f32(float v) {
    uint32_t b;
    std::memcpy(&b, &v, 4);
    return {ValType::F32, b};
  }
  static Value f64(double v) {
    uint64_t b;
    std::memcpy(&b, &v, 8);
    return {ValType::F64, b};
  }
  static Value f32Bits(uint32_t b) { return {ValType::F32, b}; }
  static Value f64Bits(uint64_t b) { return {ValType::F64, b}; }
  static Value funcRef(const FunctionInstance* f) {
    return {ValType::FuncRef, reinterpret_cast<uint64_t>(f)};
  }
  /// An externref carrying host value `v` (never null).
  static Value externRef(uint64_t v) { return {ValType::ExternRef, v + 1}; }
  static Value nullRef(ValType t) { return {t, 0}; }
  static Value v128(V128 v) { return {ValType::V128, v.lo, v.hi}; }

  uint32_t asI32() const { return uint32_t(bits); }
  uint64_t asI64() const { return bits; }
  float asF32() const {
    uint32_t b = uint32_t(bits);
    float f;
    std::memcpy(&f, &b, 4);
    return f;
  }
  double asF64() const {
    double d;
    std::memcpy(&d, &bits, 8);
    return d;
  }
  bool isNull() const { return bits == 0; }
  const FunctionInstance* asFunc() const {
    return reinterpret_cast<const FunctionInstance*>(bits);
  }
  uint64_t asExtern() const { return bits - 1; }
  V128 asV128() const { return {bits, high}; }

  /// Raw slot contents, for passing to and from the interpreter. A v128
  /// takes two slots: use toSlots and fromSlots for values of any type.
  uint64_t toSlot() const { return type == ValType::I32 || type == ValType::F32 ? uint32_t(bits) : bits; }
  static Value fromSlot(ValType t, uint64_t s) {
    return {t, t == ValType::I32 || t == ValType::F32 ? uint32_t(s) : s};
  }
  /// Writes the value's slotCount(type) slots to `out`.
  void toSlots(uint64_t* out) const {
    out[0] = toSlot();
    if (type == ValType::V128)
      out[1] = high;
  }
  /// The value of type `t` held in `slotCount(t)` slots at `s`.
  static Value fromSlots(ValType t, const uint64_t* s) {
    Value v = fromSlot(t, s[0]);
    if (t == ValType::V128)
      v.high = s[1];
    return v;
  }
  /// "i32:42", "f64:1.5", "funcref:null", "v128:i32x4 {1, 2, 3, 4}" for
  /// messages and the CLI.
  std::string toString() const;
};

/// The lane interpretations of a v128 (spec 2.4.1, "shape").
enum class V128Shape : uint8_t { I8x16, I16x8, I32x4, I64x2, F32x4, F64x2 };
/// "i32x4", "f64x2", ...
const char* v128ShapeName(V128Shape shape);
/// The lanes of `v` read as `shape`, lane 0 first: "i32x4 {1, -2, 3, 4}",
/// "f32x4 {1.5, nan:0x400000, -inf, 0}". Integers are shown signed.
std::string v128Text(V128 v, V128Shape shape);

} // namespace wasmscope::runtime
