// Lexer and recursive-descent parser for the debugger's C expression subset
// (Expression.h). Precedence and associativity follow C (C11 6.5): postfix,
// unary and casts, multiplicative, additive, shifts, relational, equality,
// &, ^, |, &&, ||, ?:, and assignment lowest. The comma operator is left out.
//
// The text is untrusted (a watch, a hover, a breakpoint condition from the
// editor), so both the parser's recursion and the height of the tree it
// builds are bounded by kMaxExpressionDepth: "((((...x))))" or "1+1+...+1"
// gets "expression nested too deeply" instead of exhausting the host stack
// (the evaluator and the tree's destructor recurse over the same height).
#include "wasmscope/session/Expression.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <limits>

namespace wasmscope::debugger::expr {

using runtime::Error;
using runtime::ErrorCode;

namespace {

enum class Tok : uint8_t { End, Ident, WasmName, Int, Float, Char, String, Punct };

struct Token {
  Tok kind = Tok::End;
  std::string text; ///< Identifier, punctuator or the literal's spelling.
  uint64_t intValue = 0;
  bool isUnsigned = false;
  bool isLong = false;
  double floatValue = 0;
  bool isFloat32 = false;
  uint32_t column = 1;
};

std::string describe(const Token& t) {
  switch (t.kind) {
  case Tok::End:
    return "end of input";
  case Tok::Int:
  case Tok::Float:
  case Tok::Char:
  case Tok::String:
    return "'" + t.text + "'";
  case Tok::WasmName:
    return "'$" + t.text + "'";
  default:
    return "'" + t.text + "'";
  }
}

Error syntaxError(std::string message) {
  return Error(ErrorCode::InvalidArgument, std::move(message));
}

// Punctuators, longest first so that "<<" wins over "<".
constexpr const char* kPunctuators[] = {"->", "<<", ">>", "<=", ">=", "==", "!=", "&&", "||", "+",
                                        "-",  "*",  "/",  "%",  "<",  ">",  "&",  "|",  "^",  "!",
                                        "~",  "?",  ":",  ".",  "[",  "]",  "(",  ")",  "=",  ","};

class Lexer {
public:
  explicit Lexer(std::string_view text) : m_text(text) {}

  Result<std::vector<Token>> run() {
    std::vector<Token> out;
    while (true) {
      while (m_pos < m_text.size() && std::isspace(uint8_t(m_text[m_pos])))
        ++m_pos;
      if (m_pos >= m_text.size())
        break;
      Token t;
      t.column = uint32_t(m_pos + 1);
      char c = m_text[m_pos];
      if (std::isalpha(uint8_t(c)) || c == '_') {
        t.kind = Tok::Ident;
        t.text = identifier();
      } else if (c == '$') {
        ++m_pos;
        t.kind = Tok::WasmName;
        t.text = identifier();
        if (t.text.empty())
          return syntaxError("expected a wasm name after '$' at column " +
                             std::to_string(t.column));
      } else if (std::isdigit(uint8_t(c)) || (c == '.' && m_pos + 1 < m_text.size() &&
                                              std::isdigit(uint8_t(m_text[m_pos + 1])))) {
        auto r = number(t);
        if (!r.ok())
          return std::move(r).error();
      } else if (c == '\'') {
        auto r = charLiteral(t);
        if (!r.ok())
          return std::move(r).error();
      } else if (c == '"') {
        t.kind = Tok::String;
        size_t start = m_pos++;
        while (m_pos < m_text.size() && m_text[m_pos] != '"')
          m_pos += m_text[m_pos] == '\\' ? 2 : 1;
        if (m_pos >= m_text.size())
          return syntaxError("unterminated string literal at column " + std::to_string(t.column));
        ++m_pos;
        t.text = std::string(m_text.substr(start, m_pos - start));
      } else {
        bool found = false;
        for (const char* p : kPunctuators) {
          size_t n = std::strlen(p);
          if (m_text.substr(m_pos, n) == p) {
            t.kind = Tok::Punct;
            t.text = p;
            m_pos += n;
            found = true;
            break;
          }
        }
        if (!found)
          return syntaxError(std::string("unexpected character '") + c + "' at column " +
                             std::to_string(t.column));
      }
      out.push_back(std::move(t));
    }
    Token end;
    end.column = uint32_t(m_text.size() + 1);
    out.push_back(end);
    return out;
  }

private:
  std::string identifier() {
    size_t start = m_pos;
    while (m_pos < m_text.size() && (std::isalnum(uint8_t(m_text[m_pos])) || m_text[m_pos] == '_'))
      ++m_pos;
    return std::string(m_text.substr(start, m_pos - start));
  }

