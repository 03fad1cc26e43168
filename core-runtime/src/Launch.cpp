// The shared launch path (Launch.h): specification checks, module file,
// compilation, WASI, limits, linking and instantiation, each failure with a
// message a front end can print as is.
#include "wasmscope/runtime/Launch.h"

#include "WallClockLimit.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>

namespace wasmscope::runtime {

namespace fs = std::filesystem;

namespace {

std::string resolvePath(const std::string& path, const std::string& cwd) {
  if (path.empty() || cwd.empty() || fs::path(path).is_absolute())
    return path;
  return (fs::path(cwd) / path).string();
}

std::string unresolvedImportHint(const Import& import) {
  if (import.module == kWasiModuleName)
    return " (not a WASI preview1 function)";
  if (import.module.rfind("wasi", 0) == 0)
    return " (only WASI preview1, \"wasi_snapshot_preview1\", is provided)";
  return " (only WASI preview1 imports can be provided)";
}

Result<ResourceLimits> limitsFor(const LaunchSpec& spec) {
  ResourceLimits limits;
  if (spec.memoryLimitBytes) {
    uint64_t pages = *spec.memoryLimitBytes / kPageSize;
    if (pages == 0)
      return Error(ErrorCode::InvalidArgument,
                   "memory limit of " + std::to_string(*spec.memoryLimitBytes) +
                       " bytes is below one 64 KiB page");
    limits.maxMemoryPages = std::min<uint64_t>(pages, kMaxPages);
  }
  if (spec.maxCallDepth) {
    if (*spec.maxCallDepth == 0)
      return Error(ErrorCode::InvalidArgument, "call depth limit must be at least 1");
    limits.maxCallDepth = *spec.maxCallDepth;
  }
  if (spec.timeout && spec.timeout->count() <= 0)
    return Error(ErrorCode::InvalidArgument, "the wall-clock limit must be positive");
  return limits;
}

WasiConfig wasiConfigFor(const LaunchSpec& spec) {
  WasiConfig config;
  config.args.push_back(spec.programName.empty() ? spec.modulePath : spec.programName);
  config.args.insert(config.args.end(), spec.args.begin(), spec.args.end());
  config.env = spec.env;
  for (const WasiPreopen& p : spec.preopens)
    config.preopens.push_back(
        {resolvePath(p.hostPath, spec.cwd), p.guestPath.empty() ? p.hostPath : p.guestPath});
  config.deterministic = spec.deterministic;
  config.seed = spec.seed;
  config.output = spec.output;
  config.stdinFd = spec.stdinFd;
  return config;
}

} // namespace

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

std::optional<std::chrono::nanoseconds> parseDuration(std::string_view text) {
  size_t unitAt = text.find_first_not_of("0123456789.");
  if (unitAt == 0 || unitAt == std::string_view::npos)
    return std::nullopt;
  std::string_view number = text.substr(0, unitAt), unit = text.substr(unitAt);
  if (std::count(number.begin(), number.end(), '.') > 1 || number.back() == '.' ||
      number.front() == '.')
    return std::nullopt;
  double scale = 0;
  if (unit == "ms")
    scale = 1e6;
  else if (unit == "s")
    scale = 1e9;
  else if (unit == "m")
    scale = 60e9;
  else if (unit == "h")
    scale = 3600e9;
  else
    return std::nullopt;
  double value = std::strtod(std::string(number).c_str(), nullptr) * scale;
  constexpr double kMax = 100.0 * 24 * 3600e9;
  if (!(value >= 1) || value > kMax)
    return std::nullopt;
  return std::chrono::nanoseconds(int64_t(value));
}

Guest::~Guest() = default;

void Guest::startClock() {
  if (m_clock || !m_spec.timeout)
    return;
  m_clock = std::make_unique<WallClockLimit>(*m_store, *m_spec.timeout);
  for (int i = 0; i < m_clockHolds; ++i)
    m_clock->hold();
}

void Guest::holdClock() {
  if (m_clock)
    m_clock->hold();
  else
    ++m_clockHolds;
}

void Guest::releaseClock() {
  if (m_clock)
    m_clock->release();
  else if (m_clockHolds > 0)
    --m_clockHolds;
}

Result<std::unique_ptr<Guest>> loadGuest(LaunchSpec spec) {
  TRY_ASSIGN(ResourceLimits limits, limitsFor(spec));
  std::unique_ptr<Guest> guest(new Guest());
  guest->m_path = resolvePath(spec.modulePath, spec.cwd);
  TRY_ASSIGN(std::vector<uint8_t> bytes, readModuleFile(guest->m_path));

  CompileOptions options;
  options.meterFuel = spec.meterFuel || spec.fuel.has_value();
  options.countBlocks = spec.countBlocks;
  auto compiled = loadModule(bytes, options);
  if (!compiled.ok()) {
    Error e = std::move(compiled).error();
    e.message = guest->m_path + ": " + describeLoadError(e);
    return e;
  }
  guest->m_module = std::move(compiled).value();
  guest->m_name = guest->m_module->module().names.moduleName.value_or(
      fs::path(guest->m_path).stem().string());

  guest->m_store = std::make_unique<Store>(limits);
  // Every launched guest can be stopped from another thread (a debugger's
  // pause, a wall-clock limit), its start function and blocking WASI calls
  // included; dormant until asked, this costs nothing while it runs.
  guest->m_store->enableInterrupts();
  if (spec.fuel)
    guest->m_store->setFuel(*spec.fuel);
  guest->m_wasi = std::make_unique<WasiContext>(wasiConfigFor(spec));
  guest->m_spec = std::move(spec);
  return guest;
}

Result<Instance*> Guest::instantiate() {
  if (m_instance)
    return Error(ErrorCode::InvalidArgument, "the guest is already instantiated");
  Linker linker;
  TRY(m_wasi->define(*m_store, linker));
  startClock(); // The start function is guest code: the limit covers it.
  // Name the first import WASI lacks rather than a bare "unknown import".
  for (const Import& import : m_module->module().imports)
    if (!linker.resolve(import.module, import.name))
      return Error(ErrorCode::UnknownImport, m_path + ": unresolved import '" + import.module +
                                                 "." + import.name + "'" +
                                                 unresolvedImportHint(import));
  TRY_ASSIGN(m_instance, m_store->instantiate(m_module, linker, m_name));
  return m_instance;
}

Result<uint32_t> Guest::runStart() {
  if (!m_instance)
    return Error(ErrorCode::InvalidArgument, "the guest is not instantiated");
  startClock();
  return m_wasi->runStart(*m_store, *m_instance);
}

Result<std::unique_ptr<Guest>> launchGuest(LaunchSpec spec) {
  TRY_ASSIGN(std::unique_ptr<Guest> guest, loadGuest(std::move(spec)));
  TRY(guest->instantiate());
  return guest;
}

} // namespace wasmscope::runtime
