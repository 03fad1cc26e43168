// Decoding of element segments, the data count, function bodies and data
// segments (spec 5.5.12 to 5.5.16). Function bodies are only located here:
// their locals are read and their instructions left for the compiler.
#include "DecoderSections.h"

namespace wasmscope::runtime::decoder {

namespace {

/// The bit meanings of an element segment's flags (spec 5.5.12).
constexpr uint32_t kElemPassiveOrDeclarative = 1; ///< Else active.
constexpr uint32_t kElemExplicitTableOrDeclarative = 2;
constexpr uint32_t kElemExpressions = 4; ///< Items are expressions, not indices.

Result<ElemSegment> readElemSegment(BinaryReader& r) {
  ElemSegment seg;
  seg.byteOffset = uint32_t(r.pos());
  TRY_ASSIGN(uint32_t flags, r.u32());
  if (flags > 7)
    return Error(ErrorCode::MalformedSegmentKind, "malformed elements segment kind",
                 seg.byteOffset);
  if (flags & kElemPassiveOrDeclarative) {
    seg.mode =
        (flags & kElemExplicitTableOrDeclarative) ? SegmentMode::Declarative : SegmentMode::Passive;
  } else {
    seg.mode = SegmentMode::Active;
    if (flags & kElemExplicitTableOrDeclarative) {
      TRY_ASSIGN(seg.table, r.u32());
    }
    TRY_ASSIGN(seg.offset, readConstExpr(r));
  }

  // Forms 0 and 4 imply funcref; the others name an element kind (index
  // forms, where only 0x00 = funcref exists) or a reference type.
  if (flags & 3) {
    if (flags & kElemExpressions) {
      TRY_ASSIGN(seg.elemType, readRefType(r));
    } else {
      size_t kindPos = r.pos();
      TRY_ASSIGN(uint8_t kind, r.u8());
      if (kind != 0x00)
        return Error(ErrorCode::MalformedElementKind, {}, kindPos);
      seg.elemType = ValType::FuncRef;
    }
  }

  TRY_ASSIGN(uint32_t count, r.length());
  reserveFor(seg.items, count, r);
  for (uint32_t i = 0; i < count; ++i) {
    if (flags & kElemExpressions) {
      TRY_ASSIGN(ConstExpr item, readConstExpr(r));
      seg.items.push_back(item);
    } else {
      ConstExpr item;
      item.offset = uint32_t(r.pos());
      item.kind = ConstExpr::Kind::RefFunc;
      TRY_ASSIGN(uint32_t func, r.u32());
      item.bits = func;
      seg.items.push_back(item);
    }
  }
  return seg;
}

Result<DataSegment> readDataSegment(BinaryReader& r) {
  DataSegment seg;
  seg.byteOffset = uint32_t(r.pos());
  TRY_ASSIGN(uint32_t flags, r.u32());
  switch (flags) {
  case 0:
    seg.mode = SegmentMode::Active;
    break;
  case 1:
    seg.mode = SegmentMode::Passive;
    break;
  case 2: {
    seg.mode = SegmentMode::Active;
    TRY_ASSIGN(seg.memory, r.u32());
    break;
  }
  default:
    return Error(ErrorCode::MalformedSegmentKind, "malformed data segment kind", seg.byteOffset);
  }
  if (seg.mode == SegmentMode::Active) {
    TRY_ASSIGN(seg.offset, readConstExpr(r));
  }
  TRY_ASSIGN(seg.bytes, r.byteVector());
  return seg;
}

/// The error for a body whose last byte is not `end`. The reference
/// interpreter reads on past the body's declared size looking for `end`, so
/// what the spec tests expect depends on what follows the body: the end of
/// the file, another section, or the next body.
Error missingEndError(const BinaryReader& r, size_t bodyEnd, SectionBounds section) {
  if (bodyEnd == r.end())
    return Error(ErrorCode::UnexpectedEnd, kUnexpectedEndInSection, bodyEnd);
  if (bodyEnd == section.end)
    return Error(ErrorCode::SectionSizeMismatch, {}, section.begin);
  return Error(ErrorCode::EndOpcodeExpected, {}, bodyEnd);
}

Result<Code> readCode(BinaryReader& r, SectionBounds section) {
  Code code;
  code.whole.begin = uint32_t(r.pos());
  TRY_ASSIGN(uint32_t size, r.length());
  size_t bodyStart = r.pos();
  if (size > r.remaining())
    return r.endError();
  size_t bodyEnd = bodyStart + size;

  // Spec 5.5.13: the local declarations, whose counts must sum below 2^32.
  size_t localsPos = r.pos();
  TRY_ASSIGN(uint32_t groups, r.length());
  reserveFor(code.locals, groups, r);
  for (uint32_t i = 0; i < groups; ++i) {
    LocalDecl decl;
    TRY_ASSIGN(decl.count, r.u32());
    TRY_ASSIGN(decl.type, readValType(r));
    code.totalLocals += decl.count;
    code.locals.push_back(decl);
  }
  if (code.totalLocals > UINT32_MAX)
    return Error(ErrorCode::TooManyLocals, {}, localsPos);
  if (r.pos() > bodyEnd)
    return Error(ErrorCode::SectionSizeMismatch, {}, bodyStart);

  code.body = {uint32_t(r.pos()), uint32_t(bodyEnd)};
  code.whole.end = uint32_t(bodyEnd);
  // The body's final `end` must be its last byte. Whether it is the `end`
  // that closes the function is for the compiler, which decodes the body.
  if (code.body.size() == 0 || r.data()[bodyEnd - 1] != 0x0b)
    return missingEndError(r, bodyEnd, section);
  r.seek(bodyEnd);
  return code;
}

} // namespace

// Spec 5.5.12.
Result<void> readElemSection(BinaryReader& r, Module& m) {
  TRY_ASSIGN(uint32_t count, r.length());
  reserveFor(m.elems, count, r);
  for (uint32_t i = 0; i < count; ++i) {
    TRY_ASSIGN(ElemSegment seg, readElemSegment(r));
    m.elems.push_back(std::move(seg));
  }
  return success();
}

// Spec 5.5.15.
Result<void> readDataCountSection(BinaryReader& r, Module& m) {
  TRY_ASSIGN(uint32_t count, r.u32());
  m.dataCount = count;
  return success();
}

// Spec 5.5.13.
Result<void> readCodeSection(BinaryReader& r, Module& m, SectionBounds section) {
  TRY_ASSIGN(uint32_t count, r.length());
  reserveFor(m.codes, count, r);
  for (uint32_t i = 0; i < count; ++i) {
    TRY_ASSIGN(Code code, readCode(r, section));
    m.codes.push_back(std::move(code));
  }
  return success();
}

// Spec 5.5.14.
Result<void> readDataSection(BinaryReader& r, Module& m) {
  TRY_ASSIGN(uint32_t count, r.length());
  reserveFor(m.datas, count, r);
  for (uint32_t i = 0; i < count; ++i) {
    TRY_ASSIGN(DataSegment seg, readDataSegment(r));
    m.datas.push_back(seg);
  }
  return success();
}

} // namespace wasmscope::runtime::decoder
