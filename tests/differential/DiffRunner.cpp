// diff_runner: runs a module the way Binaryen 108's `wasm-opt --fuzz-exec-before`
// does, and prints what it prints, so that run_differential.sh can compare our
// interpreter with Binaryen's on modules from `wasm-opt -ttf`.
//
// The protocol, as Binaryen 108 prints it (src/tools/execution-results.h, and
// checked against its output): every exported function, in export-section
// order, is announced with "[fuzz-exec] calling NAME", preceded by a silent
// call of the export "hangLimitInitializer" if there is one, and called with
// zero arguments.
// A result is printed as "[fuzz-exec] note result: NAME => VALUE", a trap as
// "[trap MESSAGE]", and every call of a "fuzzing-support" import as
// "[LoggingExternalInterface logging ARGS]", with an i64 argument split into
// its low and high halves as signed i32s. State persists across exports.
//
// Trap messages are the spec's wording (Binaryen's differ; the script maps
// them). Numbers follow Binaryen's Literal printing exactly; see formatDouble.
//
// A second mode, `diff_runner --bytes SEED COUNT`, writes COUNT pseudo-random
// bytes from SEED (splitmix64) to stdout: the input `wasm-opt -ttf` turns
// into a module, produced here so the test's seeds mean the same bytes on
// every machine.
#include "wasmscope/runtime/Compiler.h"
#include "wasmscope/runtime/Store.h"

#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <limits>
#include <string>
#include <vector>

