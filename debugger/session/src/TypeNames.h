// Type names as a C++ programmer writes them, for display: libc++'s inline
// ABI namespace left out ("std::__2::vector" is "std::vector") and the
// standard containers' default template arguments dropped
// ("std::vector<int, std::allocator<int> >" is "std::vector<int>",
// "std::basic_string<char, ...>" is "std::string"), as LLDB shows them.
// Only for showing: names the expression parser reads keep their spelling.
#pragma once

#include <string>
#include <string_view>

namespace wasmscope::debugger {

/// `spelled` (a type's display name) as a reader expects it. Names it does
/// not recognise, and malformed ones (an unbalanced '<'), come back with at
/// most the ABI namespace removed; never throws on any input.
std::string readableTypeName(std::string_view spelled);

} // namespace wasmscope::debugger