  Result<void> number(Token& t) {
    size_t start = m_pos;
    bool isFloat = false;
    int base = 10;
    if (m_text[m_pos] == '0' && m_pos + 1 < m_text.size() &&
        (m_text[m_pos + 1] == 'x' || m_text[m_pos + 1] == 'X')) {
      base = 16;
      m_pos += 2;
      while (m_pos < m_text.size() && std::isxdigit(uint8_t(m_text[m_pos])))
        ++m_pos;
    } else if (m_text[m_pos] == '0' && m_pos + 1 < m_text.size() &&
               (m_text[m_pos + 1] == 'b' || m_text[m_pos + 1] == 'B')) {
      base = 2;
      m_pos += 2;
      while (m_pos < m_text.size() && (m_text[m_pos] == '0' || m_text[m_pos] == '1'))
        ++m_pos;
    } else {
      while (m_pos < m_text.size() && std::isdigit(uint8_t(m_text[m_pos])))
        ++m_pos;
      if (m_pos < m_text.size() && m_text[m_pos] == '.') {
        isFloat = true;
        ++m_pos;
        while (m_pos < m_text.size() && std::isdigit(uint8_t(m_text[m_pos])))
          ++m_pos;
      }
      if (m_pos < m_text.size() && (m_text[m_pos] == 'e' || m_text[m_pos] == 'E')) {
        size_t save = m_pos++;
        if (m_pos < m_text.size() && (m_text[m_pos] == '+' || m_text[m_pos] == '-'))
          ++m_pos;
        if (m_pos < m_text.size() && std::isdigit(uint8_t(m_text[m_pos]))) {
          isFloat = true;
          while (m_pos < m_text.size() && std::isdigit(uint8_t(m_text[m_pos])))
            ++m_pos;
        } else {
          m_pos = save;
        }
      }
      if (!isFloat && m_pos - start > 1 && m_text[start] == '0')
        base = 8;
    }
    std::string digits(m_text.substr(start, m_pos - start));
    // Suffixes.
    size_t suffixStart = m_pos;
    while (m_pos < m_text.size() && std::isalpha(uint8_t(m_text[m_pos])))
      ++m_pos;
    std::string suffix(m_text.substr(suffixStart, m_pos - suffixStart));
    t.text = std::string(m_text.substr(start, m_pos - start));
    if (isFloat) {
      t.kind = Tok::Float;
      if (!suffix.empty() && suffix != "f" && suffix != "F" && suffix != "l" && suffix != "L")
        return syntaxError("invalid suffix '" + suffix + "' on number at column " +
                           std::to_string(t.column));
      t.isFloat32 = suffix == "f" || suffix == "F";
      t.floatValue = std::strtod(digits.c_str(), nullptr);
      return {};
    }
    t.kind = Tok::Int;
    std::string body = base == 16 || base == 2 ? digits.substr(2) : digits;
    if (body.empty())
      return syntaxError("malformed number '" + t.text + "' at column " + std::to_string(t.column));
    uint64_t value = 0;
    for (char d : body) {
      unsigned v =
          std::isdigit(uint8_t(d)) ? unsigned(d - '0') : unsigned(std::tolower(d) - 'a' + 10);
      if (int(v) >= base)
        return syntaxError("invalid digit '" + std::string(1, d) + "' in number at column " +
                           std::to_string(t.column));
      if (value > (std::numeric_limits<uint64_t>::max() - v) / uint64_t(base))
        return syntaxError("integer literal '" + t.text + "' is too large at column " +
                           std::to_string(t.column));
      value = value * uint64_t(base) + v;
    }
    bool u = false;
    int longs = 0;
    for (char s : suffix) {
      if ((s == 'u' || s == 'U') && !u)
        u = true;
      else if (s == 'l' || s == 'L')
        ++longs;
      else
        return syntaxError("invalid suffix '" + suffix + "' on number at column " +
                           std::to_string(t.column));
    }
    if (longs > 2)
      return syntaxError("invalid suffix '" + suffix + "' on number at column " +
                         std::to_string(t.column));
    // C11 6.4.4.1: the first type of the list that holds the value. `long` is
    // 32 bits on wasm32, so `l` alone does not widen.
    t.intValue = value;
    t.isLong = longs == 2;
    t.isUnsigned = u;
    if (!t.isLong) {
      if (u ? value > 0xffffffffull : value > 0x7fffffffull) {
        if (!u && base != 10 && value <= 0xffffffffull)
          t.isUnsigned = true; // Octal and hex literals take unsigned int first.
        else
          t.isLong = true;
      }
    }
    if (t.isLong && !t.isUnsigned && value > uint64_t(std::numeric_limits<int64_t>::max()))
      t.isUnsigned = true;
    return {};
  }

