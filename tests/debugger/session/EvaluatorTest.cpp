// The C expression subset without a guest: parsing (precedence,
// associativity, casts, errors with their column) and evaluation of
// constant expressions (C's integer rules at wasm32 sizes), plus value
// formatting of hand-made values.
#include "Evaluator.h"
#include "SessionImpl.h"
#include "ValueFormatter.h"
#include "wasmscope/session/Expression.h"

#include <gtest/gtest.h>

namespace wasmscope::debugger {
namespace {

std::string parsed(std::string_view text, const expr::IsTypeName& isType = {}) {
  auto r = expr::parse(text, isType);
  return r.ok() ? expr::toString(**r) : "error: " + r.error().message;
}

TEST(ExpressionParser, Precedence) {
  EXPECT_EQ(parsed("1 + 2 * 3"), "(1 + (2 * 3))");
  EXPECT_EQ(parsed("(1 + 2) * 3"), "((1 + 2) * 3)");
  EXPECT_EQ(parsed("1 - 2 - 3"), "((1 - 2) - 3)");
  EXPECT_EQ(parsed("a << 1 + 2"), "(a << (1 + 2))");
  EXPECT_EQ(parsed("a < b == c > d"), "((a < b) == (c > d))");
  EXPECT_EQ(parsed("a & b ^ c | d"), "(((a & b) ^ c) | d)");
  EXPECT_EQ(parsed("a || b && c"), "(a || (b && c))");
  EXPECT_EQ(parsed("a ? b : c ? d : e"), "(a ? b : (c ? d : e))");
  EXPECT_EQ(parsed("-a * !b"), "((-a) * (!b))");
  EXPECT_EQ(parsed("*p->next"), "(*(p->next))");
  EXPECT_EQ(parsed("&a.b[3]"), "(&((a.b)[3]))");
  EXPECT_EQ(parsed("p->next->value"), "((p->next)->value)");
  EXPECT_EQ(parsed("a = b = 3"), "(a = (b = 3))");
  EXPECT_EQ(parsed("~-x"), "(~(-x))");
  EXPECT_EQ(parsed("$local3 + $global0"), "($local3 + $global0)");
}

TEST(ExpressionParser, CastsAndSizeof) {
  EXPECT_EQ(parsed("(int)x"), "((int)x)");
  EXPECT_EQ(parsed("(unsigned long long)x + 1"), "(((unsigned long long)x) + 1)");
  EXPECT_EQ(parsed("(struct node *)p"), "((struct node *)p)");
  EXPECT_EQ(parsed("(const char **)p"), "((char **)p)");
  EXPECT_EQ(parsed("sizeof(int)"), "sizeof(int)");
  EXPECT_EQ(parsed("sizeof x + 1"), "(sizeof(x) + 1)");
  EXPECT_EQ(parsed("sizeof(x)"), "sizeof(x)");
  // A typedef name parses as a cast only when known as a type.
  auto isType = [](std::string_view s) { return s == "node_t"; };
  EXPECT_EQ(parsed("(node_t *)p", isType), "((node_t *)p)");
  EXPECT_EQ(parsed("(x)-1", isType), "(x - 1)");
}

TEST(ExpressionParser, Literals) {
  EXPECT_EQ(parsed("0x2a"), "42");
  EXPECT_EQ(parsed("052"), "42");
  EXPECT_EQ(parsed("0b101010"), "42");
  EXPECT_EQ(parsed("'a'"), "'97'");
  EXPECT_EQ(parsed("'\\n'"), "'10'");
  EXPECT_EQ(parsed("'\\x41'"), "'65'");
}

TEST(ExpressionParser, ErrorsSayWhatAndWhere) {
  EXPECT_EQ(parsed(""), "error: empty expression");
  EXPECT_EQ(parsed("1 +"), "error: expected an expression at column 4, found end of input");
  EXPECT_EQ(parsed("(1 + 2"), "error: expected ')' at column 7, found end of input");
  EXPECT_EQ(parsed("a[1"), "error: expected ']' at column 4, found end of input");
  EXPECT_EQ(parsed("a b"), "error: expected an operator at column 3, found 'b'");
  EXPECT_EQ(parsed("a.+"), "error: expected a member name after '.' at column 3, found '+'");
  EXPECT_EQ(parsed("a.3"), "error: expected an operator at column 2, found '.3'"); // C lexes .3
  EXPECT_EQ(parsed("1 @ 2"), "error: unexpected character '@' at column 3");
  EXPECT_EQ(parsed("09"), "error: invalid digit '9' in number at column 1");
  EXPECT_EQ(parsed("12zz"), "error: invalid suffix 'zz' on number at column 1");
  EXPECT_EQ(parsed("'ab'"), "error: expected ' to end the character literal at column 1");
  EXPECT_EQ(parsed("\"text\""), "error: string literals are not supported (column 1)");
  EXPECT_EQ(parsed("a ? b"), "error: expected ':' at column 6, found end of input");
  EXPECT_EQ(parsed("(struct)x"), "error: expected a name after 'struct' at column 8, found ')'");
  EXPECT_EQ(parsed("99999999999999999999999"),
            "error: integer literal '99999999999999999999999' is too large at column 1");
  EXPECT_EQ(parsed("$"), "error: expected a wasm name after '$' at column 1");
}

/// Evaluates a constant expression and formats the result.
class ConstantEval : public testing::Test {
protected:
  std::string eval(std::string_view text, bool hex = false) {
    Evaluator evaluator(m_env, m_types);
    Result<EvalValue> v = evaluator.evaluate(text);
    if (!v.ok())
      return "error: " + v.error().message;
    return ValueFormatter(m_env, m_types).format(*v, hex);
  }
  std::string type(std::string_view text) {
    Evaluator evaluator(m_env, m_types);
    Result<EvalValue> v = evaluator.evaluate(text);
    return v.ok() ? typeName(v->type) : "error: " + v.error().message;
  }
  EmptyEnvironment m_env;
  TypeFactory m_types;
};

TEST_F(ConstantEval, IntegerArithmetic) {
  EXPECT_EQ(eval("1 + 2 * 3"), "7");
  EXPECT_EQ(eval("(1 + 2) * 3"), "9");
  EXPECT_EQ(eval("7 / 2"), "3");
  EXPECT_EQ(eval("-7 / 2"), "-3");
  EXPECT_EQ(eval("-7 % 3"), "-1");
  EXPECT_EQ(eval("1 << 10"), "1024");
  EXPECT_EQ(eval("-16 >> 2"), "-4");
  EXPECT_EQ(eval("0xff & 0x0f | 0x30 ^ 0x01"), "63");
  EXPECT_EQ(eval("~0"), "-1");
  EXPECT_EQ(eval("!5"), "0");
  EXPECT_EQ(eval("-(3)"), "-3");
  EXPECT_EQ(eval("3 > 2 && 2 > 1"), "1");
  EXPECT_EQ(eval("0 || 0"), "0");
  EXPECT_EQ(eval("1 ? 10 : 20"), "10");
  EXPECT_EQ(eval("0 ? 10 : 20"), "20");
}

TEST_F(ConstantEval, TypesFollowC) {
  EXPECT_EQ(type("1"), "int");
  EXPECT_EQ(type("1u"), "unsigned int");
  EXPECT_EQ(type("1ll"), "long long");
  EXPECT_EQ(type("0xffffffff"), "unsigned int"); // Hex: unsigned int before long long.
  EXPECT_EQ(type("4294967296"), "long long");
  EXPECT_EQ(type("1 + 1u"), "unsigned int");
  EXPECT_EQ(type("1u + 1ll"), "long long");
  EXPECT_EQ(type("'a' + 'b'"), "int");
  EXPECT_EQ(type("1.5"), "double");
  EXPECT_EQ(type("1.5f * 2"), "float");
  EXPECT_EQ(type("1 < 2"), "int");
  EXPECT_EQ(type("sizeof(long long)"), "unsigned long");
  EXPECT_EQ(type("(char)65"), "char");
}

TEST_F(ConstantEval, WrapsAtTheTypesWidth) {
  EXPECT_EQ(eval("2147483647 + 1"), "-2147483648");
  EXPECT_EQ(eval("0u - 1"), "4294967295");
  EXPECT_EQ(eval("-1 < 0u"), "0"); // -1 converts to unsigned.
  EXPECT_EQ(eval("-1 < 0ll"), "1");
  EXPECT_EQ(eval("(unsigned char)300"), "44 ','");
  EXPECT_EQ(eval("(signed char)200"), "-56 '\\xc8'");
  EXPECT_EQ(eval("(short)70000"), "4464");
  EXPECT_EQ(eval("(-2147483647 - 1) / -1"), "-2147483648");
  EXPECT_EQ(eval("9223372036854775807ll + 1"), "-9223372036854775808");
}

TEST_F(ConstantEval, FloatingPoint) {
  EXPECT_EQ(eval("1.5 * 2"), "3");
  EXPECT_EQ(eval("1 / 4.0"), "0.25");
  EXPECT_EQ(eval("(int)3.99"), "3");
  EXPECT_EQ(eval("(int)-3.99"), "-3");
  EXPECT_EQ(eval("(float)0.1"), "0.1");
  EXPECT_EQ(eval("0.1 + 0.2"), "0.30000000000000004");
  EXPECT_EQ(eval("1e3"), "1000");
  EXPECT_EQ(eval("2.5 > 2"), "1");
  EXPECT_EQ(eval("(_Bool)0.5"), "true");
  EXPECT_EQ(eval("(unsigned)1e20"), "4294967295");
}

TEST_F(ConstantEval, CharsPointersAndHex) {
  EXPECT_EQ(eval("'A'"), "65 'A'");
  EXPECT_EQ(eval("'\\n'"), "10 '\\n'");
  EXPECT_EQ(eval("'a' + 1"), "98");
  EXPECT_EQ(eval("(int *)0x1000"), "0x00001000");
  EXPECT_EQ(eval("(int *)0x1000 + 2"), "0x00001008");
  EXPECT_EQ(eval("(long long *)0x1000 - 1"), "0x00000ff8");
  EXPECT_EQ(eval("(int *)0x1010 - (int *)0x1000"), "4");
  EXPECT_EQ(eval("(char *)0 == NULL"), "1");
  EXPECT_EQ(eval("!(int *)0"), "1");
  EXPECT_EQ(eval("255", true), "0x000000ff");
  EXPECT_EQ(eval("(char)-1", true), "0xff");
  EXPECT_EQ(eval("true + true"), "2");
}

TEST_F(ConstantEval, ErrorsAreClear) {
  EXPECT_EQ(eval("1 / 0"), "error: division by zero");
  EXPECT_EQ(eval("1 % 0"), "error: division by zero");
  EXPECT_EQ(eval("1 << 32"), "error: shift count 32 is out of range for 'int'");
  EXPECT_EQ(eval("1 << -1"), "error: shift count -1 is out of range for 'int'");
  EXPECT_EQ(eval("x + 1"), "error: no variable named 'x'");
  EXPECT_EQ(eval("$local0"), "error: no wasm local or global named '$local0'");
  EXPECT_EQ(eval("*1"), "error: cannot dereference a value of type 'int'");
  EXPECT_EQ(eval("*(void *)16"), "error: cannot dereference a 'void *'");
  EXPECT_EQ(eval("*(int *)16"), "<cannot read memory at 0x00000010>");
  EXPECT_EQ(eval("&1"), "error: cannot take the address of '1': it is not in memory");
  EXPECT_EQ(eval("1.5 % 2"), "error: invalid operands to '%': 'double' and 'int'");
  EXPECT_EQ(eval("~1.5"), "error: invalid operand to '~': 'double'");
  EXPECT_EQ(eval("(struct s)1"), "error: unknown type 'struct s'");
  EXPECT_EQ(eval("(void)1"), "error: cannot cast to 'void'");
  EXPECT_EQ(eval("1[2]"), "error: cannot index a value of type 'int'");
  EXPECT_EQ(eval("(int *)4 + 1.5"), "error: cannot add a floating-point value to a pointer");
  EXPECT_EQ(eval("x = 1"), "error: assignment is only allowed in the debug console");
  EXPECT_EQ(eval("(1).x"), "error: 'int' is not a struct or union, so it has no member 'x'");
}

TEST(ValueFormatting, QuotesAndAddresses) {
  EXPECT_EQ(quoteString("a\"b\\c\n\x01\xff", false), "\"a\\\"b\\\\c\\n\\x01\\xff\"");
  EXPECT_EQ(quoteString("abc", true), "\"abc\"...");
  EXPECT_EQ(hexAddress(0x1a2b), "0x00001a2b");
}

TEST(HitConditionParse, Forms) {
  auto check = [](std::string_view text, std::vector<uint64_t> hitsThatStop) {
    Result<HitCondition> c = HitCondition::parse(text);
    ASSERT_TRUE(c.ok()) << text << ": " << c.error().message;
    std::vector<uint64_t> stops;
    for (uint64_t hit = 1; hit <= 8; ++hit)
      if (c->matches(hit))
        stops.push_back(hit);
    EXPECT_EQ(stops, hitsThatStop) << text;
  };
  check("", {1, 2, 3, 4, 5, 6, 7, 8});
  check("3", {3});
  check(" == 3 ", {3});
  check("=3", {3});
  check(">6", {7, 8});
  check(">=6", {6, 7, 8});
  check("<3", {1, 2});
  check("<=2", {1, 2});
  check("%3", {3, 6});
  for (std::string_view bad : {"x", "%0", ">=", "3x", "-1", "> > 2"}) {
    Result<HitCondition> c = HitCondition::parse(bad);
    ASSERT_FALSE(c.ok()) << bad;
    EXPECT_NE(c.error().message.find("invalid hit condition"), std::string::npos);
  }
}

TEST(ChildExpression, Parenthesises) {
  ChildValue member;
  member.access = ChildAccess::Member;
  member.member = "x";
  EXPECT_EQ(ValueFormatter::childExpression("p->q", member), "p->q.x");
  EXPECT_EQ(ValueFormatter::childExpression("*p", member), "(*p).x");
  EXPECT_EQ(ValueFormatter::childExpression("a - b", member), "(a - b).x");
  ChildValue index;
  index.access = ChildAccess::Index;
  index.member = "3";
  EXPECT_EQ(ValueFormatter::childExpression("a.b", index), "a.b[3]");
  ChildValue arrow;
  arrow.access = ChildAccess::Arrow;
  arrow.member = "next";
  EXPECT_EQ(ValueFormatter::childExpression("p", arrow), "p->next");
  EXPECT_EQ(ValueFormatter::childExpression("p + 1", arrow), "(p + 1)->next");
}

} // namespace
} // namespace wasmscope::debugger