namespace {

using namespace wasmscope::runtime;

/// Binaryen's interpreter traps with "stack limit" beyond this many nested
/// wasm calls (measured on binaryen 108: the 252nd nested call traps).
constexpr uint32_t kBinaryenMaxCallDepth = 251;

// --- Number printing, as Binaryen's Literal::printDouble ---------------------

/// Removes the zeros that end the digits after the '.', then any zeros that
/// begin the text ("0.50" -> ".5", "1.000e+30" -> "1.e+30").
void trimDecimalZeros(std::string& s) {
  size_t dot = s.find('.');
  size_t digitsEnd = dot + 1;
  while (digitsEnd < s.size() && s[digitsEnd] >= '0' && s[digitsEnd] <= '9')
    ++digitsEnd;
  size_t keep = digitsEnd;
  while (keep > dot + 1 && s[keep - 1] == '0')
    --keep;
  s.erase(keep, digitsEnd - keep);
  size_t lead = 0;
  while (lead < s.size() && s[lead] == '0')
    ++lead;
  s.erase(0, lead);
}

/// Replaces trailing zeros (and any digits past the 25th, which a double
/// cannot carry) with an exponent when that saves characters:
/// "12345000" -> "12345e3".
void compressTrailingZeros(std::string& s) {
  if (s.empty())
    return;
  size_t end = s.size() - 1;
  size_t test = end;
  while ((s[test] == '0' || test > 24) && test > 0)
    --test;
  size_t dropped = end - test;
  if (dropped >= 3)
    s = s.substr(0, test + 1) + "e" + std::to_string(dropped);
}

/// One candidate spelling of a finite, non-negative `d`: fixed-point
/// (`scientific` false) or exponential. Returns the text and how far its
/// value lies from `d`.
std::pair<std::string, double> spellPositive(double d, bool scientific) {
  bool integer = std::trunc(d) == d;
  char buf[512];
  double parsed = 0;
  if (!integer) {
    // The fewest decimals that read back as `d`, or 18 if none does.
    for (int decimals = 0; decimals <= 18; ++decimals) {
      std::snprintf(buf, sizeof buf, scientific ? "%.*e" : "%.*f", decimals, d);
      parsed = std::strtod(buf, nullptr);
      if (parsed == d)
        break;
    }
  } else if (d <= 18446744073709551615.0) {
    // 2^64 itself rounds to the largest uint64, as Binaryen's conversion does.
    uint64_t u = d < 18446744073709551615.0 ? uint64_t(d) : UINT64_MAX;
    std::snprintf(buf, sizeof buf, "%" PRIu64, u);
    parsed = std::strtod(buf, nullptr);
  } else {
    std::snprintf(buf, sizeof buf, scientific ? "%e" : "%.0f", d);
    parsed = std::strtod(buf, nullptr);
  }
  std::string s = buf;
  if (s.find('.') != std::string::npos)
    trimDecimalZeros(s);
  else if (!integer || !scientific)
    compressTrailingZeros(s);
  return {s, std::fabs(parsed - d)};
}

/// Binaryen's printing of a finite or infinite double (cashew's numToString
/// with its `finalize` default): the more exact of a fixed and an exponential
/// spelling, the shorter if equally exact, and a leading "0" before a ".".
std::string formatDouble(double d) {
  if (d == 0 && std::signbit(d))
    return "-0";
  if (std::isinf(d))
    return d < 0 ? "-inf" : "inf";
  bool negative = d < 0;
  auto [fixed, fixedError] = spellPositive(std::fabs(d), false);
  auto [sci, sciError] = spellPositive(std::fabs(d), true);
  std::string text;
  if (sciError == fixedError)
    text = sci.size() < fixed.size() ? sci : fixed;
  else
    text = sciError < fixedError ? sci : fixed;
  std::string out = negative ? "-" : "";
  if (!text.empty() && text[0] == '.')
    out += '0';
  out += text;
  return out;
}

/// "nan", "-nan", or with a payload "nan:0x400000" (hexadecimal, no padding).
std::string formatNaN(bool negative, uint64_t payload) {
  std::string s = negative ? "-nan" : "nan";
  if (payload) {
    char buf[32];
    std::snprintf(buf, sizeof buf, ":0x%" PRIx64, payload);
    s += buf;
  }
  return s;
}

std::string formatF32(uint32_t bits) {
  float f;
  std::memcpy(&f, &bits, 4);
  if (std::isnan(f))
    return formatNaN(bits >> 31, bits & 0x7fffff);
  return formatDouble(double(f));
}

std::string formatF64(uint64_t bits) {
  double d;
  std::memcpy(&d, &bits, 8);
  if (std::isnan(d))
    return formatNaN(bits >> 63, bits & 0xfffffffffffffULL);
  return formatDouble(d);
}

// --- Values ----------------------------------------------------------------

/// The name Binaryen gives a function it read from a binary: its name-section
/// name, else its index.
std::string functionName(const Instance& instance, const FunctionInstance* f) {
  for (size_t i = 0; i < instance.numFunctions(); ++i) {
    if (instance.function(FuncIndex(i)) != f)
      continue;
    const auto& names = instance.module()->module().names.functionNames;
    auto it = names.find(FuncIndex(i));
    return it != names.end() ? it->second : std::to_string(i);
  }
  return "?";
}

/// A number as Binaryen prints a Literal: integers signed, in decimal; a
/// v128 as four hex i32 lanes, lane 0 first ("i32x4 0x00000001 ...").
std::string formatNumber(const Value& v) {
  switch (v.type) {
  case ValType::I32: return std::to_string(int32_t(v.asI32()));
  case ValType::I64: return std::to_string(int64_t(v.asI64()));
  case ValType::F32: return formatF32(v.asI32());
  case ValType::F64: return formatF64(v.asI64());
  case ValType::V128: {
    char buf[64];
    std::snprintf(buf, sizeof buf, "i32x4 0x%08x 0x%08x 0x%08x 0x%08x", uint32_t(v.bits),
                  uint32_t(v.bits >> 32), uint32_t(v.high), uint32_t(v.high >> 32));
    return buf;
  }
  default: return "?";
  }
}

/// A number as formatNumber; a reference as Binaryen prints one alone (just
/// its type; Binaryen calls externref "anyref") or inside a tuple
/// ("funcref(NAME)", "anyref(null)").
std::string formatValue(const Value& v, const Instance& instance, bool inTuple) {
  switch (v.type) {
  case ValType::FuncRef:
  case ValType::ExternRef: {
    std::string type = v.type == ValType::FuncRef ? "funcref" : "anyref";
    if (!inTuple)
      return type;
    if (v.isNull())
      return type + "(null)";
    if (v.type == ValType::FuncRef)
      return type + "(" + functionName(instance, v.asFunc()) + ")";
    return type + "(" + std::to_string(v.asExtern()) + ")";
  }
  default: return formatNumber(v);
  }
}

std::string formatResults(const std::vector<Value>& values, const Instance& instance) {
  if (values.size() == 1)
    return formatValue(values[0], instance, false);
  std::string out = "(";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i)
      out += ", ";
    out += formatValue(values[i], instance, true);
  }
  return out + ")";
}

/// What Binaryen passes to an export: the zero of each parameter type.
std::vector<Value> zeroArguments(const FuncType& type) {
  std::vector<Value> args;
  for (ValType t : type.params)
    args.push_back(isRefType(t) ? Value::nullRef(t) : Value{t, 0});
  return args;
}

// --- The fuzzing-support imports -------------------------------------------

/// Binaryen's LoggingExternalInterface: every fuzzing-support import, whatever
/// its name, logs its arguments and returns nothing (zeros here).
HostFunction loggingImport(FuncType type) {
  return [type](HostCall&, const uint64_t* args, uint64_t* results) -> Result<void> {
    std::string line = "[LoggingExternalInterface logging";
    const uint64_t* arg = args; // A v128 takes two slots.
    for (size_t i = 0; i < type.params.size(); ++i) {
      Value v = Value::fromSlots(type.params[i], arg);
      arg += slotCount(type.params[i]);
      line += ' ';
      if (v.type == ValType::I64) {
        // Binaryen logs an i64 as the two i32s JS legalization would pass.
        line += std::to_string(int32_t(uint32_t(v.bits)));
        line += ' ';
        line += std::to_string(int32_t(uint32_t(v.bits >> 32)));
      } else if (isRefType(v.type)) {
        line += v.isNull() ? "null" : (v.type == ValType::FuncRef ? "funcref" : "anyref");
      } else {
        line += formatNumber(v);
      }
    }
    line += "]\n";
    std::fputs(line.c_str(), stdout);
    for (size_t i = 0; i < slotCount(type.results); ++i)
      results[i] = 0;
    return success();
  };
}

