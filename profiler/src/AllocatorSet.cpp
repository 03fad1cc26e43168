// Which functions of a module are allocators: the C names, every operator
// new and delete libc++ emits (mangled, as in DWARF, and demangled, as
// wasm-ld writes the name section), Rust's allocator shims, and what the
// user names with --allocator. A name counts only when the function's type
// fits the role, so an unrelated `free` of another signature is left alone.
#include "HeapCollector.h"

#include "wasmscope/symbols/Symbols.h"

#include <map>

namespace wasmscope::profiler {

using namespace wasmscope::runtime;

const char *allocFunctionName(AllocFunction function) {
  switch (function) {
  case AllocFunction::Malloc: return "malloc";
  case AllocFunction::Calloc: return "calloc";
  case AllocFunction::Realloc: return "realloc";
  case AllocFunction::Free: return "free";
  case AllocFunction::AlignedAlloc: return "aligned_alloc";
  case AllocFunction::Memalign: return "memalign";
  case AllocFunction::PosixMemalign: return "posix_memalign";
  case AllocFunction::New: return "operator new";
  case AllocFunction::NewArray: return "operator new[]";
  case AllocFunction::Delete: return "operator delete";
  case AllocFunction::DeleteArray: return "operator delete[]";
  case AllocFunction::RustAlloc: return "__rust_alloc";
  case AllocFunction::RustAllocZeroed: return "__rust_alloc_zeroed";
  case AllocFunction::RustRealloc: return "__rust_realloc";
  case AllocFunction::RustDealloc: return "__rust_dealloc";
  }
  return "?";
}

Result<AllocatorName> parseAllocatorName(std::string_view text) {
  size_t eq = text.find('=');
  if (eq == std::string_view::npos || eq == 0 || eq + 1 == text.size())
    return Error(ErrorCode::InvalidArgument,
                 "expected NAME=malloc|calloc|realloc|free, got '" + std::string(text) + "'");
  std::string_view role = text.substr(eq + 1);
  AllocatorName out;
  out.name = std::string(text.substr(0, eq));
  if (role == "malloc")
    out.role = AllocFunction::Malloc;
  else if (role == "calloc")
    out.role = AllocFunction::Calloc;
  else if (role == "realloc")
    out.role = AllocFunction::Realloc;
  else if (role == "free")
    out.role = AllocFunction::Free;
  else
    return Error(ErrorCode::InvalidArgument, "allocator role must be malloc, calloc, realloc or "
                                             "free, got '" +
                                                 std::string(role) + "'");
  return out;
}

std::optional<uint32_t> parseLeakResolution(std::string_view text) {
  if (text == "low")
    return 2;
  if (text == "med")
    return 4;
  if (text == "high" || text == "all")
    return 0;
  if (text.empty() || text.size() > 6 || text.find_first_not_of("0123456789") != std::string_view::npos)
    return std::nullopt;
  return uint32_t(std::stoul(std::string(text)));
}

namespace {

/// The standard names, mangled where C++ (size_t is `unsigned long` on
/// wasm32, `m`; `j` covers targets where it is `unsigned int`).
std::vector<std::pair<std::string, AllocFunction>> standardNames() {
  std::vector<std::pair<std::string, AllocFunction>> names = {
      {"malloc", AllocFunction::Malloc},
      {"calloc", AllocFunction::Calloc},
      {"realloc", AllocFunction::Realloc},
      {"free", AllocFunction::Free},
      {"aligned_alloc", AllocFunction::AlignedAlloc},
      {"memalign", AllocFunction::Memalign},
      {"posix_memalign", AllocFunction::PosixMemalign},
      {"__rust_alloc", AllocFunction::RustAlloc},
      {"__rust_alloc_zeroed", AllocFunction::RustAllocZeroed},
      {"__rust_realloc", AllocFunction::RustRealloc},
      {"__rust_dealloc", AllocFunction::RustDealloc},
  };
  for (const char *size : {"m", "j"}) {
    std::string s = size;
    for (const auto &[op, newRole, deleteRole] :
         {std::tuple{"w", AllocFunction::New, AllocFunction::Delete},
          std::tuple{"a", AllocFunction::NewArray, AllocFunction::DeleteArray}}) {
      std::string n = std::string("_Zn") + op + s;
      names.emplace_back(n, newRole);
      names.emplace_back(n + "RKSt9nothrow_t", newRole);
      names.emplace_back(n + "St11align_val_t", newRole);
      names.emplace_back(n + "St11align_val_tRKSt9nothrow_t", newRole);
      std::string d = std::string("_Zd") + (std::string(op) == "w" ? "l" : "a") + "Pv";
      names.emplace_back(d, deleteRole);
      names.emplace_back(d + s, deleteRole);
      names.emplace_back(d + "RKSt9nothrow_t", deleteRole);
      names.emplace_back(d + "St11align_val_t", deleteRole);
      names.emplace_back(d + s + "St11align_val_t", deleteRole);
      names.emplace_back(d + "St11align_val_tRKSt9nothrow_t", deleteRole);
    }
  }
  return names;
}

/// Parameters and results the role needs: (count of i32 params at least,
/// returns an i32).
bool typeFits(const FuncType &type, AllocFunction role) {
  auto i32Params = [&](size_t n) {
    if (type.params.size() < n)
      return false;
    for (size_t i = 0; i < n; ++i)
      if (type.params[i] != ValType::I32)
        return false;
    return true;
  };
  bool returnsPointer = type.results.size() == 1 && type.results[0] == ValType::I32;
  switch (role) {
  case AllocFunction::Malloc:
  case AllocFunction::New:
  case AllocFunction::NewArray:
    return i32Params(1) && returnsPointer;
  case AllocFunction::Calloc:
  case AllocFunction::Realloc:
  case AllocFunction::AlignedAlloc:
  case AllocFunction::Memalign:
  case AllocFunction::RustAlloc:
  case AllocFunction::RustAllocZeroed:
    return i32Params(2) && returnsPointer;
  case AllocFunction::PosixMemalign:
    return i32Params(3) && returnsPointer;
  case AllocFunction::RustRealloc:
    return i32Params(4) && returnsPointer;
  case AllocFunction::Free:
  case AllocFunction::Delete:
  case AllocFunction::DeleteArray:
    return i32Params(1);
  case AllocFunction::RustDealloc:
    return i32Params(3);
  }
  return false;
}

} // namespace

std::vector<InterceptedFunction> findAllocators(const Module &module,
                                                const std::vector<AllocatorName> &extra,
                                                std::vector<std::string> &notFound) {
  // Every spelling a function may have: the name section's (demangled by
  // wasm-ld, or not), its demangling, and DWARF's names when the name
  // section is missing.
  std::multimap<std::string, FuncIndex> byName;
  auto addName = [&](const std::string &name, FuncIndex f) {
    byName.emplace(name, f);
    std::string demangled = debugger::demangle(name);
    if (demangled != name)
      byName.emplace(demangled, f);
  };
  for (const auto &[f, name] : module.names.functionNames)
    if (f >= module.numImportedFuncs)
      addName(name, f);
  std::unique_ptr<debugger::ModuleSymbols> symbols;
  if (module.names.functionNames.empty()) {
    auto loaded = debugger::ModuleSymbols::load(module, nullptr);
    if (loaded.ok()) {
      symbols = std::move(loaded).value();
      for (const auto &fn : symbols->functions())
        if (fn->funcIndex != kNoIndex) {
          addName(fn->name, fn->funcIndex);
          if (!fn->linkageName.empty())
            addName(fn->linkageName, fn->funcIndex);
        }
    }
  }

  std::vector<InterceptedFunction> out;
  std::map<FuncIndex, size_t> seen;
  auto take = [&](const std::string &name, AllocFunction role, bool user) {
    bool found = false;
    std::string wanted = debugger::demangle(name);
    for (const std::string &key : {name, wanted}) {
      auto [lo, hi] = byName.equal_range(key);
      for (auto it = lo; it != hi; ++it) {
        FuncIndex f = it->second;
        if (!typeFits(module.funcType(f), role))
          continue;
        found = true;
        if (seen.count(f))
          continue;
        seen[f] = out.size();
        std::string shown = module.names.functionNames.count(f)
                                ? debugger::demangle(module.names.functionNames.at(f))
                                : wanted;
        out.push_back({shown, f, role, user});
      }
    }
    return found;
  };
  for (const AllocatorName &a : extra)
    if (!take(a.name, a.role, true))
      notFound.push_back(a.name);
  for (const auto &[name, role] : standardNames())
    take(name, role, false);
  std::sort(out.begin(), out.end(),
            [](const InterceptedFunction &a, const InterceptedFunction &b) {
              return a.funcIndex < b.funcIndex;
            });
  return out;
}

} // namespace wasmscope::profiler
