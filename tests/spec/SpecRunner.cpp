// spec_runner: runs WebAssembly spec test scripts (wast2json output) on
// wasmscope's runtime and prints one summary line per script and a total.
// Each script runs in a forked child with a time limit, so an engine crash or
// hang fails that script and the run goes on.
//
//   spec_runner [--filter TEXT]... [--json-dir DIR] [--timeout S]
//               [--no-fork] [--parse-only] FILE_OR_DIR...
//
// Inputs are .json scripts, .wast files (their JSON is looked up in
// --json-dir DIR/NAME/NAME.json, or next to them), or folders of either.
// Exit status is 1 iff any command failed, 2 on a usage error.
#include "RuntimeEngine.h"
#include "SpecDriver.h"
#include "WastScript.h"

#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace wasmscope::spec {
namespace {

struct Options {
  bool fork = true;
  bool parseOnly = false;
  unsigned timeoutSeconds = 300;
  std::vector<std::string> filters;
  std::optional<fs::path> jsonDir;
  std::vector<fs::path> inputs;
};

/// One script to run: its JSON, or a .wast we only know by name.
struct Input {
  std::string wastName; ///< "i32.wast", for filtering and for messages.
  std::optional<fs::path> json;
  std::optional<fs::path> wast;
};

struct Totals {
  uint64_t passed = 0;
  uint64_t failed = 0;
  uint64_t skipped = 0;
  ScriptCounts simd;  ///< simd_*.wast scripts.
  ScriptCounts other; ///< Everything else.
};

void printUsage(std::FILE* out) {
  std::fputs("usage: spec_runner [options] FILE_OR_DIR...\n"
             "Runs wast2json scripts (.json; .wast with --json-dir) on wasmscope.\n"
             "  --filter TEXT    only scripts whose name contains TEXT (repeatable)\n"
             "  --json-dir DIR   where NAME.wast's JSON is: DIR/NAME/NAME.json\n"
             "  --timeout S      seconds per script before it counts as hung (default 300)\n"
             "  --no-fork        run scripts in this process (for a debugger)\n"
             "  --parse-only     only parse the scripts and count their commands\n",
             out);
}

std::optional<Options> parseArgs(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> const char* { return i + 1 < argc ? argv[++i] : nullptr; };
    if (a == "--no-fork") {
      o.fork = false;
    } else if (a == "--parse-only") {
      o.parseOnly = true;
    } else if (a == "--filter" || a == "--json-dir" || a == "--timeout") {
      const char* v = next();
      if (!v) {
        std::fprintf(stderr, "spec_runner: %s needs a value\n", a.c_str());
        return std::nullopt;
      }
      if (a == "--filter")
        o.filters.emplace_back(v);
      else if (a == "--json-dir")
        o.jsonDir = fs::path(v);
      else
        o.timeoutSeconds = unsigned(std::strtoul(v, nullptr, 10));
    } else if (a == "--help" || a == "-h") {
      printUsage(stdout);
      std::exit(0);
    } else if (a.size() > 1 && a[0] == '-') {
      std::fprintf(stderr, "spec_runner: unknown option %s\n", a.c_str());
      return std::nullopt;
    } else {
      o.inputs.emplace_back(a);
    }
  }
  if (o.inputs.empty()) {
    printUsage(stderr);
    return std::nullopt;
  }
  return o;
}

/// Expands the command line into scripts, sorted by name. In a folder, a
/// script's JSON wins over its .wast.
std::vector<Input> collectInputs(const Options& options) {
  std::map<std::string, Input> byName;
  auto add = [&](const fs::path& p) {
    std::string ext = p.extension().string();
    if (ext != ".json" && ext != ".wast")
      return;
    std::string name = p.stem().string() + ".wast";
    Input& in = byName[name];
    in.wastName = name;
    (ext == ".json" ? in.json : in.wast) = p;
  };
  for (const fs::path& p : options.inputs) {
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      for (auto it = fs::recursive_directory_iterator(p, ec);
           !ec && it != fs::recursive_directory_iterator(); it.increment(ec))
        if (it->is_regular_file(ec))
          add(it->path());
    } else {
      // A missing file still becomes an input, to be reported as failed.
      std::string ext = p.extension().string();
      if (ext != ".json" && ext != ".wast")
        byName[p.filename().string()] = Input{p.filename().string(), p, std::nullopt};
      else
        add(p);
    }
  }
  std::vector<Input> out;
  for (auto& [name, in] : byName) {
    bool selected = options.filters.empty();
    for (const std::string& f : options.filters)
      selected = selected || name.find(f) != std::string::npos;
    if (selected)
      out.push_back(std::move(in));
  }
  return out;
}

