// Error values for every phase of the runtime. No exception crosses a
// library API: fallible functions return Result<T>, and errors carry the
// spec test suite's wording so that a test can check which error fired.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <variant>

namespace wasmscope::runtime {

/// Error codes grouped by phase. The message text of each is the wording the
/// WebAssembly spec tests use, where the spec tests have one.
enum class ErrorCode : uint16_t {
  // Decode (binary format) errors.
  UnexpectedEnd,
  MagicHeaderNotDetected,
  UnknownBinaryVersion,
  IntegerTooLarge,
  IntegerRepresentationTooLong,
  SectionSizeMismatch,
  MalformedSectionId,
  JunkAfterLastSection,
  UnexpectedContentAfterLastSection,
  FunctionAndCodeSectionInconsistent,
  DataCountAndDataSectionInconsistent,
  DataCountSectionRequired,
  MalformedUtf8,
  MalformedImportKind,
  MalformedMutability,
  MalformedReferenceType,
  MalformedValueType,
  MalformedLimits,
  MalformedElementKind,
  MalformedExportKind,
  MalformedSegmentKind,
  MalformedFunctionType,
  EndOpcodeExpected,
  IllegalOpcode,
  TooManyLocals,
  ZeroByteExpected,
  LengthOutOfBounds,
  ConstantExpressionRequired,
  // Validation errors.
  TypeMismatch,
  UnknownType,
  UnknownFunction,
  UnknownTable,
  UnknownMemory,
  UnknownGlobal,
  UnknownLocal,
  UnknownLabel,
  UnknownElemSegment,
  UnknownDataSegment,
  UndeclaredFunctionReference,
  GlobalIsImmutable,
  InvalidResultArity,
  DuplicateExportName,
  MultipleMemories,
  SizeMinimumGreaterThanMaximum,
  MemorySizeTooLarge,
  TableSizeTooLarge,
  AlignmentTooLarge,
  StartFunctionInvalid,
  InvalidConstantExpression,
  InvalidLaneIndex,
  // Link and instantiation errors.
  UnknownImport,
  IncompatibleImportType,
  /// Instantiation would take the store's tables beyond
  /// ResourceLimits::maxTableElements.
  TableLimitExceeded,
  OutOfBoundsTableAccess,
  OutOfBoundsMemoryAccess,
  // Traps.
  Unreachable,
  IntegerDivideByZero,
  IntegerOverflow,
  InvalidConversionToInteger,
  UndefinedElement,
  UninitializedElement,
  IndirectCallTypeMismatch,
  CallStackExhausted,
  OutOfFuel,
  MemoryLimitExceeded,
  /// The run's wall-clock limit (LaunchSpec::timeout) passed.
  WallClockLimitExceeded,
  HostTrap,
  // Embedding and tool errors.
  InvalidArgument,
  IoError,
  Interrupted,
  /// The host could not allocate what the run needed (std::bad_alloc caught
  /// at the interpreter's boundary); the store stays usable.
  OutOfHostMemory,
  /// The guest asked to exit (WASI proc_exit); not a failure of the run.
  ProcExit,
};

/// The phase an error belongs to, so callers can tell "malformed" from
/// "invalid" from a trap without enumerating codes.
enum class ErrorPhase : uint8_t { Decode, Validate, Link, Trap, Embed };

ErrorPhase phaseOf(ErrorCode code);
/// The canonical message for a code, in the spec tests' words.
const char* defaultMessage(ErrorCode code);

inline constexpr uint32_t kNoIndex = UINT32_MAX;
inline constexpr uint64_t kNoOffset = UINT64_MAX;

/// An error with where it happened. `offset` is a byte offset into the module
/// for decode and validate errors, and the code-section-relative offset of the
/// faulting instruction for traps.
struct Error {
  ErrorCode code = ErrorCode::InvalidArgument;
  std::string message;
  uint64_t offset = kNoOffset;
  uint32_t funcIndex = kNoIndex;

  Error() = default;
  Error(ErrorCode c, std::string msg = {}, uint64_t off = kNoOffset,
        uint32_t func = kNoIndex)
      : code(c), message(msg.empty() ? defaultMessage(c) : std::move(msg)),
        offset(off), funcIndex(func) {}

  ErrorPhase phase() const { return phaseOf(code); }
  /// "message at offset 0x1a (function 3)" for logs and command-line output.
  std::string describe() const;
};

/// A minimal expected<T, Error>: C++20 has no std::expected.
template <typename T> class [[nodiscard]] Result {
public:
  Result(T value) : m_v(std::in_place_index<0>, std::move(value)) {}
  Result(Error error) : m_v(std::in_place_index<1>, std::move(error)) {}

  bool ok() const { return m_v.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { return std::get<0>(m_v); }
  const T& value() const& { return std::get<0>(m_v); }
  T&& value() && { return std::get<0>(std::move(m_v)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  const Error& error() const& { return std::get<1>(m_v); }
  Error&& error() && { return std::get<1>(std::move(m_v)); }

private:
  std::variant<T, Error> m_v;
};

template <> class [[nodiscard]] Result<void> {
public:
  Result() = default;
  Result(Error error) : m_error(std::move(error)), m_ok(false) {}
  bool ok() const { return m_ok; }
  explicit operator bool() const { return m_ok; }
  const Error& error() const& { return m_error; }
  Error&& error() && { return std::move(m_error); }

private:
  Error m_error;
  bool m_ok = true;
};

inline Result<void> success() { return {}; }

} // namespace wasmscope::runtime

#define WS_CONCAT_INNER(a, b) a##b
#define WS_CONCAT(a, b) WS_CONCAT_INNER(a, b)

/// Propagates an error from a Result<void> expression.
#define TRY(expr)                                                              \
  do {                                                                         \
    auto&& _ws_r = (expr);                                                     \
    if (!_ws_r.ok())                                                           \
      return std::move(_ws_r).error();                                         \
  } while (0)

/// Declares `var` from a Result<T> expression, propagating an error. It
/// expands to several statements: inside an unbraced `if` or loop, add braces.
#define TRY_ASSIGN(var, expr) TRY_ASSIGN_IMPL(var, expr, WS_CONCAT(_ws_r_, __COUNTER__))
#define TRY_ASSIGN_IMPL(var, expr, tmp)                                        \
  auto tmp = (expr);                                                           \
  if (!tmp.ok())                                                               \
    return std::move(tmp).error();                                             \
  var = std::move(tmp).value()
