// Profile files: wasmscope's own versioned JSON (read and written) and the
// formats other tools open (written): pprof, callgrind, speedscope and
// collapsed stacks. Each writer lives in a file of its own; every writer is
// deterministic, so the same profile gives the same bytes.
#pragma once

#include "wasmscope/profiler/Profile.h"
#include "wasmscope/runtime/Result.h"

#include <optional>
#include <string>
#include <string_view>

namespace wasmscope::profiler {

template <typename T> using Result = runtime::Result<T>;

enum class OutputFormat { Json, Pprof, Callgrind, Speedscope, Collapsed, Dhat };

/// "json", "pprof", "callgrind", "speedscope", "collapsed", "dhat"; empty if unknown.
std::optional<OutputFormat> parseFormat(std::string_view name);
const char *formatName(OutputFormat format);
/// The format a file name implies: *.pb.gz, *.pprof -> pprof; callgrind.out*,
/// *.callgrind -> callgrind; *.speedscope.json -> speedscope; *.collapsed,
/// *.folded -> collapsed; dhat.out.*, *.dhat.json -> dhat; anything else (*.json included) -> json.
OutputFormat formatForPath(std::string_view path);

/// wasmscope's JSON profile (documented field by field in docs/Profiler.md).
std::string writeJson(const Profile &profile);
/// Reads a JSON profile of any version up to kProfileFormatVersion. Errors
/// name the JSON path of what is wrong ("stacks[3].parent: ...").
Result<Profile> readJson(std::string_view text);

/// gzip-compressed pprof `profile.proto`: sample types instructions/count
/// and calls/count; one location per line with inlined frames as several
/// Line entries. With a memory profile also alloc_objects, alloc_space,
/// inuse_objects and inuse_space (live at the end), one sample per
/// allocation site.
Result<std::string> writePprof(const Profile &profile);
/// Callgrind format (`events: Instructions`), inclusive call costs.
std::string writeCallgrind(const Profile &profile);
/// speedscope's file format: a sampled profile of the call paths weighted
/// by instructions, and an evented profile of the call trace when recorded.
std::string writeSpeedscope(const Profile &profile);
/// Collapsed stacks, one "root;...;leaf count" line per path with
/// instructions, for flamegraph.pl, inferno and speedscope.
std::string writeCollapsed(const Profile &profile);

/// Valgrind DHAT's JSON (dhatFileVersion 2, time in instructions) of the
/// memory profile, for dh_view.html and the Firefox Profiler; an error
/// without one.
Result<std::string> writeDhat(const Profile &profile);

/// The profile in `format`.
Result<std::string> writeProfile(const Profile &profile, OutputFormat format);

/// Writes `bytes` to `path` through a temporary file in the same directory
/// and a rename, so that readers never see a partial file.
Result<void> writeFileAtomically(const std::string &path, std::string_view bytes);
/// Reads a saved profile file (JSON).
Result<Profile> readProfileFile(const std::string &path);

} // namespace wasmscope::profiler
