// Leak suppressions in the two syntaxes people already have files in:
// Valgrind's (`{ name / Memcheck:Leak / match-leak-kinds: ... / fun:NAME /
// src:FILE:LINE / obj:OBJECT / ... }`) and LeakSanitizer's (`leak:PATTERN`
// lines). A loss record whose allocation stack matches a suppression is
// counted as suppressed and not shown, as both tools do.
#pragma once

#include "wasmscope/profiler/MemoryProfile.h"
#include "wasmscope/runtime/Result.h"

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace wasmscope::profiler {

/// One frame of a stack as suppressions see it, innermost first. Inlined
/// frames are frames of their own, as in Valgrind's stacks.
struct SuppressionFrame {
  std::string function; ///< Demangled name, as reports print it.
  std::string mangled;  ///< The linkage name, when it differs.
  std::string file;     ///< Full source path, or "".
  uint32_t line = 0;
  std::string object;   ///< The module's path.
};

/// A Valgrind frame line.
struct SuppressionPattern {
  enum class Kind : uint8_t { Function, Object, Source, Ellipsis };
  Kind kind = Kind::Function;
  std::string pattern; ///< With `*` and `?` wildcards.
  uint32_t line = 0;   ///< src:FILE:LINE; 0 for any line.
};

struct Suppression {
  std::string name;
  bool sanitizer = false; ///< A LeakSanitizer `leak:` line.
  /// Valgrind: the kinds it applies to (match-leak-kinds); empty: all.
  std::vector<LeakKind> kinds;
  std::vector<SuppressionPattern> frames; ///< Valgrind: innermost first.
  std::string sanitizerPattern;           ///< LeakSanitizer: the pattern.
  std::string origin;                     ///< "FILE:LINE" where it was read.
};

class SuppressionSet {
public:
  /// Parses a file's text; `origin` names it in errors ("FILE:LINE: ...").
  /// Valgrind blocks for other tools or error kinds than Memcheck:Leak are
  /// read and ignored, as Valgrind ignores other tools' suppressions.
  runtime::Result<void> add(std::string_view text, const std::string &origin);
  /// Reads and parses a file.
  runtime::Result<void> addFile(const std::string &path);
  /// The first suppression matching a loss record of `kind` allocated at
  /// `stack` (innermost first), or null.
  const Suppression *match(std::span<const SuppressionFrame> stack, LeakKind kind) const;
  const std::vector<Suppression> &suppressions() const { return m_suppressions; }
  bool empty() const { return m_suppressions.empty(); }

private:
  std::vector<Suppression> m_suppressions;
};

/// wasi-libc's start-up allocations that live until exit by design (argv
/// and its strings, environ, the preopened directories), in Valgrind's
/// syntax; used unless --no-default-suppressions.
extern const char *const kDefaultSuppressions;

/// Glob match with `*` (any run) and `?` (any one character), as Valgrind's
/// suppressions use them.
bool globMatch(std::string_view pattern, std::string_view text);

} // namespace wasmscope::profiler
