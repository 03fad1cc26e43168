// C++ name demangling through the C++ runtime's Itanium demangler.
#include "wasmscope/symbols/Symbols.h"

#include <cxxabi.h>

#include <algorithm>
#include <cstdlib>

namespace wasmscope::debugger {

std::string demangle(std::string_view name) {
  if (name.size() < 3 || name.substr(0, 2) != "_Z")
    return std::string(name);
  std::string mangled(name);
  int status = 0;
  char *out = abi::__cxa_demangle(mangled.c_str(), nullptr, nullptr, &status);
  if (status != 0 || !out) {
    std::free(out);
    return mangled;
  }
  std::string result(out);
  std::free(out);
  // Rust's legacy mangling is Itanium's plus a final "h" and 16 hex digits
  // of hash ("values::main::h64bdef3f491a94a1"); like rustc's own demangler
  // and LLDB, leave the hash out.
  constexpr size_t kHashPart = 3 + 16; // "::h" + digits
  if (result.size() > kHashPart && result.compare(result.size() - kHashPart, 3, "::h") == 0 &&
      std::all_of(result.end() - 16, result.end(),
                  [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }))
    result.erase(result.size() - kHashPart);
  return result;
}

} // namespace wasmscope::debugger
