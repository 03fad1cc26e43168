// The "name" custom section (spec 7.4.2): module, function, local and (from
// the extended name section) global names for backtraces, the debugger, the
// inspector and the heap profiler. It is advisory, so a
// malformed one is dropped rather than failing the module. Unlike the
// module's own sections, every read here stays inside the custom section.
#include "DecoderSections.h"

namespace wasmscope::runtime::decoder {

namespace {

// The extended name section's global (7) and data segment (9) names are
// read too: a heap profiler finds __stack_pointer, __heap_base and
// __data_end by them, and tells .rodata from .data.
enum class NameSubsection : uint8_t {
  Module = 0,
  Function = 1,
  Local = 2,
  Global = 7,
  DataSegment = 9,
};

/// namemap ::= vec(idx name), indices strictly increasing.
Result<void> readNameMap(BinaryReader& r, std::map<uint32_t, std::string>& out) {
  TRY_ASSIGN(uint32_t count, r.length());
  for (uint32_t i = 0; i < count; ++i) {
    size_t pos = r.pos();
    TRY_ASSIGN(uint32_t index, r.u32());
    TRY_ASSIGN(std::string name, r.name());
    if (!out.empty() && index <= out.rbegin()->first)
      return Error(ErrorCode::InvalidArgument, "name map indices out of order", pos);
    out.emplace_hint(out.end(), index, std::move(name));
  }
  return success();
}

Result<void> readSubsections(BinaryReader& r, NameSection& names) {
  int lastId = -1;
  while (!r.atEnd()) {
    size_t idPos = r.pos();
    TRY_ASSIGN(uint8_t id, r.u8());
    TRY_ASSIGN(uint32_t size, r.length());
    if (size > r.remaining())
      return r.endError();
    if (int(id) <= lastId)
      return Error(ErrorCode::InvalidArgument, "name subsections out of order", idPos);
    lastId = id;
    size_t end = r.pos() + size;
    // Each subsection is read by its own reader so it cannot overrun.
    BinaryReader sub(std::span<const uint8_t>(r.data(), r.end()), r.pos(), end);
    switch (NameSubsection(id)) {
    case NameSubsection::Module: {
      TRY_ASSIGN(std::string name, sub.name());
      names.moduleName = std::move(name);
      break;
    }
    case NameSubsection::Function:
      TRY(readNameMap(sub, names.functionNames));
      break;
    case NameSubsection::Local: {
      // indirectnamemap ::= vec(idx namemap)
      TRY_ASSIGN(uint32_t count, sub.length());
      uint32_t lastFunc = 0;
      for (uint32_t i = 0; i < count; ++i) {
        size_t pos = sub.pos();
        TRY_ASSIGN(uint32_t func, sub.u32());
        if (i > 0 && func <= lastFunc)
          return Error(ErrorCode::InvalidArgument, "local name functions out of order", pos);
        lastFunc = func;
        TRY(readNameMap(sub, names.localNames[func]));
      }
      break;
    }
    case NameSubsection::Global:
      TRY(readNameMap(sub, names.globalNames));
      break;
    case NameSubsection::DataSegment:
      TRY(readNameMap(sub, names.dataSegmentNames));
      break;
    default:
      // Other extended name section subsections (labels, types, ...) are skipped.
      sub.seek(end);
      break;
    }
    if (sub.pos() != end)
      return Error(ErrorCode::SectionSizeMismatch, {}, idPos);
    r.seek(end);
  }
  return success();
}

} // namespace

bool readNameSection(std::span<const uint8_t> bytes, ByteRange contents, NameSection& names) {
  BinaryReader r(bytes, contents.begin, contents.end);
  NameSection parsed;
  if (!readSubsections(r, parsed).ok()) {
    names = NameSection();
    return false;
  }
  names = std::move(parsed);
  return true;
}

} // namespace wasmscope::runtime::decoder
