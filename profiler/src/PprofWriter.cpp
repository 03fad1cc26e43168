// The pprof writer: the profile as a gzip-compressed profile.proto message
// (proto/pprof_profile.proto), for `go tool pprof`, Pyroscope and Parca.
//
// Each source line (LineStats) becomes a Location whose Line entries are
// its inlining chain, innermost first; each function also has an entry
// Location used for the callers' frames and for call counts. Every call
// path contributes one sample per line it executed (instructions) and one
// at the function entry (calls), so both sample types add up exactly.
//
// With a memory profile, four more sample types carry it, as Go's heap
// profiles name them (go tool pprof -sample_index=inuse_space, Pyroscope,
// Parca): alloc_objects and alloc_space (everything a site allocated),
// inuse_objects and inuse_space (what was still live at the end), one
// sample per allocation site, whose stack is its call lines under the
// allocator's entry.
#include "wasmscope/profiler/Formats.h"

#include "pprof_profile.pb.h"

#include <zlib.h>

#include <map>

namespace wasmscope::profiler {

using runtime::Error;
using runtime::ErrorCode;

namespace {

class StringTable {
public:
  explicit StringTable(perftools::profiles::Profile &out) : m_out(out) { add(""); }
  int64_t add(const std::string &s) {
    auto [it, inserted] = m_index.try_emplace(s, int64_t(m_out.string_table_size()));
    if (inserted)
      m_out.add_string_table(s);
    return it->second;
  }

private:
  perftools::profiles::Profile &m_out;
  std::map<std::string, int64_t> m_index;
};

Result<std::string> gzip(const std::string &data) {
  z_stream zs{};
  // windowBits 15 + 16: a gzip header and trailer, which pprof expects.
  if (deflateInit2(&zs, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    return Error(ErrorCode::IoError, "pprof: zlib initialisation failed");
  std::string out;
  out.resize(deflateBound(&zs, uLong(data.size())) + 32);
  zs.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(data.data()));
  zs.avail_in = uInt(data.size());
  zs.next_out = reinterpret_cast<Bytef *>(out.data());
  zs.avail_out = uInt(out.size());
  int rc = deflate(&zs, Z_FINISH);
  size_t written = zs.total_out;
  deflateEnd(&zs);
  if (rc != Z_STREAM_END)
    return Error(ErrorCode::IoError, "pprof: compression failed");
  out.resize(written);
  return out;
}

} // namespace

Result<std::string> writePprof(const Profile &p) {
  perftools::profiles::Profile out;
  StringTable strings(out);

  auto valueType = [&](perftools::profiles::ValueType *vt, const char *type, const char *unit) {
    vt->set_type(strings.add(type));
    vt->set_unit(strings.add(unit));
  };
  valueType(out.add_sample_type(), "instructions", "count");
  valueType(out.add_sample_type(), "calls", "count");
  const bool heap = p.memory.has_value();
  if (heap) {
    valueType(out.add_sample_type(), "alloc_objects", "count");
    valueType(out.add_sample_type(), "alloc_space", "bytes");
    valueType(out.add_sample_type(), "inuse_objects", "count");
    valueType(out.add_sample_type(), "inuse_space", "bytes");
  }
  // Instruction samples have zero heap values and heap samples zero
  // instructions: each sample type still sums to its own total.
  auto pad = [&](perftools::profiles::Sample *sample) {
    if (heap)
      for (int i = 0; i < 4; ++i)
        sample->add_value(0);
  };
  valueType(out.mutable_period_type(), "instructions", "count");
  out.set_period(1);
  out.set_default_sample_type(strings.add("instructions"));
  out.add_comment(strings.add("wasmscope exact instruction profile of " + p.run.module));

  auto *mapping = out.add_mapping();
  mapping->set_id(1);
  mapping->set_memory_start(0);
  mapping->set_memory_limit(uint64_t(1) << 32);
  mapping->set_filename(strings.add(p.run.modulePath));
  mapping->set_build_id(strings.add(p.run.moduleSha256));
  mapping->set_has_functions(true);
  mapping->set_has_filenames(true);
  mapping->set_has_line_numbers(true);
  mapping->set_has_inline_frames(true);

  // Function ids are frame ids + 1.
  for (size_t i = 0; i < p.frames.size(); ++i) {
    const Frame &f = p.frames[i];
    auto *fn = out.add_function();
    fn->set_id(i + 1);
    fn->set_name(strings.add(f.name));
    fn->set_system_name(strings.add(f.name));
    fn->set_filename(strings.add(p.filePath(f.file)));
    fn->set_start_line(f.line);
  }
  // Location ids: lines first (line id + 1), then function entries.
  for (size_t i = 0; i < p.lines.size(); ++i) {
    const LineStats &l = p.lines[i];
    auto *loc = out.add_location();
    loc->set_id(i + 1);
    loc->set_mapping_id(1);
    loc->set_address(l.address);
    for (const SourceFrame &s : l.chain) {
      auto *line = loc->add_line();
      line->set_function_id(uint64_t(s.frame) + 1);
      line->set_line(s.line);
    }
  }
  const uint64_t entryBase = p.lines.size() + 1;
  for (size_t i = 0; i < p.frames.size(); ++i) {
    auto *loc = out.add_location();
    loc->set_id(entryBase + i);
    loc->set_mapping_id(1);
    loc->set_address(p.frames[i].address);
    auto *line = loc->add_line();
    line->set_function_id(i + 1);
    line->set_line(p.frames[i].line);
  }

  for (StackId id = 1; id < p.stacks.size(); ++id) {
    const StackNode &node = p.stacks[id];
    // The callers' frames, innermost first.
    std::vector<uint64_t> callers;
    for (StackId up = node.parent; up != kRootStack && up < p.stacks.size();
         up = p.stacks[up].parent)
      callers.push_back(entryBase + p.stacks[up].frame);
    for (const auto &[line, count] : node.lines) {
      auto *sample = out.add_sample();
      sample->add_location_id(uint64_t(line) + 1);
      for (uint64_t c : callers)
        sample->add_location_id(c);
      sample->add_value(int64_t(count));
      sample->add_value(0);
      pad(sample);
    }
    if (node.calls) {
      auto *sample = out.add_sample();
      sample->add_location_id(entryBase + node.frame);
      for (uint64_t c : callers)
        sample->add_location_id(c);
      sample->add_value(0);
      sample->add_value(int64_t(node.calls));
      pad(sample);
    }
  }

  if (heap) {
    const MemoryProfile &m = *p.memory;
    for (const AllocSite &site : m.sites) {
      auto *sample = out.add_sample();
      std::vector<AllocStackId> path = m.stackPath(site.stack);
      for (size_t i = path.size(); i-- > 0;) {
        const AllocStackNode &n = m.stacks[path[i]];
        // The allocator at its entry; callers at their call's line.
        if (i + 1 == path.size() || n.line == UINT32_MAX)
          sample->add_location_id(entryBase + n.frame);
        else
          sample->add_location_id(uint64_t(n.line) + 1);
      }
      sample->add_value(0);
      sample->add_value(0);
      sample->add_value(int64_t(site.allocations));
      sample->add_value(int64_t(site.bytes));
      sample->add_value(int64_t(site.liveAtEndBlocks));
      sample->add_value(int64_t(site.liveAtEndBytes));
    }
  }

  std::string raw;
  if (!out.SerializeToString(&raw))
    return Error(ErrorCode::IoError, "pprof: serialisation failed");
  return gzip(raw);
}

} // namespace wasmscope::profiler
