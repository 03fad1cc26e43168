// Running a launched guest as `wasmscope run` does (GuestRunner.h): entry
// planning, --invoke argument parsing and result printing, exit statuses.
#include "GuestRunner.h"

#include "TrapReport.h"

#include <algorithm>
#include <bit>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <type_traits>

namespace wasmscope::cli {

using namespace wasmscope::runtime;

namespace {

/// An integer argument: optional sign, then decimal or 0x-prefixed hex. Both
/// signed and unsigned spellings of the type's range are accepted, so
/// `-1` and `0xffffffff` are the same i32.
std::optional<uint64_t> parseInteger(std::string_view text, unsigned bits) {
  bool negative = false;
  if (!text.empty() && (text[0] == '-' || text[0] == '+')) {
    negative = text[0] == '-';
    text.remove_prefix(1);
  }
  int base = 10;
  if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
    base = 16;
    text.remove_prefix(2);
  }
  if (text.empty())
    return std::nullopt;
  uint64_t magnitude = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), magnitude, base);
  if (ec != std::errc() || end != text.data() + text.size())
    return std::nullopt;
  uint64_t mask = bits == 64 ? UINT64_MAX : (uint64_t(1) << bits) - 1;
  if (negative) {
    uint64_t limit = uint64_t(1) << (bits - 1); // |INT_MIN|
    if (magnitude > limit)
      return std::nullopt;
    return (uint64_t(0) - magnitude) & mask;
  }
  if (magnitude > mask)
    return std::nullopt;
  return magnitude;
}

/// A float argument: decimal, hex (0x1.8p3), "inf" or "nan", rounded once to
/// the target precision; out-of-range literals round to infinity or zero, as
/// in the text format. strtof/strtod run in the "C" locale, never changed here.
template <typename F> std::optional<F> parseFloat(const std::string& text) {
  if (text.empty() || std::isspace(static_cast<unsigned char>(text[0])))
    return std::nullopt;
  char* end = nullptr;
  F value;
  if constexpr (std::is_same_v<F, float>)
    value = std::strtof(text.c_str(), &end);
  else
    value = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size())
    return std::nullopt;
  return value;
}

/// A v128 argument as its lanes: "i32x4:1,2,3,4", "f64x2:0.5,-1" (the
/// shapes i8x16, i16x8, i32x4, i64x2, f32x4, f64x2; each lane as above).
std::optional<Value> parseV128(const std::string& text) {
  static const struct {
    const char* name;
    unsigned lanes;
    unsigned bits;
    bool isFloat;
  } kShapes[] = {{"i8x16:", 16, 8, false}, {"i16x8:", 8, 16, false}, {"i32x4:", 4, 32, false},
                 {"i64x2:", 2, 64, false}, {"f32x4:", 4, 32, true},  {"f64x2:", 2, 64, true}};
  for (const auto& shape : kShapes) {
    if (text.rfind(shape.name, 0) != 0)
      continue;
    uint8_t bytes[16] = {};
    size_t pos = std::char_traits<char>::length(shape.name);
    for (unsigned i = 0; i < shape.lanes; ++i) {
      size_t comma = text.find(',', pos);
      if ((comma == std::string::npos) != (i + 1 == shape.lanes))
        return std::nullopt; // Too few or too many lanes.
      std::string lane = text.substr(pos, comma == std::string::npos ? comma : comma - pos);
      pos = comma + 1;
      uint64_t bits = 0;
      if (shape.isFloat && shape.bits == 32) {
        std::optional<float> f = parseFloat<float>(lane);
        if (!f)
          return std::nullopt;
        bits = std::bit_cast<uint32_t>(*f);
      } else if (shape.isFloat) {
        std::optional<double> d = parseFloat<double>(lane);
        if (!d)
          return std::nullopt;
        bits = std::bit_cast<uint64_t>(*d);
      } else {
        std::optional<uint64_t> v = parseInteger(lane, shape.bits);
        if (!v)
          return std::nullopt;
        bits = *v;
      }
      std::memcpy(bytes + i * (shape.bits / 8), &bits, shape.bits / 8); // Little-endian host.
    }
    return Value::v128(std::bit_cast<V128>(bytes));
  }
  return std::nullopt;
}

std::optional<Value> parseArgument(ValType type, const std::string& text) {
  switch (type) {
  case ValType::V128:
    return parseV128(text);
  case ValType::I32:
    if (auto v = parseInteger(text, 32))
      return Value::i32(uint32_t(*v));
    return std::nullopt;
  case ValType::I64:
    if (auto v = parseInteger(text, 64))
      return Value::i64(*v);
    return std::nullopt;
  case ValType::F32:
    if (auto v = parseFloat<float>(text))
      return Value::f32(*v);
    return std::nullopt;
  case ValType::F64:
    if (auto v = parseFloat<double>(text))
      return Value::f64(*v);
    return std::nullopt;
  default:
    return std::nullopt;
  }
}


/// Integers as signed decimal; floats in the shortest form that reads back
/// to the same bits.
std::string formatResult(const Value& value) {
  char buf[64];
  switch (value.type) {
  case ValType::I32:
    return std::to_string(int32_t(value.asI32()));
  case ValType::I64:
    return std::to_string(int64_t(value.asI64()));
  case ValType::F32: {
    auto r = std::to_chars(buf, buf + sizeof buf, value.asF32());
    return std::string(buf, r.ptr);
  }
  case ValType::F64: {
    auto r = std::to_chars(buf, buf + sizeof buf, value.asF64());
    return std::string(buf, r.ptr);
  }
  case ValType::V128:
    return v128Text(value.asV128(), V128Shape::I32x4);
  default:
    return value.toString();
  }
}


