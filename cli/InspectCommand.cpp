// `wasmscope inspect MODULE [ARGS...]` runs the module live in the desktop
// inspector (a debug session whose run is also profiled), with every run
// option of `wasmscope run`; `wasmscope inspect PROFILE` opens a profile
// saved by `wasmscope profile`. Which one FILE is comes from its first
// bytes. Built without the GUI libraries, the command says so.
#include "InspectCommand.h"

#include "CliSupport.h"

#include <CLI/CLI.hpp>

#ifdef WASMSCOPE_HAVE_INSPECTOR_GUI
#include "wasmscope/dap/Listener.h"
#include "wasmscope/dap/Server.h"
#include "wasmscope/dap/SharedSession.h"
#include "wasmscope/gui/Inspector.h"

#include <iostream>
#endif

#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace wasmscope::cli {

namespace {

const char* kInspectExamples = R"(Examples:
  wasmscope inspect prog.wasm ARGS...              # run live: debug, profile, inspect memory
  wasmscope inspect --memory prog.wasm             # + heap profile: memory map, leaks
  wasmscope inspect --stop-on-entry prog.wasm      # stop before _start runs
  wasmscope inspect --break prog.c:42 prog.wasm    # stop at a line
  wasmscope inspect prog.profile.json              # a profile saved by `wasmscope profile`
  wasmscope inspect --dap-port 4711 prog.wasm      # and let VS Code attach to the same run
  xvfb-run -a wasmscope inspect --headless --view memory --screenshot mem.png prog.wasm
Options after MODULE belong to the guest, as with `run`.
)";

enum class FileKind { Module, Profile, Unknown };

/// What FILE is, from its first bytes: "\0asm" or a JSON object.
runtime::Result<FileKind> sniff(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0)
    return runtime::Error(runtime::ErrorCode::IoError,
                          "cannot open '" + path + "': " + std::strerror(errno));
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return runtime::Error(runtime::ErrorCode::IoError, "'" + path + "' is not a regular file");
  }
  char head[64] = {};
  ssize_t n = ::read(fd, head, sizeof head);
  ::close(fd);
  if (n >= 4 && std::memcmp(head, "\0asm", 4) == 0)
    return FileKind::Module;
  for (ssize_t i = 0; i < n; ++i) {
    if (head[i] == ' ' || head[i] == '\n' || head[i] == '\r' || head[i] == '\t')
      continue;
    return head[i] == '{' ? FileKind::Profile : FileKind::Unknown;
  }
  return FileKind::Unknown;
}

#ifdef WASMSCOPE_HAVE_INSPECTOR_GUI
/// `--dap-port`: the DAP server on the inspector's session, as the
/// inspector's second front end.
class DapShare final : public gui::SessionShare {
public:
  explicit DapShare(std::unique_ptr<dap::SharedSessionServer> server)
      : m_server(std::move(server)) {}
  void onSessionEvent(const debugger::Event& event) override { m_server->onSessionEvent(event); }
  void breakpointsChanged() override { m_server->breakpointsChanged(); }
  bool clientAttached() const override { return m_server->clientAttached(); }
  std::string status() const override {
    return std::string("DAP ") + (clientAttached() ? "client attached" : "waiting for a client") +
           " on " + m_server->address();
  }

private:
  std::unique_ptr<dap::SharedSessionServer> m_server;
};

/// Listens on 127.0.0.1:port with a fresh token (printed on stderr, and
/// written to `tokenFile` when given) and serves the session there.
gui::ShareSession serveDap(uint16_t port, std::string tokenFile) {
  return [port, tokenFile](debugger::Session& session)
             -> runtime::Result<std::unique_ptr<gui::SessionShare>> {
    TRY_ASSIGN(auto listener, dap::TcpListener::listen(port));
    TRY_ASSIGN(std::string token, dap::makeToken());
    if (!tokenFile.empty())
      TRY(dap::writeTokenFile(tokenFile, token));
    std::string address = listener->address();
    dap::ServerOptions serverOptions;
    serverOptions.token = token;
    TRY_ASSIGN(auto server,
               dap::SharedSessionServer::start(session, std::move(listener), serverOptions));
    std::cerr << "wasmscope: DAP server listening on " << address << ", token " << token
              << " (attach to this run)" << std::endl;
    return std::unique_ptr<gui::SessionShare>(std::make_unique<DapShare>(std::move(server)));
  };
}
#endif

} // namespace

