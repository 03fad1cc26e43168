// Evaluation of the C expression subset (Expression.h) to typed values: where
// a value lives (linear memory, a wasm local or global, or computed bytes),
// its DWARF or synthetic type, and the C rules for arithmetic, pointers,
// members and casts. The frame it reads comes through EvalEnvironment, so the
// same code serves stopped frames, breakpoint conditions and unit tests.
#pragma once

#include "TypeFactory.h"
#include "wasmscope/session/Expression.h"
#include "wasmscope/symbols/Symbols.h"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace wasmscope::debugger {

using runtime::Error;
using runtime::ErrorCode;

enum class ValueLocation : uint8_t {
  Memory,       ///< Linear memory at `address`.
  WasmLocal,    ///< Wasm local `index` of the frame.
  WasmGlobal,   ///< Wasm global `index`.
  Bytes,        ///< A computed value: `bytes`, little-endian.
  OptimizedOut, ///< No location at this pc.
};

/// A typed value and where it lives. A bitfield member keeps the location of
/// the bytes that hold it plus its bit position.
struct EvalValue {
  const Type* type = nullptr;
  ValueLocation location = ValueLocation::Bytes;
  uint64_t address = 0;
  uint32_t index = 0;
  std::vector<uint8_t> bytes;
  uint32_t bitSize = 0;
  uint32_t bitOffset = 0;

  static EvalValue memory(const Type* type, uint64_t address) {
    EvalValue v;
    v.type = type;
    v.location = ValueLocation::Memory;
    v.address = address;
    return v;
  }
  static EvalValue ofBytes(const Type* type, std::vector<uint8_t> bytes) {
    EvalValue v;
    v.type = type;
    v.bytes = std::move(bytes);
    return v;
  }
  bool isLvalue() const {
    return location == ValueLocation::Memory || location == ValueLocation::WasmLocal ||
           location == ValueLocation::WasmGlobal;
  }
};

/// What evaluation may see of the guest. Implementations report absent items
/// as errors or nullopt/false, never by throwing.
class EvalEnvironment {
public:
  virtual ~EvalEnvironment() = default;
  /// A C variable visible in the frame (locals first, then globals), or an
  /// enumerator. Error message when absent: "no variable named 'x'".
  virtual Result<EvalValue> variable(std::string_view name) = 0;
  /// `$local3`, `$global0`, `$name` (name-section local names): raw wasm items.
  virtual Result<EvalValue> wasmName(std::string_view name) = 0;
  /// A named type from the debug info ("struct node", "node_t"), or nullptr.
  virtual const Type* namedType(std::string_view name) = 0;
  virtual bool readMemory(uint64_t address, std::span<uint8_t> out) = 0;
  virtual bool writeMemory(uint64_t address, std::span<const uint8_t> bytes) = 0;
  /// A wasm local or global as a typed value (a v128 with all 16 bytes).
  virtual std::optional<runtime::Value> readWasmLocal(uint32_t index) = 0;
  virtual std::optional<runtime::Value> readWasmGlobal(uint32_t index) = 0;
  virtual bool writeWasmLocal(uint32_t index, uint64_t bits) = 0;
  virtual bool writeWasmGlobal(uint32_t index, uint64_t bits) = 0;
};

/// An environment with nothing in it: constant expressions only.
class EmptyEnvironment : public EvalEnvironment {
public:
  Result<EvalValue> variable(std::string_view name) override;
  Result<EvalValue> wasmName(std::string_view name) override;
  const Type* namedType(std::string_view) override { return nullptr; }
  bool readMemory(uint64_t, std::span<uint8_t>) override { return false; }
  bool writeMemory(uint64_t, std::span<const uint8_t>) override { return false; }
  std::optional<runtime::Value> readWasmLocal(uint32_t) override { return std::nullopt; }
  std::optional<runtime::Value> readWasmGlobal(uint32_t) override { return std::nullopt; }
  bool writeWasmLocal(uint32_t, uint64_t) override { return false; }
  bool writeWasmGlobal(uint32_t, uint64_t) override { return false; }
};

/// A scalar read out of a value: integers (sign- or zero-extended to 64
/// bits), floating point (as double) or a pointer (its address).
struct Scalar {
  enum class Kind : uint8_t { Signed, Unsigned, Float, Pointer };
  Kind kind = Kind::Signed;
  uint64_t bits = 0;
  double f = 0;
  const Type* type = nullptr;

  bool isZero() const { return kind == Kind::Float ? f == 0 : bits == 0; }
  int64_t asSigned() const { return int64_t(bits); }
};

// --- Type questions (typedefs and qualifiers looked through). ---
const Type* strip(const Type* type);
bool isIntegral(const Type* type);
bool isFloating(const Type* type);
bool isPointer(const Type* type); ///< Pointers and C++ references.
bool isArray(const Type* type);
bool isAggregate(const Type* type); ///< struct, class, union.
bool isSignedType(const Type* type);
/// char, signed char, unsigned char (and char8_t): shown as characters.
bool isCharType(const Type* type);
/// Bytes of a value of `type` (pointers 4 on wasm32; 0 when unknown).
uint64_t sizeOf(const Type* type);
/// The size of `type`, or why it has none (an incomplete struct, void, a
/// function, an array of unknown length): never 0.
Result<uint64_t> knownSize(const Type* type);
/// "int", "struct node *", "<unknown type>" for null.
std::string typeName(const Type* type);