/// The process exit status for a guest's proc_exit status: as given up to
/// 255, which larger values become (a shell would see them modulo 256, and
/// 256 must not pass for success).
int guestExitStatus(uint32_t status) { return int(std::min<uint32_t>(status, 255)); }


std::string exportedFunctionList(const Module& module) {
  std::string list;
  for (const Export& e : module.exports) {
    if (e.kind != ExternKind::Func)
      continue;
    list += list.empty() ? "" : ", ";
    list += e.name;
  }
  return list.empty() ? "none" : list;
}

Error usageError(std::string message) {
  return Error(ErrorCode::InvalidArgument, std::move(message));
}

} // namespace

ExitCode statusFor(const Error& error) {
  switch (error.phase()) {
  case ErrorPhase::Trap:
    return ExitCode::Trap;
  case ErrorPhase::Embed:
    return error.code == ErrorCode::Interrupted ? ExitCode::Trap : ExitCode::BadInput;
  default:
    return ExitCode::BadInput;
  }
}

int failLaunch(const Error& error) {
  // Load errors carry the path and a description already; others describe
  // themselves with their offsets.
  bool described = error.phase() == ErrorPhase::Decode || error.phase() == ErrorPhase::Validate ||
                   error.offset == kNoOffset;
  return fail(statusFor(error), described ? error.message : error.describe());
}

Result<EntryPlan> planEntry(const RunOptions& options, const Guest& guest) {
  const Module& module = guest.module()->module();
  const std::string& path = guest.path();
  EntryPlan plan;
  plan.invoke = options.invoke.has_value();
  plan.name = options.invoke.value_or("_start");
  const Export* entry = nullptr;
  for (const Export& e : module.exports)
    if (e.kind == ExternKind::Func && e.name == plan.name)
      entry = &e;
  if (!entry) {
    std::string hint = plan.invoke ? "" : "; use --invoke FUNC to call another export";
    return usageError(path + ": no exported function '" + plan.name + "'" + hint +
                      " (exported functions: " + exportedFunctionList(module) + ")");
  }
  const FuncType& type = module.funcType(entry->index);
  if (!plan.invoke) {
    if (!type.params.empty())
      return usageError(path + ": '_start' must take no parameters, it is " + type.toString());
    return plan;
  }
  std::vector<std::string> texts = options.guestArgs;
  if (!texts.empty() && texts.front() == "--")
    texts.erase(texts.begin());
  if (texts.size() != type.params.size())
    return usageError("'" + plan.name + "' takes " + std::to_string(type.params.size()) +
                      " argument" + (type.params.size() == 1 ? "" : "s") + " " +
                      type.toString() + ", got " + std::to_string(texts.size()));
  for (size_t i = 0; i < texts.size(); ++i) {
    auto value = parseArgument(type.params[i], texts[i]);
    if (!value)
      return usageError("argument " + std::to_string(i + 1) + " of '" + plan.name + "': '" +
                        texts[i] + "' is not a valid " + valTypeName(type.params[i]));
    plan.args.push_back(*value);
  }
  return plan;
}

int runGuest(Guest& guest, const EntryPlan& entry) {
  RunOutcome ignored;
  return runGuest(guest, entry, ignored);
}

int runGuest(Guest& guest, const EntryPlan& entry, RunOutcome& result) {
  // A trap in the start function or the entry: the guest's own exit, a
  // trap report, or an error of ours.
  auto outcome = [&](const Error& error) {
    if (isProcExit(error) && guest.exitCode()) {
      result.ran = true;
      result.exitStatus = guestExitStatus(*guest.exitCode());
      return *result.exitStatus;
    }
    if (error.code == ErrorCode::OutOfHostMemory)
      return fail(ExitCode::BadInput, "out of host memory while " + activity() + " (" +
                                          error.message + ")");
    if (statusFor(error) == ExitCode::Trap) {
      result.ran = true;
      result.trap = error.message;
      reportTrap(error, guest.store(), entry.sourceMap);
      return int(ExitCode::Trap);
    }
    return failLaunch(error);
  };
  if (!guest.instance()) {
    setActivity("instantiating " + guest.path());
    auto instance = guest.instantiate();
    if (!instance.ok()) {
      const Error& error = instance.error();
      if (error.phase() == ErrorPhase::Trap || isProcExit(error))
        return outcome(error);
      // Unresolved imports and unusable preopens explain themselves.
      if (error.code == ErrorCode::UnknownImport || error.code == ErrorCode::IoError)
        return fail(ExitCode::BadInput, error.message);
      return fail(ExitCode::BadInput,
                  guest.path() + ": instantiation failed: " + error.describe());
    }
  }
  FunctionInstance* function = guest.instance()->findFunction(entry.name);
  if (!function)
    return fail(ExitCode::BadInput, guest.path() + ": no exported function '" + entry.name + "'");
  setActivity("running " + guest.path());
  auto results = guest.store().invoke(*function, entry.args);
  if (!results.ok())
    return outcome(results.error());
  result.ran = true;
  result.exitStatus = 0;
  if (entry.invoke) {
    for (const Value& v : *results)
      std::cout << formatResult(v) << '\n';
    std::cout.flush();
  }
  return int(ExitCode::Ok);
}

} // namespace wasmscope::cli
