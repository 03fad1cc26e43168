// Address-to-line lookups and the line table as indexed.
#include "SymbolsTestSupport.h"

#include <gtest/gtest.h>

namespace wasmscope::debugger::test {
namespace {

class LineTableTest : public ::testing::TestWithParam<const char *> {};

TEST_P(LineTableTest, EveryRowIsFoundAtItsAddress) {
  Loaded l = loadModule(GetParam());
  ASSERT_TRUE(l.symbols);
  const auto &rows = l.symbols->lineTable();
  ASSERT_GT(rows.size(), 100u);
  for (const SourceLocation &row : rows) {
    if (row.address == row.endAddress)
      continue;
    auto loc = l.symbols->locationAt(row.address);
    ASSERT_TRUE(loc) << std::hex << row.address;
    EXPECT_EQ(loc->line, row.line);
    EXPECT_EQ(loc->file, row.file);
    // The last byte of the row still maps to it.
    auto last = l.symbols->locationAt(row.endAddress - 1);
    ASSERT_TRUE(last);
    EXPECT_EQ(last->address, row.address);
  }
}

TEST_P(LineTableTest, NoLocationOutsideCode) {
  Loaded l = loadModule(GetParam());
  ASSERT_TRUE(l.symbols);
  EXPECT_FALSE(l.symbols->locationAt(0));
  EXPECT_FALSE(l.symbols->locationAt(0xfffffff0u));
  EXPECT_EQ(l.symbols->functionAt(0), nullptr);
}

TEST_P(LineTableTest, FindFileBySuffix) {
  Loaded l = loadModule(GetParam());
  ASSERT_TRUE(l.symbols);
  auto f = l.symbols->findFile("structs.c");
  ASSERT_TRUE(f);
  EXPECT_EQ(l.symbols->findFile("data/structs.c"), f);
  EXPECT_EQ(l.symbols->findFile(sourcePath("structs.c")), f);
  EXPECT_FALSE(l.symbols->findFile("ructs.c"));
  EXPECT_FALSE(l.symbols->findFile("nothere.c"));
}

INSTANTIATE_TEST_SUITE_P(Modules, LineTableTest,
                         ::testing::Values("structs.O0.wasm", "structs.O2.wasm",
                                           "structs.dwarf5.O0.wasm", "structs.dwarf5.O2.wasm"));

TEST(LineTable, DivideReturnLine) {
  // -O0 only: at -O2 divide() is inlined into main and its copy discarded.
  for (const char *name : {"structs.O0.wasm", "structs.dwarf5.O0.wasm"}) {
    Loaded l = loadModule(name);
    ASSERT_TRUE(l.symbols);
    auto fns = l.symbols->findFunctions("divide");
    ASSERT_EQ(fns.size(), 1u);
    const Function *divide = fns[0];
    uint32_t returnLine = lineOf("structs.c", "return a / b;");
    // Some address of divide maps to the return line, in structs.c.
    bool found = false;
    for (uint32_t a = divide->lowPc(); a < divide->ranges.back().high; ++a) {
      auto loc = l.symbols->locationAt(a);
      if (loc && loc->line == returnLine) {
        found = true;
        EXPECT_EQ(l.symbols->file(loc->file)->name, "structs.c");
      }
    }
    EXPECT_TRUE(found) << name;
    auto lines = l.symbols->linesWithCode(*l.symbols->findFile("structs.c"));
    EXPECT_NE(std::find(lines.begin(), lines.end(), returnLine), lines.end());
  }
}

TEST(LineTable, PathsAreNormalized) {
  Loaded l = loadModule("structs.O0.wasm");
  ASSERT_TRUE(l.symbols);
  for (const SourceFile &f : l.symbols->files()) {
    EXPECT_EQ(f.path.find("/./"), std::string::npos) << f.path;
    EXPECT_NE(f.path.rfind("./", 0), 0u) << f.path;
  }
  EXPECT_EQ(l.symbols->findFile("./structs.c"), l.symbols->findFile("structs.c"));
}

TEST(LineTable, CompileUnitsAndVersions) {
  Loaded l4 = loadModule("structs.O0.wasm");
  Loaded l5 = loadModule("structs.dwarf5.O0.wasm");
  ASSERT_TRUE(l4.symbols && l5.symbols);
  auto versionOf = [](const ModuleSymbols &s) {
    for (const CompileUnit &cu : s.compileUnits())
      if (cu.name.find("structs.c") != std::string::npos)
        return int(cu.dwarfVersion);
    return 0;
  };
  EXPECT_EQ(versionOf(*l4.symbols), 4);
  EXPECT_EQ(versionOf(*l5.symbols), 5);
  EXPECT_TRUE(l4.warnings.empty());
  EXPECT_TRUE(l5.warnings.empty());
}

} // namespace
} // namespace wasmscope::debugger::test
