// libFuzzer target: decode, validate, compile, instantiate and run an
// untrusted module. Any crash, sanitizer report or hang is a bug; a clean
// error value is the expected outcome for most inputs. Execution is bounded
// by fuel, a small memory limit and a shallow call depth.
#include "wasmscope/runtime/Compiler.h"
#include "wasmscope/runtime/Store.h"

#include <cstddef>
#include <cstdint>

using namespace wasmscope::runtime;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  CompileOptions options;
  options.meterFuel = true;
  auto module = loadModule(std::span<const uint8_t>(data, size), options);
  if (!module.ok())
    return 0;

  ResourceLimits limits;
  limits.maxMemoryPages = 64;
  limits.maxCallDepth = 2000;
  limits.valueStackSlots = 1u << 16;
  Store store(limits);
  store.setFuel(200'000);

  // Satisfy function imports with a host function returning zeros, so that
  // modules with imports still run.
  Linker linker;
  for (const Import& imp : (*module)->module().imports) {
    if (imp.kind != ExternKind::Func)
      continue;
    const FuncType& type = (*module)->module().types[imp.funcType];
    size_t results = type.results.size();
    linker.define(imp.module, imp.name,
                  Extern::func(store.createHostFunction(
                      imp.name, type, [results](HostCall&, const uint64_t*, uint64_t* out) {
                        for (size_t i = 0; i < results; ++i)
                          out[i] = 0;
                        return success();
                      })));
  }
  auto instance = store.instantiate(*module, linker);
  if (!instance.ok())
    return 0;
  for (const auto& [name, ext] : (*instance)->exports()) {
    if (ext.kind != ExternKind::Func)
      continue;
    std::vector<Value> args;
    for (ValType t : ext.asFunc()->type.params)
      args.push_back(Value{t, 0});
    (void)store.invoke(*ext.asFunc(), args);
    if (store.fuel() == 0)
      break;
  }
  return 0;
}
