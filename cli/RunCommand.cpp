// `wasmscope run`: the plain way to execute a module. Everything here is
// front-end work (reading the file, turning text into typed arguments,
// printing results and traps); the runtime does the rest through its public
// API only.
#include "RunCommand.h"

#include "wasmscope/runtime/Compiler.h"
#include "wasmscope/runtime/Store.h"
#include "wasmscope/symbols/Symbols.h"
#include "wasmscope/runtime/Wasi.h"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <system_error>
#include <type_traits>

namespace wasmscope::cli {

using namespace wasmscope::runtime;

namespace {

/// A failure of the command: its one-line message and the exit status.
struct Failure {
  ExitCode status;
  std::string message;
};

void reportError(const std::string& message) {
  std::cerr << "wasmscope: error: " << message << '\n';
}

int fail(const Failure& failure) {
  reportError(failure.message);
  return int(failure.status);
}

std::optional<Failure> readModuleFile(const std::string& path, std::vector<uint8_t>& out) {
  std::error_code ec;
  auto status = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(status))
    return Failure{ExitCode::BadInput, "cannot open '" + path + "': " + std::strerror(ENOENT)};
  if (std::filesystem::is_directory(status))
    return Failure{ExitCode::BadInput, "cannot open '" + path + "': " + std::strerror(EISDIR)};
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    int err = errno;
    return Failure{ExitCode::BadInput,
                   "cannot open '" + path + "': " + std::strerror(err ? err : EIO)};
  }
  out.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  if (in.bad())
    return Failure{ExitCode::BadInput, "cannot read '" + path + "'"};
  return std::nullopt;
}

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

std::optional<Value> parseArgument(ValType type, const std::string& text) {
  switch (type) {
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
  default:
    return value.toString();
  }
}

/// The name a backtrace shows: the name section's, else an export's, else
/// the store's, else the index.
std::string functionLabel(const FrameInfo& frame) {
  static debugger::FrameSymbolizer symbolizer; // DWARF: "f at file.c:12:5"
  if (std::string label = symbolizer.label(frame); !label.empty())
    return label;
  std::string name;
  const CompiledModule* compiled =
      frame.function && frame.function->instance ? frame.function->instance->module() : nullptr;
  if (compiled) {
    const Module& module = compiled->module();
    name = module.functionName(frame.funcIndex);
    for (const Export& e : module.exports)
      if (name.empty() && e.kind == ExternKind::Func && e.index == frame.funcIndex)
        name = e.name;
  }
  if (name.empty() && frame.function)
    name = frame.function->name;
  if (name.empty())
    name = "<function " + std::to_string(frame.funcIndex) + ">";
  return name;
}

std::string frameLine(size_t index, const FrameInfo& frame) {
  char prefix[64];
  if (frame.function && frame.function->isHost())
    std::snprintf(prefix, sizeof prefix, "  #%-2zu <host>   ", index);
  else
    std::snprintf(prefix, sizeof prefix, "  #%-2zu 0x%06x ", index, frame.wasmOffset);
  return prefix + functionLabel(frame);
}

bool sameLocation(const FrameInfo& a, const FrameInfo& b) {
  return a.function == b.function && a.wasmOffset == b.wasmOffset;
}

/// The trap's reason, then the wasm call stack innermost first. Offsets are
/// code-section relative, the address space DWARF and `wasm-objdump -d` use.
/// A recursion that exhausted the stack would print 100000 lines, so runs of
/// identical frames are folded and a very deep stack shows its two ends.
void reportTrap(const Error& error, const Store& store) {
  constexpr size_t kRepeatsShown = 3;
  constexpr size_t kHeadFrames = 40;
  constexpr size_t kTailFrames = 10;

  reportError("trap: " + error.message);
  const auto& frames = store.lastTrapFrames();
  if (frames.empty()) {
    if (error.offset != kNoOffset) {
      char line[64];
      std::snprintf(line, sizeof line, "  at 0x%06llx", (unsigned long long)error.offset);
      std::cerr << line;
      if (error.funcIndex != kNoIndex)
        std::cerr << " in function " << error.funcIndex;
      std::cerr << '\n';
    }
    return;
  }
  // Lines to print: a frame index, or a "skipped N frames" note.
  std::vector<std::string> lines;
  for (size_t i = 0; i < frames.size();) {
    size_t run = 1;
    while (i + run < frames.size() && sameLocation(frames[i], frames[i + run]))
      ++run;
    size_t shown = std::min(run, kRepeatsShown);
    for (size_t k = 0; k < shown; ++k)
      lines.push_back(frameLine(i + k, frames[i + k]));
    if (run > shown)
      lines.push_back("  ... " + std::to_string(run - shown) + " more identical frame" +
                      (run - shown == 1 ? "" : "s") + " (#" + std::to_string(i + shown) + " to #" +
                      std::to_string(i + run - 1) + ")");
    i += run;
  }
  std::cerr << "backtrace:\n";
  if (lines.size() > kHeadFrames + kTailFrames + 1) {
    size_t omitted = lines.size() - kHeadFrames - kTailFrames;
    lines.erase(lines.begin() + long(kHeadFrames), lines.end() - long(kTailFrames));
    lines.insert(lines.begin() + long(kHeadFrames),
                 "  ... " + std::to_string(omitted) + " lines omitted");
  }
  for (const std::string& line : lines)
    std::cerr << line << '\n';
}

