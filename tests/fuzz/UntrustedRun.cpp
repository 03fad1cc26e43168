// See UntrustedRun.h.
#include "UntrustedRun.h"

#include "wasmscope/runtime/Compiler.h"
#include "wasmscope/runtime/Decoder.h"
#include "wasmscope/runtime/Store.h"
#include "wasmscope/runtime/WasmText.h"

namespace wasmscope::runtime::fuzz {

UntrustedRunSummary runUntrustedModule(std::span<const uint8_t> bytes) {
  UntrustedRunSummary summary;
  // The debugger disassembles bodies that need not validate: any decoded
  // body must give text or an error, never a read past it.
  if (auto decoded = decodeModule(bytes); decoded.ok())
    for (uint32_t f = 0; f < decoded->codes.size() && f < 64; ++f)
      (void)disassembleBody(*decoded, f);
  CompileOptions options;
  options.meterFuel = true;
  auto module = loadModule(bytes, options);
  if (!module.ok())
    return summary;
  summary.decoded = true;

  ResourceLimits limits;
  limits.maxMemoryPages = 64;
  limits.maxCallDepth = 2000;
  limits.valueStackSlots = 1u << 16;
  Store store(limits);
  store.setFuel(200'000);

  // Every import gets a stub of its declared type (functions return zeros),
  // so that modules with imports still run.
  Linker linker;
  const Module& m = (*module)->module();
  for (const Import& imp : m.imports) {
    Extern stub;
    switch (imp.kind) {
    case ExternKind::Func: {
      size_t results = m.types[imp.funcType].results.size();
      stub = Extern::func(store.createHostFunction(
          imp.name, m.types[imp.funcType], [results](HostCall&, const uint64_t*, uint64_t* out) {
            for (size_t i = 0; i < results; ++i)
              out[i] = 0;
            return success();
          }));
      break;
    }
    case ExternKind::Global:
      stub = Extern::global(store.createGlobal(imp.global, 0));
      break;
    case ExternKind::Table: {
      if (imp.table.limits.min > 100'000)
        return summary;
      auto table = store.createTable(imp.table);
      if (!table.ok())
        return summary;
      stub = Extern::table(*table);
      break;
    }
    case ExternKind::Memory: {
      auto mem = store.createMemory(imp.memory);
      if (!mem.ok())
        return summary;
      stub = Extern::memory(*mem);
      break;
    }
    }
    linker.define(imp.module, imp.name, stub);
  }
  auto instance = store.instantiate(*module, linker);
  if (!instance.ok())
    return summary;
  summary.instantiated = true;
  for (const auto& [name, ext] : (*instance)->exports()) {
    if (ext.kind != ExternKind::Func)
      continue;
    std::vector<Value> args;
    for (ValType t : ext.asFunc()->type.params)
      args.push_back(Value{t, 0});
    (void)store.invoke(*ext.asFunc(), args);
    ++summary.exportsCalled;
    if (store.fuel() == 0)
      break;
  }
  return summary;
}

} // namespace wasmscope::runtime::fuzz
