// C++ name demangling through the C++ runtime's Itanium demangler.
#include "wasmscope/symbols/Symbols.h"

#include <cxxabi.h>

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
  return result;
}

} // namespace wasmscope::debugger