/// Exit status for an error from the runtime, by phase: what the module or
/// the user got wrong is bad input; what the guest did while running is a
/// trap.
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

std::string describeLoadError(const Error& error) {
  if (error.code == ErrorCode::MagicHeaderNotDetected)
    return "not a WebAssembly module (magic header not detected)";
  switch (error.phase()) {
  case ErrorPhase::Decode:
    return "malformed module: " + error.describe();
  case ErrorPhase::Validate:
    return "invalid module: " + error.describe();
  default:
    return error.describe();
  }
}

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

/// Decimal digits only, so "-1" is not wrapped into a huge unsigned value.
CLI::Validator integerValidator(bool positive) {
  return CLI::Validator(
      [positive](std::string& text) -> std::string {
        bool digits = !text.empty() && std::all_of(text.begin(), text.end(),
                                                   [](char c) { return c >= '0' && c <= '9'; });
        bool zero = digits && text.find_first_not_of('0') == std::string::npos;
        if (!digits || (positive && zero))
          return std::string("expected a ") + (positive ? "positive" : "non-negative") +
                 " integer, got '" + text + "'";
        return {};
      },
      std::string());
}

/// The process exit status for a guest's proc_exit status: as given up to
/// 255, which larger values become (a shell would see them modulo 256, and
/// 256 must not pass for success).
int guestExitStatus(uint32_t status) { return int(std::min<uint32_t>(status, 255)); }

/// The WASI configuration from the command line, or the usage error.
std::optional<Failure> makeWasiConfig(const RunOptions& opts, WasiConfig& config) {
  for (const std::string& spec : opts.dirs) {
    size_t sep = spec.find("::");
    WasiPreopen preopen;
    preopen.hostPath = spec.substr(0, sep);
    preopen.guestPath = sep == std::string::npos ? spec : spec.substr(sep + 2);
    if (preopen.hostPath.empty() || preopen.guestPath.empty())
      return Failure{ExitCode::BadInput,
                     "--dir: expected HOST or HOST::GUEST, got '" + spec + "'"};
    config.preopens.push_back(std::move(preopen));
  }
  for (const std::string& var : opts.env) {
    size_t eq = var.find('=');
    if (eq == std::string::npos || eq == 0)
      return Failure{ExitCode::BadInput, "--env: expected KEY=VALUE, got '" + var + "'"};
    config.env.emplace_back(var.substr(0, eq), var.substr(eq + 1));
  }
  config.deterministic = opts.deterministic;
  config.seed = opts.seed.value_or(0);
  // argv[0] is the module as named on the command line; with --invoke the
  // arguments are the function's, not the program's.
  config.args.push_back(opts.modulePath);
  if (!opts.invoke)
    config.args.insert(config.args.end(), opts.guestArgs.begin(), opts.guestArgs.end());
  return std::nullopt;
}

std::string unresolvedImportHint(const Import& import) {
  if (import.module == kWasiModuleName)
    return " (not a WASI preview1 function)";
  if (import.module.rfind("wasi", 0) == 0)
    return " (only WASI preview1, \"wasi_snapshot_preview1\", is provided)";
  return " (only WASI preview1 imports can be provided)";
}

} // namespace

const char* const kRunExamples = R"(Examples:
  wasmscope run hello.wasm
  wasmscope run --dir . cat.wasm notes.txt          # the current directory, as "."
  wasmscope run --dir ./data::/data --env LANG=C prog.wasm --verbose /data/in.txt
  wasmscope run --deterministic --seed 42 game.wasm # same clocks and random on every run
  wasmscope run --invoke add math.wasm 2 3
WASI: the guest sees only what these options give it: its ARGS (argv[0] is
MODULE), the --env variables, and the --dir directories, which no path, `..`
or symlink can leave. Its stdout and stderr are wasmscope's.
)";

