// The gdb-remote stub's cost when nothing stops, as a figure (not a test):
// a compute sample run to completion under `wasmscope run --gdb-port 0`
// with a real LLDB 22 attached (`lldb-22 -b`: process connect, ten
// breakpoints in code the run never reaches, continue), against a plain
// `wasmscope run` of the same module and arguments. The figure is the ratio
// of the wasmscope process's CPU time (user + system, all threads): the
// guest's speed, without the time spent waiting for LLDB to start. Goal:
// at most 1.05x. Paths are baked in by bench/CMakeLists.txt.
//
// With --watch it measures LLDB watchpoints instead: an idle one (a write
// watchpoint on the Sun's mass, which the run never writes) against the
// plain run, as the same CPU-time ratio; and what a hit costs: a write
// watchpoint on a planet's x, which each n-body step writes once, continued
// through every hit by LLDB, against the idle watchpoint with the same
// arguments. A hit's figure is per stop, in wall time (the round trip
// through LLDB: stop reply, LLDB's reads, continue) and in the stub's CPU.
#include "Median.h"
#include "Subprocess.h"

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <regex>
#include <spawn.h>
#include <string>
#include <vector>

#ifndef BENCH_WASMSCOPE
#error "BENCH_WASMSCOPE must be defined by the build"
#endif

extern char** environ;

