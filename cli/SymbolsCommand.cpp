// `wasmscope symbols`: prints what ModuleSymbols reads from a module. With no
// option, a summary; each option is one query. Addresses are code offsets
// (from the start of the code section's contents), as LLDB and
// `wasm-objdump -d` show them.
#include "SymbolsCommand.h"

#include "CliSupport.h"
#include "RunOptions.h"

#include "wasmscope/runtime/Decoder.h"
#include "wasmscope/runtime/Launch.h"
#include "wasmscope/session/Disassembly.h"
#include "wasmscope/symbols/SourcePaths.h"
#include "wasmscope/symbols/Symbols.h"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <charconv>
#include <cinttypes>
#include <cstdio>
#include <iostream>
#include <map>

namespace wasmscope::cli {

using namespace wasmscope::debugger;

namespace {

std::string hex(uint64_t v, int width = 6) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "0x%0*" PRIx64, width, v);
  return buf;
}

std::optional<uint32_t> parseOffset(std::string_view text) {
  int base = 10;
  if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
    text.remove_prefix(2);
    base = 16;
  }
  uint32_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v, base);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty())
    return std::nullopt;
  return v;
}

const char *languageName(uint16_t lang) {
  switch (lang) {
  case 0x01:
    return "C89";
  case 0x02:
    return "C";
  case 0x04:
    return "C++";
  case 0x0c:
    return "C99";
  case 0x1a:
    return "C++11";
  case 0x1c:
    return "Rust";
  case 0x1d:
    return "C11";
  case 0x21:
    return "C++14";
  case 0x2c:
    return "C17";
  default:
    return "other";
  }
}

std::string locationText(const ModuleSymbols &symbols, const SourceResolver &paths, FileIndex file,
                         uint32_t line, uint32_t column) {
  if (file == kNoFile)
    return "?";
  std::string s = paths.localPath(file) + ":" + std::to_string(line);
  if (column)
    s += ":" + std::to_string(column);
  return s;
}

std::string joinPathForDisplay(const std::string &dir, const std::string &name) {
  std::string path = dir.empty() || (!name.empty() && name[0] == '/') ? name : dir + "/" + name;
  // "./build/./x.c" -> "build/x.c", as the file list shows paths.
  for (size_t at; (at = path.find("/./")) != std::string::npos;)
    path.erase(at, 2);
  while (path.rfind("./", 0) == 0)
    path.erase(0, 2);
  return path;
}

std::string typeName(const Type *type) {
  return type ? type->displayName() : "void";
}

void printSummary(const ModuleSymbols &symbols, const SourceResolver &paths,
                  const std::string &path) {
  std::cout << "module: " << path << '\n';
  std::cout << "debug sections:\n";
  for (const DebugSection &s : symbols.debugSections())
    std::printf("  %-20s %10u bytes\n", s.name.c_str(), s.size);
  const auto &units = symbols.compileUnits();
  std::map<uint16_t, size_t> versions;
  for (const CompileUnit &cu : units)
    ++versions[cu.dwarfVersion];
  std::cout << "compile units: " << units.size();
  if (!units.empty()) {
    std::cout << " (";
    bool first = true;
    for (auto [v, n] : versions) {
      std::cout << (first ? "" : ", ") << "DWARF " << v << ": " << n;
      first = false;
    }
    std::cout << ")";
  }
  std::cout << '\n';
  for (const CompileUnit &cu : units)
    std::cout << "  "
              << paths.sourceMap()
                     .toLocal(joinPathForDisplay(cu.compDir, cu.name))
                     .value_or(joinPathForDisplay(cu.compDir, cu.name))
              << "  [" << languageName(cu.language) << ", DWARF " << cu.dwarfVersion << ", "
              << cu.files.size() << " files]\n";
  std::cout << "source files: " << symbols.files().size() << '\n';
  size_t fromDwarf = 0;
  for (const auto &fn : symbols.functions())
    fromDwarf += fn->fromDwarf;
  std::cout << "functions: " << symbols.functions().size() << " (" << fromDwarf << " from DWARF, "
            << symbols.functions().size() - fromDwarf << " from the name section)\n";
  std::cout << "line table rows: " << symbols.lineTable().size() << '\n';
  std::cout << "types: " << symbols.types().size() << '\n';
  std::cout << "global variables: " << symbols.globalVariables().size() << '\n';
}