/// Where a .wast's JSON would be, and why it is not there if it is not.
fs::path jsonFor(const Options& options, const fs::path& wast) {
  std::string stem = wast.stem().string();
  if (options.jsonDir)
    return *options.jsonDir / stem / (stem + ".json");
  return wast.parent_path() / (stem + ".json");
}

std::string conversionFailure(const Options& options, const fs::path& wast) {
  std::string stem = wast.stem().string();
  fs::path log = (options.jsonDir ? *options.jsonDir / stem : wast.parent_path()) /
                 (stem + ".wast2json.log");
  std::ifstream in(log);
  std::string first, line;
  for (int i = 0; i < 3 && std::getline(in, line); ++i)
    first += (i ? " | " : "") + line;
  if (!first.empty())
    return "wast2json failed: " + first;
  return "not converted (no " + jsonFor(options, wast).string() + ")";
}

void printLine(const std::string& name, const ScriptCounts& c) {
  std::printf("%s: %llu passed, %llu failed, %llu skipped\n", name.c_str(),
              static_cast<unsigned long long>(c.passed),
              static_cast<unsigned long long>(c.failed),
              static_cast<unsigned long long>(c.skipped));
  std::fflush(stdout);
}

/// Runs a parsed script in this process.
void runScript(const WastScript& script, ScriptCounts& counts, const Options& options) {
  Outcome<std::unique_ptr<SpecEngine>> engine = createRuntimeEngine();
  if (!engine) {
    std::printf("%s: error: %s\n", script.sourceName.c_str(), engine.error().c_str());
    counts.failed += script.commands.size() - counts.commandsDone;
    return;
  }
  SpecDriver driver(*engine.value(), script, counts);
  driver.run();
}

