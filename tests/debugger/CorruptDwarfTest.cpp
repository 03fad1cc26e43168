// Truncated and corrupted debug sections: loading never fails or crashes,
// warnings name the section, and whatever is readable is still used.
#include "SymbolsTestSupport.h"

#include <gtest/gtest.h>

#include <random>

namespace wasmscope::debugger::test {
namespace {

using Edit =
    std::function<std::optional<std::vector<uint8_t>>(const std::string &, std::vector<uint8_t>)>;

Loaded loadEdited(const std::string &module, const Edit &edit) {
  return loadBytes(rewriteCustomSections(readFile(dataPath(module)), edit));
}

bool warns(const Loaded &l, const std::string &section) {
  for (const SymbolWarning &w : l.warnings)
    if (w.section == section)
      return true;
  return false;
}

std::string allWarnings(const Loaded &l) {
  std::string s;
  for (const SymbolWarning &w : l.warnings)
    s += w.describe() + "\n";
  return s;
}

/// Keeps `fraction` of one section.
Edit truncate(const std::string &section, double fraction) {
  return
      [=](const std::string &name, std::vector<uint8_t> c) -> std::optional<std::vector<uint8_t>> {
        if (name == section)
          c.resize(size_t(double(c.size()) * fraction));
        return c;
      };
}

class Truncated : public ::testing::TestWithParam<std::tuple<const char *, const char *>> {};

TEST_P(Truncated, WarnsAndKeepsTheRest) {
  auto [module, section] = GetParam();
  for (double fraction : {0.0, 0.003, 0.25, 0.5, 0.9, 0.999}) {
    Loaded l = loadEdited(module, truncate(section, fraction));
    ASSERT_TRUE(l.symbols) << section << " " << fraction;
    // Functions are still all there: from DWARF or the name section.
    EXPECT_EQ(l.symbols->functions().size(), l.module->codes.size()) << fraction;
    EXPECT_EQ(l.symbols->findFunctions("twice").size(), 1u) << fraction;
    if (fraction < 0.9) {
      EXPECT_TRUE(warns(l, section)) << section << " " << fraction << "\n" << allWarnings(l);
    }
    for (const SymbolWarning &w : l.warnings)
      EXPECT_FALSE(w.section.empty());
  }
}

INSTANTIATE_TEST_SUITE_P(Sections, Truncated,
                         ::testing::Combine(::testing::Values("structs.O0.wasm",
                                                              "structs.dwarf5.O2.wasm"),
                                            ::testing::Values(".debug_info", ".debug_line",
                                                              ".debug_abbrev", ".debug_str")));

TEST(CorruptDwarf, TruncatedLocationListsWarn) {
  Loaded l = loadEdited("inline.O2.wasm", truncate(".debug_loc", 0.5));
  ASSERT_TRUE(l.symbols);
  EXPECT_TRUE(warns(l, ".debug_loc")) << allWarnings(l);
  Loaded l5 = loadEdited("inline.dwarf5.O2.wasm", truncate(".debug_loclists", 0.3));
  ASSERT_TRUE(l5.symbols);
  EXPECT_TRUE(warns(l5, ".debug_loclists")) << allWarnings(l5);
  // The line table is untouched.
  EXPECT_FALSE(l5.symbols->lineTable().empty());
}

TEST(CorruptDwarf, WarningsDescribeSectionAndOffset) {
  SymbolWarning w{".debug_line", 0x1a4, "truncated"};
  EXPECT_EQ(w.describe(), ".debug_line+0x1a4: truncated");
  SymbolWarning n{".debug_info", UINT64_MAX, "missing"};
  EXPECT_EQ(n.describe(), ".debug_info: missing");
}

TEST(CorruptDwarf, RandomByteFlipsNeverCrash) {
  // Seeded, so a failure reproduces. Each round corrupts a few bytes of one
  // section; loading must return, and the module's functions stay known.
  std::mt19937 rng(20240611);
  const char *sections[] = {".debug_info",        ".debug_abbrev",   ".debug_line",
                            ".debug_loc",         ".debug_ranges",   ".debug_str",
                            ".debug_loclists",    ".debug_rnglists", ".debug_addr",
                            ".debug_str_offsets", ".debug_line_str"};
  const char *modules[] = {"structs.O2.wasm", "inline.dwarf5.O2.wasm", "templates.O0.wasm"};
  size_t rounds = 0;
  for (const char *module : modules) {
    auto original = readFile(dataPath(module));
    for (const char *section : sections) {
      for (int round = 0; round < 25; ++round) {
        int flips = 1 + int(rng() % 8);
        uint32_t seed = rng();
        auto bytes = rewriteCustomSections(original,
                                           [&](const std::string &name, std::vector<uint8_t> c)
                                               -> std::optional<std::vector<uint8_t>> {
                                             if (name == section && !c.empty()) {
                                               std::mt19937 r(seed);
                                               for (int i = 0; i < flips; ++i)
                                                 c[r() % c.size()] = uint8_t(r());
                                             }
                                             return c;
                                           });
        Loaded l = loadBytes(bytes);
        ASSERT_TRUE(l.symbols) << module << " " << section << " round " << round;
        EXPECT_GE(l.symbols->functions().size(), l.module->codes.size() / 2);
        // Queries on whatever was loaded stay safe.
        for (const auto &fn : l.symbols->functions()) {
          (void)l.symbols->locationAt(fn->lowPc());
          (void)l.symbols->variablesAt(fn->bodyAddress);
          (void)l.symbols->inlineChainAt(fn->bodyAddress);
        }
        ++rounds;
      }
    }
  }
  EXPECT_GT(rounds, 500u);
}

} // namespace
} // namespace wasmscope::debugger::test
