// symbols_lldb_oracle: checks ModuleSymbols against LLDB 22, which reads
// wasm files with DWARF, on every module given. LLDB is asked through its
// Python SB API (python3-lldb-22, lldb_answers.py beside this file), not by
// parsing its command line's output.
//
// How LLDB names wasm addresses: a wasm file has one section LLDB calls
// "code" whose file address range starts at 0 and whose file offset is the
// start of the code section's *contents* (runtime::Module::codeSectionOffset),
// so an LLDB file address (SBAddress::GetFileAddress, "image lookup -a 0x7a")
// is exactly our code offset. `image dump sections` shows it:
//   code [0x0000000000000000-0x000000000000648b) File Off. 0x000001d3
//
// For each module, one Python process answers every request:
//  * SBTarget::BreakpointCreateByLocation(FILE, LINE) for every line
//    1..last+2 of each source file under a --source-root: the addresses of
//    its locations must equal ModuleSymbols::breakpointAddresses(FILE, LINE),
//    and a line with no location must have none of ours;
//  * SBTarget::ResolveFileAddress for the entry of every function and every
//    line-table row address: the function, the innermost inlined function,
//    file:line:column and every inlined call site (SBBlock's inlined call
//    site and caller) must agree with functionAt, locationAt and
//    inlineChainAt.
//
// Documented LLDB differences (counted apart, not failures):
//  * LLDB names a C++ function that has no linkage name (an extern "C"
//    definition in a C++ unit) "::name(params)"; we keep the declared name.
//  * Where LLDB reports no location for a line but we report some, each of
//    our addresses is checked against `llvm-dwarfdump --debug-line`: it must
//    be a row of that file and line, or the post-prologue address of a
//    function whose entry row has that line. (LLDB 19 missed inlined code
//    at -O2 this way; LLDB 22 does not, and this count is 0 on the samples.)
//
// Exit status 0 when there is no unexplained disagreement.
#include "wasmscope/runtime/Decoder.h"
#include "wasmscope/symbols/Symbols.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

using namespace wasmscope;
using namespace wasmscope::debugger;

namespace {

struct Options {
  std::string python = "python3";
  std::string answers = "lldb_answers.py"; ///< The SB API script.
  std::string dwarfdump = "llvm-dwarfdump-19";
  std::vector<std::string> sourceRoots;
  std::vector<std::string> modules;
  std::string workDir = ".";
  bool verbose = false;
};

struct Stats {
  size_t breakpointLines = 0;
  size_t lookups = 0;
  size_t comparisons = 0;
  size_t disagreements = 0;
  size_t explainedByDwarfdump = 0;
  size_t breakpointLocations = 0;
  size_t explainedExternC = 0;
};

std::string runCapture(const std::string &command) {
  std::string out;
  FILE *p = popen(command.c_str(), "r");
  if (!p)
    return out;
  char buf[65536];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0)
    out.append(buf, n);
  pclose(p);
  return out;
}

std::string baseName(const std::string &path) {
  size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string hex(uint64_t v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "0x%llx", (unsigned long long)v);
  return buf;
}

/// "file.c:12:3" / "file.c:12" / "file.c" as LLDB prints a location.
std::string locationString(const ModuleSymbols &s, FileIndex file, uint32_t line, uint32_t column) {
  if (file == kNoFile)
    return "";
  std::string out = baseName(s.filePath(file));
  if (line) {
    out += ":" + std::to_string(line);
    if (column)
      out += ":" + std::to_string(column);
  }
  return out;
}

struct LookupResult {
  std::string function;                                     ///< Concrete function.
  std::string inlined;                                      ///< Innermost inlined function, if any.
  std::string location;                                     ///< Of the innermost frame.
  std::vector<std::pair<std::string, std::string>> callers; ///< (caller, call site)
  bool found = false;
};

/// dwarfdump rows: basename -> line -> addresses.
using DumpRows = std::map<std::string, std::map<uint32_t, std::set<uint32_t>>>;