void printFunctions(const ModuleSymbols &symbols, const SourceResolver &paths) {
  for (const auto &fn : symbols.functions()) {
    std::string ranges;
    for (const AddressRange &r : fn->ranges)
      ranges += (ranges.empty() ? "" : ",") + hex(r.low) + "-" + hex(r.high);
    std::cout << ranges << "  " << fn->name;
    if (fn->declFile != kNoFile)
      std::cout << "  " << locationText(symbols, paths, fn->declFile, fn->declLine, 0);
    if (fn->funcIndex != runtime::kNoIndex)
      std::cout << "  [func " << fn->funcIndex << "]";
    if (!fn->fromDwarf)
      std::cout << "  (name section)";
    std::cout << '\n';
  }
}

int printLines(const ModuleSymbols &symbols, const SourceResolver &paths, const std::string &spec) {
  size_t colon = spec.rfind(':');
  auto line = colon == std::string::npos ? std::nullopt
                                         : parseOffset(std::string_view(spec).substr(colon + 1));
  if (!line || *line == 0)
    return fail(ExitCode::BadInput, "--lines: expected FILE:LINE, got '" + spec + "'");
  std::optional<FileIndex> file = paths.find(spec.substr(0, colon));
  if (!file)
    return fail(ExitCode::GuestError,
                "'" + spec.substr(0, colon) + "' is not a source file of this module");
  LineMatch match;
  auto addresses = symbols.breakpointAddresses(symbols.filePath(*file), *line, &match);
  if (addresses.empty())
    return fail(ExitCode::GuestError, "no code at or after " + spec);
  std::cout << paths.localPath(match.file) << ":" << match.line;
  if (match.line != *line)
    std::cout << " (requested line " << *line << ")";
  std::cout << '\n';
  for (uint32_t a : addresses) {
    const Function *fn = symbols.functionAt(a);
    std::cout << "  " << hex(a) << "  " << (fn ? fn->name : "?");
    if (fn)
      std::cout << " + " << (a - fn->lowPc());
    auto chain = symbols.inlineChainAt(a);
    if (!chain.empty())
      std::cout << "  [inlined " << chain.front().name << "]";
    std::cout << '\n';
  }
  return 0;
}

int printAddress(const ModuleSymbols &symbols, const SourceResolver &paths,
                 const std::string &text) {
  auto offset = parseOffset(text);
  if (!offset)
    return fail(ExitCode::BadInput,
                "--addr: expected a hex (0x...) or decimal offset, got '" + text + "'");
  const Function *fn = symbols.functionAt(*offset);
  std::cout << hex(*offset) << ": ";
  if (!fn) {
    std::cout << "not in any function\n";
    return int(ExitCode::GuestError);
  }
  std::cout << fn->name << " + " << (*offset - fn->lowPc()) << '\n';
  auto loc = symbols.locationAt(*offset);
  std::string here = loc ? locationText(symbols, paths, loc->file, loc->line, loc->column) : "?";
  for (const InlinedFrame &inl : symbols.inlineChainAt(*offset)) {
    std::cout << "  " << inl.name << " at " << here << " [inlined]\n";
    here = locationText(symbols, paths, inl.callFile, inl.callLine, inl.callColumn);
  }
  std::cout << "  " << fn->name << " at " << here << '\n';
  if (loc) {
    std::cout << "  line row: " << hex(loc->address) << "-" << hex(loc->endAddress)
              << (loc->isStmt ? " is_stmt" : "") << (loc->prologueEnd ? " prologue_end" : "")
              << '\n';
  }
  return 0;
}

void printVariable(const ModuleSymbols &symbols, const SourceResolver &paths, const Variable &v,
                   int indent) {
  std::string pad(size_t(indent), ' ');
  std::cout << pad << (v.isParameter ? "param " : "var   ") << typeName(v.type) << " "
            << (v.name.empty() ? "<unnamed>" : v.name);
  if (v.declFile != kNoFile)
    std::cout << "  (" << locationText(symbols, paths, v.declFile, v.declLine, 0) << ")";
  std::cout << '\n';
  if (v.location.empty())
    std::cout << pad << "    " << (v.constValue ? "constant value" : "optimized out") << '\n';
  for (const LocationEntry &e : v.location) {
    std::cout << pad << "    ";
    if (e.always)
      std::cout << "always";
    else
      std::cout << "[" << hex(e.range.low) << ", " << hex(e.range.high) << ")";
    std::cout << ": " << (e.expression.empty() ? "<empty>" : formatExpression(e.expression))
              << '\n';
  }
}

