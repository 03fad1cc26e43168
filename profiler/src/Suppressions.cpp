// Suppression files (Suppressions.h): Valgrind's block syntax and
// LeakSanitizer's `leak:` lines, parsed with a FILE:LINE in every error, and
// matched against loss records' stacks as the two tools match them.
#include "wasmscope/profiler/Suppressions.h"

#include <algorithm>
#include <fstream>
#include <sstream>

namespace wasmscope::profiler {

using runtime::Error;
using runtime::ErrorCode;

// main runs under __main_void, so its block names the allocator frame
// right below it: only what __main_void allocates itself matches.
const char *const kDefaultSuppressions = R"(# wasi-libc start-up allocations that live until exit by design.
{
   wasi-libc: argv and its strings, allocated by __main_void itself
   Memcheck:Leak
   match-leak-kinds: all
   ...
   fun:*alloc
   fun:__main_void
}
{
   wasi-libc: the environment, copied before main
   Memcheck:Leak
   match-leak-kinds: all
   ...
   fun:__wasilibc_initialize_environ
}
{
   wasi-libc: the table of preopened directories
   Memcheck:Leak
   match-leak-kinds: all
   ...
   fun:__wasilibc_populate_preopens
}
)";

bool globMatch(std::string_view pattern, std::string_view text) {
  // Iterative wildcard match: remember the last `*` and retry from there.
  size_t p = 0, t = 0, star = std::string_view::npos, mark = 0;
  while (t < text.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == text[t])) {
      ++p;
      ++t;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*')
    ++p;
  return p == pattern.size();
}

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

