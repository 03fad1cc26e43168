// A C++ program whose locals are libc++ containers and smart pointers, and a
// class hierarchy with a virtual base and a method: what the debugger's
// library formatters show (tests/dap/formatters.test.js,
// tests/debugger/session/FormattersSessionTest.cpp). Markers (@name) mark
// the lines tests stop on.
#include <cstdio>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace geo {

struct Shape {
  virtual ~Shape() = default;
  int id = 7;
};

struct Circle : Shape {
  double radius = 2.5;
  double area() const {
    return 3.0 * radius * radius; // @area
  }
};

template <typename T> T twice(T value) {
  return value + value; // @twice
}

} // namespace geo

int main() {
  std::string shortText = "hi";
  std::string longText = "a string longer than the short buffer";
  std::string empty;
  std::vector<int> numbers = {1, 2, 3, 5, 8};
  std::vector<std::string> words = {"alpha", "beta"};
  std::map<int, std::string> names = {{3, "three"}, {1, "one"}, {2, "two"}};
  std::unordered_map<std::string, int> counts = {{"apple", 3}};
  std::optional<int> some = 42;
  std::optional<int> none;
  std::unique_ptr<geo::Circle> owned = std::make_unique<geo::Circle>();
  std::unique_ptr<int> nothing;
  std::shared_ptr<int> shared = std::make_shared<int>(11);
  std::shared_ptr<int> sharedAgain = shared;
  geo::Circle circle;
  double area = circle.area();
  int doubled = geo::twice(21);
  std::printf("%zu %zu %zu %zu %zu %d %d %f %ld %d %d\n", shortText.size(), longText.size(), // @print
              empty.size(), numbers.size(), words.size(), counts["apple"], *some, area,
              shared.use_count(), doubled, int(none.has_value() + (nothing ? 1 : 0)));
  return names.size() == 3 ? 0 : 1;
}
