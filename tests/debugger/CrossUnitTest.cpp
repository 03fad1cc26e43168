// What real programs need of the reader beyond one compile unit: types
// declared in one unit and defined in another, code and data the linker
// removed, sources embedded in the module, and source paths as a user on
// another machine spells them.
#include "SymbolsTestSupport.h"

#include "wasmscope/symbols/SourcePaths.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <unistd.h>

namespace wasmscope::debugger::test {
namespace {

namespace fs = std::filesystem;

Loaded loadReal(const std::string &name) {
  std::string path = std::string(SYMBOLS_REAL_GUESTS) + "/" + name;
  if (!fs::exists(path))
    return {};
  return loadBytes(readFile(path));
}

const Variable *parameter(const ModuleSymbols &s, const std::string &function,
                          const std::string &name) {
  for (const Function *fn : s.findFunctions(function))
    for (const Variable &v : fn->scope.variables)
      if (v.name == name)
        return &v;
  return nullptr;
}

class CrossUnit : public ::testing::TestWithParam<const char *> {};
INSTANTIATE_TEST_SUITE_P(Builds, CrossUnit, ::testing::Values("O0", "O2"));

TEST_P(CrossUnit, AnOpaqueTypeIsItsDefinitionFromAnotherUnit) {
  Loaded l = loadReal(std::string("tinylua.") + GetParam() + ".wasm");
  if (!l.symbols)
    GTEST_SKIP() << "tinylua is not built";
  // tbaselib.c sees only `typedef struct tl_State tl_State;`.
  const Variable *L = parameter(*l.symbols, "base_print", "L");
  ASSERT_TRUE(L);
  ASSERT_TRUE(L->type);
  EXPECT_EQ(L->type->displayName(), "tl_State *");
  const Type *state = L->type->target ? L->type->target->stripped() : nullptr;
  ASSERT_TRUE(state);
  EXPECT_EQ(state->kind, TypeKind::Struct);
  EXPECT_FALSE(state->isDeclaration);
  EXPECT_EQ(state->byteSize, 1368u);
  EXPECT_EQ(state->members.size(), 11u);
  // A typedef of the declaration in that unit has the size now too.
  EXPECT_EQ(L->type->target->byteSize, 1368u);
}

TEST_P(CrossUnit, AStructMemberOfAnOpaquePointerType) {
  Loaded l = loadReal(std::string("minisql.") + GetParam() + ".wasm");
  if (!l.symbols)
    GTEST_SKIP() << "minisql is not built";
  const Type *shell = l.symbols->findType("ShellState");
  ASSERT_TRUE(shell);
  shell = shell->stripped();
  ASSERT_FALSE(shell->members.empty());
  const Member &db = shell->members.front();
  EXPECT_EQ(db.name, "db");
  ASSERT_TRUE(db.type && db.type->target);
  const Type *msql = db.type->target->stripped();
  EXPECT_FALSE(msql->isDeclaration);
  EXPECT_GT(msql->byteSize, 0u);
}

TEST(CrossUnitNames, MainIsShownAsWritten) {
  Loaded l = loadReal("tinylua.O0.wasm");
  if (!l.symbols)
    GTEST_SKIP() << "tinylua is not built";
  std::vector<const Function *> mains = l.symbols->findFunctions("main");
  ASSERT_EQ(mains.size(), 1u);
  EXPECT_EQ(mains[0]->linkageName, "__main_argc_argv");
  EXPECT_EQ(mains[0]->name, "__main_argc_argv"); // As LLDB names it.
  EXPECT_EQ(mains[0]->displayName(), "main");
}

class Discarded : public ::testing::TestWithParam<const char *> {};
INSTANTIATE_TEST_SUITE_P(Builds, Discarded, ::testing::Values("O0", "O2", "embed"));

TEST_P(Discarded, TypesOfDiscardedCodeAreRead) {
  Loaded l = loadModule(std::string("discarded.") + GetParam() + ".wasm");
  ASSERT_TRUE(l.symbols);
  for (const SymbolWarning &w : l.warnings)
    ADD_FAILURE() << w.describe();
  // The removed function's static table: an array of a struct declared in
  // that function, its array type at unit level.
  bool found = false;
  for (const Type *t : l.symbols->types())
    if (t->kind == TypeKind::Array && t->target &&
        t->target->stripped()->kind == TypeKind::Struct &&
        t->target->stripped()->members.size() == 2 &&
        t->target->stripped()->members[1].name == "value")
      found = true;
  EXPECT_TRUE(found);
}

TEST_P(Discarded, StaticsTheLinkerRemovedAreNotGlobals) {
  Loaded l = loadModule(std::string("discarded.") + GetParam() + ".wasm");
  ASSERT_TRUE(l.symbols);
  std::vector<std::string> names;
  for (const Variable &v : l.symbols->globalVariables())
    names.push_back(v.name);
  auto has = [&](const char *n) { return std::find(names.begin(), names.end(), n) != names.end(); };
  EXPECT_TRUE(has("kept_total"));
  EXPECT_TRUE(has("kept_banner"));
  EXPECT_FALSE(has("discarded_counter"));
  EXPECT_FALSE(has("table"));
}

TEST(Embedded, SourcesCarriedInTheModuleAreRead) {
  Loaded embedded = loadModule("discarded.embed.wasm");
  Loaded plain = loadModule("discarded.O0.wasm");
  ASSERT_TRUE(embedded.symbols && plain.symbols);
  std::optional<FileIndex> file = embedded.symbols->findFile("discarded.c");
  ASSERT_TRUE(file);
  const std::string *text = embedded.symbols->embeddedSource(*file);
  ASSERT_TRUE(text);
  std::ifstream in(sourcePath("discarded.c"), std::ios::binary);
  std::string expected{std::istreambuf_iterator<char>(in), {}};
  EXPECT_EQ(*text, expected);
  std::optional<FileIndex> plainFile = plain.symbols->findFile("discarded.c");
  ASSERT_TRUE(plainFile);
  EXPECT_EQ(plain.symbols->embeddedSource(*plainFile), nullptr);
}

// ------------------------------------------------------------------ paths --

TEST(SourcePaths, LexicalNormalisation) {
  EXPECT_EQ(lexicallyNormal("/a/b/../c/./d"), "/a/c/d");
  EXPECT_EQ(lexicallyNormal("/a//b/"), "/a/b");
  EXPECT_EQ(lexicallyNormal("/../x"), "/x");
  EXPECT_EQ(lexicallyNormal("a/../../b"), "../b");
  EXPECT_EQ(lexicallyNormal("./x.c"), "x.c");
  EXPECT_EQ(lexicallyNormal("."), ".");
}

TEST(SourcePaths, SourceMapPrefixesMatchWholeComponents) {
  SourceMap map;
  map.add("/ci/build", "/home/me/proj");
  map.add("/ci/build/vendor", "/opt/vendor");
  EXPECT_EQ(map.toLocal("/ci/build/src/x.c"), "/home/me/proj/src/x.c");
  EXPECT_EQ(map.toLocal("/ci/build/vendor/z.c"), "/opt/vendor/z.c"); // Longest prefix.
  EXPECT_EQ(map.toLocal("/ci/buildx/y.c"), std::nullopt);
  EXPECT_EQ(map.toLocal("/ci/build/../other/x.c"), std::nullopt);
  EXPECT_EQ(map.toBuild("/home/me/proj/src/x.c"), "/ci/build/src/x.c");
  EXPECT_EQ(map.toBuild("/elsewhere/x.c"), std::nullopt);
  auto pair = SourceMap::parsePair("/a=/b");
  ASSERT_TRUE(pair.ok());
  EXPECT_EQ(pair->first, "/a");
  EXPECT_EQ(pair->second, "/b");
  EXPECT_FALSE(SourceMap::parsePair("/a").ok());
  EXPECT_FALSE(SourceMap::parsePair("=/b").ok());
}

TEST(SourcePaths, FilesFoundHoweverTheUserSpellsThem) {
  Loaded l = loadReal("tinylua.O0.wasm");
  if (!l.symbols)
    GTEST_SKIP() << "tinylua is not built";
  std::optional<FileIndex> tvm = l.symbols->findFile("tinylua/tvm.c");
  ASSERT_TRUE(tvm);
  std::string real = l.symbols->filePath(*tvm);
  std::string dir = real.substr(0, real.rfind('/'));
  SourceResolver plain(*l.symbols);
  EXPECT_EQ(plain.find(real), tvm);
  EXPECT_EQ(plain.find(dir + "/../tinylua/./tvm.c"), tvm);
  EXPECT_EQ(plain.find("tvm.c"), tvm);
  // Another checkout: the longest run of trailing components decides.
  EXPECT_EQ(plain.find("/home/me/src/tinylua/tvm.c"), tvm);
  EXPECT_EQ(plain.localPath(*tvm), "/home/me/src/tinylua/tvm.c");
  EXPECT_EQ(plain.find("/home/me/src/tinylua/nothere.c"), std::nullopt);
  // Through a symlink to the sources' directory.
  fs::path link = fs::temp_directory_path() / ("wasmscope-link-" + std::to_string(::getpid()));
  fs::remove(link);
  fs::create_directory_symlink(dir, link);
  SourceResolver viaLink(*l.symbols);
  EXPECT_EQ(viaLink.find((link / "tvm.c").string()), tvm);
  EXPECT_EQ(viaLink.localPath(*tvm), (link / "tvm.c").string());
  fs::remove(link);
  // With a source map, both ways.
  SourceMap map;
  map.add(dir, "/laptop/tinylua");
  SourceResolver mapped(*l.symbols, map);
  EXPECT_EQ(mapped.find("/laptop/tinylua/tvm.c"), tvm);
  EXPECT_EQ(mapped.localPath(*tvm), "/laptop/tinylua/tvm.c");
}

} // namespace
} // namespace wasmscope::debugger::test
