// Readable type names (debugger/session/src/TypeNames.h): libc++'s inline
// namespace and the standard containers' default template arguments left
// out, as LLDB shows them, on the spellings clang-19 writes in DWARF; and
// names it does not know, or cannot read, left as they were.
#include "TypeNames.h"

#include <gtest/gtest.h>

#include <string>

namespace wasmscope::debugger {
namespace {

const std::string kString =
    "std::__2::basic_string<char, std::__2::char_traits<char>, std::__2::allocator<char> >";

TEST(ReadableTypeName, LibcxxContainersAsWritten) {
  EXPECT_EQ(readableTypeName("std::__2::string"), "std::string");
  EXPECT_EQ(readableTypeName(kString), "std::string");
  EXPECT_EQ(readableTypeName("class std::__2::vector<int, std::__2::allocator<int> >"),
            "class std::vector<int>");
  EXPECT_EQ(readableTypeName("std::__2::vector<" + kString + ", std::__2::allocator<" + kString +
                             " > >"),
            "std::vector<std::string>");
  EXPECT_EQ(readableTypeName("std::__2::map<int, " + kString +
                             ", std::__2::less<int>, std::__2::allocator<std::__2::pair<const "
                             "int, " +
                             kString + " > > >"),
            "std::map<int, std::string>");
  EXPECT_EQ(readableTypeName("std::__2::unordered_map<" + kString + ", int, std::__2::hash<" +
                             kString + " >, std::__2::equal_to<" + kString +
                             " >, std::__2::allocator<std::__2::pair<const " + kString +
                             ", int> > >"),
            "std::unordered_map<std::string, int>");
  EXPECT_EQ(readableTypeName("std::__2::unique_ptr<geo::Circle, "
                             "std::__2::default_delete<geo::Circle> > *"),
            "std::unique_ptr<geo::Circle> *");
  EXPECT_EQ(
      readableTypeName("std::__2::set<long, std::__2::less<long>, std::__2::allocator<long> >"),
      "std::set<long>");
  EXPECT_EQ(
      readableTypeName("std::__2::basic_string_view<wchar_t, std::__2::char_traits<wchar_t> >"),
      "std::wstring_view");
  EXPECT_EQ(readableTypeName("std::__2::shared_ptr<int>"), "std::shared_ptr<int>");
}

TEST(ReadableTypeName, KeepsWhatIsNotADefault) {
  // A custom allocator or comparator stays.
  EXPECT_EQ(readableTypeName("std::__2::vector<int, my::arena<int> >"),
            "std::vector<int, my::arena<int>>");
  EXPECT_EQ(readableTypeName("std::__2::map<int, int, std::__2::greater<int>, "
                             "std::__2::allocator<std::__2::pair<const int, int> > >"),
            "std::map<int, int, std::greater<int>>");
  // Not the standard library's: left alone but for the spacing.
  EXPECT_EQ(readableTypeName("geo::Box<int, std::__2::allocator<int> >"),
            "geo::Box<int, std::allocator<int>>");
  EXPECT_EQ(readableTypeName("struct node *"), "struct node *");
  EXPECT_EQ(readableTypeName("int (*)(int, char)"), "int (*)(int, char)");
  EXPECT_EQ(readableTypeName("std::array<int, 4>"), "std::array<int, 4>");
  EXPECT_EQ(readableTypeName("foo<>"), "foo<>");
  // "my::std::__2::x" is not libc++'s namespace.
  EXPECT_EQ(readableTypeName("my::std::__2::x"), "my::std::__2::x");
}

TEST(ReadableTypeName, MalformedNamesComeBackUnharmed) {
  EXPECT_EQ(readableTypeName("std::__2::vector<int"), "std::vector<int");
  EXPECT_EQ(readableTypeName("a<b<c>"), "a<b<c>");
  EXPECT_EQ(readableTypeName("a>b"), "a>b");
  EXPECT_EQ(readableTypeName(""), "");
  EXPECT_EQ(readableTypeName("<<<>>>"), "<<<>>>");
  std::string deep(100000, '<');
  EXPECT_EQ(readableTypeName(deep), deep);
  std::string nested;
  for (int i = 0; i < 5000; ++i)
    nested = "v<" + nested + ">";
  EXPECT_FALSE(readableTypeName(nested).empty());
}

} // namespace
} // namespace wasmscope::debugger
