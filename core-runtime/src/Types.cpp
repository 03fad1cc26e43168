// Text forms of WebAssembly types (spec 6.4, the text format's keywords),
// used in error messages, the disassembler and the command-line tool.
#include "wasmscope/runtime/Types.h"

namespace wasmscope::runtime {

const char* valTypeName(ValType t) {
  switch (t) {
  case ValType::I32:
    return "i32";
  case ValType::I64:
    return "i64";
  case ValType::F32:
    return "f32";
  case ValType::F64:
    return "f64";
  case ValType::V128:
    return "v128";
  case ValType::FuncRef:
    return "funcref";
  case ValType::ExternRef:
    return "externref";
  }
  return "<invalid type>";
}

static void appendTypes(std::string& out, const std::vector<ValType>& types) {
  out += '[';
  for (size_t i = 0; i < types.size(); ++i) {
    if (i != 0)
      out += ' ';
    out += valTypeName(types[i]);
  }
  out += ']';
}

std::string FuncType::toString() const {
  std::string out;
  appendTypes(out, params);
  out += " -> ";
  appendTypes(out, results);
  return out;
}

const char* externKindName(ExternKind k) {
  switch (k) {
  case ExternKind::Func:
    return "func";
  case ExternKind::Table:
    return "table";
  case ExternKind::Memory:
    return "memory";
  case ExternKind::Global:
    return "global";
  }
  return "<invalid kind>";
}

} // namespace wasmscope::runtime