// --- Reading and writing values. ---
/// The largest value read or assembled in one piece (a type's size comes
/// from untrusted DWARF and may claim far more).
inline constexpr uint64_t kMaxValueBytes = 64u << 20;
/// The value's bytes (its type's size, or `size` when given).
Result<std::vector<uint8_t>> loadBytes(EvalEnvironment& env, const EvalValue& value,
                                       std::optional<uint64_t> size = std::nullopt);
/// The value as a scalar; arrays in memory decay to a pointer to their first
/// element.
Result<Scalar> loadScalar(EvalEnvironment& env, TypeFactory& types, const EvalValue& value);
/// The scalar a value of scalar `type` (1 to 8 bytes, not a bitfield) holds
/// in the little-endian `bits`: sign- or zero-extended, a float, a pointer
/// or a bool. nullopt when `type` is no such scalar.
std::optional<Scalar> scalarFromBits(const Type* type, uint64_t bits);
/// Member `name` of struct or union `aggregate` (through anonymous members
/// and base classes), with its byte offset from the start of the object;
/// null when there is none (or the search is too large).
const Member* findMemberOf(const Type* aggregate, std::string_view name, uint64_t& offset);
/// Converts a scalar to a scalar type (C conversion rules).
Result<Scalar> convertScalar(const Scalar& value, const Type* target);
/// A computed value holding `scalar` in its type's representation.
EvalValue scalarValue(const Scalar& scalar);
/// Stores `scalar` (converted to the destination's type) into an lvalue.
Result<void> storeScalar(EvalEnvironment& env, const EvalValue& dest, const Scalar& scalar);
/// The part of `base` at `byteOffset` with `type` (a member or an element).
Result<EvalValue> subValue(EvalEnvironment& env, const EvalValue& base, const Type* type,
                           uint64_t byteOffset);
/// The object a pointer value points at.
Result<EvalValue> dereference(EvalEnvironment& env, TypeFactory& types, const EvalValue& pointer);
/// Member `name` of a struct/union value (through anonymous members and base
/// classes); a pointer to one is followed first.
Result<EvalValue> memberOf(EvalEnvironment& env, TypeFactory& types, const EvalValue& base,
                           std::string_view name);

// --- Operators, shared by the tree evaluator and compiled expressions. ---
enum class UnaryOp : uint8_t { Negate, Plus, Not, Complement };
enum class BinaryOp : uint8_t {
  Mul,
  Div,
  Rem,
  Add,
  Sub,
  Shl,
  Shr,
  Lt,
  Le,
  Gt,
  Ge,
  Eq,
  Ne,
  BitAnd,
  BitXor,
  BitOr,
  LogicalAnd,
  LogicalOr,
};
/// "-", "+", "!", "~"; nullopt for others (& and * are not arithmetic).
std::optional<UnaryOp> unaryOpOf(std::string_view spelling);
std::optional<BinaryOp> binaryOpOf(std::string_view spelling);
const char* binaryOpSpelling(BinaryOp op);
/// `op s` with C's integer promotions. Reads only TypeFactory's fixed types,
/// so it is safe on any thread.
Result<Scalar> applyUnary(const TypeFactory& types, UnaryOp op, const Scalar& s);
/// `a op b` with C's usual arithmetic conversions at wasm32 sizes, pointer
/// arithmetic and comparisons (&& and || of two evaluated operands).
/// Reads only TypeFactory's fixed types, so it is safe on any thread.
Result<Scalar> applyBinary(const TypeFactory& types, BinaryOp op, const Scalar& a, const Scalar& b);

class Evaluator {
public:
  /// `allowAssignment`: accept `a = b` (the REPL and setVariable only, so that
  /// conditions and watches cannot change the guest).
  Evaluator(EvalEnvironment& env, TypeFactory& types, bool allowAssignment = false)
      : m_env(env), m_types(types), m_allowAssignment(allowAssignment) {}

  Result<EvalValue> evaluate(std::string_view text);
  Result<EvalValue> evaluate(const expr::Node& node);
  /// Parses with the environment's typedef names known to the parser.
  Result<std::unique_ptr<expr::Node>> parse(std::string_view text);

private:
  Result<EvalValue> evalUnary(const expr::Node& node);
  Result<EvalValue> evalBinary(const expr::Node& node);
  Result<EvalValue> evalIndex(const expr::Node& node);
  Result<EvalValue> evalCast(const expr::Node& node);
  Result<EvalValue> evalAssign(const expr::Node& node);
  Result<Scalar> scalarOf(const expr::Node& node);
  Result<const Type*> resolveType(const expr::TypeName& name);
  Result<EvalValue> index(const EvalValue& base, int64_t i);

  EvalEnvironment& m_env;
  TypeFactory& m_types;
  bool m_allowAssignment;
};

} // namespace wasmscope::debugger