  Result<void> charLiteral(Token& t) {
    size_t start = m_pos++;
    if (m_pos >= m_text.size())
      return syntaxError("unterminated character literal at column " + std::to_string(t.column));
    uint64_t value = 0;
    char c = m_text[m_pos++];
    if (c == '\\') {
      if (m_pos >= m_text.size())
        return syntaxError("unterminated character literal at column " + std::to_string(t.column));
      char e = m_text[m_pos++];
      switch (e) {
      case 'n':
        value = '\n';
        break;
      case 't':
        value = '\t';
        break;
      case 'r':
        value = '\r';
        break;
      case '0':
        value = 0;
        break;
      case 'a':
        value = '\a';
        break;
      case 'b':
        value = '\b';
        break;
      case 'f':
        value = '\f';
        break;
      case 'v':
        value = '\v';
        break;
      case '\\':
        value = '\\';
        break;
      case '\'':
        value = '\'';
        break;
      case '"':
        value = '"';
        break;
      case 'x': {
        size_t digits = 0;
        while (m_pos < m_text.size() && std::isxdigit(uint8_t(m_text[m_pos])) && digits < 2) {
          char d = m_text[m_pos++];
          value = value * 16 + (std::isdigit(uint8_t(d)) ? d - '0' : std::tolower(d) - 'a' + 10);
          ++digits;
        }
        if (!digits)
          return syntaxError("expected hex digits after '\\x' at column " +
                             std::to_string(t.column));
        break;
      }
      default:
        return syntaxError(std::string("unknown escape '\\") + e + "' at column " +
                           std::to_string(t.column));
      }
    } else {
      value = uint8_t(c);
    }
    if (m_pos >= m_text.size() || m_text[m_pos] != '\'')
      return syntaxError("expected ' to end the character literal at column " +
                         std::to_string(t.column));
    ++m_pos;
    t.kind = Tok::Char;
    t.intValue = value;
    t.text = std::string(m_text.substr(start, m_pos - start));
    return {};
  }

  std::string_view m_text;
  size_t m_pos = 0;
};

bool isTypeKeyword(std::string_view s) {
  static constexpr std::string_view kKeywords[] = {
      "void",   "char",  "short", "int",    "long",  "signed", "unsigned", "float",
      "double", "_Bool", "bool",  "struct", "union", "enum",   "const",    "volatile"};
  for (std::string_view k : kKeywords)
    if (s == k)
      return true;
  return false;
}

class Parser {
public:
  Parser(std::vector<Token> tokens, const IsTypeName& isTypeName)
      : m_tokens(std::move(tokens)), m_isTypeName(isTypeName) {}

