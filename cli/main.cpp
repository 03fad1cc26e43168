// The `wasmscope` command line: subcommand dispatch and the error and
// exit-status conventions every subcommand shares. Each subcommand lives in
// its own file (RunCommand.cpp, ...).
#include "CiCommand.h"
#include "CliSupport.h"
#include "DapCommand.h"
#include "InspectCommand.h"
#include "ProfileCommand.h"
#include "RunCommand.h"
#include "SymbolsCommand.h"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <utility>
#include <iostream>
#include <new>
#include <string>
#include <vector>

#ifndef WASMSCOPE_VERSION
#define WASMSCOPE_VERSION "unknown"
#endif

namespace {

constexpr const char* kExitStatusHelp = R"(Exit status of `wasmscope run`:
  N    the guest's own exit status: its proc_exit code, or 0 when _start
       (or the --invoke function) returns; codes above 255 give 255
  2    usage error, unreadable file, malformed or invalid module, unresolved
       import, a table beyond the limit, out of host memory: one line
       starting "wasmscope: error:" on stderr
  134  the guest trapped or exceeded a limit (fuel, initial memory, call
       depth, --timeout): the trap and a wasm backtrace, with source lines
       where DWARF exists, on stderr
A guest may itself exit with 2 or 134; wasmscope's own failures are the ones
that print "wasmscope: error:".)";

} // namespace

int main(int argc, char** argv) {
  using wasmscope::cli::ExitCode;

  CLI::App app{"wasmscope: debugger and profiler for WebAssembly", "wasmscope"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("wasmscope ") + WASMSCOPE_VERSION);
  app.footer(kExitStatusHelp);
  wasmscope::cli::RunCommand run(app);
  run.app().footer(kExitStatusHelp);
  wasmscope::cli::ProfileCommand profile(app);
  wasmscope::cli::ReportCommand report(app);
  wasmscope::cli::ConvertCommand convert(app);
  wasmscope::cli::CiCommand ci(app);
  wasmscope::cli::SymbolsCommand symbols(app);
  wasmscope::cli::DapCommand dap(app);
  wasmscope::cli::InspectCommand inspect(app);
  profile.setCommandLine(std::vector<std::string>(argv, argv + argc));
  inspect.setCommandLine(std::vector<std::string>(argv, argv + argc));

  // Subcommands that launch a guest hand everything after MODULE to it.
  std::vector<std::pair<CLI::App*, wasmscope::cli::RunOptionSet*>> guestCommands = {
      {&run.app(), &run.runOptions()},
      {&profile.app(), &profile.runOptions()},
      {&ci.app(), &ci.runOptions()},
      {&inspect.app(), &inspect.runOptions()}};

  std::vector<std::string> args(argv + 1, argv + argc);
  // The top level takes only flags, so the first other token names the
  // subcommand.
  for (size_t i = 0; i < args.size(); ++i) {
    if (!args[i].empty() && args[i][0] == '-')
      continue;
    for (auto [command, runOptions] : guestCommands) {
      if (args[i] != command->get_name())
        continue;
      std::vector<std::string> tail(args.begin() + long(i) + 1, args.end());
      runOptions->splitGuestArgs(tail);
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

  // The out-of-host-memory boundary: a module or input that makes the host
  // run out of memory is an error of ours (exit 2), never an abort that
  // would pass for a guest trap (134).
  try {
    if (run.app().parsed())
      return run.execute();
    if (profile.app().parsed())
      return profile.execute();
    if (report.app().parsed())
      return report.execute();
    if (convert.app().parsed())
      return convert.execute();
    if (ci.app().parsed())
      return ci.execute();
    if (symbols.app().parsed())
      return symbols.execute();
    if (dap.app().parsed())
      return dap.execute();
    if (inspect.app().parsed())
      return inspect.execute();
  } catch (const std::bad_alloc&) {
    return wasmscope::cli::fail(ExitCode::BadInput,
                                "out of host memory while " + wasmscope::cli::activity());
  } catch (const std::exception& e) {
    return wasmscope::cli::fail(ExitCode::BadInput, "internal error while " +
                                                        wasmscope::cli::activity() + ": " +
                                                        e.what());
  }
  return int(ExitCode::BadInput);
}