DumpRows readDwarfdumpRows(const Options &opt, const std::string &module) {
  DumpRows rows;
  std::istringstream in(runCapture(opt.dwarfdump + " --debug-line '" + module + "' 2>/dev/null"));
  std::string line;
  std::map<unsigned, std::string> names;
  unsigned pendingFile = 0;
  static const std::regex fileRe(R"(^file_names\[\s*(\d+)\]:)");
  static const std::regex nameRe(R"(^\s+name: \"(.*)\")");
  static const std::regex rowRe(R"(^0x([0-9a-f]+)\s+(\d+)\s+(\d+)\s+(\d+)\s.*$)");
  std::smatch m;
  while (std::getline(in, line)) {
    if (line.rfind("debug_line[", 0) == 0) {
      names.clear();
    } else if (std::regex_search(line, m, fileRe)) {
      pendingFile = unsigned(std::stoul(m[1]));
    } else if (std::regex_search(line, m, nameRe)) {
      names[pendingFile] = baseName(m[1]);
    } else if (std::regex_match(line, m, rowRe)) {
      if (line.find("end_sequence") != std::string::npos)
        continue;
      uint32_t addr = uint32_t(std::stoul(m[1], nullptr, 16));
      uint32_t ln = uint32_t(std::stoul(m[2]));
      unsigned file = unsigned(std::stoul(m[4]));
      rows[names[file]][ln].insert(addr);
    }
  }
  return rows;
}

