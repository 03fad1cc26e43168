// The run options (RunOptions.h): their registration on a subcommand, the
// split of the guest's arguments from ours, and their translation into a
// runtime::LaunchSpec.
#include "RunOptions.h"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>

namespace wasmscope::cli {

using runtime::Error;
using runtime::ErrorCode;

namespace {

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

Error usageError(std::string message) {
  return Error(ErrorCode::InvalidArgument, std::move(message));
}

} // namespace

const char* const kRunExamples = R"(Examples:
  wasmscope run hello.wasm
  wasmscope run --dir . cat.wasm notes.txt          # the current directory, as "."
  wasmscope run --dir ./data::/data --env LANG=C prog.wasm --verbose /data/in.txt
  wasmscope run --deterministic --seed 42 game.wasm # same clocks and random on every run
  wasmscope run --invoke add math.wasm 2 3
  wasmscope run --timeout 30s --max-memory 256M untrusted.wasm
  wasmscope run --debug-port 4711 --token-file .wasmscope-token server.wasm  # VS Code may attach
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

void RunOptionSet::addTo(CLI::App& app, const std::string& what, bool moduleRequired) {
  m_app = &app;
  RunOptions& o = m_options;
  app.add_option("--invoke", o.invoke,
                 "Call this exported function instead of _start. ARGS are its "
                 "parameters (integers decimal or 0x hex, floats decimal, hex, inf "
                 "or nan); its results are printed one per line (integers as signed "
                 "decimal, floats in the shortest form that reads back exactly)")
      ->type_name("FUNC");
  app.add_option("--fuel", o.fuel,
                 "Trap with \"out of fuel\" after N wasm instructions "
                 "(counted per basic block; enables metering)")
      ->type_name("N")
      ->check(integerValidator(false));
  app.add_option("--max-memory", o.maxMemory,
                 "Cap linear memory at SIZE bytes, rounded down to 64 KiB pages "
                 "(suffixes K, M, G, KiB, MiB, GiB; at least 64K). memory.grow beyond "
                 "it fails, returning -1 as the spec allows, so the guest's allocator "
                 "reports out of memory; an initial memory beyond it traps with "
                 "\"memory limit exceeded\"")
      ->type_name("SIZE");
  app.add_option("--max-call-depth", o.maxCallDepth,
                 "Trap with \"call stack exhausted\" beyond N nested wasm calls")
      ->type_name("N")
      ->check(integerValidator(true));
  app.add_option("--timeout", o.timeout,
                 "Stop the guest once it has run for DURATION, a number and a unit (ms, s, "
                 "m or h: 500ms, 30s, 1.5m): it traps with \"wall-clock limit exceeded\" "
                 "where it is, even inside a blocking WASI call such as a sleep or a read "
                 "from stdin")
      ->type_name("DURATION");
  app.add_option("--dir", o.dirs,
                 "Let the guest use host directory HOST, under the name GUEST (default: "
                 "HOST as written); repeatable, preopened as fds 3, 4, ... in order")
      ->type_name("HOST[::GUEST]")
      ->allow_extra_args(false);
  app.add_option("--env", o.env,
                 "Give the guest environment variable KEY; repeatable (no host variable "
                 "reaches the guest otherwise)")
      ->type_name("KEY=VALUE")
      ->allow_extra_args(false);
  CLI::Option* deterministic = app.add_flag(
      "--deterministic", o.deterministic,
      "Make WASI clocks and random bytes repeatable: clocks start at 2024-01-01T00:00:00Z "
      "and advance only as the guest reads them or sleeps (which returns at once), and "
      "random bytes come from --seed");
  app.add_option("--seed", o.seed, "Seed of --deterministic's random bytes (default 0)")
      ->type_name("N")
      ->check(integerValidator(false))
      ->needs(deterministic);
  addSourceMapOption(app, o.sourceMaps);
  app.add_option("MODULE", o.modulePath, "The .wasm file " + what)
      ->required(moduleRequired)
      ->type_name("");
  app.add_option("ARGS", o.guestArgs,
                 "With --invoke, the function's arguments (a v128 as i32x4:1,2,3,4 or "
                 "another shape); otherwise the "
                 "program's arguments. Everything after MODULE is passed on.")
      ->type_name("");
}

void RunOptionSet::splitGuestArgs(std::vector<std::string>& args) {
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

void addSourceMapOption(CLI::App& app, std::vector<std::string>& pairs) {
  app.add_option("--source-map", pairs,
                 "Show source files built under BUILD as under LOCAL (the module was "
                 "built elsewhere, e.g. in CI); repeatable, the longest BUILD prefix wins")
      ->type_name("BUILD=LOCAL")
      ->allow_extra_args(false);
}

runtime::Result<debugger::SourceMap> parseSourceMap(const std::vector<std::string>& pairs) {
  debugger::SourceMap map;
  for (const std::string& spec : pairs) {
    auto pair = debugger::SourceMap::parsePair(spec);
    if (!pair.ok())
      return usageError("--source-map: " + pair.error().message);
    map.add(pair->first, pair->second);
  }
  return map;
}

runtime::Result<debugger::SourceMap> RunOptionSet::sourceMap() {
  return parseSourceMap(m_options.sourceMaps);
}

const RunOptions& RunOptionSet::options() {
  m_options.guestArgs = m_splitGuestArgs;
  return m_options;
}

runtime::Result<runtime::LaunchSpec> RunOptionSet::launchSpec() {
  return launchSpecFor(options());
}

runtime::Result<runtime::LaunchSpec> launchSpecFor(const RunOptions& opts) {
  runtime::LaunchSpec spec;
  spec.modulePath = opts.modulePath;
  // With --invoke the arguments are the function's, not the program's.
  if (!opts.invoke)
    spec.args = opts.guestArgs;
  for (const std::string& dir : opts.dirs) {
    size_t sep = dir.find("::");
    runtime::WasiPreopen preopen;
    preopen.hostPath = dir.substr(0, sep);
    preopen.guestPath = sep == std::string::npos ? dir : dir.substr(sep + 2);
    if (preopen.hostPath.empty() || preopen.guestPath.empty())
      return usageError("--dir: expected HOST or HOST::GUEST, got '" + dir + "'");
    spec.preopens.push_back(std::move(preopen));
  }
  for (const std::string& var : opts.env) {
    size_t eq = var.find('=');
    if (eq == std::string::npos || eq == 0)
      return usageError("--env: expected KEY=VALUE, got '" + var + "'");
    spec.env.emplace_back(var.substr(0, eq), var.substr(eq + 1));
  }
  spec.deterministic = opts.deterministic;
  spec.seed = opts.seed.value_or(0);
  spec.fuel = opts.fuel;
  if (opts.maxMemory) {
    auto bytes = parseByteSize(*opts.maxMemory);
    if (!bytes)
      return usageError("--max-memory: invalid size '" + *opts.maxMemory +
                        "' (expected e.g. 65536, 64K, 16MiB, 1G)");
    if (*bytes < runtime::kPageSize)
      return usageError("--max-memory: '" + *opts.maxMemory +
                        "' is below one 64 KiB page (use at least 64K)");
    spec.memoryLimitBytes = *bytes;
  }
  if (opts.maxCallDepth) {
    if (*opts.maxCallDepth == 0)
      return usageError("--max-call-depth must be at least 1");
    spec.maxCallDepth = *opts.maxCallDepth;
  }
  if (opts.timeout) {
    spec.timeout = runtime::parseDuration(*opts.timeout);
    if (!spec.timeout)
      return usageError("--timeout: invalid duration '" + *opts.timeout +
                        "' (expected a positive number and a unit: 500ms, 30s, 1.5m, 2h)");
  }
  return spec;
}

} // namespace wasmscope::cli
