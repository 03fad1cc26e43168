// wasmscope's own JSON profile (docs/Profiler.md, "The JSON profile"), with
// nlohmann-json. The reader checks every field's type and every index
// against what it indexes, and names the JSON path of the first problem;
// nlohmann's exceptions never leave this file.
#include "wasmscope/profiler/Formats.h"

#include "MemoryJson.h"

#include <nlohmann/json.hpp>

namespace wasmscope::profiler {

using nlohmann::json;
using runtime::Error;
using runtime::ErrorCode;

namespace {

const char *kindName(FrameKind kind) {
  switch (kind) {
  case FrameKind::Wasm:
    return "wasm";
  case FrameKind::Inlined:
    return "inlined";
  case FrameKind::Host:
    return "host";
  case FrameKind::Truncated:
    return "truncated";
  }
  return "wasm";
}

json index(uint32_t value) {
  return value == kNone ? json(nullptr) : json(value);
}

} // namespace

std::string writeJson(const Profile &p) {
  json out;
  out["format"] = kProfileFormatName;
  out["version"] = kProfileFormatVersion;
  const RunInfo &r = p.run;
  out["run"] = {{"module", r.module},
                {"modulePath", r.modulePath},
                {"moduleSha256", r.moduleSha256},
                {"commandLine", r.commandLine},
                {"entry", r.entry},
                {"exitStatus", r.exitStatus ? json(*r.exitStatus) : json(nullptr)},
                {"trap", r.trap},
                {"wallTime", r.wallTime},
                {"wallNanos", r.wallNanos}};
  out["totals"] = {{"instructions", p.totals.instructions},
                   {"calls", p.totals.calls},
                   {"hostCalls", p.totals.hostCalls},
                   {"hostNanos", p.totals.hostNanos}};
  out["files"] = p.files;
  json frames = json::array();
  for (const Frame &f : p.frames)
    frames.push_back({{"kind", kindName(f.kind)},
                      {"name", f.name},
                      {"funcIndex", index(f.funcIndex)},
                      {"file", index(f.file)},
                      {"line", f.line},
                      {"address", f.address}});
  out["frames"] = std::move(frames);
  json functions = json::array();
  for (const FunctionStats &f : p.functions)
    functions.push_back({{"frame", f.frame},
                         {"calls", f.calls},
                         {"self", f.selfInstructions},
                         {"total", f.totalInstructions},
                         {"hostNanos", f.hostNanos}});
  out["functions"] = std::move(functions);
  json lines = json::array();
  for (const LineStats &l : p.lines) {
    json chain = json::array();
    for (const SourceFrame &s : l.chain)
      chain.push_back({s.frame, index(s.file), s.line});
    lines.push_back(
        {{"chain", std::move(chain)}, {"instructions", l.instructions}, {"address", l.address}});
  }
  out["lines"] = std::move(lines);
  json stacks = json::array();
  for (const StackNode &n : p.stacks) {
    json nodeLines = json::array();
    for (const auto &[line, count] : n.lines)
      nodeLines.push_back({line, count});
    stacks.push_back({{"parent", index(n.parent)},
                      {"frame", index(n.frame)},
                      {"calls", n.calls},
                      {"self", n.selfInstructions},
                      {"total", n.totalInstructions},
                      {"hostNanos", n.hostNanos},
                      {"lines", std::move(nodeLines)}});
  }
  out["stacks"] = std::move(stacks);
  json events = json::array();
  for (const TraceEvent &e : p.trace.events)
    events.push_back(
        {e.kind == TraceEventKind::Enter ? "E" : "X", e.frame, e.instructions, e.nanos});
  out["trace"] = {{"enabled", p.trace.enabled},         {"capacity", p.trace.capacity},
                  {"recorded", p.trace.recorded},       {"dropped", p.trace.dropped},
                  {"openAtStart", p.trace.openAtStart}, {"events", std::move(events)}};
  if (p.memory)
    out["memory"] = memoryToJson(*p.memory);
  for (const auto &[name, text] : p.extensions) {
    if (name == "memory" && p.memory)
      continue;
    json section = json::parse(text, nullptr, false);
    if (!section.is_discarded())
      out[name] = std::move(section);
  }
  return out.dump(1) + "\n";
}

namespace {

/// Typed access to a parsed document with the JSON path in every error.
class Reader {
public:
  Error error(const std::string &path, const std::string &what) const {
    return Error(ErrorCode::InvalidArgument, "invalid profile: " + path + ": " + what);
  }
  Result<const json *> member(const json &object, const std::string &path, const char *name) const {
    if (!object.is_object())
      return error(path, "expected an object");
    auto it = object.find(name);
    if (it == object.end())
      return error(path + "." + name, "missing");
    return &*it;
  }
  Result<uint64_t> u64(const json &v, const std::string &path) const {
    if (!v.is_number_unsigned())
      return error(path, "expected a non-negative integer");
    return v.get<uint64_t>();
  }
  Result<uint32_t> u32(const json &v, const std::string &path) const {
    TRY_ASSIGN(uint64_t n, u64(v, path));
    if (n > UINT32_MAX)
      return error(path, "out of range");
    return uint32_t(n);
  }
  /// An index or null; must be below `limit` when not null.
  Result<uint32_t> index(const json &v, const std::string &path, size_t limit) const {
    if (v.is_null())
      return kNone;
    TRY_ASSIGN(uint32_t n, u32(v, path));
    if (n >= limit)
      return error(path,
                   "index " + std::to_string(n) + " out of range (" + std::to_string(limit) + ")");
    return n;
  }
  Result<std::string> string(const json &v, const std::string &path) const {
    if (!v.is_string())
      return error(path, "expected a string");
    return v.get<std::string>();
  }
  Result<const json *> array(const json &object, const std::string &path, const char *name) const {
    TRY_ASSIGN(const json *v, member(object, path, name));
    if (!v->is_array())
      return error(path + "." + name, "expected an array");
    return v;
  }
  Result<uint64_t> u64Field(const json &object, const std::string &path, const char *name) const {
    TRY_ASSIGN(const json *v, member(object, path, name));
    return u64(*v, path + "." + name);
  }
};

std::string at(const std::string &path, size_t i) {
  return path + "[" + std::to_string(i) + "]";
}

} // namespace

Result<Profile> readJson(std::string_view text) {
  json doc = json::parse(text.begin(), text.end(), nullptr, false);
  Reader rd;
  if (doc.is_discarded())
    return rd.error("(root)", "not valid JSON");
  Profile p;
  TRY_ASSIGN(const json *format, rd.member(doc, "(root)", "format"));
  if (!format->is_string() || format->get<std::string>() != kProfileFormatName)
    return rd.error("(root).format", std::string("expected \"") + kProfileFormatName + "\"");
  TRY_ASSIGN(p.version, [&]() -> Result<uint32_t> {
    TRY_ASSIGN(const json *v, rd.member(doc, "(root)", "version"));
    return rd.u32(*v, "(root).version");
  }());
  if (p.version == 0 || p.version > kProfileFormatVersion)
    return rd.error("(root).version", "version " + std::to_string(p.version) +
                                          " is not supported (this wasmscope reads up to " +
                                          std::to_string(kProfileFormatVersion) + ")");

  TRY_ASSIGN(const json *run, rd.member(doc, "(root)", "run"));
  {
    RunInfo &r = p.run;
    TRY_ASSIGN(const json *v, rd.member(*run, "run", "module"));
    TRY_ASSIGN(r.module, rd.string(*v, "run.module"));
    TRY_ASSIGN(v, rd.member(*run, "run", "modulePath"));
    TRY_ASSIGN(r.modulePath, rd.string(*v, "run.modulePath"));
    TRY_ASSIGN(v, rd.member(*run, "run", "moduleSha256"));
    TRY_ASSIGN(r.moduleSha256, rd.string(*v, "run.moduleSha256"));
    TRY_ASSIGN(v, rd.array(*run, "run", "commandLine"));
    for (size_t i = 0; i < v->size(); ++i) {
      TRY_ASSIGN(std::string arg, rd.string((*v)[i], at("run.commandLine", i)));
      r.commandLine.push_back(std::move(arg));
    }
    TRY_ASSIGN(v, rd.member(*run, "run", "entry"));
    TRY_ASSIGN(r.entry, rd.string(*v, "run.entry"));
    TRY_ASSIGN(v, rd.member(*run, "run", "exitStatus"));
    if (v->is_number_integer())
      r.exitStatus = v->get<int>();
    else if (!v->is_null())
      return rd.error("run.exitStatus", "expected an integer or null");
    TRY_ASSIGN(v, rd.member(*run, "run", "trap"));
    TRY_ASSIGN(r.trap, rd.string(*v, "run.trap"));
    TRY_ASSIGN(v, rd.member(*run, "run", "wallTime"));
    if (!v->is_boolean())
      return rd.error("run.wallTime", "expected a boolean");
    r.wallTime = v->get<bool>();
    TRY_ASSIGN(r.wallNanos, rd.u64Field(*run, "run", "wallNanos"));
  }
  TRY_ASSIGN(const json *totals, rd.member(doc, "(root)", "totals"));
  TRY_ASSIGN(p.totals.instructions, rd.u64Field(*totals, "totals", "instructions"));
  TRY_ASSIGN(p.totals.calls, rd.u64Field(*totals, "totals", "calls"));
  TRY_ASSIGN(p.totals.hostCalls, rd.u64Field(*totals, "totals", "hostCalls"));
  TRY_ASSIGN(p.totals.hostNanos, rd.u64Field(*totals, "totals", "hostNanos"));

  TRY_ASSIGN(const json *files, rd.array(doc, "(root)", "files"));
  for (size_t i = 0; i < files->size(); ++i) {
    TRY_ASSIGN(std::string f, rd.string((*files)[i], at("files", i)));
    p.files.push_back(std::move(f));
  }
  TRY_ASSIGN(const json *frames, rd.array(doc, "(root)", "frames"));
  for (size_t i = 0; i < frames->size(); ++i) {
    const json &f = (*frames)[i];
    std::string path = at("frames", i);
    Frame frame;
    TRY_ASSIGN(const json *v, rd.member(f, path, "kind"));
    TRY_ASSIGN(std::string kind, rd.string(*v, path + ".kind"));
    if (kind == "wasm")
      frame.kind = FrameKind::Wasm;
    else if (kind == "inlined")
      frame.kind = FrameKind::Inlined;
    else if (kind == "host")
      frame.kind = FrameKind::Host;
    else if (kind == "truncated")
      frame.kind = FrameKind::Truncated;
    else
      return rd.error(path + ".kind", "unknown frame kind '" + kind + "'");
    TRY_ASSIGN(v, rd.member(f, path, "name"));
    TRY_ASSIGN(frame.name, rd.string(*v, path + ".name"));
    TRY_ASSIGN(v, rd.member(f, path, "funcIndex"));
    TRY_ASSIGN(frame.funcIndex, rd.index(*v, path + ".funcIndex", size_t(UINT32_MAX)));
    TRY_ASSIGN(v, rd.member(f, path, "file"));
    TRY_ASSIGN(frame.file, rd.index(*v, path + ".file", p.files.size()));
    TRY_ASSIGN(v, rd.member(f, path, "line"));
    TRY_ASSIGN(frame.line, rd.u32(*v, path + ".line"));
    TRY_ASSIGN(v, rd.member(f, path, "address"));
    TRY_ASSIGN(frame.address, rd.u32(*v, path + ".address"));
    p.frames.push_back(std::move(frame));
  }
  TRY_ASSIGN(const json *functions, rd.array(doc, "(root)", "functions"));
  for (size_t i = 0; i < functions->size(); ++i) {
    const json &f = (*functions)[i];
    std::string path = at("functions", i);
    FunctionStats fs;
    TRY_ASSIGN(const json *v, rd.member(f, path, "frame"));
    TRY_ASSIGN(fs.frame, rd.index(*v, path + ".frame", p.frames.size()));
    TRY_ASSIGN(fs.calls, rd.u64Field(f, path, "calls"));
    TRY_ASSIGN(fs.selfInstructions, rd.u64Field(f, path, "self"));
    TRY_ASSIGN(fs.totalInstructions, rd.u64Field(f, path, "total"));
    TRY_ASSIGN(fs.hostNanos, rd.u64Field(f, path, "hostNanos"));
    p.functions.push_back(fs);
  }
  TRY_ASSIGN(const json *lines, rd.array(doc, "(root)", "lines"));
  for (size_t i = 0; i < lines->size(); ++i) {
    const json &l = (*lines)[i];
    std::string path = at("lines", i);
    LineStats ls;
    TRY_ASSIGN(const json *chain, rd.array(l, path, "chain"));
    for (size_t c = 0; c < chain->size(); ++c) {
      const json &e = (*chain)[c];
      std::string cpath = at(path + ".chain", c);
      if (!e.is_array() || e.size() != 3)
        return rd.error(cpath, "expected [frame, file, line]");
      SourceFrame sf;
      TRY_ASSIGN(sf.frame, rd.index(e[0], cpath + "[0]", p.frames.size()));
      if (sf.frame == kNone)
        return rd.error(cpath + "[0]", "expected a frame index");
      TRY_ASSIGN(sf.file, rd.index(e[1], cpath + "[1]", p.files.size()));
      TRY_ASSIGN(sf.line, rd.u32(e[2], cpath + "[2]"));
      ls.chain.push_back(sf);
    }
    TRY_ASSIGN(ls.instructions, rd.u64Field(l, path, "instructions"));
    TRY_ASSIGN(uint64_t address, rd.u64Field(l, path, "address"));
    ls.address = uint32_t(address);
    p.lines.push_back(std::move(ls));
  }
  TRY_ASSIGN(const json *stacks, rd.array(doc, "(root)", "stacks"));
  for (size_t i = 0; i < stacks->size(); ++i) {
    const json &n = (*stacks)[i];
    std::string path = at("stacks", i);
    StackNode node;
    TRY_ASSIGN(const json *v, rd.member(n, path, "parent"));
    TRY_ASSIGN(node.parent, rd.index(*v, path + ".parent", i));
    TRY_ASSIGN(v, rd.member(n, path, "frame"));
    TRY_ASSIGN(node.frame, rd.index(*v, path + ".frame", p.frames.size()));
    if (i > 0 && (node.parent == kNone || node.frame == kNone))
      return rd.error(path, "only the root (stacks[0]) has no parent or frame");
    TRY_ASSIGN(node.calls, rd.u64Field(n, path, "calls"));
    TRY_ASSIGN(node.selfInstructions, rd.u64Field(n, path, "self"));
    TRY_ASSIGN(node.totalInstructions, rd.u64Field(n, path, "total"));
    TRY_ASSIGN(node.hostNanos, rd.u64Field(n, path, "hostNanos"));
    TRY_ASSIGN(const json *nodeLines, rd.array(n, path, "lines"));
    for (size_t k = 0; k < nodeLines->size(); ++k) {
      const json &e = (*nodeLines)[k];
      std::string lpath = at(path + ".lines", k);
      if (!e.is_array() || e.size() != 2)
        return rd.error(lpath, "expected [line, instructions]");
      TRY_ASSIGN(LineId line, rd.index(e[0], lpath + "[0]", p.lines.size()));
      if (line == kNone)
        return rd.error(lpath + "[0]", "expected a line index");
      TRY_ASSIGN(uint64_t count, rd.u64(e[1], lpath + "[1]"));
      node.lines.emplace_back(line, count);
    }
    p.stacks.push_back(std::move(node));
  }
  TRY_ASSIGN(const json *trace, rd.member(doc, "(root)", "trace"));
  {
    Trace &t = p.trace;
    TRY_ASSIGN(const json *v, rd.member(*trace, "trace", "enabled"));
    if (!v->is_boolean())
      return rd.error("trace.enabled", "expected a boolean");
    t.enabled = v->get<bool>();
    TRY_ASSIGN(t.capacity, rd.u64Field(*trace, "trace", "capacity"));
    TRY_ASSIGN(t.recorded, rd.u64Field(*trace, "trace", "recorded"));
    TRY_ASSIGN(t.dropped, rd.u64Field(*trace, "trace", "dropped"));
    TRY_ASSIGN(v, rd.array(*trace, "trace", "openAtStart"));
    for (size_t i = 0; i < v->size(); ++i) {
      TRY_ASSIGN(FrameId f, rd.index((*v)[i], at("trace.openAtStart", i), p.frames.size()));
      if (f == kNone)
        return rd.error(at("trace.openAtStart", i), "expected a frame index");
      t.openAtStart.push_back(f);
    }
    TRY_ASSIGN(v, rd.array(*trace, "trace", "events"));
    for (size_t i = 0; i < v->size(); ++i) {
      const json &e = (*v)[i];
      std::string epath = at("trace.events", i);
      if (!e.is_array() || e.size() != 4 || !e[0].is_string())
        return rd.error(epath, "expected [\"E\" or \"X\", frame, instructions, nanos]");
      TraceEvent ev;
      std::string kind = e[0].get<std::string>();
      if (kind != "E" && kind != "X")
        return rd.error(epath + "[0]", "expected \"E\" or \"X\"");
      ev.kind = kind == "E" ? TraceEventKind::Enter : TraceEventKind::Exit;
      TRY_ASSIGN(ev.frame, rd.index(e[1], epath + "[1]", p.frames.size()));
      if (ev.frame == kNone)
        return rd.error(epath + "[1]", "expected a frame index");
      TRY_ASSIGN(ev.instructions, rd.u64(e[2], epath + "[2]"));
      TRY_ASSIGN(ev.nanos, rd.u64(e[3], epath + "[3]"));
      t.events.push_back(ev);
    }
  }
  if (auto mem = doc.find("memory"); mem != doc.end()) {
    TRY_ASSIGN(MemoryProfile memory, memoryFromJson(*mem, p.frames.size(), p.lines.size()));
    p.memory = std::move(memory);
  }
  static const char *kKnown[] = {"format", "version",   "run",   "totals", "files", "frames",
                                 "functions", "lines", "stacks", "trace", "memory"};
  for (auto it = doc.begin(); it != doc.end(); ++it) {
    if (std::find(std::begin(kKnown), std::end(kKnown), it.key()) == std::end(kKnown))
      p.extensions[it.key()] = it.value().dump();
  }
  std::string problem = p.validate();
  if (!problem.empty())
    return rd.error("(root)", problem);
  return p;
}

} // namespace wasmscope::profiler