bool checkModule(const Options &opt, const std::string &path, Stats &stats) {
  std::ifstream in(path, std::ios::binary);
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), {});
  auto module = runtime::decodeModule(bytes);
  if (!module) {
    std::cerr << path << ": cannot decode: " << module.error().describe() << '\n';
    return false;
  }
  std::vector<SymbolWarning> warnings;
  auto loaded = ModuleSymbols::load(*module, &warnings);
  if (!loaded) {
    std::cerr << path << ": cannot load symbols\n";
    return false;
  }
  const ModuleSymbols &s = **loaded;
  for (const auto &w : warnings)
    std::cerr << path << ": warning: " << w.describe() << '\n';

  // Files to set breakpoints in: those under a source root that have code.
  std::vector<std::pair<std::string, uint32_t>> requests; // (basename, line)
  std::map<std::string, FileIndex> tested;
  for (FileIndex f = 0; f < s.files().size(); ++f) {
    const std::string &p = s.files()[f].path;
    bool under = false;
    for (const auto &root : opt.sourceRoots)
      under |= p.rfind(root, 0) == 0;
    auto lines = s.linesWithCode(f);
    if (!under || lines.empty())
      continue;
    tested[baseName(p)] = f;
    for (uint32_t l = 1; l <= lines.back() + 2; ++l)
      requests.emplace_back(baseName(p), l);
  }
  // Addresses to look up: every function entry and every row address.
  std::set<uint32_t> addresses;
  for (const auto &fn : s.functions())
    if (fn->fromDwarf)
      addresses.insert(fn->lowPc());
  for (const SourceLocation &loc : s.lineTable())
    addresses.insert(loc.address);

  // Ask LLDB, in one Python process for the module.
  std::string requestPath = opt.workDir + "/oracle_" + baseName(path) + ".requests";
  std::string answerPath = opt.workDir + "/oracle_" + baseName(path) + ".json";
  {
    std::ofstream req(requestPath);
    for (const auto &[file, line] : requests)
      req << "B " << file << " " << line << "\n";
    for (uint32_t a : addresses)
      req << "L " << hex(a).substr(2) << "\n";
  }
  std::string log = runCapture(opt.python + " '" + opt.answers + "' '" + path + "' '" +
                               requestPath + "' '" + answerPath + "' 2>&1");
  nlohmann::json answers;
  try {
    std::ifstream in(answerPath);
    answers = nlohmann::json::parse(in);
  } catch (const std::exception &e) {
    std::cerr << path << ": no answers from LLDB (" << e.what() << "):\n" << log << '\n';
    return false;
  }
  std::map<size_t, std::vector<uint32_t>> lldbLocations; // request index -> addresses
  std::map<uint32_t, LookupResult> lookups;
  const nlohmann::json &bps = answers["breakpoints"];
  if (!bps.is_array() || bps.size() != requests.size()) {
    std::cerr << path << ": LLDB answered " << bps.size() << " of " << requests.size()
              << " breakpoint requests\n";
    return false;
  }
  for (size_t i = 0; i < bps.size(); ++i)
    for (const auto &a : bps[i])
      lldbLocations[i].push_back(a.get<uint32_t>());
  for (const auto &[key, value] : answers["lookups"].items()) {
    LookupResult r;
    r.found = value.value("found", false);
    if (r.found) {
      r.function = value.value("function", "");
      r.inlined = value.value("inlined", "");
      r.location = value.value("location", "");
      for (const auto &c : value["callers"])
        r.callers.emplace_back(c[0].get<std::string>(), c[1].get<std::string>());
    }
    lookups[uint32_t(std::stoul(key, nullptr, 16))] = r;
  }
  std::remove(requestPath.c_str());
  std::remove(answerPath.c_str());

  size_t disagreementsBefore = stats.disagreements;
  auto disagree = [&](const std::string &what) {
    ++stats.disagreements;
    if (stats.disagreements - disagreementsBefore <= 40)
      std::cerr << baseName(path) << ": " << what << '\n';
  };

  // Breakpoints.
  DumpRows dumpRows;
  bool dumpLoaded = false;
  for (size_t i = 0; i < requests.size(); ++i) {
    const auto &[file, line] = requests[i];
    ++stats.breakpointLines;
    ++stats.comparisons;
    LineMatch match;
    std::vector<uint32_t> ours = s.breakpointAddresses(file, line, &match);
    std::vector<uint32_t> theirs =
        lldbLocations.count(i) ? lldbLocations[i] : std::vector<uint32_t>{};
    std::sort(theirs.begin(), theirs.end());
    theirs.erase(std::unique(theirs.begin(), theirs.end()), theirs.end());
    stats.breakpointLocations += theirs.size();
    if (ours == theirs)
      continue;
    if (theirs.empty() && !ours.empty()) {
      // LLDB found nothing (inlined code at -O2): check against the raw rows.
      if (!dumpLoaded) {
        dumpRows = readDwarfdumpRows(opt, path);
        dumpLoaded = true;
      }
      bool allRows = true;
      for (uint32_t a : ours) {
        bool isRow = dumpRows[file][match.line].count(a) > 0;
        const Function *fn = s.functionAt(a);
        bool isBody = fn && fn->bodyAddress == a && dumpRows[file][match.line].count(fn->lowPc());
        allRows &= isRow || isBody;
      }
      if (allRows) {
        ++stats.explainedByDwarfdump;
        if (opt.verbose)
          std::cerr << baseName(path) << ": " << file << ":" << line
                    << " LLDB: no location; ours match llvm-dwarfdump rows\n";
        continue;
      }
    }
    std::string a, b;
    for (uint32_t x : ours)
      a += hex(x) + " ";
    for (uint32_t x : theirs)
      b += hex(x) + " ";
    disagree("breakpoint " + file + ":" + std::to_string(line) + ": ours [" + a + "] (line " +
             std::to_string(match.line) + "), lldb [" + b + "]");
  }

  // Lookups.
  for (uint32_t addr : addresses) {
    ++stats.lookups;
    const LookupResult &r = lookups[addr];
    const Function *fn = s.functionAt(addr);
    auto loc = s.locationAt(addr);
    auto chain = s.inlineChainAt(addr);
    std::string ourLoc = loc ? locationString(s, loc->file, loc->line, loc->column) : "";
    std::string where = "lookup " + hex(addr) + ": ";
    ++stats.comparisons;
    if (!r.found || !fn) {
      if (r.found != (fn != nullptr))
        disagree(where + "function: ours '" + (fn ? fn->name : "") + "', lldb '" + r.function +
                 "'");
      continue;
    }
    if (fn->name != r.function) {
      // LLDB names a C++ function without a linkage name (extern "C") by
      // its qualified name and parameters, "::__cxa_pure_virtual()"; we use
      // the name as declared.
      if (fn->linkageName.empty() && r.function.rfind("::" + fn->name + "(", 0) == 0)
        ++stats.explainedExternC;
      else
        disagree(where + "function: ours '" + fn->name + "', lldb '" + r.function + "'");
    }
    ++stats.comparisons;
    if (ourLoc != r.location)
      disagree(where + "location: ours '" + ourLoc + "', lldb '" + r.location + "'");
    ++stats.comparisons;
    std::string ourInlined = chain.empty() ? "" : chain.front().name;
    if (ourInlined != r.inlined)
      disagree(where + "inlined: ours '" + ourInlined + "', lldb '" + r.inlined + "'");
    ++stats.comparisons;
    if (chain.size() != r.callers.size()) {
      disagree(where + "inline depth: ours " + std::to_string(chain.size()) + ", lldb " +
               std::to_string(r.callers.size()));
      continue;
    }
    for (size_t k = 0; k < chain.size(); ++k) {
      std::string caller = k + 1 < chain.size() ? chain[k + 1].name : fn->name;
      std::string site =
          locationString(s, chain[k].callFile, chain[k].callLine, chain[k].callColumn);
      ++stats.comparisons;
      if (caller != r.callers[k].first || site != r.callers[k].second)
        disagree(where + "call site " + std::to_string(k) + ": ours '" + caller + " at " + site +
                 "', lldb '" + r.callers[k].first + " at " + r.callers[k].second + "'");
    }
  }
  std::cout << baseName(path) << ": " << requests.size() << " breakpoint lines, "
            << addresses.size() << " lookups, " << stats.disagreements - disagreementsBefore
            << " disagreements\n";
  return true;
}

} // namespace

