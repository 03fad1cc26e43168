// Values of standard-library types shown as what they hold, as LLDB's data
// formatters do: libc++'s std::string, std::vector, std::map,
// std::unordered_map, std::optional, std::unique_ptr and std::shared_ptr,
// and Rust's String, &str, slices and Vec. Recognised by the type's
// qualified name and read through the members the debug info describes
// (never fixed offsets), so a layout the formatter does not know falls back
// to the plain members instead of showing something wrong.
#pragma once

#include "Evaluator.h"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace wasmscope::debugger {

/// What a library value stands for.
struct LibraryView {
  enum class Kind : uint8_t {
    /// Text: `summary` is the quoted string; no children.
    String,
    /// Elements: `summary` is "size=N"; `count` indexed children.
    Sequence,
    /// Stands for another value (a smart pointer's pointer, an engaged
    /// optional's value): shown and expanded as `target`, after `summary`'s
    /// prefix when there is one.
    Wraps,
    /// Only a summary ("nullopt").
    Summary,
  };
  Kind kind = Kind::Summary;
  std::string summary;
  uint64_t count = 0;
  EvalValue target; ///< Wraps.
};

/// One element of a Sequence.
struct LibraryElement {
  std::string name;       ///< "[3]", or the key for maps ("[\"apple\"]" is up to the caller).
  EvalValue value;
  /// Appended to the parent's expression to name it (".__begin_[3]"); empty
  /// when no C expression reaches it (a tree node).
  std::string expressionSuffix;
};

class LibraryFormatters {
public:
  LibraryFormatters(EvalEnvironment& env, TypeFactory& types) : m_env(env), m_types(types) {}

  /// The view of `value` when its type is one the formatters know and its
  /// members read as expected; nullopt otherwise (show it plainly).
  std::optional<LibraryView> view(const EvalValue& value);
  /// Elements [start, start + count) of a Sequence view of `value`.
  std::vector<LibraryElement> elements(const EvalValue& value, uint64_t start, uint64_t count);

  /// Most elements walked in a linked structure (a corrupt list or tree must
  /// not loop forever).
  static constexpr uint64_t kMaxWalk = 100000;

private:
  enum class Family : uint8_t {
    None,
    CxxString,
    CxxVector,
    CxxMap,
    CxxUnorderedMap,
    CxxOptional,
    CxxUniquePtr,
    CxxSharedPtr,
    RustString,
    RustStr,
    RustSlice,
    RustVec,
  };
  Family familyOf(const Type* type) const;
  Result<EvalValue> member(const EvalValue& value, std::string_view name);
  Result<uint64_t> integer(const EvalValue& value);
  Result<uint64_t> integerMember(const EvalValue& value, std::string_view name);
  /// Follows Rust's Unique/NonNull wrappers (`pointer` members) to a pointer.
  Result<EvalValue> rustPointer(EvalValue value);
  Result<std::string> text(uint64_t address, uint64_t length);
  /// (data pointer value, element type, length) of a contiguous sequence.
  struct Contiguous {
    uint64_t data = 0;
    const Type* element = nullptr;
    uint64_t length = 0;
    std::string dataExpression; ///< ".__begin_", ".vec.buf.ptr.pointer.pointer"
  };
  Result<Contiguous> contiguous(const EvalValue& value, Family family);
  /// Node addresses of a tree or list, in order, up to `limit`.
  Result<std::vector<uint64_t>> mapNodes(const EvalValue& value, Family family, uint64_t limit);
  /// The node type holding the elements of a map, from the container's type name.
  const Type* mapNodeType(const EvalValue& value, Family family);

  EvalEnvironment& m_env;
  TypeFactory& m_types;
};

} // namespace wasmscope::debugger
