// Breakpoint conditions and logpoint expressions compiled for the code
// offset of one breakpoint location. Evaluating the syntax tree at a hit
// looks each name up, runs its DWARF location expression and copies values
// through vectors: about 500 ns. Here that work happens once, when the
// breakpoint is placed: names become typed accessors of a wasm local, a
// global or linear memory at a fixed place relative to them (the variable's
// location at that pc), member and element offsets become constants, and
// the result is a tree of closures over scalars that allocates nothing at a
// hit. Operators share their C semantics with the tree evaluator
// (applyUnary, applyBinary, convertScalar), so both give the same answer.
// What the compiler does not cover (bitfields, values on the operand stack
// or in pieces, aggregates as values) makes compile() give up, and the
// breakpoint falls back to the tree.
#pragma once

#include "Evaluator.h"
#include "wasmscope/runtime/Instance.h"
#include "wasmscope/session/Expression.h"

#include <functional>
#include <memory>
#include <optional>
#include <string_view>
#include <utility>

namespace wasmscope::debugger {

/// The frame a compiled expression reads at a hit: the probe's wasm locals
/// and instance. Valid during the hook only.
struct HitFrame {
  const runtime::Slot* locals = nullptr;
  uint32_t numLocals = 0;
  runtime::Instance* instance = nullptr;
  runtime::MemoryInstance* memory = nullptr;
  /// Slot of each wasm local in `locals` (ProbeContext::localSlots): after a
  /// v128 local, local i is no longer at slot i. Null means it is.
  const uint32_t* localSlots = nullptr;

  /// The first slot of wasm local `i` (< numLocals).
  const runtime::Slot& local(uint32_t i) const { return locals[localSlots ? localSlots[i] : i]; }
};

/// What a compile needs to know of the place it compiles for. Called only
/// while compiling (under the session's lock).
class CompileScope {
public:
  virtual ~CompileScope() = default;
  /// The code offset the expression is compiled for.
  virtual uint32_t pc() const = 0;
  /// The variable `name` visible there (locals first, then globals), or null.
  virtual const Variable* variable(std::string_view name) = 0;
  /// An enumerator's type and value.
  virtual std::optional<std::pair<const Type*, int64_t>> enumerator(std::string_view name) = 0;
  /// A named type from the debug info (for casts and sizeof).
  virtual const Type* namedType(std::string_view name) = 0;
  /// The wasm type of local `index` of the function at pc, as a mask of the
  /// bits its slot holds (0xffffffff for i32 and f32); nullopt if none.
  virtual std::optional<uint64_t> localMask(uint32_t index) = 0;
  /// The same for global `index` of the instance.
  virtual std::optional<uint64_t> globalMask(uint32_t index) = 0;
  virtual TypeFactory& types() = 0;
};

class CompiledExpression {
public:
  using Eval = std::function<Result<Scalar>(const HitFrame&)>;

  /// The compiled form of `tree` at `scope.pc()`, or nullopt when part of
  /// it is beyond the compiler (the caller then evaluates the tree).
  static std::optional<CompiledExpression> compile(const expr::Node& tree, CompileScope& scope);

  /// The expression's value as a scalar (a condition holds when it is not
  /// zero), or why it cannot be read (memory out of bounds, division by zero).
  Result<Scalar> evaluate(const HitFrame& frame) const { return m_eval(frame); }
  /// The static type of the result.
  const Type* type() const { return m_type; }

private:
  CompiledExpression(Eval eval, const Type* type) : m_eval(std::move(eval)), m_type(type) {}

  Eval m_eval;
  const Type* m_type = nullptr;
};

/// An EvalEnvironment over a hit frame: memory reads for formatting a
/// compiled logpoint value (a `char *` shown as its string). It knows no
/// names.
class HitEnvironment final : public EmptyEnvironment {
public:
  explicit HitEnvironment(const HitFrame& frame) : m_frame(frame) {}
  bool readMemory(uint64_t address, std::span<uint8_t> out) override;

private:
  const HitFrame& m_frame;
};

} // namespace wasmscope::debugger