int main(int argc, char **argv) {
  Options opt;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() { return i + 1 < argc ? std::string(argv[++i]) : std::string(); };
    if (a == "--python")
      opt.python = next();
    else if (a == "--answers")
      opt.answers = next();
    else if (a == "--dwarfdump")
      opt.dwarfdump = next();
    else if (a == "--source-root")
      opt.sourceRoots.push_back(next());
    else if (a == "--work-dir")
      opt.workDir = next();
    else if (a == "-v")
      opt.verbose = true;
    else
      opt.modules.push_back(a);
  }
  if (opt.modules.empty()) {
    std::cerr << "usage: symbols_lldb_oracle [--python PYTHON3] [--answers lldb_answers.py] "
                 "[--dwarfdump PATH] [--source-root DIR]... MODULE.wasm...\n";
    return 2;
  }
  auto start = std::chrono::steady_clock::now();
  Stats stats;
  bool ok = true;
  for (const auto &m : opt.modules)
    ok &= checkModule(opt, m, stats);
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::cout << "modules: " << opt.modules.size() << ", breakpoint lines: " << stats.breakpointLines
            << ", lookups: " << stats.lookups << ", comparisons: " << stats.comparisons
            << " (LLDB locations: " << stats.breakpointLocations << ")"
            << ", disagreements: " << stats.disagreements << "\n"
            << "documented LLDB differences: lines where LLDB finds no location, checked "
               "against llvm-dwarfdump rows: "
            << stats.explainedByDwarfdump
            << "; extern \"C\" names in C++: " << stats.explainedExternC << " (" << secs << " s)\n";
  return ok && stats.disagreements == 0 ? 0 : 1;
}