InspectCommand::InspectCommand(CLI::App& parent) {
  m_app = parent.add_subcommand(
      "inspect", "Open the desktop inspector on a module run live, or on a saved profile");
  m_app->add_flag("--memory", m_memory,
                  "Profile the heap too (allocations, their stacks, the leak check at the end) "
                  "for the Memory, Allocations and Heap timeline views");
  m_app->add_flag("--stop-on-entry", m_stopOnEntry, "Stop before the first instruction of _start");
  m_app->add_option("--break", m_breakpoints,
                    "Set a breakpoint at FILE:LINE before the run starts; repeatable")
      ->type_name("FILE:LINE")
      ->allow_extra_args(false);
  m_app->add_option("--dap-port", m_dapPort,
                    "Also serve the Debug Adapter Protocol on 127.0.0.1:PORT (0: a free "
                    "port) for this run: VS Code attaches with the token printed on stderr "
                    "and sees the same paused program")
      ->type_name("PORT");
  m_app->add_option("--token-file", m_tokenFile,
                    "With --dap-port: also write the access token to FILE (mode 0600)")
      ->type_name("FILE");
  m_app->add_flag("--headless", m_headless,
                  "Render off-screen (under Xvfb: xvfb-run -a) once the run has stopped or "
                  "ended, instead of opening a window");
  m_app->add_option("--frames", m_frames, "With --headless: frames to render (default 3)")
      ->type_name("N")
      ->check(CLI::Range(1, 10000));
  m_app->add_option("--screenshot", m_screenshot,
                    "With --headless: write the last frame to OUT.png")
      ->type_name("OUT.png");
  m_app->add_option("--layout", m_layout,
                    "With --headless: write where the views drew their parts in the last frame "
                    "to FILE, as JSON (for tests that check screenshots)")
      ->type_name("FILE");
  m_app->add_option("--view", m_view,
                    "The view to show: memory, allocations, timeline, calltrace, profile, "
                    "source, debug or module")
      ->type_name("VIEW");
  m_app->add_option("--select", m_select, "Select the allocation at ADDR in the memory views")
      ->type_name("ADDR");
  m_app->add_option("--size", m_size, "Window size in pixels (default 1600x1000)")
      ->type_name("WxH");
  m_runOptions.addTo(*m_app, "to run, or a JSON profile saved by `wasmscope profile`");
  m_app->footer(kInspectExamples);
}

int InspectCommand::execute() {
#ifndef WASMSCOPE_HAVE_INSPECTOR_GUI
  return fail(ExitCode::BadInput,
              "this wasmscope was built without the inspector GUI (Dear ImGui, GLFW, OpenGL "
              "or stb were missing when it was configured: install libimgui-dev "
              "libglfw3-dev libstb-dev and rebuild)");
#else
  const RunOptions& run = m_runOptions.options();
  gui::InspectorOptions options;
  options.commandLine = m_commandLine;
  options.stopOnEntry = m_stopOnEntry;
  options.memory = m_memory;
  options.breakpoints = m_breakpoints;
  if (m_dapPort)
    options.shareSession = serveDap(*m_dapPort, m_tokenFile);
  else if (!m_tokenFile.empty())
    return fail(ExitCode::BadInput, "--token-file needs --dap-port");
  options.headless = m_headless;
  options.frames = m_frames;
  options.screenshotPath = m_screenshot;
  options.layoutPath = m_layout;
  options.view = m_view;
  if (!m_headless && (!m_screenshot.empty() || !m_layout.empty()))
    return fail(ExitCode::BadInput, "--screenshot and --layout need --headless");
  if (m_select) {
    uint64_t address = 0;
    std::string text = *m_select;
    int base = 10;
    if (text.rfind("0x", 0) == 0 || text.rfind("0X", 0) == 0) {
      text = text.substr(2);
      base = 16;
    }
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), address, base);
    if (ec != std::errc() || end != text.data() + text.size() || text.empty())
      return fail(ExitCode::BadInput, "--select: expected an address (decimal or 0x hex), got '" +
                                          *m_select + "'");
    options.select = address;
  }
  {
    unsigned width = 0, height = 0;
    char x = 0;
    if (std::sscanf(m_size.c_str(), "%u%c%u", &width, &x, &height) != 3 || x != 'x' ||
        width < 320 || height < 240 || width > 8192 || height > 8192)
      return fail(ExitCode::BadInput, "--size: expected WxH between 320x240 and 8192x8192, got '" +
                                          m_size + "'");
    options.width = int(width);
    options.height = int(height);
  }

  auto kind = sniff(run.modulePath);
  if (!kind.ok())
    return fail(ExitCode::BadInput, kind.error().message);
  if (*kind == FileKind::Unknown)
    return fail(ExitCode::BadInput, "'" + run.modulePath +
                                        "' is neither a WebAssembly module nor a JSON profile");
  if (*kind == FileKind::Profile) {
    if (!run.guestArgs.empty() || m_stopOnEntry || !m_breakpoints.empty() || m_dapPort ||
        m_memory)
      return fail(ExitCode::BadInput,
                  "'" + run.modulePath +
                      "' is a saved profile: program arguments, --stop-on-entry, --break, "
                      "--memory and --dap-port need a module to run");
    options.profilePath = run.modulePath;
    setActivity("inspecting " + run.modulePath);
    return gui::runInspector(options);
  }

  if (run.invoke)
    return fail(ExitCode::BadInput,
                "--invoke is not supported by inspect: the inspector debugs a program from "
                "_start (use `wasmscope run --invoke` or `wasmscope profile --invoke`)");
  auto spec = m_runOptions.launchSpec();
  if (!spec.ok())
    return fail(ExitCode::BadInput, spec.error().message);
  debugger::LaunchConfig config;
  config.modulePath = spec->modulePath;
  config.args = spec->args;
  config.env = spec->env;
  for (const runtime::WasiPreopen& dir : spec->preopens)
    config.preopens.push_back({dir.hostPath, dir.guestPath});
  config.stdinFd = spec->stdinFd;
  config.deterministic = spec->deterministic;
  config.seed = spec->seed;
  config.fuel = spec->fuel;
  config.memoryLimitBytes = spec->memoryLimitBytes;
  config.maxCallDepth = spec->maxCallDepth;
  config.timeout = spec->timeout;
  options.launch = std::move(config);
  setActivity("inspecting " + run.modulePath);
  return gui::runInspector(options);
#endif
}

} // namespace wasmscope::cli
