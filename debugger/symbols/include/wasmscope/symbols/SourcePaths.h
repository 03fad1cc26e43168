// Source paths as a user's machine sees them. DWARF names files by the path
// they had where the module was built (a CI runner's checkout, a container);
// a user names them by the path on their own machine, perhaps through a
// symlink or with `..` in it. A SourceMap rewrites build-path prefixes to
// local ones (lldb-dap's `sourceMap`, `--source-map BUILD=LOCAL` on the
// command line); a SourceResolver finds the module's file a user names,
// however it is spelled, and the local path of each file of the module.
#pragma once

#include "wasmscope/symbols/Symbols.h"

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace wasmscope::debugger {

/// "/a/b/../c/./d" -> "/a/c/d": `.`, `..` (where a component precedes it)
/// and doubled slashes resolved lexically, without the file system.
std::string lexicallyNormal(std::string_view path);

/// Pairs of (build path prefix, local path prefix). A prefix matches whole
/// path components only: "/src" matches "/src/x.c", not "/srcx/y.c".
class SourceMap {
public:
  /// Parses "BUILD=LOCAL" (the CLI form). Errors name the problem:
  /// "expected BUILD=LOCAL, got 'x'".
  static Result<std::pair<std::string, std::string>> parsePair(std::string_view spec);

  /// Adds a pair; both sides are normalised lexically. Later pairs do not
  /// override earlier ones: the longest matching prefix wins.
  void add(std::string_view buildPrefix, std::string_view localPrefix);
  bool empty() const { return m_pairs.empty(); }
  const std::vector<std::pair<std::string, std::string>> &pairs() const { return m_pairs; }

  /// The local path of a build path (longest matching build prefix), or
  /// nullopt when no pair matches.
  std::optional<std::string> toLocal(std::string_view buildPath) const;
  /// The build path of a local path (longest matching local prefix), or
  /// nullopt when no pair matches.
  std::optional<std::string> toBuild(std::string_view localPath) const;

private:
  std::vector<std::pair<std::string, std::string>> m_pairs;
};

/// Finds source files of one module by the paths a user gives, and gives
/// each file the path to show (and open) on this machine. Thread-safe.
class SourceResolver {
public:
  /// `symbols` must outlive the resolver.
  SourceResolver(const ModuleSymbols &symbols, SourceMap map = {});

  /// The module's file `path` names. Tried in order: the source map
  /// (local -> build); the path as DWARF spells it, or a suffix of one at a
  /// '/' (ModuleSymbols::findFile), after `.` and `..` are resolved; the
  /// same after resolving symlinks on both sides (files that exist here);
  /// finally the file sharing the longest run of trailing path components
  /// (at least the file name) with `path`, when one file has the longest:
  /// a module built in /ci/work/src/x.c found from /home/me/proj/src/x.c.
  /// A file found by the last two ways remembers `path` as its local path.
  std::optional<FileIndex> find(std::string_view path) const;

  /// The path to show for a file: the source map's local path, else the
  /// path a user found it by (see find), else the path DWARF gives.
  std::string localPath(FileIndex file) const;

  const SourceMap &sourceMap() const { return m_map; }

private:
  std::optional<FileIndex> byCanonicalPath(const std::string &path) const;
  std::optional<FileIndex> byTrailingComponents(const std::string &path) const;

  const ModuleSymbols &m_symbols;
  SourceMap m_map;
  mutable std::mutex m_mutex;
  /// Local paths learnt from find().
  mutable std::map<FileIndex, std::string> m_learnt;
  /// Canonical (symlink-free) path -> file, built on first need.
  mutable std::optional<std::map<std::string, FileIndex>> m_canonical;
};

} // namespace wasmscope::debugger
