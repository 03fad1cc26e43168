// The inspector's data model (see InspectorModel.h).
#include "InspectorModel.h"

#include "LiveRun.h"

#include "wasmscope/profiler/Formats.h"
#include "wasmscope/profiler/Profiler.h"
#include "wasmscope/runtime/Decoder.h"
#include "wasmscope/runtime/Launch.h"
#include "wasmscope/session/Session.h"
#include "wasmscope/symbols/Symbols.h"

#include <algorithm>
#include <filesystem>
#include <set>

namespace wasmscope::gui {

using namespace wasmscope::debugger;

namespace {

constexpr const char* kViewNames[kViewCount] = {"memory",  "allocations", "timeline", "calltrace",
                                                "profile", "source",      "debug",    "module"};

} // namespace

const char* viewName(ViewId view) {
  return kViewNames[int(view)];
}

std::optional<ViewId> parseViewName(std::string_view name) {
  for (int i = 0; i < kViewCount; ++i)
    if (name == kViewNames[i])
      return ViewId(i);
  return std::nullopt;
}

InspectorModel::InspectorModel() = default;
InspectorModel::~InspectorModel() = default;

void InspectorModel::attachLive(LiveRun& run) {
  m_live = &run;
  m_liveVersion = 0;
}

runtime::Result<void> InspectorModel::openProfile(const std::string& path) {
  TRY_ASSIGN(profiler::Profile profile, profiler::readProfileFile(path));
  m_profilePath = path;
  // The module first: its layout places data and the stack in the memory
  // map, built once by setProfile (a million blocks take a second).
  auto shared = std::make_shared<const profiler::Profile>(std::move(profile));
  m_profile = shared;
  loadModuleForProfile();
  setProfile(std::move(shared));
  return {};
}

void InspectorModel::setProfile(std::shared_ptr<const profiler::Profile> profile) {
  m_profile = std::move(profile);
  m_profileFinal = true;
  m_profileError.clear();
  rebuildFromProfile();
}

void InspectorModel::loadModuleForProfile() {
  m_savedSymbols.reset();
  m_savedModule.reset();
  m_module.reset();
  m_layout.reset();
  m_initialPages = 0;
  if (!m_profile || m_profile->run.modulePath.empty())
    return;
  auto bytes = runtime::readModuleFile(m_profile->run.modulePath);
  if (!bytes.ok())
    return;
  // Only the module that was profiled: line numbers of another build lie.
  if (!m_profile->run.moduleSha256.empty() &&
      profiler::sha256Hex(*bytes) != m_profile->run.moduleSha256)
    return;
  auto decoded = runtime::decodeModule(*bytes);
  if (!decoded.ok())
    return;
  m_savedModule = std::make_unique<runtime::Module>(std::move(*decoded));
  auto symbols = ModuleSymbols::load(*m_savedModule, nullptr);
  if (symbols.ok())
    m_savedSymbols = std::move(*symbols);
  m_module = ModuleSummary::build(*m_savedModule, m_savedSymbols.get(), m_profile->run.module);
  m_source.setSymbols(m_savedSymbols.get());
  m_layout = profiler::memoryLayout(*m_savedModule);
  m_initialPages = m_savedModule->memories.empty() ? 0 : m_savedModule->memories[0].limits.min;
}

void InspectorModel::rebuildMemory() {
  m_timeline = {};
  m_allocations = {};
  m_memoryMap = {};
  m_selection.allocationRow.reset();
  m_selection.allocationBlock.reset();
  if (!m_profile || !m_profile->memory)
    return;
  m_timeline.build(*m_profile);
  m_memoryMap.build(*m_profile, m_layout, std::nullopt, 0, m_initialPages);
  m_allocations.build(*m_profile);
  if (m_selection.address)
    selectAddress(*m_selection.address);
}

void InspectorModel::scrubTo(uint64_t time) {
  if (!m_profile || !m_profile->memory)
    return;
  m_timeline.scrub(time);
  uint64_t at = *m_timeline.scrubbed();
  m_memoryMap.build(*m_profile, m_layout, at, 0, m_initialPages);
  m_allocations.build(*m_profile, at);
  m_selection.allocationRow.reset();
  m_selection.allocationBlock.reset();
  if (m_selection.address)
    selectAddress(*m_selection.address);
}

void InspectorModel::clearScrub() {
  if (!m_timeline.scrubbed())
    return;
  m_timeline.clearScrub();
  rebuildMemory();
}

void InspectorModel::selectAddress(uint64_t address) {
  m_selection.address = address;
  m_selection.allocationRow.reset();
  m_selection.allocationBlock.reset();
  if (auto found = m_allocations.find(address)) {
    m_selection.allocationRow = found->first;
    m_selection.allocationBlock = found->second;
  }
}

void InspectorModel::selectAllocation(size_t row, std::optional<size_t> block) {
  if (row >= m_allocations.rows().size())
    return;
  const AllocationRow& r = m_allocations.rows()[row];
  m_selection.allocationRow = row;
  m_selection.allocationBlock = block && *block < r.members.size() ? block : std::nullopt;
  if (!r.members.empty())
    m_selection.address = r.members[m_selection.allocationBlock.value_or(0)].block.address;
  std::vector<AllocFrame> frames = m_allocations.stack(row);
  // The caller of the allocator: where the program asked.
  for (size_t i = 1; i < frames.size(); ++i)
    if (!frames[i].file.empty() && frames[i].line) {
      showSource(frames[i].file, frames[i].line);
      break;
    }
}

const std::optional<TypedValue>& InspectorModel::selectedTypedValue() {
  uint64_t version = m_debug.version();
  if (m_typedAddress == m_selection.address && m_typedVersion == version)
    return m_typed;
  m_typedAddress = m_selection.address;
  m_typedVersion = version;
  m_typed.reset();
  if (!m_live || !m_selection.address || m_debug.state() != SessionState::Stopped)
    return m_typed;
  std::optional<uint64_t> blockStart;
  if (auto block = m_memoryMap.blockAt(*m_selection.address))
    blockStart = m_memoryMap.blocks()[*block].block.address;
  m_typed = typedValueAt(m_live->session(), m_debug.frames(), *m_selection.address, blockStart);
  return m_typed;
}

MemoryBytes InspectorModel::readMemory(uint64_t address, uint64_t count) const {
  MemoryBytes out;
  out.address = address;
  if (m_live && m_debug.state() == SessionState::Stopped) {
    auto read = m_live->session().readMemory(address, count);
    if (read.ok()) {
      out.data = std::move(read->data);
      out.source = "stopped guest";
      return out;
    }
  }
  if (m_memoryImage) {
    out.source = "memory at exit";
    if (address < m_memoryImage->size()) {
      uint64_t n = std::min<uint64_t>(count, m_memoryImage->size() - address);
      out.data.assign(m_memoryImage->begin() + long(address),
                      m_memoryImage->begin() + long(address + n));
    }
  }
  return out;
}

Session* InspectorModel::session() {
  return m_live ? &m_live->session() : nullptr;
}

const ModuleSymbols* InspectorModel::symbols() const {
  if (m_live)
    return m_live->session().symbols();
  return m_savedSymbols.get();
}

std::string InspectorModel::title() const {
  if (m_live) {
    std::string path = m_live->session().modulePath();
    return std::string(fileName(path)) + " - live";
  }
  if (!m_profilePath.empty())
    return std::string(fileName(m_profilePath)) + " - saved profile";
  return "no data";
}

void InspectorModel::rebuildFromProfile() {
  ++m_profileVersion;
  if (!m_profile) {
    m_functions = {};
    m_flame = {};
    m_trace = {};
    m_source.setHeat(nullptr);
    rebuildMemory();
    return;
  }
  m_functions.build(*m_profile);
  m_flame.build(*m_profile);
  m_trace.build(*m_profile);
  rebuildMemory();
  if (m_selection.function != profiler::kNone &&
      m_selection.function >= m_profile->frames.size())
    m_selection.function = profiler::kNone;
  if (m_selection.flameNode >= m_flame.nodes().size())
    m_selection.flameNode = 0;
  if (m_selection.traceSpan != UINT32_MAX && m_selection.traceSpan >= m_trace.spans().size())
    m_selection.traceSpan = UINT32_MAX;
  // Open the hottest source file when nothing is open yet: the hottest one
  // that can be read here (libc's sources, named by its debug info, are
  // usually not on this machine), else the hottest, to say it is missing.
  if (m_source.path().empty()) {
    std::optional<std::pair<std::string, uint32_t>> hottest;
    for (const auto& line : m_profile->linesByInstructions()) {
      if (line.file == profiler::kNone || !line.line)
        continue;
      std::string path = m_profile->filePath(line.file);
      if (!hottest)
        hottest.emplace(path, line.line);
      std::error_code ec;
      if (std::filesystem::is_regular_file(path, ec)) {
        hottest.emplace(path, line.line);
        break;
      }
    }
    if (hottest)
      showSource(hottest->first, hottest->second);
  }
  m_source.setHeat(m_profile.get());
}

void InspectorModel::followSession() {
  Session& session = m_live->session();
  bool stopped = false;
  for (const Event& event : m_live->takeEvents()) {
    m_debug.onEvent(event);
    if (const auto* output = event.as<OutputEvent>())
      m_console.append(output->category, output->text);
    if (event.is<StoppedEvent>())
      stopped = true;
    if (event.is<ContinuedEvent>())
      stopped = false;
    if (onEvent)
      onEvent(event);
  }
  if (stopped && m_debug.state() == SessionState::Stopped) {
    m_debug.refresh(session);
    // Show where it stopped.
    if (m_debug.selectedFrame() < m_debug.frames().size()) {
      const StackFrame& frame = m_debug.frames()[m_debug.selectedFrame()];
      if (frame.hasSource)
        showSource(frame.sourcePath, frame.line);
    }
  }
  // The module, once launched (a restart gives a new one).
  if (const runtime::Module* module = session.module(); module && module != m_liveModule) {
    m_liveModule = module;
    m_module = ModuleSummary::build(*module, session.symbols(),
                                    std::string(fileName(session.modulePath())));
    m_layout = profiler::memoryLayout(*module);
    m_initialPages = module->memories.empty() ? 0 : module->memories[0].limits.min;
    m_source.setSymbols(session.symbols());
  }
  if (uint64_t version = session.breakpointsVersion(); version != m_breakpointsVersion) {
    m_breakpointsVersion = version;
    m_source.refreshBreakpoints(session);
    if (onBreakpointsChanged)
      onBreakpointsChanged();
  }
  RunSnapshot snapshot = m_live->latest();
  if (snapshot.version != m_liveVersion) {
    m_liveVersion = snapshot.version;
    m_profile = snapshot.profile;
    m_profileFinal = snapshot.final;
    m_profileError = snapshot.error;
    m_memoryImage = snapshot.memoryImage;
    rebuildFromProfile();
  }
}

void InspectorModel::update() {
  if (m_live)
    followSession();
}

std::vector<std::string> InspectorModel::sourceFiles() const {
  std::set<std::string> files;
  if (m_profile)
    for (const std::string& file : m_profile->files)
      files.insert(file);
  if (const ModuleSymbols* s = symbols())
    for (const SourceFile& file : s->files())
      files.insert(file.path);
  return {files.begin(), files.end()};
}

void InspectorModel::showSource(const std::string& file, uint32_t line) {
  if (file.empty())
    return;
  if (file != m_source.path()) {
    m_source.open(file);
    m_source.setHeat(m_profile.get());
    m_source.setSymbols(symbols());
    if (Session* s = session())
      m_source.refreshBreakpoints(*s);
  }
  if (line)
    m_sourceScroll = line;
}

uint32_t InspectorModel::takeSourceScroll() {
  uint32_t line = m_sourceScroll;
  m_sourceScroll = 0;
  return line;
}

uint32_t InspectorModel::currentLine() const {
  if (m_debug.state() != SessionState::Stopped ||
      m_debug.selectedFrame() >= m_debug.frames().size())
    return 0;
  const StackFrame& frame = m_debug.frames()[m_debug.selectedFrame()];
  return frame.hasSource && samePath(frame.sourcePath, m_source.path()) ? frame.line : 0;
}

void InspectorModel::selectFunction(profiler::FrameId frame) {
  m_selection.function = frame;
  if (!m_profile || frame >= m_profile->frames.size())
    return;
  const profiler::Frame& f = m_profile->frames[frame];
  if (f.file != profiler::kNone)
    showSource(m_profile->filePath(f.file), f.line);
}

void InspectorModel::selectTraceSpan(uint32_t span) {
  m_selection.traceSpan = span;
  if (span < m_trace.spans().size())
    selectFunction(m_trace.spans()[span].frame);
}

void InspectorModel::selectStackFrame(size_t index) {
  Session* s = session();
  if (!s)
    return;
  m_debug.selectFrame(*s, index);
  if (index < m_debug.frames().size()) {
    const StackFrame& frame = m_debug.frames()[index];
    if (frame.hasSource)
      showSource(frame.sourcePath, frame.line);
  }
}

runtime::Result<bool> InspectorModel::toggleBreakpoint(uint32_t line) {
  Session* s = session();
  if (!s)
    return runtime::Error(runtime::ErrorCode::InvalidArgument,
                          "breakpoints need a live run: start the inspector with a module");
  if (m_source.path().empty())
    return runtime::Error(runtime::ErrorCode::InvalidArgument, "no source file is open");
  TRY_ASSIGN(bool set, gui::toggleBreakpoint(*s, m_source.path(), line));
  m_breakpointsVersion = s->breakpointsVersion();
  m_source.refreshBreakpoints(*s);
  if (onBreakpointsChanged)
    onBreakpointsChanged();
  return set;
}

std::optional<ViewId> InspectorModel::takeViewRequest() {
  auto view = m_viewRequest;
  m_viewRequest.reset();
  return view;
}

} // namespace wasmscope::gui
