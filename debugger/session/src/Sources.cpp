// Source files as the front end sees them: the list of the module's files
// (DAP loadedSources) under their local paths, and the text of a file that
// is not on this machine, from the module itself when it carries it
// (DWARF 5 DW_LNCT_LLVM_source, written by clang's -gembed-source); and
// disassembly, whose instructions name their sources the same way.
#include "SessionImpl.h"
#include "wasmscope/session/Disassembly.h"

#include <filesystem>

namespace wasmscope::debugger {

namespace fs = std::filesystem;

int64_t Session::Impl::sourceReferenceOf(FileIndex file) const {
  if (!symbols || file == kNoFile || !symbols->embeddedSource(file))
    return 0;
  auto it = fileOnDisk.find(file);
  if (it == fileOnDisk.end()) {
    std::error_code ec;
    bool exists = fs::is_regular_file(fs::path(sourcePaths->localPath(file)), ec);
    it = fileOnDisk.emplace(file, exists).first;
  }
  return it->second ? 0 : int64_t(file) + 1;
}

std::vector<SourceInfo> Session::sources() const {
  std::lock_guard lock(m_impl->mutex);
  std::vector<SourceInfo> out;
  if (!m_impl->symbols)
    return out;
  for (FileIndex i = 0; i < m_impl->symbols->files().size(); ++i) {
    std::string path = m_impl->sourcePaths->localPath(i);
    out.push_back({path, fs::path(path).filename().string(), m_impl->sourceReferenceOf(i)});
  }
  return out;
}

Result<std::string> Session::sourceText(int64_t sourceReference, std::string_view path) const {
  std::lock_guard lock(m_impl->mutex);
  const ModuleSymbols* symbols = m_impl->symbols.get();
  if (!symbols)
    return Error(ErrorCode::InvalidArgument, "no program is launched");
  std::optional<FileIndex> file;
  if (sourceReference > 0) {
    if (uint64_t(sourceReference) > symbols->files().size())
      return Error(ErrorCode::InvalidArgument,
                   "unknown source reference " + std::to_string(sourceReference));
    file = FileIndex(sourceReference - 1);
  } else {
    file = m_impl->sourcePaths->find(path);
    if (!file)
      return Error(ErrorCode::InvalidArgument,
                   "'" + std::string(path) + "' is not a source file of this module");
  }
  if (const std::string* text = symbols->embeddedSource(*file))
    return *text;
  return Error(ErrorCode::InvalidArgument,
               "the module does not carry the source of " + m_impl->sourcePaths->localPath(*file) +
                   ", and it is not on this machine: build with -gdwarf-5 -gembed-source to "
                   "embed sources, or map the build path to a local one (sourceMap)");
}

Result<std::vector<DisassembledInstruction>>
Session::disassemble(uint64_t address, int64_t instructionOffset, uint32_t count) const {
  std::lock_guard lock(m_impl->mutex);
  if (!m_impl->compiled)
    return Error(ErrorCode::InvalidArgument, "no program is launched");
  if (address > UINT32_MAX)
    return Error(ErrorCode::InvalidArgument,
                 "address " + std::to_string(address) + " is beyond any wasm code offset");
  auto out = disassembleAround(m_impl->compiled->module(), m_impl->symbols.get(), uint32_t(address),
                               instructionOffset, count);
  for (auto& instruction : out)
    if (instruction.file != kNoFile) {
      instruction.sourcePath = m_impl->sourcePaths->localPath(instruction.file);
      instruction.sourceReference = m_impl->sourceReferenceOf(instruction.file);
    }
  return out;
}

} // namespace wasmscope::debugger
