// Readable type names (TypeNames.h). The name is read as text: each
// template-id's arguments are simplified first (inside out), then its
// trailing arguments that equal the template's default for the arguments
// before them are dropped. The defaults are spelled by the same printer, so
// that comparing them is comparing canonical text.
#include "TypeNames.h"

#include <cctype>
#include <optional>
#include <vector>

namespace wasmscope::debugger {

namespace {

/// Nesting deeper than this is printed as it came (a guard for hostile
/// names; real ones nest a handful of levels).
constexpr int kMaxDepth = 64;

std::string trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t");
  if (b == std::string_view::npos)
    return {};
  size_t e = s.find_last_not_of(" \t");
  return std::string(s.substr(b, e - b + 1));
}

/// "std::__2::" (libc++'s inline ABI namespace, any number) -> "std::".
std::string withoutAbiNamespaces(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    bool startsName =
        i == 0 || !(std::isalnum(uint8_t(s[i - 1])) || s[i - 1] == '_' || s[i - 1] == ':');
    if (startsName && s.compare(i, 7, "std::__") == 0) {
      size_t j = i + 7;
      while (j < s.size() && std::isdigit(uint8_t(s[j])))
        ++j;
      if (j > i + 7 && s.compare(j, 2, "::") == 0) {
        out += "std::";
        i = j + 2;
        continue;
      }
    }
    out += s[i++];
  }
  return out;
}

std::string spell(const std::string& name, const std::vector<std::string>& args) {
  std::string out = name + "<";
  for (size_t i = 0; i < args.size(); ++i)
    out += (i ? ", " : "") + args[i];
  return out + ">";
}

/// The default of argument `index` of template `name` given the arguments
/// before it, or nullopt when it has none (or the template is not one of
/// the standard library's containers).
std::optional<std::string> defaultArgument(const std::string& name,
                                           const std::vector<std::string>& args, size_t index) {
  auto arg = [&](size_t i) { return args[i]; };
  auto allocatorOf = [](const std::string& t) { return spell("std::allocator", {t}); };
  auto pairOf = [&](size_t k, size_t v) {
    return spell("std::pair", {"const " + arg(k), arg(v)});
  };
  if (name == "std::basic_string") {
    if (index == 1)
      return spell("std::char_traits", {arg(0)});
    if (index == 2)
      return allocatorOf(arg(0));
  } else if (name == "std::basic_string_view") {
    if (index == 1)
      return spell("std::char_traits", {arg(0)});
  } else if (name == "std::vector" || name == "std::deque" || name == "std::list" ||
             name == "std::forward_list") {
    if (index == 1)
      return allocatorOf(arg(0));
  } else if (name == "std::map" || name == "std::multimap") {
    if (index == 2)
      return spell("std::less", {arg(0)});
    if (index == 3)
      return allocatorOf(pairOf(0, 1));
  } else if (name == "std::set" || name == "std::multiset") {
    if (index == 1)
      return spell("std::less", {arg(0)});
    if (index == 2)
      return allocatorOf(arg(0));
  } else if (name == "std::unordered_map" || name == "std::unordered_multimap") {
    if (index == 2)
      return spell("std::hash", {arg(0)});
    if (index == 3)
      return spell("std::equal_to", {arg(0)});
    if (index == 4)
      return allocatorOf(pairOf(0, 1));
  } else if (name == "std::unordered_set" || name == "std::unordered_multiset") {
    if (index == 1)
      return spell("std::hash", {arg(0)});
    if (index == 2)
      return spell("std::equal_to", {arg(0)});
    if (index == 3)
      return allocatorOf(arg(0));
  } else if (name == "std::unique_ptr") {
    if (index == 1)
      return spell("std::default_delete", {arg(0)});
  } else if (name == "std::queue" || name == "std::stack") {
    if (index == 1)
      return spell("std::deque", {arg(0)});
  }
  return std::nullopt;
}

std::string simplifyTemplate(const std::string& name, std::vector<std::string> args) {
  while (!args.empty()) {
    std::optional<std::string> fallback = defaultArgument(name, args, args.size() - 1);
    if (!fallback || *fallback != args.back())
      break;
    args.pop_back();
  }
  if (args.size() == 1) {
    static constexpr std::pair<const char*, const char*> kStrings[] = {
        {"char", "std::string"},       {"wchar_t", "std::wstring"},
        {"char8_t", "std::u8string"},  {"char16_t", "std::u16string"},
        {"char32_t", "std::u32string"}};
    for (const auto& [character, alias] : kStrings) {
      if (args[0] != character)
        continue;
      if (name == "std::basic_string")
        return alias;
      if (name == "std::basic_string_view")
        return std::string(alias) + "_view";
    }
  }
  return spell(name, args);
}

/// Copies `s` from `i` up to an unmatched ',' or '>' when `inArguments`
/// (else to the end), simplifying each template-id on the way; `i` is left
/// at the stopping character. `ok` turns false on an unbalanced '<'.
std::string simplify(std::string_view s, size_t& i, bool inArguments, int depth, bool& ok) {
  std::string out;
  while (i < s.size()) {
    char c = s[i];
    if (inArguments && (c == ',' || c == '>'))
      break;
    if (c != '<' || depth >= kMaxDepth) {
      out += c;
      ++i;
      continue;
    }
    // The template's name: the qualified identifier just before '<'.
    size_t start = out.size();
    while (start > 0 && (std::isalnum(uint8_t(out[start - 1])) || out[start - 1] == '_' ||
                         out[start - 1] == ':'))
      --start;
    std::string name = out.substr(start);
    ++i;
    std::vector<std::string> args;
    bool closed = false;
    while (i < s.size()) {
      std::string arg = trim(simplify(s, i, true, depth + 1, ok));
      if (i >= s.size())
        break;
      char stop = s[i++];
      if (!(stop == '>' && arg.empty() && args.empty()))
        args.push_back(std::move(arg));
      if (stop == '>') {
        closed = true;
        break;
      }
    }
    if (!closed) {
      ok = false;
      return out;
    }
    out.erase(start);
    out += simplifyTemplate(name, std::move(args));
  }
  return out;
}

} // namespace

std::string readableTypeName(std::string_view spelled) {
  std::string plain = withoutAbiNamespaces(spelled);
  size_t i = 0;
  bool ok = true;
  std::string out = simplify(plain, i, false, 0, ok);
  return ok && i == plain.size() ? out : plain;
}

} // namespace wasmscope::debugger
