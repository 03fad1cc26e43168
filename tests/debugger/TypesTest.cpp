// The type graph: structs with nested and self-referencing members,
// bitfields, unions, enums, arrays, typedefs, qualifiers, function pointers,
// C++ classes with bases and templates.
#include "SymbolsTestSupport.h"

#include <gtest/gtest.h>

namespace wasmscope::debugger::test {
namespace {

const Member *member(const Type *t, const std::string &name) {
  for (const Member &m : t->members)
    if (m.name == name)
      return &m;
  return nullptr;
}

class TypesTest : public ::testing::TestWithParam<const char *> {};

TEST_P(TypesTest, StructNode) {
  Loaded l = loadModule(GetParam());
  ASSERT_TRUE(l.symbols);
  const Type *node = l.symbols->findType("struct node");
  ASSERT_TRUE(node);
  EXPECT_EQ(node, l.symbols->findType("node"));
  EXPECT_EQ(node->kind, TypeKind::Struct);
  EXPECT_FALSE(node->isDeclaration);
  EXPECT_EQ(node->displayName(), "struct node");
  struct Expect {
    const char *name;
    uint64_t offset;
    const char *type;
  };
  for (const Expect &e :
       {Expect{"value", 0, "int"}, Expect{"next", 4, "struct node *"},
        Expect{"label", 8, "const char *"}, Expect{"pos", 12, "point_t"},
        Expect{"color", 20, "enum color"}, Expect{"grid", 24, "double[2][3]"},
        Expect{"callback", 72, "int (*)(int)"}, Expect{"counter", 76, "volatile int"}}) {
    const Member *m = member(node, e.name);
    ASSERT_TRUE(m) << e.name;
    EXPECT_EQ(m->byteOffset, e.offset) << e.name;
    ASSERT_TRUE(m->type) << e.name;
    EXPECT_EQ(m->type->displayName(), e.type) << e.name;
  }
  EXPECT_EQ(node->byteSize, 80u);
  // The pointer leads back to the struct itself.
  const Type *next = member(node, "next")->type;
  EXPECT_EQ(next->kind, TypeKind::Pointer);
  EXPECT_EQ(next->target, node);
  EXPECT_EQ(next->byteSize, 4u);
  const Type *grid = member(node, "grid")->type;
  ASSERT_EQ(grid->dimensions.size(), 2u);
  EXPECT_EQ(grid->dimensions[0].count, 2u);
  EXPECT_EQ(grid->dimensions[1].count, 3u);
  EXPECT_EQ(grid->byteSize, 48u);
  const Type *callback = member(node, "callback")->type->target;
  ASSERT_EQ(callback->kind, TypeKind::Subroutine);
  ASSERT_EQ(callback->parameters.size(), 1u);
  EXPECT_EQ(callback->parameters[0]->name, "int");
}

TEST_P(TypesTest, TypedefEnumUnionBitfields) {
  Loaded l = loadModule(GetParam());
  ASSERT_TRUE(l.symbols);
  const Type *pointT = l.symbols->findType("point_t");
  ASSERT_TRUE(pointT);
  EXPECT_EQ(pointT->kind, TypeKind::Typedef);
  EXPECT_EQ(pointT->stripped(), l.symbols->findType("struct point"));
  EXPECT_EQ(pointT->byteSize, 8u);

  const Type *color = l.symbols->findType("enum color");
  ASSERT_TRUE(color);
  ASSERT_EQ(color->enumerators.size(), 3u);
  EXPECT_EQ(color->enumerators[0].name, "RED");
  EXPECT_EQ(color->enumerators[0].value, 0);
  EXPECT_EQ(color->enumerators[1].value, 5);
  EXPECT_EQ(color->enumerators[2].name, "BLUE");
  EXPECT_EQ(color->enumerators[2].value, -1);

  const Type *number = l.symbols->findType("union number");
  ASSERT_TRUE(number);
  EXPECT_EQ(number->kind, TypeKind::Union);
  EXPECT_EQ(number->byteSize, 4u);
  EXPECT_EQ(member(number, "f")->type->encoding, BaseEncoding::Float);
  EXPECT_EQ(member(number, "bytes")->type->displayName(), "uint8_t[4]");
  EXPECT_EQ(member(number, "bytes")->byteOffset, 0u);

  const Type *flags = l.symbols->findType("struct flags");
  ASSERT_TRUE(flags);
  const Member *a = member(flags, "a");
  const Member *b = member(flags, "b");
  const Member *c = member(flags, "c");
  const Member *tail = member(flags, "tail");
  ASSERT_TRUE(a && b && c && tail);
  EXPECT_EQ(a->bitSize, 3u);
  EXPECT_EQ(a->byteOffset * 8 + a->bitOffset, 0u);
  EXPECT_EQ(b->bitSize, 5u);
  EXPECT_EQ(b->byteOffset * 8 + b->bitOffset, 3u);
  EXPECT_EQ(c->bitSize, 7u);
  EXPECT_EQ(c->byteOffset * 8 + c->bitOffset, 8u);
  EXPECT_EQ(tail->bitSize, 0u);
  EXPECT_EQ(c->type->encoding, BaseEncoding::Signed);
  EXPECT_EQ(l.symbols->findType("no_such_type"), nullptr);
}

INSTANTIATE_TEST_SUITE_P(Modules, TypesTest,
                         ::testing::Values("structs.O0.wasm", "structs.dwarf5.O0.wasm"));

TEST(Types, CppClassesAndTemplates) {
  for (const char *name : {"templates.O0.wasm", "templates.dwarf5.O0.wasm"}) {
    Loaded l = loadModule(name);
    ASSERT_TRUE(l.symbols);
    const Type *rect = l.symbols->findType("geo::Rect");
    ASSERT_TRUE(rect) << name;
    EXPECT_EQ(rect, l.symbols->findType("class geo::Rect"));
    EXPECT_EQ(rect->kind, TypeKind::Class);
    EXPECT_EQ(rect->name, "Rect");
    EXPECT_EQ(rect->qualifiedName, "geo::Rect");
    EXPECT_EQ(rect->displayName(), "class geo::Rect");
    ASSERT_FALSE(rect->members.empty());
    EXPECT_TRUE(rect->members[0].isBaseClass);
    EXPECT_EQ(rect->members[0].name, "Shape");
    const Member *w = member(rect, "m_w");
    ASSERT_TRUE(w);
    EXPECT_EQ(w->type->name, "double");
    EXPECT_EQ(w->byteOffset, 8u);
    const Type *buffer = l.symbols->findType("geo::Buffer<int, 4>");
    ASSERT_TRUE(buffer) << name;
    const Member *data = member(buffer, "data");
    ASSERT_TRUE(data);
    EXPECT_EQ(data->type->displayName(), "int[4]");
    EXPECT_EQ(buffer->byteSize, 16u);
  }
}

} // namespace
} // namespace wasmscope::debugger::test
