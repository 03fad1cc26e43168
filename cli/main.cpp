// The `wasmscope` command line: subcommand dispatch and the error and
// exit-status conventions every subcommand shares. Each subcommand lives in
// its own file (RunCommand.cpp, ...).
#include "RunCommand.h"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <iostream>
#include <string>
#include <vector>

#ifndef WASMSCOPE_VERSION
#define WASMSCOPE_VERSION "unknown"
#endif

namespace {

constexpr const char* kExitStatusHelp = R"(Exit status:
  0  the guest ran to completion
  1  the guest reported failure (a non-zero WASI exit status, once WASI lands)
  2  usage error, unreadable file, malformed or invalid module, unresolved import
  3  the guest trapped or exceeded a limit (fuel, memory, call depth);
     the trap and a wasm backtrace are printed to stderr
)";

} // namespace

int main(int argc, char** argv) {
  using wasmscope::cli::ExitCode;

  CLI::App app{"wasmscope: debugger and profiler for WebAssembly", "wasmscope"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("wasmscope ") + WASMSCOPE_VERSION);
  app.footer(kExitStatusHelp);
  wasmscope::cli::RunCommand run(app);
  run.app().footer(kExitStatusHelp);

  std::vector<std::string> args(argv + 1, argv + argc);
  // The top level takes only flags, so the first other token names the
  // subcommand; `run` hands everything after its MODULE to the guest.
  for (size_t i = 0; i < args.size(); ++i) {
    if (!args[i].empty() && args[i][0] == '-')
      continue;
    if (args[i] == run.app().get_name()) {
      std::vector<std::string> tail(args.begin() + long(i) + 1, args.end());
      run.splitGuestArgs(tail);
      args.resize(i + 1);
      args.insert(args.end(), tail.begin(), tail.end());
    }
    break;
  }

  try {
    std::reverse(args.begin(), args.end()); // CLI11 consumes from the back.
    app.parse(args);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "wasmscope: error: " << e.what() << " (see --help)\n";
    return int(ExitCode::BadInput);
  }

  if (run.app().parsed())
    return run.execute();
  return int(ExitCode::BadInput);
}
