// The spectest host module. Values and types follow the reference
// interpreter: globals hold 666 (666.6 for floats), the table is funcref
// 10..20 and the memory 1..2 pages.
#include "SpectestModule.h"

#include "wasmscope/runtime/Store.h"

namespace wasmscope::spec {

using namespace wasmscope::runtime;

namespace {

Result<void> printNothing(HostCall&, const uint64_t*, uint64_t*) { return success(); }

FuncType params(std::vector<ValType> types) { return FuncType{std::move(types), {}}; }

} // namespace

Result<Instance*> buildSpectestModule(Store& store) {
  TableType table;
  table.elemType = ValType::FuncRef;
  table.limits.min = 10;
  table.limits.max = 20;
  MemoryType memory;
  memory.limits.min = 1;
  memory.limits.max = 2;

  HostModuleBuilder builder(store, "spectest");
  builder.function("print", params({}), printNothing)
      .function("print_i32", params({ValType::I32}), printNothing)
      .function("print_i64", params({ValType::I64}), printNothing)
      .function("print_f32", params({ValType::F32}), printNothing)
      .function("print_f64", params({ValType::F64}), printNothing)
      .function("print_i32_f32", params({ValType::I32, ValType::F32}), printNothing)
      .function("print_f64_f64", params({ValType::F64, ValType::F64}), printNothing)
      .global("global_i32", GlobalType{ValType::I32, false}, Value::i32(666))
      .global("global_i64", GlobalType{ValType::I64, false}, Value::i64(666))
      .global("global_f32", GlobalType{ValType::F32, false}, Value::f32(666.6f))
      .global("global_f64", GlobalType{ValType::F64, false}, Value::f64(666.6))
      .table("table", table)
      .memory("memory", memory);
  return builder.build();
}

} // namespace wasmscope::spec