std::optional<uint64_t> parseByteSize(std::string_view text) {
  uint64_t number = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (ec != std::errc() || end == text.data())
    return std::nullopt;
  std::string suffix(end, text.data() + text.size());
  for (char& c : suffix)
    c = char(std::tolower(static_cast<unsigned char>(c)));
  unsigned shift = 0;
  if (suffix.empty() || suffix == "b")
    shift = 0;
  else if (suffix == "k" || suffix == "ki" || suffix == "kib" || suffix == "kb")
    shift = 10;
  else if (suffix == "m" || suffix == "mi" || suffix == "mib" || suffix == "mb")
    shift = 20;
  else if (suffix == "g" || suffix == "gi" || suffix == "gib" || suffix == "gb")
    shift = 30;
  else
    return std::nullopt;
  if (shift && number > (UINT64_MAX >> shift))
    return std::nullopt;
  return number << shift;
}

RunCommand::RunCommand(CLI::App& parent) {
  m_app = parent.add_subcommand("run", "Run a module's _start, or one export with --invoke");
  m_app
      ->add_option("--invoke", m_options.invoke,
                   "Call this exported function instead of _start. ARGS are its "
                   "parameters (integers decimal or 0x hex, floats decimal, hex, inf "
                   "or nan); its results are printed one per line (integers as signed "
                   "decimal, floats in the shortest form that reads back exactly)")
      ->type_name("FUNC");
  m_app
      ->add_option("--fuel", m_options.fuel,
                   "Trap with \"out of fuel\" after about N wasm instructions "
                   "(counted per basic block; enables metering)")
      ->type_name("N")
      ->check(integerValidator(false));
  m_app
      ->add_option("--max-memory", m_options.maxMemory,
                   "Cap linear memory at SIZE bytes, rounded down to 64 KiB pages "
                   "(suffixes K, M, G, KiB, MiB, GiB)")
      ->type_name("SIZE");
  m_app
      ->add_option("--max-call-depth", m_options.maxCallDepth,
                   "Trap with \"call stack exhausted\" beyond N nested wasm calls")
      ->type_name("N")
      ->check(integerValidator(true));
  m_app
      ->add_option("--dir", m_options.dirs,
                   "Let the guest use host directory HOST, under the name GUEST (default: "
                   "HOST as written); repeatable, preopened as fds 3, 4, ... in order")
      ->type_name("HOST[::GUEST]")
      ->allow_extra_args(false);
  m_app
      ->add_option("--env", m_options.env,
                   "Give the guest environment variable KEY; repeatable (no host variable "
                   "reaches the guest otherwise)")
      ->type_name("KEY=VALUE")
      ->allow_extra_args(false);
  CLI::Option* deterministic = m_app->add_flag(
      "--deterministic", m_options.deterministic,
      "Make WASI clocks and random bytes repeatable: clocks start at 2024-01-01T00:00:00Z "
      "and advance only as the guest reads them or sleeps (which returns at once), and "
      "random bytes come from --seed");
  m_app
      ->add_option("--seed", m_options.seed,
                   "Seed of --deterministic's random bytes (default 0)")
      ->type_name("N")
      ->check(integerValidator(false))
      ->needs(deterministic);
  // Shown before the exit statuses main() puts in the footer.
  m_app->footer([] { return std::string(kRunExamples); });
  m_app->add_option("MODULE", m_options.modulePath, "The .wasm file to run")
      ->required()
      ->type_name("");
  m_app
      ->add_option("ARGS", m_options.guestArgs,
                   "With --invoke, the function's arguments; otherwise the "
                   "program's arguments. Everything after MODULE is passed on.")
      ->type_name("");
}

void RunCommand::splitGuestArgs(std::vector<std::string>& args) {
  m_splitGuestArgs.clear();
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& token = args[i];
    size_t modulePos = i;
    if (token == "--") {
      modulePos = i + 1;
    } else if (token.size() > 1 && token[0] == '-') {
      if (token.find('=') != std::string::npos)
        continue;
      const CLI::Option* option = m_app->get_option_no_throw(token);
      // Flags (--deterministic) expect no value, though CLI11 gives them a
      // type size of 1.
      if (option && option->get_type_size() != 0 && option->get_expected_max() != 0)
        ++i; // Skip the option's value.
      continue;
    }
    if (modulePos + 1 < args.size()) {
      m_splitGuestArgs.assign(args.begin() + long(modulePos) + 1, args.end());
      args.resize(modulePos + 1);
    }
    return;
  }
}

