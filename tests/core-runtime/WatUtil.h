// Test helpers: compile WebAssembly text with wabt's wat2wasm (the test
// machine's set-up installs it) and instantiate it in a store.
#pragma once

#include "wasmscope/runtime/Compiler.h"
#include "wasmscope/runtime/Store.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>
#include <unistd.h>
#include <vector>

namespace wasmscope::runtime::test {

/// Binary for `wat`, or an empty vector (and a test failure) if wat2wasm
/// rejects it.
inline std::vector<uint8_t> watToWasm(const std::string& wat) {
  char dir[] = "/tmp/wasmscope-wat-XXXXXX";
  if (!mkdtemp(dir)) {
    ADD_FAILURE() << "mkdtemp failed";
    return {};
  }
  std::string in = std::string(dir) + "/m.wat", out = std::string(dir) + "/m.wasm";
  std::ofstream(in) << wat;
  std::string cmd = "wat2wasm --debug-names " + in + " -o " + out + " 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  std::string log;
  char buf[256];
  while (p && fgets(buf, sizeof buf, p))
    log += buf;
  int status = p ? pclose(p) : -1;
  std::ifstream f(out, std::ios::binary);
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(f)), {});
  std::remove(in.c_str());
  std::remove(out.c_str());
  rmdir(dir);
  if (status != 0 || bytes.empty())
    ADD_FAILURE() << "wat2wasm failed: " << log;
  return bytes;
}

inline std::shared_ptr<const CompiledModule> compileWat(const std::string& wat,
                                                        const CompileOptions& options = {}) {
  auto m = loadModule(watToWasm(wat), options);
  if (!m.ok()) {
    ADD_FAILURE() << "compile failed: " << m.error().describe();
    return nullptr;
  }
  return *m;
}

/// A store with one instantiated module (no imports).
struct Instantiated {
  std::unique_ptr<Store> store;
  std::shared_ptr<const CompiledModule> module;
  Instance* instance = nullptr;

  Result<std::vector<Value>> call(const std::string& name, std::vector<Value> args = {}) {
    FunctionInstance* f = instance->findFunction(name);
    if (!f)
      return Error(ErrorCode::InvalidArgument, "no export " + name);
    return store->invoke(*f, args);
  }
};

inline Instantiated instantiateWat(const std::string& wat, const CompileOptions& options = {},
                                   ResourceLimits limits = {}) {
  Instantiated r;
  r.store = std::make_unique<Store>(limits);
  r.module = compileWat(wat, options);
  if (!r.module)
    return r;
  Linker linker;
  auto inst = r.store->instantiate(r.module, linker);
  if (!inst.ok())
    ADD_FAILURE() << "instantiate failed: " << inst.error().describe();
  else
    r.instance = *inst;
  return r;
}

/// Code-section-relative offsets of each instruction of defined function `f`.
inline std::vector<uint32_t> offsetsOf(const CompiledModule& m, FuncIndex f) {
  return m.function(f)->instructionOffsets();
}

} // namespace wasmscope::runtime::test