  Result<std::unique_ptr<Node>> parseAll() {
    TRY_ASSIGN(auto node, assignment());
    if (peek().kind != Tok::End)
      return unexpected("an operator");
    return node;
  }

private:
  const Token& peek(size_t ahead = 0) const {
    size_t i = std::min(m_index + ahead, m_tokens.size() - 1);
    return m_tokens[i];
  }
  bool isPunct(std::string_view p, size_t ahead = 0) const {
    const Token& t = peek(ahead);
    return t.kind == Tok::Punct && t.text == p;
  }
  const Token& take() {
    const Token& t = m_tokens[m_index];
    if (m_index + 1 < m_tokens.size())
      ++m_index;
    return t;
  }
  Error unexpected(std::string_view expected) const {
    const Token& t = peek();
    return syntaxError("expected " + std::string(expected) + " at column " +
                       std::to_string(t.column) + ", found " + describe(t));
  }
  Result<void> expect(std::string_view p) {
    if (!isPunct(p))
      return unexpected("'" + std::string(p) + "'");
    take();
    return {};
  }

  static std::unique_ptr<Node> make(NodeKind kind, uint32_t column) {
    auto n = std::make_unique<Node>();
    n->kind = kind;
    n->column = column;
    return n;
  }

  /// Parses a nested part (a parenthesised expression, a subscript, the
  /// operand of a prefix operator or cast, a branch of `?:`, the right side
  /// of `=`) one level deeper, refusing to go past kMaxExpressionDepth.
  template <typename F> auto descend(F&& parse) -> decltype(parse()) {
    if (m_nesting >= kMaxExpressionDepth)
      return tooDeep();
    ++m_nesting;
    auto result = parse();
    --m_nesting;
    return result;
  }

  Error tooDeep() const {
    return syntaxError("expression nested too deeply (more than " +
                       std::to_string(kMaxExpressionDepth) + " levels) at column " +
                       std::to_string(peek().column));
  }

  /// Makes `child` the next child of `parent`, keeping `parent->height`; a
  /// tree taller than the limit (a long chain of left-associative operators
  /// builds one without deep parser recursion) is refused here.
  Result<void> adopt(Node& parent, std::unique_ptr<Node> child) {
    parent.height = std::max(parent.height, child->height + 1);
    parent.children.push_back(std::move(child));
    if (parent.height > kMaxExpressionDepth)
      return syntaxError("expression nested too deeply (more than " +
                         std::to_string(kMaxExpressionDepth) + " levels) at column " +
                         std::to_string(parent.column));
    return {};
  }

  Result<std::unique_ptr<Node>> assignment() {
    TRY_ASSIGN(auto lhs, conditional());
    if (isPunct("=")) {
      uint32_t column = take().column;
      TRY_ASSIGN(auto rhs, descend([&] { return assignment(); }));
      auto n = make(NodeKind::Assign, column);
      n->op = "=";
      TRY(adopt(*n, std::move(lhs)));
      TRY(adopt(*n, std::move(rhs)));
      return n;
    }
    return lhs;
  }

  Result<std::unique_ptr<Node>> conditional() {
    TRY_ASSIGN(auto cond, binary(0));
    if (!isPunct("?"))
      return cond;
    uint32_t column = take().column;
    TRY_ASSIGN(auto a, descend([&] { return assignment(); }));
    TRY(expect(":"));
    TRY_ASSIGN(auto b, descend([&] { return conditional(); }));
    auto n = make(NodeKind::Conditional, column);
    TRY(adopt(*n, std::move(cond)));
    TRY(adopt(*n, std::move(a)));
    TRY(adopt(*n, std::move(b)));
    return n;
  }

  // Binary precedence levels, lowest first.
  static int levelOf(std::string_view op) {
    static constexpr std::pair<std::string_view, int> kLevels[] = {
        {"||", 0}, {"&&", 1}, {"|", 2},  {"^", 3}, {"&", 4},  {"==", 5},
        {"!=", 5}, {"<", 6},  {"<=", 6}, {">", 6}, {">=", 6}, {"<<", 7},
        {">>", 7}, {"+", 8},  {"-", 8},  {"*", 9}, {"/", 9},  {"%", 9}};
    for (auto [o, l] : kLevels)
      if (o == op)
        return l;
    return -1;
  }
  static constexpr int kMaxLevel = 9;

