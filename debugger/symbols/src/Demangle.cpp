// C++ name demangling through the C++ runtime's Itanium demangler, and
// Rust's legacy mangling, which is Itanium's nested names with a hash and
// escapes for the characters an Itanium identifier cannot hold.
#include "wasmscope/symbols/Symbols.h"

#include <cxxabi.h>

#include <algorithm>
#include <cstdlib>

namespace wasmscope::debugger {

namespace {

/// Appends code point `c` as UTF-8.
void appendUtf8(std::string &out, uint32_t c) {
  if (c < 0x80) {
    out += char(c);
  } else if (c < 0x800) {
    out += char(0xC0 | (c >> 6));
    out += char(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += char(0xE0 | (c >> 12));
    out += char(0x80 | ((c >> 6) & 0x3F));
    out += char(0x80 | (c & 0x3F));
  } else {
    out += char(0xF0 | (c >> 18));
    out += char(0x80 | ((c >> 12) & 0x3F));
    out += char(0x80 | ((c >> 6) & 0x3F));
    out += char(0x80 | (c & 0x3F));
  }
}

/// One path component of a Rust legacy name with its escapes undone:
/// "$LT$", "$GT$", "$RF$" (&), "$BP$" (*), "$SP$" (@), "$LP$", "$RP$",
/// "$C$" (,), "$uXX$" (the code point XX in hex), ".." for "::", and a
/// leading "_" that only keeps an escaped start from being a digit or "$".
/// An escape it does not know is left as it is.
std::string unescapeRustComponent(std::string_view in) {
  if (in.size() > 1 && in[0] == '_' && in[1] == '$')
    in.remove_prefix(1);
  std::string out;
  for (size_t i = 0; i < in.size();) {
    if (in[i] == '.' && i + 1 < in.size() && in[i + 1] == '.') {
      out += "::";
      i += 2;
      continue;
    }
    if (in[i] == '$') {
      size_t end = in.find('$', i + 1);
      if (end != std::string_view::npos) {
        std::string_view code = in.substr(i + 1, end - i - 1);
        static const std::pair<std::string_view, char> kNamed[] = {
            {"SP", '@'}, {"BP", '*'}, {"RF", '&'}, {"LT", '<'}, {"GT", '>'},
            {"LP", '('}, {"RP", ')'}, {"C", ','}};
        bool done = false;
        for (const auto &[name, c] : kNamed)
          if (code == name) {
            out += c;
            done = true;
          }
        if (!done && code.size() > 1 && code.size() <= 7 && code[0] == 'u' &&
            std::all_of(code.begin() + 1, code.end(), [](char c) {
              return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
            })) {
          uint32_t cp = uint32_t(std::stoul(std::string(code.substr(1)), nullptr, 16));
          if (cp <= 0x10FFFF && (cp < 0xD800 || cp > 0xDFFF)) {
            appendUtf8(out, cp);
            done = true;
          }
        }
        if (done) {
          i = end + 1;
          continue;
        }
      }
    }
    out += in[i++];
  }
  return out;
}

} // namespace

std::string unescapeRustLegacy(std::string_view name) {
  // Component by component: "::" separates them, and an escaped "::" (".."),
  // "<" or ">" appears only after its component is undone.
  std::string out;
  size_t start = 0;
  while (true) {
    size_t sep = name.find("::", start);
    out += unescapeRustComponent(name.substr(start, sep - start));
    if (sep == std::string_view::npos)
      break;
    out += "::";
    start = sep + 2;
  }
  return out;
}

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
                  [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); })) {
    result.erase(result.size() - kHashPart);
    // A Rust name: its components may hold escapes
    // ("_$LT$alloc..alloc..Global$u20$as$u20$core..alloc..Allocator$GT$").
    if (result.find('$') != std::string::npos || result.find("..") != std::string::npos)
      result = unescapeRustLegacy(result);
  }
  return result;
}

} // namespace wasmscope::debugger
