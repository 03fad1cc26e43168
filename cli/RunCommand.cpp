// `wasmscope run`: the plain way to execute a module. Everything here is
// front-end work; the shared launch path (runtime::loadGuest) and the guest
// runner do the rest.
#include "RunCommand.h"

#include "GuestRunner.h"

#include <CLI/CLI.hpp>

namespace wasmscope::cli {

RunCommand::RunCommand(CLI::App& parent) {
  m_app = parent.add_subcommand("run", "Run a module's _start, or one export with --invoke");
  m_runOptions.addTo(*m_app, "to run");
  // Shown before the exit statuses main() puts in the footer.
  m_app->footer([] { return std::string(kRunExamples); });
}

int RunCommand::execute() {
  auto spec = m_runOptions.launchSpec();
  if (!spec.ok())
    return fail(ExitCode::BadInput, spec.error().message);
  auto sourceMap = m_runOptions.sourceMap();
  if (!sourceMap.ok())
    return fail(ExitCode::BadInput, sourceMap.error().message);
  setActivity("reading and compiling " + spec->modulePath);
  auto guest = runtime::loadGuest(std::move(*spec));
  if (!guest.ok())
    return failLaunch(guest.error());
  auto entry = planEntry(m_runOptions.options(), **guest);
  if (!entry.ok())
    return fail(ExitCode::BadInput, entry.error().message);
  entry->sourceMap = std::move(*sourceMap);
  return runGuest(**guest, *entry);
}

} // namespace wasmscope::cli