void printScope(const ModuleSymbols &symbols, const SourceResolver &paths, const Scope &scope,
                int indent) {
  std::string pad(size_t(indent), ' ');
  std::string ranges;
  for (const AddressRange &r : scope.ranges)
    ranges += (ranges.empty() ? "" : ",") + hex(r.low) + "-" + hex(r.high);
  if (scope.kind == ScopeKind::Lexical)
    std::cout << pad << "block " << ranges << '\n';
  else if (scope.kind == ScopeKind::Inlined)
    std::cout << pad << "inlined " << scope.inlinedName << " " << ranges << " called from "
              << locationText(symbols, paths, scope.callFile, scope.callLine, scope.callColumn)
              << '\n';
  for (const Variable &v : scope.variables)
    printVariable(symbols, paths, v, indent + 2);
  for (const Scope &child : scope.children)
    printScope(symbols, paths, child, indent + 2);
}

int printVars(const ModuleSymbols &symbols, const SourceResolver &paths, const std::string &name) {
  auto fns = symbols.findFunctions(name);
  if (fns.empty())
    return fail(ExitCode::GuestError, "no function named '" + name + "'");
  for (const Function *fn : fns) {
    std::cout << fn->name << "  " << hex(fn->lowPc()) << "-"
              << hex(fn->ranges.empty() ? 0 : fn->ranges.back().high);
    if (!fn->frameBase.empty())
      std::cout << "  frame base: " << formatExpression(fn->frameBase);
    std::cout << '\n';
    printScope(symbols, paths, fn->scope, 0);
  }
  return 0;
}

void printType(const Type *t, int indent, int depth) {
  std::string pad(size_t(indent), ' ');
  static const char *kKinds[] = {"void",
                                 "base",
                                 "pointer",
                                 "reference",
                                 "rvalue reference",
                                 "pointer to member",
                                 "struct",
                                 "class",
                                 "union",
                                 "array",
                                 "enum",
                                 "typedef",
                                 "const",
                                 "volatile",
                                 "restrict",
                                 "atomic",
                                 "function",
                                 "unspecified"};
  std::cout << pad << t->displayName() << "  (" << kKinds[size_t(t->kind)] << ", " << t->byteSize
            << " bytes" << (t->isDeclaration ? ", declaration" : "") << ")\n";
  for (const Member &m : t->members) {
    std::cout << pad << "  +" << m.byteOffset;
    if (m.bitSize)
      std::cout << "." << m.bitOffset << " :" << m.bitSize;
    std::cout << "  "
              << (m.isBaseClass ? "base "
                  : m.isStatic  ? "static "
                                : "")
              << typeName(m.type) << " " << m.name << '\n';
  }
  for (const Enumerator &e : t->enumerators)
    std::cout << pad << "  " << e.name << " = " << e.value << '\n';
  if (t->kind == TypeKind::Typedef && t->target && depth < 4)
    printType(t->target, indent + 2, depth + 1);
}

int printTypes(const ModuleSymbols &symbols, const std::string &name) {
  const Type *t = symbols.findType(name);
  if (!t)
    return fail(ExitCode::GuestError, "no type named '" + name + "'");
  printType(t, 0, 0);
  return 0;
}