  Result<std::unique_ptr<Node>> binary(int level) {
    if (level > kMaxLevel)
      return unary();
    TRY_ASSIGN(auto lhs, binary(level + 1));
    while (peek().kind == Tok::Punct && levelOf(peek().text) == level) {
      const Token& t = take();
      auto n = make(NodeKind::Binary, t.column);
      n->op = t.text;
      TRY_ASSIGN(auto rhs, binary(level + 1));
      TRY(adopt(*n, std::move(lhs)));
      TRY(adopt(*n, std::move(rhs)));
      lhs = std::move(n);
    }
    return lhs;
  }

  bool startsTypeName(size_t ahead) const {
    const Token& t = peek(ahead);
    if (t.kind != Tok::Ident)
      return false;
    return isTypeKeyword(t.text) || (m_isTypeName && m_isTypeName(t.text));
  }

  Result<TypeName> typeName() {
    TypeName type;
    std::vector<std::string> words;
    while (peek().kind == Tok::Ident) {
      std::string word = peek().text;
      if (word == "const" || word == "volatile") {
        take();
        continue;
      }
      if (word == "struct" || word == "union" || word == "enum") {
        take();
        if (peek().kind != Tok::Ident)
          return unexpected("a name after '" + word + "'");
        words.push_back(word + " " + take().text);
        continue;
      }
      if (isTypeKeyword(word) || (words.empty() && m_isTypeName && m_isTypeName(word))) {
        words.push_back(take().text);
        continue;
      }
      break;
    }
    if (words.empty())
      return unexpected("a type name");
    for (size_t i = 0; i < words.size(); ++i)
      type.base += (i ? " " : "") + words[i];
    while (isPunct("*") ||
           (peek().kind == Tok::Ident && (peek().text == "const" || peek().text == "volatile"))) {
      if (take().text == "*")
        ++type.pointerDepth;
    }
    return type;
  }

  Result<std::unique_ptr<Node>> unary() {
    const Token& t = peek();
    if (t.kind == Tok::Punct && (t.text == "-" || t.text == "+" || t.text == "!" || t.text == "~" ||
                                 t.text == "*" || t.text == "&")) {
      take();
      auto n = make(NodeKind::Unary, t.column);
      n->op = t.text;
      TRY_ASSIGN(auto operand, descend([&] { return unary(); }));
      TRY(adopt(*n, std::move(operand)));
      return n;
    }
    if (t.kind == Tok::Ident && t.text == "sizeof") {
      uint32_t column = take().column;
      if (isPunct("(") && startsTypeName(1)) {
        take();
        auto n = make(NodeKind::SizeofType, column);
        TRY_ASSIGN(n->type, typeName());
        TRY(expect(")"));
        return n;
      }
      auto n = make(NodeKind::SizeofExpr, column);
      TRY_ASSIGN(auto operand, descend([&] { return unary(); }));
      TRY(adopt(*n, std::move(operand)));
      return n;
    }
    if (isPunct("(") && startsTypeName(1)) {
      uint32_t column = take().column;
      auto n = make(NodeKind::Cast, column);
      TRY_ASSIGN(n->type, typeName());
      TRY(expect(")"));
      TRY_ASSIGN(auto operand, descend([&] { return unary(); }));
      TRY(adopt(*n, std::move(operand)));
      return n;
    }
    return postfix();
  }

  Result<std::unique_ptr<Node>> postfix() {
    TRY_ASSIGN(auto node, primary());
    while (true) {
      if (isPunct("[")) {
        uint32_t column = take().column;
        TRY_ASSIGN(auto index, descend([&] { return assignment(); }));
        TRY(expect("]"));
        auto n = make(NodeKind::Index, column);
        TRY(adopt(*n, std::move(node)));
        TRY(adopt(*n, std::move(index)));
        node = std::move(n);
      } else if (isPunct(".") || isPunct("->")) {
        const Token& op = take();
        auto n = make(op.text == "." ? NodeKind::Member : NodeKind::Arrow, op.column);
        if (peek().kind != Tok::Ident)
          return unexpected("a member name after '" + op.text + "'");
        n->name = take().text;
        TRY(adopt(*n, std::move(node)));
        node = std::move(n);
      } else {
        return node;
      }
    }
  }

