// `wasmscope report` and `wasmscope convert`: what can be done with a saved
// profile without running anything.
#include "ProfileCommand.h"

#include "CliSupport.h"
#include "MemoryReport.h"
#include "ProfileReport.h"

#include "wasmscope/profiler/Formats.h"

#include <CLI/CLI.hpp>

#include <iostream>

namespace wasmscope::cli {

using namespace wasmscope::profiler;

ReportCommand::ReportCommand(CLI::App &parent) {
  m_app = parent.add_subcommand("report", "Print the tables of a saved profile");
  m_app->add_option("PROFILE", m_path, "A JSON profile written by `wasmscope profile`")
      ->required()
      ->type_name("");
  m_app->add_option("--top", m_top, "Rows per table, and children per call-tree node (default 15)")
      ->type_name("N")
      ->check(CLI::PositiveNumber);
  m_app->add_option("--depth", m_depth, "Call-tree levels to print (default 6; 0: no tree)")
      ->type_name("N");
  m_app->add_flag("--leaks", m_leaks,
                  "Print the leak check's loss records with their allocation stacks, largest "
                  "first, then the LEAK SUMMARY (a profile from `profile --memory`)");
  m_app->add_flag("--reachable", m_reachable,
                  "With --leaks: also the still-reachable records (--show-leak-kinds=all)");
  m_app->add_flag("--peak", m_peak, "Print the live heap at the exact peak, by allocation site");
  m_app->add_flag("--sites", m_sites,
                  "Print allocation sites: allocations, bytes, mean lifetime, temporary "
                  "blocks, what was live at the end");
  m_app->footer(R"(Prints the run's totals, the top functions by self instructions (with
their totals and call counts), the top source lines, host (WASI) calls, and
the call tree by inclusive instructions. Example:
  wasmscope profile -o prog.profile.json prog.wasm && wasmscope report --top 20 prog.profile.json)");
}

int ReportCommand::execute() {
  auto profile = readProfileFile(m_path);
  if (!profile.ok())
    return fail(ExitCode::BadInput, profile.error().message);
  std::ostream &out = std::cout;
  if (m_leaks || m_peak || m_sites) {
    if (!profile->memory)
      return fail(ExitCode::BadInput, m_path + ": no memory profile in it (record one with "
                                               "`wasmscope profile --memory`)");
    printProfileHeader(out, *profile);
    if (m_sites) {
      out << "\n";
      printSites(out, *profile, m_top);
    }
    if (m_peak) {
      out << "\n";
      printPeak(out, *profile, m_top);
    }
    if (m_leaks) {
      out << "\n";
      printHeapErrors(out, *profile, m_top);
      printLossRecords(out, *profile, m_top, m_reachable);
      printHeapSummary(out, *profile);
      out << "\n";
      printLeakSummary(out, *profile);
    }
    out.flush();
    return int(ExitCode::Ok);
  }
  printProfileHeader(out, *profile);
  out << "\n";
  printTopFunctions(out, *profile, m_top);
  out << "\n";
  printTopLines(out, *profile, m_top);
  out << "\n";
  printHostCalls(out, *profile, m_top);
  if (m_depth) {
    out << "\n";
    printCallTree(out, *profile, m_depth, m_top);
  }
  if (profile->memory) {
    out << "\n";
    printHeapSummary(out, *profile);
    printLeakSummary(out, *profile);
    out << "(wasmscope report --leaks, --peak or --sites for the memory profile)\n";
  }
  if (profile->trace.enabled)
    out << "\ncall trace: " << groupDigits(profile->trace.events.size()) << " events kept of "
        << groupDigits(profile->trace.recorded) << " (convert to speedscope to view it)\n";
  out.flush();
  return int(ExitCode::Ok);
}

ConvertCommand::ConvertCommand(CLI::App &parent) {
  m_app = parent.add_subcommand("convert", "Convert a saved profile to another format");
  m_app->add_option("PROFILE", m_path, "A JSON profile written by `wasmscope profile`")
      ->required()
      ->type_name("");
  m_app->add_option("-o,--output", m_output, "Where to write the converted profile")
      ->required()
      ->type_name("FILE");
  m_app
      ->add_option("--format", m_format,
                   "json, pprof, callgrind, speedscope, collapsed or dhat (a memory profile's "
                   "heap; default: from FILE's extension, else json)")
      ->type_name("FORMAT")
      ->check(CLI::IsMember({"json", "pprof", "callgrind", "speedscope", "collapsed", "dhat"}));
  m_app->footer(R"(Examples:
  wasmscope convert prog.profile.json --format pprof -o prog.pb.gz
  wasmscope convert prog.profile.json -o prog.collapsed     # format from the extension)");
}

int ConvertCommand::execute() {
  auto profile = readProfileFile(m_path);
  if (!profile.ok())
    return fail(ExitCode::BadInput, profile.error().message);
  OutputFormat format = m_format ? *parseFormat(*m_format) : formatForPath(m_output);
  auto bytes = writeProfile(*profile, format);
  if (!bytes.ok())
    return fail(ExitCode::BadInput, bytes.error().message);
  auto written = writeFileAtomically(m_output, *bytes);
  if (!written.ok())
    return fail(ExitCode::BadInput, written.error().message);
  return int(ExitCode::Ok);
}

} // namespace wasmscope::cli
