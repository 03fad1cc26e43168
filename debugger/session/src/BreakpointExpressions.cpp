// Parsing and evaluating breakpoint conditions and log messages (see
// BreakpointExpressions.h).
#include "BreakpointExpressions.h"

#include "ValueFormatter.h"

namespace wasmscope::debugger {

Result<ParsedExpression> parseCondition(std::string_view condition,
                                        const expr::IsTypeName& isTypeName) {
  Result<std::unique_ptr<expr::Node>> tree = expr::parse(condition, isTypeName);
  if (!tree.ok())
    return Error(ErrorCode::InvalidArgument,
                 "invalid condition '" + std::string(condition) + "': " + tree.error().message);
  return ParsedExpression(std::move(*tree));
}

Result<std::vector<LogPiece>> parseLogMessage(std::string_view message,
                                              const expr::IsTypeName& isTypeName) {
  std::vector<LogPiece> pieces;
  std::string literal;
  auto flush = [&] {
    if (!literal.empty())
      pieces.push_back({std::move(literal), nullptr});
    literal.clear();
  };
  for (size_t i = 0; i < message.size(); ++i) {
    char c = message[i];
    if ((c == '{' || c == '}') && i + 1 < message.size() && message[i + 1] == c) {
      literal += c;
      ++i;
      continue;
    }
    if (c != '{') {
      literal += c;
      continue;
    }
    size_t end = message.find('}', i + 1);
    if (end == std::string_view::npos) {
      literal.append(message.substr(i));
      break;
    }
    std::string_view text = message.substr(i + 1, end - i - 1);
    Result<std::unique_ptr<expr::Node>> tree = expr::parse(text, isTypeName);
    if (!tree.ok())
      return Error(ErrorCode::InvalidArgument, "invalid expression '{" + std::string(text) +
                                                   "}' in the log message: " +
                                                   tree.error().message);
    flush();
    pieces.push_back({std::string(text), ParsedExpression(std::move(*tree))});
    i = end;
  }
  flush();
  return pieces;
}

Result<bool> conditionHolds(const expr::Node& condition, EvalEnvironment& env,
                            TypeFactory& types) {
  Evaluator evaluator(env, types);
  TRY_ASSIGN(EvalValue value, evaluator.evaluate(condition));
  TRY_ASSIGN(Scalar scalar, loadScalar(env, types, value));
  return !scalar.isZero();
}

std::string formatLogMessage(const std::vector<LogPiece>& pieces, EvalEnvironment& env,
                             TypeFactory& types) {
  std::string out;
  for (const LogPiece& piece : pieces) {
    if (!piece.expression) {
      out += piece.text;
      continue;
    }
    Evaluator evaluator(env, types);
    Result<EvalValue> value = evaluator.evaluate(*piece.expression);
    if (value.ok())
      out += ValueFormatter(env, types).format(*value);
    else
      out += "<error: " + value.error().message + ">";
  }
  return out;
}

} // namespace wasmscope::debugger