/// Defines every function import of `module` from "fuzzing-support". Any other
/// import is an error: Binaryen's -ttf modules have none.
bool defineImports(Store& store, Linker& linker, const Module& module, std::string& error) {
  for (const Import& import : module.imports) {
    if (import.kind != ExternKind::Func || import.module != "fuzzing-support") {
      error = "unsupported import " + import.module + "." + import.name;
      return false;
    }
    const FuncType& type = module.types[import.funcType];
    FunctionInstance* f =
        store.createHostFunction(import.module + "." + import.name, type, loggingImport(type));
    linker.define(import.module, import.name, Extern::func(f));
  }
  return true;
}

// --- Running ---------------------------------------------------------------

std::string trapLine(const Error& error) {
  return std::string("[trap ") + defaultMessage(error.code) + "]\n";
}

bool readFile(const char* path, std::vector<uint8_t>& bytes) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return false;
  bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return true;
}

int runModule(const char* path) {
  std::vector<uint8_t> bytes;
  if (!readFile(path, bytes)) {
    std::fprintf(stderr, "diff_runner: cannot read %s\n", path);
    return 2;
  }
  Result<std::shared_ptr<CompiledModule>> compiled = loadModule(bytes);
  if (!compiled) {
    std::fprintf(stderr, "diff_runner: %s: %s\n", path, compiled.error().describe().c_str());
    return 2;
  }
  const Module& module = compiled.value()->module();

  ResourceLimits limits;
  limits.maxCallDepth = kBinaryenMaxCallDepth;
  Store store(limits);
  Linker linker;
  std::string error;
  if (!defineImports(store, linker, module, error)) {
    std::fprintf(stderr, "diff_runner: %s: %s\n", path, error.c_str());
    return 2;
  }
  Result<Instance*> instantiated = store.instantiate(compiled.value(), linker);
  if (!instantiated) {
    // A trap while instantiating (a segment out of bounds, the start
    // function) is printed, and then Binaryen runs nothing.
    ErrorCode code = instantiated.error().code;
    if (instantiated.error().phase() == ErrorPhase::Trap ||
        code == ErrorCode::OutOfBoundsMemoryAccess || code == ErrorCode::OutOfBoundsTableAccess) {
      std::fputs(trapLine(instantiated.error()).c_str(), stdout);
      return 0;
    }
    std::fprintf(stderr, "diff_runner: %s: %s\n", path, instantiated.error().describe().c_str());
    return 2;
  }
  Instance& instance = *instantiated.value();
  FunctionInstance* hangLimitInitializer = instance.findFunction("hangLimitInitializer");

  for (const Export& exp : module.exports) {
    if (exp.kind != ExternKind::Func)
      continue;
    std::printf("[fuzz-exec] calling %s\n", exp.name.c_str());
    FunctionInstance* function = instance.function(exp.index);
    if (hangLimitInitializer) {
      Result<std::vector<Value>> init = store.invoke(*hangLimitInitializer, {});
      if (!init) {
        std::fputs(trapLine(init.error()).c_str(), stdout);
        continue;
      }
    }
    std::vector<Value> args = zeroArguments(function->type);
    Result<std::vector<Value>> results = store.invoke(*function, args);
    if (!results) {
      std::fputs(trapLine(results.error()).c_str(), stdout);
      continue;
    }
    if (!results.value().empty())
      std::printf("[fuzz-exec] note result: %s => %s\n", exp.name.c_str(),
                  formatResults(results.value(), instance).c_str());
  }
  return 0;
}

/// splitmix64: small, fast, and the same on every platform.
int writeRandomBytes(uint64_t seed, uint64_t count) {
  uint64_t state = seed;
  std::vector<uint8_t> out;
  out.reserve(count);
  while (out.size() < count) {
    uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    z ^= z >> 31;
    for (int i = 0; i < 8 && out.size() < count; ++i)
      out.push_back(uint8_t(z >> (8 * i)));
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  return 0;
}

} // namespace

int main(int argc, char** argv) {
  static char buffer[1 << 16];
  std::setvbuf(stdout, buffer, _IOFBF, sizeof buffer);
  if (argc == 4 && std::strcmp(argv[1], "--bytes") == 0)
    return writeRandomBytes(std::strtoull(argv[2], nullptr, 10),
                            std::strtoull(argv[3], nullptr, 10));
  if (argc != 2) {
    std::fprintf(stderr,
                 "usage: diff_runner MODULE.wasm     run like wasm-opt --fuzz-exec-before\n"
                 "       diff_runner --bytes SEED N  write N pseudo-random bytes\n");
    return 2;
  }
  return runModule(argv[1]);
}