namespace wasmscope::bench {
namespace {

constexpr const char* kUsage =
    "usage: gdb_bench [--reps N] [--lldb PATH] [--module NAME.wasm] [--watch] [-- ARGS...]\n"
    "\n"
    "  --reps N      runs of each kind (default 5; the median is reported)\n"
    "  --watch       LLDB watchpoints: idle (ratio to a plain run) and hit (cost per\n"
    "                stop, with `100 HITS` as the arguments; HITS from --hits)\n"
    "  --hits N      watchpoint hits in the hit figure (default 200)\n"
    "  --lldb PATH   the LLDB to attach (default lldb-22)\n"
    "  --module M    the compute sample build to run (default compute.O0.wasm)\n"
    "  ARGS          the sample's arguments (default 400 60000: about 2 s)\n";

uint32_t lineOf(const std::string& file, const std::string& text) {
  std::ifstream in(file);
  std::string line;
  for (uint32_t number = 1; std::getline(in, line); ++number)
    if (line.find(text) != std::string::npos)
      return number;
  std::cerr << "gdb_bench: '" << text << "' not found in " << file << '\n';
  std::exit(1);
}

/// What one run under the stub cost.
struct AttachedRun {
  double cpuSeconds = 0;  ///< The stub's CPU time.
  double wallSeconds = 0; ///< LLDB's session, from connecting to the end.
};

/// LLDB's commands for the breakpoint figure: ten breakpoints these
/// arguments never reach (main's error paths, and library functions
/// compute.c never calls).
std::vector<std::string> breakpointCommands(const std::string& source) {
  std::vector<std::string> commands;
  for (const char* line :
       {"usage: compute [SIZE > 0]", "return 2;", "compute: out of memory", "return 1;"})
    commands.push_back("breakpoint set -f compute.c -l " + std::to_string(lineOf(source, line)));
  for (const char* name :
       {"fprintf", "strerror", "abort", "wcrtomb", "wctomb", "long_double_not_supported"})
    commands.push_back(std::string("breakpoint set -n ") + name);
  commands.push_back("breakpoint list -b");
  commands.push_back("continue");
  return commands;
}

/// A write watchpoint on g_bodies[BODY].FIELD (through LLDB's Python: the
/// command line's `watchpoint set variable` does not find globals from the
/// entry frame), then `continues` continues.
std::vector<std::string> watchCommands(int body, const char* field, int continues) {
  std::vector<std::string> commands = {
      "script w = lldb.target.FindFirstGlobalVariable('g_bodies').GetChildAtIndex(" +
      std::to_string(body) + ").GetChildMemberWithName('" + field +
      "').Watch(True, False, True, lldb.SBError()); print('watchpoint valid:', w.IsValid())"};
  for (int i = 0; i < continues; ++i)
    commands.push_back("continue");
  return commands;
}

/// One run under the stub with LLDB attached running `commands` after it
/// connects.
AttachedRun runAttached(const std::string& lldb, const std::string& module,
                        const std::vector<std::string>& args,
                        const std::vector<std::string>& commands) {
  int err[2];
  if (pipe(err) != 0) {
    std::perror("pipe");
    std::exit(1);
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, err[1], STDERR_FILENO);
  posix_spawn_file_actions_addclose(&actions, err[0]);
  std::vector<std::string> argv = {BENCH_WASMSCOPE, "run", "--gdb-port", "0", module};
  argv.insert(argv.end(), args.begin(), args.end());
  std::vector<char*> cargv;
  for (std::string& a : argv)
    cargv.push_back(a.data());
  cargv.push_back(nullptr);
  pid_t pid;
  if (posix_spawn(&pid, argv[0].c_str(), &actions, nullptr, cargv.data(), environ) != 0) {
    std::perror("posix_spawn");
    std::exit(1);
  }
  posix_spawn_file_actions_destroy(&actions);
  close(err[1]);
  // The stub's second line says where to connect.
  std::string text, url;
  char buf[512];
  static const std::regex urlRe(R"(process connect --plugin wasm (\S+))");
  std::smatch m;
  while (url.empty()) {
    ssize_t n = read(err[0], buf, sizeof buf);
    if (n <= 0) {
      std::cerr << "gdb_bench: the stub did not start: " << text << '\n';
      std::exit(1);
    }
    text.append(buf, size_t(n));
    if (std::regex_search(text, m, urlRe))
      url = m[1];
  }

  std::vector<std::string> lldbArgv = {lldb, "-b", "-o", "process connect --plugin wasm " + url};
  for (const std::string& command : commands)
    lldbArgv.insert(lldbArgv.end(), {"-o", command});
  ProcessResult session = runProcess(lldbArgv, std::chrono::minutes(10));
  if (!session.started || session.out.find("exited with status = 0") == std::string::npos ||
      session.out.find("watchpoint valid: False") != std::string::npos) {
    std::cerr << "gdb_bench: LLDB's session did not run the guest to its end:\n"
              << session.out << session.err;
    std::exit(1);
  }
  AttachedRun out;
  out.wallSeconds = session.seconds;
  bool breakpoints = commands.size() > 1 && commands.front().rfind("breakpoint", 0) == 0;
  size_t locations = 0;
  for (size_t at = 0; (at = session.out.find("locations = ", at)) != std::string::npos; ++at)
    locations += session.out.compare(at, 13, "locations = 0") != 0;
  if (breakpoints && locations < 10)
    std::cerr << "gdb_bench: warning: " << locations << " of 10 breakpoints resolved\n";

  // Drain stderr and reap the stub, with its CPU time.
  while (read(err[0], buf, sizeof buf) > 0) {
  }
  close(err[0]);
  int status = 0;
  struct rusage usage {};
  if (wait4(pid, &status, 0, &usage) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::cerr << "gdb_bench: the stub ended badly (status " << status << ")\n";
    std::exit(1);
  }
  auto secs = [](const timeval& t) { return double(t.tv_sec) + double(t.tv_usec) / 1e6; };
  out.cpuSeconds = secs(usage.ru_utime) + secs(usage.ru_stime);
  return out;
}

/// A plain `wasmscope run`'s CPU seconds.
double runPlain(const std::string& module, const std::vector<std::string>& args) {
  std::vector<std::string> command = {BENCH_WASMSCOPE, "run", module};
  command.insert(command.end(), args.begin(), args.end());
  ProcessResult result = runProcess(command, std::chrono::minutes(10));
  if (!result.succeeded()) {
    std::cerr << "gdb_bench: wasmscope run: " << result.describeStatus() << '\n' << result.err;
    std::exit(1);
  }
  return result.cpuSeconds;
}

int runWatch(const std::string& lldb, const std::string& moduleName, const std::string& module,
             const std::vector<std::string>& args, int reps, int hits) {
  std::vector<std::string> hitArgs = {"100", std::to_string(hits)};
  std::printf("gdb_bench --watch: %s, %d runs each (medians)\n", moduleName.c_str(), reps);
  std::vector<double> plain, idle, idleSmallCpu, idleSmallWall, hitCpu, hitWall;
  for (int rep = 0; rep < reps; ++rep) {
    plain.push_back(runPlain(module, args));
    idle.push_back(runAttached(lldb, module, args, watchCommands(0, "mass", 1)).cpuSeconds);
    AttachedRun quiet = runAttached(lldb, module, hitArgs, watchCommands(0, "mass", 1));
    idleSmallCpu.push_back(quiet.cpuSeconds);
    idleSmallWall.push_back(quiet.wallSeconds);
    AttachedRun hit = runAttached(lldb, module, hitArgs, watchCommands(1, "x", hits + 1));
    hitCpu.push_back(hit.cpuSeconds);
    hitWall.push_back(hit.wallSeconds);
  }
  std::string argText;
  for (const auto& a : args)
    argText += " " + a;
  double p = median(plain), i = median(idle);
  std::printf("  not hit (arguments%s): the stub's CPU time\n", argText.c_str());
  std::printf("    wasmscope run                                     %8.3f s\n", p);
  std::printf("    --gdb-port, LLDB attached, 1 idle watchpoint      %8.3f s   %.3fx\n", i, i / p);
  double cpu = (median(hitCpu) - median(idleSmallCpu)) / hits;
  double wall = (median(hitWall) - median(idleSmallWall)) / hits;
  std::printf("  hit (arguments 100 %d: %d stops, each continued by LLDB)\n", hits, hits);
  std::printf("    idle watchpoint: LLDB session %.3f s wall, stub %.3f s CPU\n",
              median(idleSmallWall), median(idleSmallCpu));
  std::printf("    hit watchpoint:  LLDB session %.3f s wall, stub %.3f s CPU\n", median(hitWall),
              median(hitCpu));
  std::printf("    per hit: %.2f ms wall (the round trip through LLDB), %.0f us of the stub's CPU\n",
              wall * 1e3, cpu * 1e6);
  return 0;
}

int run(int argc, char** argv) {
  int reps = 5;
  bool watch = false;
  int hits = 200;
  std::string lldb = "lldb-22";
  std::string moduleName = "compute.O0.wasm";
  std::vector<std::string> args = {"400", "60000"};
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::cerr << kUsage;
        std::exit(2);
      }
      return argv[++i];
    };
    if (arg == "--reps")
      reps = std::max(1, std::atoi(value().c_str()));
    else if (arg == "--lldb")
      lldb = value();
    else if (arg == "--module")
      moduleName = value();
    else if (arg == "--watch")
      watch = true;
    else if (arg == "--hits")
      hits = std::max(1, std::atoi(value().c_str()));
    else if (arg == "--") {
      args.assign(argv + i + 1, argv + argc);
      break;
    } else {
      std::cerr << kUsage;
      return 2;
    }
  }
  std::string source = std::string(BENCH_SAMPLES_SRC) + "/compute.c";
  std::string module = std::string(BENCH_SAMPLES_DIR) + "/" + moduleName;
  std::string argText;
  for (const auto& a : args)
    argText += " " + a;
  if (watch)
    return runWatch(lldb, moduleName, module, args, reps, hits);
  std::printf("gdb_bench: %s%s, %d runs each (median of the wasmscope process's CPU time)\n",
              moduleName.c_str(), argText.c_str(), reps);
  std::vector<double> plain, attached;
  for (int rep = 0; rep < reps; ++rep) {
    plain.push_back(runPlain(module, args));
    attached.push_back(runAttached(lldb, module, args, breakpointCommands(source)).cpuSeconds);
  }
  double p = median(plain), a = median(attached);
  std::printf("  wasmscope run                                   %8.3f s\n", p);
  std::printf("  wasmscope run --gdb-port, LLDB attached, 10 bps %8.3f s   %.3fx  (goal <= 1.05x)\n",
              a, a / p);
  return 0;
}

} // namespace
} // namespace wasmscope::bench

int main(int argc, char** argv) {
  return wasmscope::bench::run(argc, argv);
}
