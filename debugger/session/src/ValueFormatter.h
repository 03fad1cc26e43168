// How values look in the variables view, watches and hovers: one summary
// string per value ("42", "'A'", "0x00011a20 \"hello\"", "{x=1, y=2}",
// "RED") and the children a value expands into (members, elements, the
// pointee). Reads go through the EvalEnvironment, so unreadable memory shows
// as "<unreadable 0x...>" rather than failing the whole view.
#pragma once

#include "Evaluator.h"

#include <string>
#include <vector>

namespace wasmscope::debugger {

/// How a child's expression is built from its parent's (for evaluateName).
/// Suffix: `member` is appended to the parent's expression as it is
/// (".__begin_[3]"); empty when no expression reaches the child.
enum class ChildAccess : uint8_t { Member, Arrow, Index, Deref, Suffix };

struct ChildValue {
  std::string name; ///< "x", "[3]", "*p"
  EvalValue value;
  ChildAccess access = ChildAccess::Member;
  std::string member; ///< Member name or index text.
};

struct ValueShape {
  uint32_t named = 0;   ///< Members (or the single pointee).
  uint32_t indexed = 0; ///< Array elements.
  bool expandable() const { return named || indexed; }
};

class ValueFormatter {
public:
  ValueFormatter(EvalEnvironment& env, TypeFactory& types) : m_env(env), m_types(types) {}

  /// The one-line summary of a value.
  std::string format(const EvalValue& value, bool hex = false);
  /// How many children the value has (without reading them).
  ValueShape shape(const EvalValue& value);
  /// Children in [start, start + count) (count 0: all, capped at kMaxChildren).
  std::vector<ChildValue> children(const EvalValue& value, uint32_t start = 0, uint32_t count = 0);
  /// True when the children are elements (arrays, library sequences), which
  /// DAP pages as indexed variables.
  bool hasIndexedChildren(const EvalValue& value);
  /// `parent` + access: "p->next", "a[3]", "(*p).x" (for evaluateName).
  static std::string childExpression(const std::string& parent, const ChildValue& child);

  static constexpr uint32_t kMaxChildren = 10000;
  static constexpr size_t kMaxString = 256;

private:
  std::string formatScalar(const Scalar& s, const Type* type, bool hex);
  std::string formatAggregate(const EvalValue& value, int depth);
  std::string formatArray(const EvalValue& value, int depth);
  /// A SIMD vector: "i32x4 {1, 2, 3, 4}", "f32x4 {1.5, -2, 0, 8}"; a wasm
  /// v128 in its i32x4 view; v128 `bytes` as hex.
  std::string formatVector(const EvalValue& value);
  std::string formatInner(const EvalValue& value, int depth, bool hex);
  /// A C string at `address`, quoted and escaped; nullopt if unreadable.
  std::optional<std::string> readCString(uint64_t address, size_t max);

  EvalEnvironment& m_env;
  TypeFactory& m_types;
};

/// "hello\n" -> "\"hello\\n\"" (C escapes; bytes >= 0x7f as \xNN).
std::string quoteString(std::string_view bytes, bool truncated);
/// "0x0001a2b0"
std::string hexAddress(uint64_t address);

} // namespace wasmscope::debugger
