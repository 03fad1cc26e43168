// `wasmscope run`: the plain way to execute a module. Everything here is
// front-end work; the shared launch path (runtime::loadGuest) and the guest
// runner do the rest.
#include "RunCommand.h"

#include "DebugRunner.h"
#include "GdbRunner.h"
#include "GuestRunner.h"

#include <CLI/CLI.hpp>

namespace wasmscope::cli {

RunCommand::RunCommand(CLI::App& parent) {
  m_app = parent.add_subcommand("run", "Run a module's _start, or one export with --invoke");
  m_runOptions.addTo(*m_app, "to run");
  m_app->add_option("--gdb-port", m_gdbPort,
                    "Serve the guest to LLDB's WebAssembly plug-in on 127.0.0.1:PORT (0 picks a "
                    "free port), stopped before _start until LLDB continues it; see docs/LLDB.md")
      ->type_name("PORT");
  m_app->add_option("--gdb-socket", m_gdbSocket,
                    "Like --gdb-port on a Unix socket created at PATH with mode 0600, so that "
                    "only your user can connect (unix-connect://PATH in LLDB)")
      ->type_name("PATH");
  m_app->add_flag("--gdb-profile", m_gdbProfile,
                  "With --gdb-port/--gdb-socket: count instructions per function for LLDB's "
                  "`process plugin packet monitor profile` (block counters; the guest runs slower)");
  m_app->add_flag("--gdb-memory", m_gdbMemory,
                  "With --gdb-port/--gdb-socket: intercept the guest's allocator for LLDB's "
                  "`process plugin packet monitor leak_check`, `block_list` and `who_points_at` "
                  "(block counters and allocator probes; the guest runs slower)");
  m_app->add_option("--allocator", m_allocators,
                    "With --gdb-memory: intercept the guest's own allocator function NAME as "
                    "KIND (malloc, calloc, realloc or free), besides the standard names; "
                    "repeatable")
      ->type_name("NAME=KIND");
  m_app->add_option("--debug-port", m_debugPort,
                    "Run at full speed and let a DAP client (VS Code's \"attach\" configuration) "
                    "attach at any time on 127.0.0.1:PORT (0 picks a free port), with the access "
                    "token printed on stderr; see docs/VSCode.md")
      ->type_name("PORT");
  m_app->add_option("--debug-socket", m_debugSocket,
                    "Like --debug-port on a Unix socket created at PATH with mode 0600, so that "
                    "only your user can connect (no token)")
      ->type_name("PATH");
  m_app->add_option("--token-file", m_tokenFile,
                    "With --debug-port: also write the access token to FILE (mode 0600), for "
                    "editors")
      ->type_name("FILE");
  m_app->add_flag("--debug-wait", m_debugWait,
                  "With --debug-port/--debug-socket: hold the guest before _start until a "
                  "client has attached and finished setting breakpoints");
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
  // Under LLDB the source paths are LLDB's business (target.source-map).
  if (m_gdbProfile && !m_gdbPort && !m_gdbSocket)
    return fail(ExitCode::BadInput, "--gdb-profile needs --gdb-port or --gdb-socket");
  if (m_gdbMemory && !m_gdbPort && !m_gdbSocket)
    return fail(ExitCode::BadInput, "--gdb-memory needs --gdb-port or --gdb-socket");
  if (!m_allocators.empty() && !m_gdbMemory)
    return fail(ExitCode::BadInput, "--allocator needs --gdb-memory (or use `wasmscope profile "
                                    "--memory --allocator`)");
  std::vector<profiler::AllocatorName> allocators;
  for (const std::string& a : m_allocators) {
    auto named = profiler::parseAllocatorName(a);
    if (!named.ok())
      return fail(ExitCode::BadInput, "--allocator: " + named.error().message);
    allocators.push_back(*named);
  }
  bool debugServer = m_debugPort || m_debugSocket;
  if (m_tokenFile && !m_debugPort)
    return fail(ExitCode::BadInput, "--token-file needs --debug-port");
  if (m_debugWait && !debugServer)
    return fail(ExitCode::BadInput, "--debug-wait needs --debug-port or --debug-socket");
  if (debugServer) {
    if (m_debugPort && m_debugSocket)
      return fail(ExitCode::BadInput, "--debug-port and --debug-socket exclude each other");
    if (m_gdbPort || m_gdbSocket)
      return fail(ExitCode::BadInput,
                  "--debug-port/--debug-socket (DAP) and --gdb-port/--gdb-socket (LLDB) exclude "
                  "each other");
    if (m_runOptions.options().invoke)
      return fail(ExitCode::BadInput, "--invoke cannot be debugged: a debug server runs _start");
    return runWithDebugServer(*spec, *sourceMap,
                              DebugEndpoint{m_debugPort, m_debugSocket, m_tokenFile, m_debugWait});
  }
  if (m_gdbPort || m_gdbSocket) {
    if (m_gdbPort && m_gdbSocket)
      return fail(ExitCode::BadInput, "--gdb-port and --gdb-socket exclude each other");
    if (m_runOptions.options().invoke)
      return fail(ExitCode::BadInput, "--invoke cannot be debugged with LLDB: it runs _start");
    return runUnderGdbStub(*spec, GdbEndpoint{m_gdbPort, m_gdbSocket, m_gdbProfile, m_gdbMemory,
                                                std::move(allocators)});
  }
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
