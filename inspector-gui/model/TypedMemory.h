// The typed value of a selected address, where the debug info knows it: a
// C variable of the stopped guest that lives there (a global, a static or a
// stack local, found by its address and sizeof), or a heap block a pointer
// variable points at, read through that pointer's type ("*(Response *)
// 0x11700" with its members). Asked of the live session while the guest is
// stopped; a saved profile has no contents to type.
#pragma once

#include "wasmscope/session/Session.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace wasmscope::gui {

struct TypedMember {
  std::string name;
  std::string type;
  std::string value;
};

struct TypedValue {
  std::string expression; ///< "user_table", "*(User *)0x11a20".
  std::string type;       ///< C spelling.
  std::string value;      ///< Formatted; "{...}" for an aggregate, see members.
  std::string via;        ///< How it was found: "global", "local of parse_request", "pointed at by head".
  std::vector<TypedMember> members; ///< An aggregate's first members.
};

/// The typed value at `address` (in the block [blockStart, blockEnd) when
/// the address is in a heap block) from the variables of the stopped
/// guest's frames (`frames`, innermost first; at most the first few are
/// searched). Nothing when no variable covers or points at it.
std::optional<TypedValue> typedValueAt(debugger::Session& session,
                                       const std::vector<debugger::StackFrame>& frames,
                                       uint64_t address, std::optional<uint64_t> blockStart);

} // namespace wasmscope::gui