/// Runs a parsed script in a child process, so that a crash or a hang in
/// the engine costs this script only. Counts live in shared memory and
/// survive the child.
ScriptCounts runScriptIsolated(const WastScript& script, const Options& options) {
  void* mem = mmap(nullptr, sizeof(ScriptCounts), PROT_READ | PROT_WRITE,
                   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (mem == MAP_FAILED) {
    ScriptCounts counts;
    runScript(script, counts, options);
    return counts;
  }
  auto* shared = new (mem) ScriptCounts();
  std::fflush(stdout);
  std::fflush(stderr);
  pid_t pid = fork();
  if (pid == 0) {
    if (options.timeoutSeconds)
      alarm(options.timeoutSeconds);
    runScript(script, *shared, options);
    std::fflush(stdout);
    _exit(0);
  }
  ScriptCounts counts;
  if (pid < 0) {
    munmap(mem, sizeof(ScriptCounts));
    runScript(script, counts, options);
    return counts;
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  counts = *shared;
  munmap(mem, sizeof(ScriptCounts));

  bool clean = WIFEXITED(status) && WEXITSTATUS(status) == 0;
  if (!clean) {
    std::string why;
    if (WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM)
      why = "timed out after " + std::to_string(options.timeoutSeconds) + " s";
    else if (WIFSIGNALED(status))
      why = std::string("crashed (") + strsignal(WTERMSIG(status)) + ")";
    else
      why = "exited with status " + std::to_string(WEXITSTATUS(status));
    const char* type = counts.currentCommand < script.commands.size()
                           ? commandTypeName(script.commands[counts.currentCommand].type)
                           : "?";
    uint64_t remaining = script.commands.size() - counts.commandsDone;
    std::printf("%s:%u: %s: %s; %llu remaining commands count as failed\n",
                script.sourceName.c_str(), counts.currentLine, type, why.c_str(),
                static_cast<unsigned long long>(remaining));
    counts.failed += remaining;
  }
  return counts;
}

void add(ScriptCounts& t, const ScriptCounts& c) {
  t.passed += c.passed;
  t.failed += c.failed;
  t.skipped += c.skipped;
  for (size_t i = 0; i < ScriptCounts::kCommandTypes; ++i) {
    t.passedByType[i] += c.passedByType[i];
    t.failedByType[i] += c.failedByType[i];
    t.skippedByType[i] += c.skippedByType[i];
  }
}

void add(Totals& t, const ScriptCounts& c, const std::string& scriptName) {
  t.passed += c.passed;
  t.failed += c.failed;
  t.skipped += c.skipped;
  add(scriptName.rfind("simd_", 0) == 0 ? t.simd : t.other, c);
}

/// Passed/failed/skipped by command type, for the SIMD scripts and the rest.
void printBreakdown(const Totals& t) {
  std::printf("%-22s %20s %20s\n", "by command", "SIMD scripts", "other scripts");
  for (size_t i = 0; i < ScriptCounts::kCommandTypes; ++i) {
    auto cell = [&](const ScriptCounts& c) {
      char buf[64];
      std::snprintf(buf, sizeof buf, "%llu/%llu/%llu",
                    static_cast<unsigned long long>(c.passedByType[i]),
                    static_cast<unsigned long long>(c.failedByType[i]),
                    static_cast<unsigned long long>(c.skippedByType[i]));
      return std::string(buf);
    };
    std::printf("%-22s %20s %20s\n", commandTypeName(CommandType(i)), cell(t.simd).c_str(),
                cell(t.other).c_str());
  }
  std::printf("%-22s %20s %20s\n", "(passed/failed/skipped)", "", "");
}

int run(const Options& options) {
  std::vector<Input> inputs = collectInputs(options);
  Totals totals;
  uint64_t parsed = 0;
  for (Input& in : inputs) {
    if (!in.json && in.wast) {
      fs::path json = jsonFor(options, *in.wast);
      std::error_code ec;
      if (!fs::is_regular_file(json, ec)) {
        std::printf("%s: error: %s\n", in.wastName.c_str(),
                    conversionFailure(options, *in.wast).c_str());
        ScriptCounts failed;
        failed.failed = 1;
        printLine(in.wastName, failed);
        add(totals, failed, in.wastName);
        continue;
      }
      in.json = json;
    }

    Outcome<WastScript> script = loadWastScript(*in.json);
    if (!script) {
      std::printf("%s: error: %s\n", in.wastName.c_str(), script.error().c_str());
      ScriptCounts failed;
      failed.failed = 1;
      printLine(in.wastName, failed);
      add(totals, failed, in.wastName);
      continue;
    }
    if (options.parseOnly) {
      std::map<std::string, size_t> kinds;
      for (const Command& c : script.value().commands)
        ++kinds[commandTypeName(c.type)];
      std::printf("%s: %zu commands", script.value().sourceName.c_str(),
                  script.value().commands.size());
      for (const auto& [kind, n] : kinds)
        std::printf(", %zu %s", n, kind.c_str());
      std::printf("\n");
      ++parsed;
      continue;
    }

    ScriptCounts counts;
    if (options.fork)
      counts = runScriptIsolated(script.value(), options);
    else
      runScript(script.value(), counts, options);
    printLine(script.value().sourceName, counts);
    add(totals, counts, in.wastName);
  }

  if (options.parseOnly) {
    std::printf("%llu scripts parsed, %llu failed\n", static_cast<unsigned long long>(parsed),
                static_cast<unsigned long long>(totals.failed));
    return totals.failed ? 1 : 0;
  }
  printBreakdown(totals);
  std::printf("%llu passed, %llu failed, %llu skipped\n",
              static_cast<unsigned long long>(totals.passed),
              static_cast<unsigned long long>(totals.failed),
              static_cast<unsigned long long>(totals.skipped));
  return totals.failed ? 1 : 0;
}

} // namespace
} // namespace wasmscope::spec

int main(int argc, char** argv) {
  std::optional<wasmscope::spec::Options> options = wasmscope::spec::parseArgs(argc, argv);
  if (!options)
    return 2;
  return wasmscope::spec::run(*options);
}