std::string_view baseName(std::string_view path) {
  size_t slash = path.find_last_of('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

/// LeakSanitizer's pattern rule: plain text matches anywhere in the string;
/// `*` matches any run; a leading `^` anchors at the start and a trailing
/// `$` at the end.
bool sanitizerMatch(std::string_view pattern, std::string_view text) {
  if (text.empty())
    return false;
  bool anchoredStart = !pattern.empty() && pattern.front() == '^';
  if (anchoredStart)
    pattern.remove_prefix(1);
  bool afterStar = false;
  while (!pattern.empty()) {
    if (pattern.front() == '*') {
      pattern.remove_prefix(1);
      anchoredStart = false;
      afterStar = true;
      continue;
    }
    if (pattern.front() == '$')
      return text.empty() || afterStar;
    if (text.empty())
      return false;
    size_t cut = pattern.find_first_of("*$");
    std::string_view piece = pattern.substr(0, cut);
    size_t found = text.find(piece);
    if (found == std::string_view::npos || (anchoredStart && found != 0))
      return false;
    text.remove_prefix(found + piece.size());
    pattern.remove_prefix(piece.size());
    anchoredStart = false;
    afterStar = false;
  }
  return true;
}

bool frameMatches(const SuppressionPattern &p, const SuppressionFrame &f) {
  switch (p.kind) {
  case SuppressionPattern::Kind::Function:
    return globMatch(p.pattern, f.function) || (!f.mangled.empty() && globMatch(p.pattern, f.mangled));
  case SuppressionPattern::Kind::Object:
    return globMatch(p.pattern, f.object) || globMatch(p.pattern, baseName(f.object));
  case SuppressionPattern::Kind::Source:
    if (f.file.empty() || (p.line && p.line != f.line))
      return false;
    return globMatch(p.pattern, f.file) || globMatch(p.pattern, baseName(f.file));
  case SuppressionPattern::Kind::Ellipsis:
    return true;
  }
  return false;
}

/// Valgrind's rule: the patterns match the stack from its innermost frame,
/// each pattern one frame, `...` any number of frames (none included); the
/// stack may go on beyond the last pattern.
bool patternsMatch(std::span<const SuppressionPattern> patterns,
                   std::span<const SuppressionFrame> stack) {
  if (patterns.empty())
    return true;
  if (patterns.front().kind == SuppressionPattern::Kind::Ellipsis) {
    for (size_t skip = 0; skip <= stack.size(); ++skip)
      if (patternsMatch(patterns.subspan(1), stack.subspan(skip)))
        return true;
    return false;
  }
  if (stack.empty() || !frameMatches(patterns.front(), stack.front()))
    return false;
  return patternsMatch(patterns.subspan(1), stack.subspan(1));
}

std::optional<LeakKind> leakKindFromToken(std::string_view token) {
  if (token == "definite")
    return LeakKind::DefinitelyLost;
  if (token == "indirect")
    return LeakKind::IndirectlyLost;
  if (token == "possible")
    return LeakKind::PossiblyLost;
  if (token == "reachable")
    return LeakKind::StillReachable;
  return std::nullopt;
}

} // namespace

runtime::Result<void> SuppressionSet::add(std::string_view text, const std::string &origin) {
  std::vector<std::string_view> lines;
  for (size_t start = 0; start <= text.size();) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos)
      end = text.size();
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  auto fail = [&](size_t line, const std::string &what) {
    return Error(ErrorCode::InvalidArgument,
                 origin + ":" + std::to_string(line + 1) + ": " + what);
  };
  std::vector<Suppression> parsed;
  for (size_t i = 0; i < lines.size(); ++i) {
    std::string_view line = trim(lines[i]);
    if (line.empty() || line.front() == '#')
      continue;
    if (line.rfind("leak:", 0) == 0) {
      Suppression s;
      s.sanitizer = true;
      s.sanitizerPattern = std::string(trim(line.substr(5)));
      if (s.sanitizerPattern.empty())
        return fail(i, "empty leak: pattern");
      s.name = "leak:" + s.sanitizerPattern;
      s.origin = origin + ":" + std::to_string(i + 1);
      parsed.push_back(std::move(s));
      continue;
    }
    if (line.find(':') != std::string_view::npos && line.front() != '{') {
      // Other LeakSanitizer and sanitizer kinds (called_from_lib:, race:, ...)
      // do not apply to leaks.
      std::string_view kind = line.substr(0, line.find(':'));
      if (kind.find_first_of(" \t{}") == std::string_view::npos)
        continue;
    }
    if (line != "{")
      return fail(i, "expected '{' to start a Valgrind suppression or a 'leak:' line, got '" +
                         std::string(line) + "'");
    size_t open = i;
    Suppression s;
    s.origin = origin + ":" + std::to_string(i + 1);
    std::vector<std::string_view> body;
    for (++i; i < lines.size(); ++i) {
      std::string_view l = trim(lines[i]);
      if (l.empty() || l.front() == '#')
        continue;
      if (l == "}")
        break;
      body.push_back(l);
    }
    if (i >= lines.size())
      return fail(open, "suppression not closed with '}'");
    if (body.size() < 2)
      return fail(open, "a suppression needs a name and a TOOL:KIND line");
    s.name = std::string(body[0]);
    std::string_view toolKind = body[1];
    size_t colon = toolKind.find(':');
    if (colon == std::string_view::npos)
      return fail(open, "expected TOOL:KIND after the name, got '" + std::string(toolKind) + "'");
    std::string_view tools = toolKind.substr(0, colon);
    std::string_view kind = toolKind.substr(colon + 1);
    bool forLeaks = kind == "Leak" && (tools.find("Memcheck") != std::string_view::npos ||
                                       tools.find('*') != std::string_view::npos);
    size_t b = 2;
    if (b < body.size() && body[b].rfind("match-leak-kinds:", 0) == 0) {
      std::string_view list = trim(body[b].substr(17));
      while (!list.empty()) {
        size_t comma = list.find(',');
        std::string_view token = trim(list.substr(0, comma));
        list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
        if (token == "all") {
          s.kinds = {LeakKind::DefinitelyLost, LeakKind::IndirectlyLost, LeakKind::PossiblyLost,
                     LeakKind::StillReachable};
        } else if (token == "none") {
          s.kinds.clear();
        } else if (auto k = leakKindFromToken(token)) {
          s.kinds.push_back(*k);
        } else {
          return fail(open, "unknown leak kind '" + std::string(token) +
                                "' (definite, indirect, possible, reachable, all, none)");
        }
      }
      ++b;
    }
    for (; b < body.size(); ++b) {
      std::string_view f = body[b];
      SuppressionPattern p;
      if (f == "...") {
        p.kind = SuppressionPattern::Kind::Ellipsis;
      } else if (f.rfind("fun:", 0) == 0) {
        p.pattern = std::string(f.substr(4));
      } else if (f.rfind("obj:", 0) == 0) {
        p.kind = SuppressionPattern::Kind::Object;
        p.pattern = std::string(f.substr(4));
      } else if (f.rfind("src:", 0) == 0) {
        p.kind = SuppressionPattern::Kind::Source;
        std::string_view src = f.substr(4);
        size_t c = src.rfind(':');
        if (c != std::string_view::npos && c + 1 < src.size() &&
            src.substr(c + 1).find_first_not_of("0123456789") == std::string_view::npos) {
          p.line = uint32_t(std::stoul(std::string(src.substr(c + 1))));
          src = src.substr(0, c);
        }
        p.pattern = std::string(src);
      } else if (forLeaks) {
        return fail(open, "unknown frame line '" + std::string(f) +
                              "' (expected fun:, obj:, src: or ...)");
      } else {
        continue; // Extra lines of other error kinds (Memcheck:Param's syscall name).
      }
      s.frames.push_back(std::move(p));
    }
    if (forLeaks)
      parsed.push_back(std::move(s));
  }
  for (Suppression &s : parsed)
    m_suppressions.push_back(std::move(s));
  return runtime::success();
}

runtime::Result<void> SuppressionSet::addFile(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return Error(ErrorCode::IoError, "cannot read suppression file '" + path + "'");
  std::ostringstream text;
  text << in.rdbuf();
  return add(text.str(), path);
}

const Suppression *SuppressionSet::match(std::span<const SuppressionFrame> stack,
                                         LeakKind kind) const {
  for (const Suppression &s : m_suppressions) {
    if (s.sanitizer) {
      for (const SuppressionFrame &f : stack)
        if (sanitizerMatch(s.sanitizerPattern, f.function) ||
            (!f.mangled.empty() && sanitizerMatch(s.sanitizerPattern, f.mangled)) ||
            sanitizerMatch(s.sanitizerPattern, f.file) ||
            sanitizerMatch(s.sanitizerPattern, f.object))
          return &s;
      continue;
    }
    // Without match-leak-kinds, a Memcheck:Leak suppression matches every kind.
    if (!s.kinds.empty() && std::find(s.kinds.begin(), s.kinds.end(), kind) == s.kinds.end())
      continue;
    if (patternsMatch(s.frames, stack))
      return &s;
  }
  return nullptr;
}

} // namespace wasmscope::profiler
