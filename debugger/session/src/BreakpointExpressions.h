// Breakpoint conditions and log messages, parsed once when the breakpoint is
// placed and kept as syntax trees, so that a hit only evaluates them against
// the frame. A malformed one is found when the breakpoint is set (it is then
// unverified, with the parser's message) instead of on every hit.
#pragma once

#include "Evaluator.h"
#include "wasmscope/session/Expression.h"

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace wasmscope::debugger {

/// A parsed expression. Immutable, so one tree serves every hit.
using ParsedExpression = std::shared_ptr<const expr::Node>;

/// One piece of a log message: literal text, or an `{expression}` whose
/// value replaces it.
struct LogPiece {
  std::string text;            ///< Literal text (when `expression` is null).
  ParsedExpression expression; ///< The parsed `{...}`.
};

/// Parses a breakpoint condition. The error names the condition:
/// "invalid condition 'i +': expected an expression at column 4, found end
/// of input".
Result<ParsedExpression> parseCondition(std::string_view condition,
                                        const expr::IsTypeName& isTypeName);

/// Splits a log message into literal text and parsed `{expr}` pieces. "{{"
/// and "}}" are literal braces, and a `{` without a closing `}` is literal
/// text. The error names the bad expression: "invalid expression '{p->}' in
/// the log message: ...".
Result<std::vector<LogPiece>> parseLogMessage(std::string_view message,
                                              const expr::IsTypeName& isTypeName);

/// Whether a parsed condition holds in `env` (non-zero), or why it cannot
/// be evaluated.
Result<bool> conditionHolds(const expr::Node& condition, EvalEnvironment& env, TypeFactory& types);

/// The log message with each expression replaced by its formatted value, or
/// by "<error: ...>" when it cannot be evaluated.
std::string formatLogMessage(const std::vector<LogPiece>& pieces, EvalEnvironment& env,
                             TypeFactory& types);

} // namespace wasmscope::debugger
