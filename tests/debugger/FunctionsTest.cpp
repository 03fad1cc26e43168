// Functions: names (demangled C++), ranges, wasm indexes, inlined chains and
// the name-section fallback.
#include "SymbolsTestSupport.h"

#include <gtest/gtest.h>

namespace wasmscope::debugger::test {
namespace {

TEST(Functions, CFunctionsWithRangesAndIndexes) {
  Loaded l = loadModule("structs.O0.wasm");
  ASSERT_TRUE(l.symbols);
  EXPECT_TRUE(l.symbols->hasDwarf());
  for (const char *name : {"make_list", "sum_list", "scopes", "divide", "twice"}) {
    auto fns = l.symbols->findFunctions(name);
    ASSERT_EQ(fns.size(), 1u) << name;
    const Function *fn = fns[0];
    EXPECT_TRUE(fn->fromDwarf);
    EXPECT_EQ(fn->name, name);
    EXPECT_EQ(l.symbols->functionAt(fn->lowPc()), fn);
    EXPECT_EQ(l.symbols->functionAt(fn->ranges.back().high - 1), fn);
    EXPECT_EQ(l.symbols->file(fn->declFile)->name, "structs.c");
    ASSERT_NE(fn->funcIndex, runtime::kNoIndex) << name;
    EXPECT_EQ(l.module->functionName(fn->funcIndex), name);
    EXPECT_FALSE(fn->frameBase.empty());
  }
  auto divide = l.symbols->findFunctions("divide")[0];
  EXPECT_EQ(divide->declLine, lineOf("structs.c", "int divide(int a, int b) {"));
  ASSERT_TRUE(divide->returnType);
  EXPECT_EQ(divide->returnType->name, "int");
  // Sorted by address, no overlaps.
  const auto &all = l.symbols->functions();
  for (size_t i = 1; i < all.size(); ++i)
    EXPECT_LE(all[i - 1]->ranges.back().high, all[i]->lowPc());
}

TEST(Functions, CppNamesAreDemangled) {
  for (const char *name : {"templates.O0.wasm", "templates.dwarf5.O0.wasm"}) {
    Loaded l = loadModule(name);
    ASSERT_TRUE(l.symbols);
    auto useAll = l.symbols->findFunctions("useAll(int)");
    ASSERT_EQ(useAll.size(), 1u) << name;
    EXPECT_EQ(useAll[0]->linkageName, "_Z6useAlli");
    EXPECT_EQ(useAll[0]->shortName, "useAll");
    EXPECT_EQ(l.symbols->findFunctions("_Z6useAlli").size(), 1u);
    EXPECT_EQ(l.symbols->findFunctions("useAll").size(), 1u);
    auto area = l.symbols->findFunctions("geo::Rect::area() const");
    ASSERT_EQ(area.size(), 1u);
    EXPECT_EQ(area[0]->shortName, "area");
    auto maxInt = l.symbols->findFunctions("int geo::maxOf<int>(int const&, int const&)");
    EXPECT_EQ(maxInt.size(), 1u);
    auto sum = l.symbols->findFunctions("geo::Buffer<int, 4>::sum() const");
    EXPECT_EQ(sum.size(), 1u);
  }
  EXPECT_EQ(demangle("_ZN3geo4Rect4areaEv"), "geo::Rect::area()");
  EXPECT_EQ(demangle("main"), "main");
  EXPECT_EQ(demangle("_Znot a name"), "_Znot a name");
  // Rust's legacy mangling: the hash goes, the escapes are undone.
  EXPECT_EQ(demangle("_ZN11leaky_cache4main17h64bdef3f491a94a1E"), "leaky_cache::main");
  EXPECT_EQ(demangle("_ZN63_$LT$alloc..alloc..Global$u20$as$u20$core..alloc..Allocator$GT$"
                     "8allocate17h0123456789abcdefE"),
            "<alloc::alloc::Global as core::alloc::Allocator>::allocate");
  EXPECT_EQ(demangle("_ZN3std2rt10lang_start28_$u7b$$u7b$closure$u7d$$u7d$17h0123456789abcdefE"),
            "std::rt::lang_start::{{closure}}");
  EXPECT_EQ(demangle("_ZN4core3ptr45drop_in_place$LT$$RF$mut$u20$$u5b$u8$u5d$$GT$"
                     "17h0123456789abcdefE"),
            "core::ptr::drop_in_place<&mut [u8]>");
  // An unknown escape stays as it is; a C++ name is not touched.
  EXPECT_EQ(unescapeRustLegacy("a$ZZ$b..c"), "a$ZZ$b::c");
  EXPECT_EQ(demangle("_ZN2ns1fEi"), "ns::f(int)");
}

TEST(Functions, InlineChainAtO2) {
  for (const char *name : {"inline.O2.wasm", "inline.dwarf5.O2.wasm"}) {
    Loaded l = loadModule(name);
    ASSERT_TRUE(l.symbols);
    auto crash = l.symbols->findFunctions("crash");
    ASSERT_EQ(crash.size(), 1u);
    // Somewhere in crash, square is inlined from line 23, column 11.
    bool seen = false;
    for (uint32_t a = crash[0]->lowPc(); a < crash[0]->ranges.back().high; ++a) {
      auto chain = l.symbols->inlineChainAt(a);
      if (chain.empty())
        continue;
      seen = true;
      EXPECT_EQ(chain.front().name, "square");
      EXPECT_EQ(chain.front().callLine, lineOf("inline.c", "int v = square(k);"));
      EXPECT_EQ(chain.front().callColumn, 11u);
      EXPECT_EQ(l.symbols->file(chain.front().callFile)->name, "inline.c");
      EXPECT_EQ(chain.front().scope->declLine, lineOf("inline.c", "static inline int square"));
    }
    EXPECT_TRUE(seen) << name;
  }
}

TEST(Functions, NameSectionFallbackWithoutDwarf) {
  auto bytes = readFile(dataPath("structs.O0.wasm"));
  auto stripped = rewriteCustomSections(bytes,
                                        [](const std::string &name, std::vector<uint8_t> contents)
                                            -> std::optional<std::vector<uint8_t>> {
                                          if (name.rfind(".debug_", 0) == 0)
                                            return std::nullopt;
                                          return contents;
                                        });
  Loaded l = loadBytes(stripped);
  ASSERT_TRUE(l.symbols);
  EXPECT_FALSE(l.symbols->hasDwarf());
  EXPECT_TRUE(l.warnings.empty());
  EXPECT_EQ(l.symbols->functions().size(), l.module->codes.size());
  auto fns = l.symbols->findFunctions("divide");
  ASSERT_EQ(fns.size(), 1u);
  EXPECT_FALSE(fns[0]->fromDwarf);
  EXPECT_FALSE(l.symbols->locationAt(fns[0]->lowPc()));
  // Same entry as the DWARF says.
  Loaded full = loadModule("structs.O0.wasm");
  EXPECT_EQ(fns[0]->lowPc(), full.symbols->findFunctions("divide")[0]->lowPc());
  EXPECT_EQ(fns[0]->funcIndex, full.symbols->findFunctions("divide")[0]->funcIndex);
}

} // namespace
} // namespace wasmscope::debugger::test
