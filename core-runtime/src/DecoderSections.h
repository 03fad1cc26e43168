// The decoder's parts, shared between the files that decode each family of
// sections (spec 5.5). Section readers follow the reference interpreter: they
// read from the module's bytes bounded by the end of the file, and the caller
// then checks that the section's declared size was met exactly ("section size
// mismatch"). That keeps every error the spec tests expect, including those
// where a short section runs into the next one.
#pragma once

#include "BinaryReader.h"

#include "wasmscope/runtime/Module.h"
#include "wasmscope/runtime/Result.h"

#include <algorithm>
#include <vector>

namespace wasmscope::runtime::decoder {

/// Where the section being decoded ends, for checks that depend on it.
struct SectionBounds {
  size_t begin = 0; ///< Of the contents.
  size_t end = 0;
};

/// Reserves room for `count` items, but never more than the bytes left could
/// hold, so a lying count cannot make us allocate.
template <typename T> void reserveFor(std::vector<T>& v, uint32_t count, const BinaryReader& r) {
  v.reserve(std::min<size_t>(count, r.remaining()));
}

// Types and constant expressions (DecoderTypes.cpp).
Result<ValType> readValType(BinaryReader& r);
Result<ValType> readRefType(BinaryReader& r);
Result<Limits> readLimits(BinaryReader& r);
/// A constant expression up to and including its `end` (spec 5.4.9). Only
/// the instructions that may be constant are recorded; any other gives
/// "constant expression required", and an empty or multi-instruction
/// sequence gives "type mismatch", both spec validation errors found here
/// because ConstExpr holds a single instruction.
Result<ConstExpr> readConstExpr(BinaryReader& r);

// Sections before the code (DecoderTypes.cpp).
Result<void> readTypeSection(BinaryReader& r, Module& m);
Result<void> readImportSection(BinaryReader& r, Module& m);
Result<void> readFunctionSection(BinaryReader& r, Module& m);
Result<void> readTableSection(BinaryReader& r, Module& m);
Result<void> readMemorySection(BinaryReader& r, Module& m);
Result<void> readGlobalSection(BinaryReader& r, Module& m);
Result<void> readExportSection(BinaryReader& r, Module& m);
Result<void> readStartSection(BinaryReader& r, Module& m);

// Segments and code (DecoderSegments.cpp).
Result<void> readElemSection(BinaryReader& r, Module& m);
Result<void> readDataCountSection(BinaryReader& r, Module& m);
Result<void> readCodeSection(BinaryReader& r, Module& m, SectionBounds section);
Result<void> readDataSection(BinaryReader& r, Module& m);

/// Parses the "name" custom section's contents into `names` (spec 7.4.2).
/// A malformed name section is not an error of the module: it leaves
/// `names` empty and returns false.
bool readNameSection(std::span<const uint8_t> bytes, ByteRange contents, NameSection& names);

} // namespace wasmscope::runtime::decoder