/// Wasm function indices named `name`: DWARF functions (name, short or
/// linkage name), else name-section names, else "func[N]" or a plain index.
std::vector<uint32_t> functionIndicesNamed(const runtime::Module &module,
                                           const ModuleSymbols &symbols, const std::string &name) {
  std::vector<uint32_t> out;
  for (const Function *fn : symbols.findFunctions(name))
    if (fn->funcIndex != runtime::kNoIndex)
      out.push_back(fn->funcIndex);
  if (out.empty())
    for (const auto &[index, named] : module.names.functionNames)
      if (named == name)
        out.push_back(index);
  if (out.empty()) {
    std::string_view digits = name;
    if (digits.starts_with("func[") && digits.ends_with("]"))
      digits = digits.substr(5, digits.size() - 6);
    if (auto index = parseOffset(digits))
      out.push_back(*index);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

int printDisassembly(const runtime::Module &module, const ModuleSymbols &symbols,
                     const SourceResolver &paths, const std::string &name) {
  auto indices = functionIndicesNamed(module, symbols, name);
  if (indices.empty())
    return fail(ExitCode::GuestError, "no function named '" + name + "'");
  for (uint32_t index : indices) {
    auto listed = disassembleFunction(module, &symbols, index);
    if (!listed.ok())
      return fail(ExitCode::GuestError, listed.error().message);
    if (listed->empty())
      continue;
    std::cout << listed->front().symbol << " (function " << index << ") at "
              << hex(listed->front().address) << ":\n";
    FileIndex file = kNoFile;
    uint32_t line = 0;
    for (const DisassembledInstruction &ins : *listed) {
      if (ins.line && (ins.file != file || ins.line != line))
        std::cout << "  ; " << paths.localPath(ins.file) << ':' << ins.line << '\n';
      file = ins.file;
      line = ins.line;
      std::string bytes = ins.bytes;
      bytes.resize(std::max<size_t>(bytes.size(), 24), ' ');
      std::cout << "  " << hex(ins.address) << "  " << bytes << ' '
                << std::string(2 * std::min<uint32_t>(ins.depth, 16), ' ') << ins.text << '\n';
    }
  }
  return 0;
}

} // namespace

SymbolsCommand::SymbolsCommand(CLI::App &parent) {
  m_app =
      parent.add_subcommand("symbols", "Show a module's debug symbols (DWARF and name section)");
  m_app->add_option("MODULE", m_options.modulePath, "The .wasm file")->required();
  m_app->add_flag("--functions", m_options.functions,
                  "List functions with address ranges and declarations");
  m_app
      ->add_option("--lines", m_options.lines,
                   "Breakpoint addresses for FILE:LINE (the next line with code if none)")
      ->type_name("FILE:LINE");
  m_app
      ->add_option("--addr", m_options.addr,
                   "Function, inlined frames and file:line:column at a code offset")
      ->type_name("OFFSET");
  m_app
      ->add_option("--vars", m_options.vars,
                   "Scopes, parameters and variables of a function, with locations")
      ->type_name("FUNCTION");
  m_app->add_option("--types", m_options.types, "Describe a named type")->type_name("NAME");
  m_app
      ->add_option("--disassemble", m_options.disassemble,
                   "Wasm text of a function (a name or an index), with its source lines")
      ->type_name("FUNCTION");
  addSourceMapOption(*m_app, m_options.sourceMaps);
}

int SymbolsCommand::execute() {
  const std::string &path = m_options.modulePath;
  auto bytes = runtime::readModuleFile(path);
  if (!bytes)
    return fail(ExitCode::BadInput, bytes.error().message);
  auto module = runtime::decodeModule(*bytes);
  if (!module)
    return fail(ExitCode::BadInput, path + ": " + module.error().describe());
  std::vector<SymbolWarning> warnings;
  auto symbols = ModuleSymbols::load(*module, &warnings);
  if (!symbols)
    return fail(ExitCode::BadInput, path + ": " + symbols.error().describe());
  for (const SymbolWarning &w : warnings)
    std::cerr << "wasmscope: warning: " << w.describe() << '\n';
  const ModuleSymbols &s = **symbols;
  auto sourceMap = parseSourceMap(m_options.sourceMaps);
  if (!sourceMap.ok())
    return fail(ExitCode::BadInput, sourceMap.error().message);
  SourceResolver paths(s, std::move(*sourceMap));

  int status = 0;
  bool any = false;
  auto run = [&](int rc) {
    any = true;
    if (rc != 0 && status == 0)
      status = rc;
  };
  if (m_options.functions)
    run((printFunctions(s, paths), 0));
  if (m_options.lines)
    run(printLines(s, paths, *m_options.lines));
  if (m_options.addr)
    run(printAddress(s, paths, *m_options.addr));
  if (m_options.vars)
    run(printVars(s, paths, *m_options.vars));
  if (m_options.types)
    run(printTypes(s, *m_options.types));
  if (m_options.disassemble)
    run(printDisassembly(*module, s, paths, *m_options.disassemble));
  if (!any)
    printSummary(s, paths, path);
  return status;
}

} // namespace wasmscope::cli
