// The phase and canonical wording of every error code. The wording is the
// WebAssembly spec test suite's, so that a test can tell which error fired;
// codes the spec tests never mention get short texts in the same style.
#include "wasmscope/runtime/Result.h"

#include <cstdio>

namespace wasmscope::runtime {

ErrorPhase phaseOf(ErrorCode code) {
  switch (code) {
  case ErrorCode::UnexpectedEnd:
  case ErrorCode::MagicHeaderNotDetected:
  case ErrorCode::UnknownBinaryVersion:
  case ErrorCode::IntegerTooLarge:
  case ErrorCode::IntegerRepresentationTooLong:
  case ErrorCode::SectionSizeMismatch:
  case ErrorCode::MalformedSectionId:
  case ErrorCode::JunkAfterLastSection:
  case ErrorCode::UnexpectedContentAfterLastSection:
  case ErrorCode::FunctionAndCodeSectionInconsistent:
  case ErrorCode::DataCountAndDataSectionInconsistent:
  case ErrorCode::DataCountSectionRequired:
  case ErrorCode::MalformedUtf8:
  case ErrorCode::MalformedImportKind:
  case ErrorCode::MalformedMutability:
  case ErrorCode::MalformedReferenceType:
  case ErrorCode::MalformedValueType:
  case ErrorCode::MalformedLimits:
  case ErrorCode::MalformedElementKind:
  case ErrorCode::MalformedExportKind:
  case ErrorCode::MalformedSegmentKind:
  case ErrorCode::MalformedFunctionType:
  case ErrorCode::EndOpcodeExpected:
  case ErrorCode::IllegalOpcode:
  case ErrorCode::TooManyLocals:
  case ErrorCode::ZeroByteExpected:
  case ErrorCode::LengthOutOfBounds:
    return ErrorPhase::Decode;
  // The decoder finds a non-constant instruction in a constant expression,
  // but the spec classifies it as invalid (assert_invalid), not malformed.
  case ErrorCode::ConstantExpressionRequired:
  case ErrorCode::TypeMismatch:
  case ErrorCode::UnknownType:
  case ErrorCode::UnknownFunction:
  case ErrorCode::UnknownTable:
  case ErrorCode::UnknownMemory:
  case ErrorCode::UnknownGlobal:
  case ErrorCode::UnknownLocal:
  case ErrorCode::UnknownLabel:
  case ErrorCode::UnknownElemSegment:
  case ErrorCode::UnknownDataSegment:
  case ErrorCode::UndeclaredFunctionReference:
  case ErrorCode::GlobalIsImmutable:
  case ErrorCode::InvalidResultArity:
  case ErrorCode::DuplicateExportName:
  case ErrorCode::MultipleMemories:
  case ErrorCode::SizeMinimumGreaterThanMaximum:
  case ErrorCode::MemorySizeTooLarge:
  case ErrorCode::TableSizeTooLarge:
  case ErrorCode::AlignmentTooLarge:
  case ErrorCode::StartFunctionInvalid:
  case ErrorCode::InvalidConstantExpression:
  case ErrorCode::InvalidLaneIndex:
    return ErrorPhase::Validate;
  case ErrorCode::UnknownImport:
  case ErrorCode::IncompatibleImportType:
  case ErrorCode::TableLimitExceeded:
    return ErrorPhase::Link;
  // Out-of-bounds segment initialisation during instantiation is a trap in
  // WebAssembly 2.0, the same trap as a load or store out of bounds.
  case ErrorCode::OutOfBoundsTableAccess:
  case ErrorCode::OutOfBoundsMemoryAccess:
  case ErrorCode::Unreachable:
  case ErrorCode::IntegerDivideByZero:
  case ErrorCode::IntegerOverflow:
  case ErrorCode::InvalidConversionToInteger:
  case ErrorCode::UndefinedElement:
  case ErrorCode::UninitializedElement:
  case ErrorCode::IndirectCallTypeMismatch:
  case ErrorCode::CallStackExhausted:
  case ErrorCode::OutOfFuel:
  case ErrorCode::MemoryLimitExceeded:
  case ErrorCode::WallClockLimitExceeded:
  case ErrorCode::HostTrap:
    return ErrorPhase::Trap;
  case ErrorCode::InvalidArgument:
  case ErrorCode::IoError:
  case ErrorCode::Interrupted:
  case ErrorCode::OutOfHostMemory:
  case ErrorCode::ProcExit:
    return ErrorPhase::Embed;
  }
  return ErrorPhase::Embed;
}

const char* defaultMessage(ErrorCode code) {
  switch (code) {
  case ErrorCode::UnexpectedEnd:
    return "unexpected end";
  case ErrorCode::MagicHeaderNotDetected:
    return "magic header not detected";
  case ErrorCode::UnknownBinaryVersion:
    return "unknown binary version";
  case ErrorCode::IntegerTooLarge:
    return "integer too large";
  case ErrorCode::IntegerRepresentationTooLong:
    return "integer representation too long";
  case ErrorCode::SectionSizeMismatch:
    return "section size mismatch";
  case ErrorCode::MalformedSectionId:
    return "malformed section id";
  case ErrorCode::JunkAfterLastSection:
    return "junk after last section";
  case ErrorCode::UnexpectedContentAfterLastSection:
    return "unexpected content after last section";
  case ErrorCode::FunctionAndCodeSectionInconsistent:
    return "function and code section have inconsistent lengths";
  case ErrorCode::DataCountAndDataSectionInconsistent:
    return "data count and data section have inconsistent lengths";
  case ErrorCode::DataCountSectionRequired:
    return "data count section required";
  case ErrorCode::MalformedUtf8:
    return "malformed UTF-8 encoding";
  case ErrorCode::MalformedImportKind:
    return "malformed import kind";
  case ErrorCode::MalformedMutability:
    return "malformed mutability";
  case ErrorCode::MalformedReferenceType:
    return "malformed reference type";
  case ErrorCode::MalformedValueType:
    return "malformed value type";
  case ErrorCode::MalformedLimits:
    return "malformed limits flags";
  case ErrorCode::MalformedElementKind:
    return "malformed element kind";
  case ErrorCode::MalformedExportKind:
    return "malformed export kind";
  case ErrorCode::MalformedSegmentKind:
    return "malformed segment kind";
  case ErrorCode::MalformedFunctionType:
    return "malformed function type";
  case ErrorCode::EndOpcodeExpected:
    return "END opcode expected";
  case ErrorCode::IllegalOpcode:
    return "illegal opcode";
  case ErrorCode::TooManyLocals:
    return "too many locals";
  case ErrorCode::ZeroByteExpected:
    return "zero byte expected";
  case ErrorCode::LengthOutOfBounds:
    return "length out of bounds";
  case ErrorCode::ConstantExpressionRequired:
    return "constant expression required";
  case ErrorCode::TypeMismatch:
    return "type mismatch";
  case ErrorCode::UnknownType:
    return "unknown type";
  case ErrorCode::UnknownFunction:
    return "unknown function";
  case ErrorCode::UnknownTable:
    return "unknown table";
  case ErrorCode::UnknownMemory:
    return "unknown memory";
  case ErrorCode::UnknownGlobal:
    return "unknown global";
  case ErrorCode::UnknownLocal:
    return "unknown local";
  case ErrorCode::UnknownLabel:
    return "unknown label";
  case ErrorCode::UnknownElemSegment:
    return "unknown elem segment";
  case ErrorCode::UnknownDataSegment:
    return "unknown data segment";
  case ErrorCode::UndeclaredFunctionReference:
    return "undeclared function reference";
  case ErrorCode::GlobalIsImmutable:
    return "global is immutable";
  case ErrorCode::InvalidResultArity:
    return "invalid result arity";
  case ErrorCode::DuplicateExportName:
    return "duplicate export name";
  case ErrorCode::MultipleMemories:
    return "multiple memories";
  case ErrorCode::SizeMinimumGreaterThanMaximum:
    return "size minimum must not be greater than maximum";
  case ErrorCode::MemorySizeTooLarge:
    return "memory size must be at most 65536 pages (4GiB)";
  case ErrorCode::TableSizeTooLarge:
    return "table size must be at most 2^32-1";
  case ErrorCode::AlignmentTooLarge:
    return "alignment must not be larger than natural";
  case ErrorCode::StartFunctionInvalid:
    return "start function";
  case ErrorCode::InvalidConstantExpression:
    return "constant expression required";
  case ErrorCode::InvalidLaneIndex:
    return "invalid lane index";
  case ErrorCode::UnknownImport:
    return "unknown import";
  case ErrorCode::IncompatibleImportType:
    return "incompatible import type";
  case ErrorCode::TableLimitExceeded:
    return "table limit exceeded";
  case ErrorCode::OutOfBoundsTableAccess:
    return "out of bounds table access";
  case ErrorCode::OutOfBoundsMemoryAccess:
    return "out of bounds memory access";
  case ErrorCode::Unreachable:
    return "unreachable";
  case ErrorCode::IntegerDivideByZero:
    return "integer divide by zero";
  case ErrorCode::IntegerOverflow:
    return "integer overflow";
  case ErrorCode::InvalidConversionToInteger:
    return "invalid conversion to integer";
  case ErrorCode::UndefinedElement:
    return "undefined element";
  case ErrorCode::UninitializedElement:
    return "uninitialized element";
  case ErrorCode::IndirectCallTypeMismatch:
    return "indirect call type mismatch";
  case ErrorCode::CallStackExhausted:
    return "call stack exhausted";
  case ErrorCode::OutOfFuel:
    return "out of fuel";
  case ErrorCode::MemoryLimitExceeded:
    return "memory limit exceeded";
  case ErrorCode::WallClockLimitExceeded:
    return "wall-clock limit exceeded";
  case ErrorCode::HostTrap:
    return "host trap";
  case ErrorCode::InvalidArgument:
    return "invalid argument";
  case ErrorCode::IoError:
    return "I/O error";
  case ErrorCode::Interrupted:
    return "interrupted";
  case ErrorCode::OutOfHostMemory:
    return "out of host memory";
  case ErrorCode::ProcExit:
    return "guest exited";
  }
  return "unknown error";
}

std::string Error::describe() const {
  std::string out = message;
  char buf[64];
  if (offset != kNoOffset) {
    std::snprintf(buf, sizeof buf, " at offset 0x%llx", static_cast<unsigned long long>(offset));
    out += buf;
  }
  if (funcIndex != kNoIndex) {
    std::snprintf(buf, sizeof buf, " (function %u)", funcIndex);
    out += buf;
  }
  return out;
}

} // namespace wasmscope::runtime
