// The module decoder's top level (spec 5.5.2, 5.5.3 and 5.5.16): the header,
// the sequence of sections with custom sections anywhere and the others in
// their required order, each section's size, and the checks that relate
// sections to each other. The sections' contents are decoded by
// DecoderTypes.cpp and DecoderSegments.cpp.
#include "wasmscope/runtime/Decoder.h"

#include "DecoderSections.h"

#include <cstring>

namespace wasmscope::runtime {

namespace {

using namespace decoder;

enum class SectionId : uint8_t {
  Custom = 0,
  Type = 1,
  Import = 2,
  Function = 3,
  Table = 4,
  Memory = 5,
  Global = 6,
  Export = 7,
  Start = 8,
  Element = 9,
  Code = 10,
  Data = 11,
  DataCount = 12,
};
constexpr uint8_t kMaxSectionId = 12;

/// Position of each non-custom section in the required order; the data
/// count section comes between the element and code sections.
constexpr int sectionRank(SectionId id) {
  switch (id) {
  case SectionId::DataCount:
    return 10;
  case SectionId::Code:
    return 11;
  case SectionId::Data:
    return 12;
  default:
    return int(id);
  }
}

constexpr uint8_t kMagic[4] = {0x00, 0x61, 0x73, 0x6d}; // "\0asm"
constexpr uint32_t kVersion = 1;
constexpr size_t kHeaderSize = 8;

Result<void> readHeader(std::span<const uint8_t> bytes) {
  // Too short to hold a field is "unexpected end" even when the bytes that
  // are there already differ, as the spec tests expect.
  if (bytes.size() < 4)
    return Error(ErrorCode::UnexpectedEnd, {}, bytes.size());
  if (std::memcmp(bytes.data(), kMagic, 4) != 0)
    return Error(ErrorCode::MagicHeaderNotDetected, {}, 0);
  if (bytes.size() < kHeaderSize)
    return Error(ErrorCode::UnexpectedEnd, {}, bytes.size());
  BinaryReader r(bytes, 4, kHeaderSize);
  TRY_ASSIGN(uint32_t version, r.fixedU32());
  if (version != kVersion)
    return Error(ErrorCode::UnknownBinaryVersion, {}, 4);
  return success();
}

class ModuleDecoder {
public:
  explicit ModuleDecoder(Module& m) : m_module(m), m_bytes(m.bytes) {}

  Result<void> run() {
    TRY(readHeader(m_bytes));
    BinaryReader r(m_bytes, kHeaderSize, m_bytes.size());
    while (!r.atEnd())
      TRY(readSection(r));
    return checkConsistency();
  }

private:
  Result<void> readSection(BinaryReader& r) {
    SectionInfo info;
    info.offset = uint32_t(r.pos());
    TRY_ASSIGN(info.id, r.u8());
    if (info.id > kMaxSectionId)
      return Error(ErrorCode::MalformedSectionId, {}, info.offset);
    if (r.atEnd())
      return Error(ErrorCode::UnexpectedEnd, {}, r.pos());
    TRY_ASSIGN(uint32_t size, r.length());
    if (size > r.remaining())
      return r.endError();
    info.contents = {uint32_t(r.pos()), uint32_t(r.pos() + size)};

    SectionId id = SectionId(info.id);
    if (id != SectionId::Custom) {
      if (sectionRank(id) <= m_lastRank)
        return Error(ErrorCode::UnexpectedContentAfterLastSection, {}, info.offset);
      m_lastRank = sectionRank(id);
    }
    m_module.sections.push_back(info);

    TRY(readContents(r, id, info));
    if (r.pos() != info.contents.end)
      return Error(ErrorCode::SectionSizeMismatch, {}, info.contents.begin);
    return success();
  }

  Result<void> readContents(BinaryReader& r, SectionId id, const SectionInfo& info) {
    switch (id) {
    case SectionId::Custom:
      return readCustomSection(r, info);
    case SectionId::Type:
      return readTypeSection(r, m_module);
    case SectionId::Import:
      return readImportSection(r, m_module);
    case SectionId::Function:
      return readFunctionSection(r, m_module);
    case SectionId::Table:
      return readTableSection(r, m_module);
    case SectionId::Memory:
      return readMemorySection(r, m_module);
    case SectionId::Global:
      return readGlobalSection(r, m_module);
    case SectionId::Export:
      return readExportSection(r, m_module);
    case SectionId::Start:
      return readStartSection(r, m_module);
    case SectionId::Element:
      return readElemSection(r, m_module);
    case SectionId::DataCount:
      return readDataCountSection(r, m_module);
    case SectionId::Code:
      m_module.codeSectionOffset = info.contents.begin;
      m_codeSection = info.offset;
      return readCodeSection(r, m_module, {info.contents.begin, info.contents.end});
    case SectionId::Data:
      m_dataSection = info.offset;
      return readDataSection(r, m_module);
    }
    return success();
  }

  // Spec 5.5.3: a name, then anything.
  Result<void> readCustomSection(BinaryReader& r, const SectionInfo& info) {
    CustomSection custom;
    TRY_ASSIGN(custom.name, r.name());
    if (r.pos() > info.contents.end)
      return Error(ErrorCode::UnexpectedEnd, kUnexpectedEndInSection, info.contents.end);
    custom.contents = {uint32_t(r.pos()), info.contents.end};
    r.seek(info.contents.end);
    if (custom.name == "name" && !m_sawNameSection) {
      m_sawNameSection = true;
      readNameSection(m_bytes, custom.contents, m_module.names);
    }
    m_module.customSections.push_back(std::move(custom));
    return success();
  }

  // Spec 5.5.16: the function and code sections, and the data count and
  // data sections, must agree. Checked after every section is read, as the
  // reference interpreter does, so a malformed later section wins.
  Result<void> checkConsistency() {
    if (m_module.functions.size() != m_module.codes.size())
      return Error(ErrorCode::FunctionAndCodeSectionInconsistent, {},
                   m_codeSection ? *m_codeSection : m_bytes.size());
    if (m_module.dataCount && *m_module.dataCount != m_module.datas.size())
      return Error(ErrorCode::DataCountAndDataSectionInconsistent, {},
                   m_dataSection ? *m_dataSection : m_bytes.size());
    return success();
  }

  Module& m_module;
  std::span<const uint8_t> m_bytes;
  int m_lastRank = 0;
  bool m_sawNameSection = false;
  std::optional<uint32_t> m_codeSection;
  std::optional<uint32_t> m_dataSection;
};

} // namespace

Result<Module> decodeModule(std::span<const uint8_t> bytes) {
  // Byte ranges are 32-bit; so are all of WebAssembly's sizes.
  if (bytes.size() > UINT32_MAX)
    return Error(ErrorCode::InvalidArgument, "module larger than 4 GiB");
  Module module;
  module.bytes.assign(bytes.begin(), bytes.end());
  TRY(ModuleDecoder(module).run());
  return module;
}

} // namespace wasmscope::runtime