  Result<std::unique_ptr<Node>> primary() {
    const Token& t = peek();
    switch (t.kind) {
    case Tok::Int: {
      take();
      auto n = make(NodeKind::IntLiteral, t.column);
      n->intValue = t.intValue;
      n->isUnsigned = t.isUnsigned;
      n->isLong = t.isLong;
      return n;
    }
    case Tok::Float: {
      take();
      auto n = make(NodeKind::FloatLiteral, t.column);
      n->floatValue = t.floatValue;
      n->isFloat32 = t.isFloat32;
      return n;
    }
    case Tok::Char: {
      take();
      auto n = make(NodeKind::CharLiteral, t.column);
      n->intValue = t.intValue;
      return n;
    }
    case Tok::Ident: {
      if (t.text == "sizeof" || isTypeKeyword(t.text))
        return unexpected("an expression");
      take();
      auto n = make(NodeKind::Identifier, t.column);
      n->name = t.text;
      return n;
    }
    case Tok::WasmName: {
      take();
      auto n = make(NodeKind::WasmName, t.column);
      n->name = t.text;
      return n;
    }
    case Tok::String:
      return syntaxError("string literals are not supported (column " + std::to_string(t.column) +
                         ")");
    case Tok::Punct:
      if (t.text == "(") {
        take();
        TRY_ASSIGN(auto inner, descend([&] { return assignment(); }));
        TRY(expect(")"));
        return inner;
      }
      return unexpected("an expression");
    case Tok::End:
      return unexpected("an expression");
    }
    return unexpected("an expression");
  }

  std::vector<Token> m_tokens;
  size_t m_index = 0;
  const IsTypeName& m_isTypeName;
  uint32_t m_nesting = 0; ///< Nested parts now open (see descend).
};

} // namespace

std::string TypeName::toString() const {
  std::string s = base;
  if (pointerDepth) {
    s += " ";
    s.append(pointerDepth, '*');
  }
  return s;
}

Result<std::unique_ptr<Node>> parse(std::string_view text, const IsTypeName& isTypeName) {
  if (text.size() > kMaxExpressionLength)
    return syntaxError("expression too long (over " + std::to_string(kMaxExpressionLength) +
                       " characters)");
  TRY_ASSIGN(auto tokens, Lexer(text).run());
  if (tokens.size() == 1)
    return syntaxError("empty expression");
  Parser parser(std::move(tokens), isTypeName);
  return parser.parseAll();
}

std::string toString(const Node& node) {
  switch (node.kind) {
  case NodeKind::IntLiteral:
    return std::to_string(node.intValue);
  case NodeKind::FloatLiteral: {
    std::string s = std::to_string(node.floatValue);
    return node.isFloat32 ? s + "f" : s;
  }
  case NodeKind::CharLiteral:
    return "'" + std::to_string(node.intValue) + "'";
  case NodeKind::Identifier:
    return node.name;
  case NodeKind::WasmName:
    return "$" + node.name;
  case NodeKind::Member:
    return "(" + toString(*node.children[0]) + "." + node.name + ")";
  case NodeKind::Arrow:
    return "(" + toString(*node.children[0]) + "->" + node.name + ")";
  case NodeKind::Index:
    return "(" + toString(*node.children[0]) + "[" + toString(*node.children[1]) + "])";
  case NodeKind::Unary:
    return "(" + node.op + toString(*node.children[0]) + ")";
  case NodeKind::Binary:
    return "(" + toString(*node.children[0]) + " " + node.op + " " + toString(*node.children[1]) +
           ")";
  case NodeKind::Conditional:
    return "(" + toString(*node.children[0]) + " ? " + toString(*node.children[1]) + " : " +
           toString(*node.children[2]) + ")";
  case NodeKind::Cast:
    return "((" + node.type.toString() + ")" + toString(*node.children[0]) + ")";
  case NodeKind::SizeofType:
    return "sizeof(" + node.type.toString() + ")";
  case NodeKind::SizeofExpr:
    return "sizeof(" + toString(*node.children[0]) + ")";
  case NodeKind::Assign:
    return "(" + toString(*node.children[0]) + " = " + toString(*node.children[1]) + ")";
  }
  return "?";
}

} // namespace wasmscope::debugger::expr
