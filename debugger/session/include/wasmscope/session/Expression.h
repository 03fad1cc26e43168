// The C expression subset the debugger evaluates for watches, hover, the
// REPL, breakpoint conditions and logpoints: its syntax tree and parser.
// Evaluation against a stopped frame is the Session's business
// (Session::evaluate); this part needs no guest and is tested on its own.
#pragma once

#include "wasmscope/runtime/Result.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace wasmscope::debugger::expr {

template <typename T> using Result = runtime::Result<T>;

enum class NodeKind : uint8_t {
  IntLiteral,   ///< 42, 0x2a, 052, 42u, 42ll
  FloatLiteral, ///< 1.5, 1e3, 2.0f
  CharLiteral,  ///< 'a', '\n'
  Identifier,   ///< A C variable name.
  WasmName,     ///< `$local3`, `$global0`: raw wasm locals and globals.
  Member,       ///< a.b  (children[0] is `a`, `name` is "b")
  Arrow,        ///< p->b
  Index,        ///< a[i]
  Unary,        ///< - + ! ~ * &  (`op`)
  Binary,       ///< * / % + - << >> < <= > >= == != & ^ | && ||
  Conditional,  ///< c ? a : b
  Cast,         ///< (type) e
  SizeofType,   ///< sizeof(type)
  SizeofExpr,   ///< sizeof e
  Assign,       ///< a = b  (REPL and setVariable only)
};

/// A type as written in a cast or sizeof: base specifiers ("unsigned int",
/// "struct node", "node_t") and a pointer depth.
struct TypeName {
  std::string base;
  uint32_t pointerDepth = 0;
  /// "struct node *"
  std::string toString() const;
};

struct Node {
  NodeKind kind = NodeKind::IntLiteral;
  std::string op;   ///< Operator spelling, for Unary and Binary.
  std::string name; ///< Identifier, WasmName (without '$') or member name.
  uint64_t intValue = 0;
  bool isUnsigned = false; ///< IntLiteral: a `u` suffix, or too big for int64.
  bool isLong = false;     ///< IntLiteral: 64-bit (an `ll`/`l` suffix or too big for 32 bits).
  double floatValue = 0;
  bool isFloat32 = false; ///< FloatLiteral with an `f` suffix.
  TypeName type;          ///< Cast and SizeofType.
  std::vector<std::unique_ptr<Node>> children;
  uint32_t column = 0; ///< 1-based position in the text, for messages.
  uint32_t height = 1; ///< Levels in this subtree (a leaf is 1).
};

/// Deepest nesting parse() accepts, both of its own recursion (parentheses,
/// subscripts, prefix operators, `?:` and `=` chains) and of the tree it
/// builds. Clang's default bracket depth is the same.
inline constexpr uint32_t kMaxExpressionDepth = 256;

/// Longest expression text parse() accepts.
inline constexpr size_t kMaxExpressionLength = 4096;

/// Says whether an identifier names a type (a typedef such as `node_t`), so
/// that `(node_t *)p` parses as a cast. Keywords (`int`, `struct x`, ...) are
/// known without it.
using IsTypeName = std::function<bool(std::string_view)>;

/// Parses a whole expression. Errors (ErrorCode::InvalidArgument) say what
/// was expected and where: "expected ')' at column 7, found end of input",
/// "expression nested too deeply (more than 256 levels) at column 257".
Result<std::unique_ptr<Node>> parse(std::string_view text, const IsTypeName& isTypeName = {});

/// The tree in fully parenthesised form, for tests and messages:
/// "(1 + (2 * 3))", "((p->next)->value)", "(int)x".
std::string toString(const Node& node);

} // namespace wasmscope::debugger::expr
