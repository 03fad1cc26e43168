// The command model of a spec test script as wast2json writes it: a JSON
// file of commands (module, register, action, assert_*) next to the .wasm
// files it names. This layer only reads and describes scripts; it knows
// nothing of any engine, so the driver can run them through a few callbacks.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace wasmscope::spec {

/// A value or an error message: the spec tools' own small expected type, so
/// that this layer does not depend on the runtime's Result.
template <typename T> class [[nodiscard]] Outcome {
public:
  Outcome(T value) : m_value(std::move(value)) {}
  static Outcome failure(std::string message) {
    Outcome o;
    o.m_error = std::move(message);
    return o;
  }
  bool ok() const { return m_value.has_value(); }
  explicit operator bool() const { return ok(); }
  T& value() { return *m_value; }
  const T& value() const { return *m_value; }
  const std::string& error() const { return m_error; }

private:
  Outcome() = default;
  std::optional<T> m_value;
  std::string m_error;
};

/// Value types a script can mention.
enum class WastType : uint8_t { I32, I64, F32, F64, V128, FuncRef, ExternRef };

const char* wastTypeName(WastType type);
inline bool isWastRefType(WastType t) {
  return t == WastType::FuncRef || t == WastType::ExternRef;
}

/// A value in a script, or a pattern an expected result must match.
struct WastValue {
  enum class Kind : uint8_t {
    Bits,          ///< Exactly `bits` (a float's bit pattern; an externref's host value).
    CanonicalNan,  ///< `nan:canonical`: a NaN with only the quiet bit in its payload.
    ArithmeticNan, ///< `nan:arithmetic`: a NaN with the quiet bit set.
    Null,          ///< `ref.null`.
    AnyRef,        ///< A non-null reference (`ref.func`, or a reference without a value).
  };

  WastType type = WastType::I32;
  Kind kind = Kind::Bits;
  uint64_t bits = 0; ///< A v128's bytes 0-7.
  // v128 only: the other half of the bytes, the lane type the script wrote
  // them in (i8 ... f64: I32 stands for i8, i16 and i32, told apart by
  // laneBytes), and per-lane patterns (a float lane may be a NaN pattern,
  // then its bits are ignored).
  uint64_t high = 0;
  WastType laneType = WastType::I32;
  uint8_t laneBytes = 4;
  std::vector<Kind> lanes{};

  static WastValue number(WastType t, uint64_t b) { return {t, Kind::Bits, b}; }
  static WastValue null(WastType t) { return {t, Kind::Null, 0}; }
  static WastValue anyRef(WastType t) { return {t, Kind::AnyRef, 0}; }

  /// "i32:42", "f32:1.5 (0x3fc00000)", "externref:7", "funcref:null".
  std::string toString() const;
};

/// Whether `actual` (a concrete value an engine returned) matches
/// `expected` (possibly a NaN or reference pattern).
bool matches(const WastValue& expected, const WastValue& actual);

/// "(i32:1, f64:2)" for diagnostics.
std::string toString(const std::vector<WastValue>& values);

/// An `invoke` or `get` action.
struct Action {
  enum class Type : uint8_t { Invoke, Get };
  Type type = Type::Invoke;
  std::string module; ///< Named module ("$M"), or empty for the current one.
  std::string field;
  std::vector<WastValue> args;

  /// `invoke "add" (i32:1, i32:2)` or `get $M "g"` for diagnostics.
  std::string describe() const;
};

enum class CommandType : uint8_t {
  Module,
  Register,
  Action,
  AssertReturn,
  AssertTrap,
  AssertExhaustion,
  AssertInvalid,
  AssertMalformed,
  AssertUnlinkable,
  AssertUninstantiable,
};

const char* commandTypeName(CommandType type);

struct Command {
  CommandType type = CommandType::Module;
  uint32_t line = 0;
  std::string name;     ///< Module: its "$name"; register: the module registered.
  std::string as;       ///< Register: the import name it is registered as.
  std::string filename; ///< Module commands: the module file, relative to the script.
  bool textModule = false; ///< "module_type": "text" (a .wat we cannot parse).
  std::optional<Action> action;
  std::vector<WastValue> expected;
  std::string text; ///< The expected error or trap message.
};

struct WastScript {
  std::string sourceName;        ///< "i32.wast", for diagnostics.
  std::filesystem::path jsonPath;
  std::filesystem::path dir;     ///< Where module files are found.
  std::vector<Command> commands;
};

/// Reads and parses a wast2json JSON file. Errors name the field:
/// "commands[12].action.args[0].value: expected a string".
Outcome<WastScript> loadWastScript(const std::filesystem::path& jsonPath);

/// Parses JSON text already read; `jsonPath` names the script and its folder.
Outcome<WastScript> parseWastScript(const std::string& text,
                                    const std::filesystem::path& jsonPath);

/// Reads a module file a command names.
Outcome<std::vector<uint8_t>> readModuleFile(const WastScript& script,
                                             const std::string& filename);

} // namespace wasmscope::spec