int RunCommand::execute() {
  RunOptions& opts = m_options;
  opts.guestArgs = m_splitGuestArgs;
  const std::string& path = opts.modulePath;

  ResourceLimits limits;
  if (opts.maxMemory) {
    auto bytes = parseByteSize(*opts.maxMemory);
    if (!bytes)
      return fail({ExitCode::BadInput, "--max-memory: invalid size '" + *opts.maxMemory +
                                           "' (expected e.g. 65536, 64K, 16MiB, 1G)"});
    limits.maxMemoryPages = std::min<uint64_t>(*bytes / kPageSize, kMaxPages);
  }
  if (opts.maxCallDepth) {
    if (*opts.maxCallDepth == 0)
      return fail({ExitCode::BadInput, "--max-call-depth must be at least 1"});
    limits.maxCallDepth = *opts.maxCallDepth;
  }

  std::vector<uint8_t> bytes;
  if (auto failure = readModuleFile(path, bytes))
    return fail(*failure);

  CompileOptions compileOptions;
  compileOptions.meterFuel = opts.fuel.has_value();
  auto compiled = loadModule(bytes, compileOptions);
  if (!compiled)
    return fail({ExitCode::BadInput, path + ": " + describeLoadError(compiled.error())});
  std::shared_ptr<const CompiledModule> module = std::move(compiled).value();
  const Module& decoded = module->module();

  // WASI preview1 is the one importable module; name the first import it
  // lacks rather than letting instantiation fail with a bare "unknown import".
  WasiConfig wasiConfig;
  if (auto failure = makeWasiConfig(opts, wasiConfig))
    return fail(*failure);
  WasiContext wasi(std::move(wasiConfig));
  Store store(limits);
  Linker linker;
  if (auto defined = wasi.define(store, linker); !defined)
    return fail({ExitCode::BadInput, "--dir: " + defined.error().describe()});
  for (const Import& import : decoded.imports)
    if (!linker.resolve(import.module, import.name))
      return fail({ExitCode::BadInput, path + ": unresolved import '" + import.module + "." +
                                           import.name + "'" + unresolvedImportHint(import)});

  // Resolve the entry point and its arguments before running anything, so
  // that a usage mistake never runs the start function.
  std::string entryName = opts.invoke.value_or("_start");
  std::vector<std::string> argTexts = opts.guestArgs;
  if (opts.invoke && !argTexts.empty() && argTexts.front() == "--")
    argTexts.erase(argTexts.begin());
  const Export* entry = nullptr;
  for (const Export& e : decoded.exports)
    if (e.kind == ExternKind::Func && e.name == entryName)
      entry = &e;
  if (!entry) {
    std::string hint = opts.invoke ? "" : "; use --invoke FUNC to call another export";
    return fail({ExitCode::BadInput, path + ": no exported function '" + entryName + "'" + hint +
                                         " (exported functions: " + exportedFunctionList(decoded) +
                                         ")"});
  }
  const FuncType& type = decoded.funcType(entry->index);
  std::vector<Value> args;
  if (opts.invoke) {
    if (argTexts.size() != type.params.size())
      return fail(
          {ExitCode::BadInput, "'" + entryName + "' takes " + std::to_string(type.params.size()) +
                                   " argument" + (type.params.size() == 1 ? "" : "s") + " " +
                                   type.toString() + ", got " + std::to_string(argTexts.size())});
    for (size_t i = 0; i < argTexts.size(); ++i) {
      auto value = parseArgument(type.params[i], argTexts[i]);
      if (!value)
        return fail({ExitCode::BadInput, "argument " + std::to_string(i + 1) + " of '" + entryName +
                                             "': '" + argTexts[i] + "' is not a valid " +
                                             valTypeName(type.params[i])});
      args.push_back(*value);
    }
  } else if (!type.params.empty()) {
    return fail({ExitCode::BadInput,
                 path + ": '_start' must take no parameters, it is " + type.toString()});
  }

  if (opts.fuel)
    store.setFuel(*opts.fuel);
  auto instance = store.instantiate(module, linker, "main");
  if (!instance) {
    const Error& error = instance.error();
    if (isProcExit(error) && wasi.exitCode()) // proc_exit in the start function
      return guestExitStatus(*wasi.exitCode());
    if (error.phase() == ErrorPhase::Trap) {
      reportTrap(error, store);
      return int(ExitCode::Trap);
    }
    return fail({statusFor(error), path + ": instantiation failed: " + error.describe()});
  }

  FunctionInstance* function = (*instance)->findFunction(entryName);
  if (!function)
    return fail({ExitCode::BadInput, path + ": no exported function '" + entryName + "'"});
  auto results = store.invoke(*function, args);
  if (!results) {
    const Error& error = results.error();
    if (isProcExit(error) && wasi.exitCode())
      return guestExitStatus(*wasi.exitCode());
    if (statusFor(error) == ExitCode::Trap) {
      reportTrap(error, store);
      return int(ExitCode::Trap);
    }
    return fail({statusFor(error), error.describe()});
  }
  for (const Value& v : *results)
    std::cout << formatResult(v) << '\n';
  std::cout.flush();
  return int(ExitCode::Ok);
}

} // namespace wasmscope::cli
