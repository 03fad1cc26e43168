// Functions: the index by address and name, the name-section fallback for
// code without DWARF, and the scope-tree queries (inlined call chains).
#include "SymbolsImpl.h"

#include <algorithm>

namespace wasmscope::debugger {

namespace {

/// "ns::f(int) const" -> "ns::f", "int ns::g<int>(int)" -> "ns::g<int>":
/// the name before the parameter list, without the return type the
/// demangler puts before a template function's name; "" when there is no
/// parameter list. Spaces and parentheses inside template arguments
/// ("f<void (*)(int)>") are skipped.
std::string withoutParameters(const std::string &name) {
  int angle = 0;
  size_t start = 0;
  for (size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    if (c == '<')
      ++angle;
    else if (c == '>' && angle > 0)
      --angle;
    else if (c == ' ' && angle == 0)
      start = i + 1;
    else if (c == '(' && angle == 0)
      return i > start ? name.substr(start, i - start) : std::string();
  }
  return {};
}

bool rangesContain(const std::vector<AddressRange> &ranges, uint32_t address) {
  for (const AddressRange &r : ranges)
    if (r.contains(address))
      return true;
  return false;
}

/// Offset (code-section relative) of each defined function's entry: the
/// byte after its body-size field, where DWARF's DW_AT_low_pc points.
uint32_t entryOffset(const runtime::Module &module, const runtime::Code &code) {
  uint32_t pos = code.whole.begin;
  // Skip the LEB128 body size.
  while (pos < code.whole.end && pos < module.bytes.size() && (module.bytes[pos] & 0x80))
    ++pos;
  ++pos;
  return pos - module.codeSectionOffset;
}

} // namespace

bool Scope::contains(uint32_t address) const {
  return rangesContain(ranges, address);
}
bool Function::contains(uint32_t address) const {
  return rangesContain(ranges, address);
}

const std::string &Function::displayName() const {
  // `name` is the demangled linkage name when there is one (as LLDB names
  // functions); a plain C symbol name there is a rename, not a spelling.
  bool mangled = linkageName.rfind("_Z", 0) == 0 || linkageName.rfind("_R", 0) == 0;
  if (fromDwarf && !linkageName.empty() && !mangled && !shortName.empty())
    return shortName;
  // wasi-libc's crt calls main(argc, argv) by this name; without DWARF the
  // name section knows only the rename.
  static const std::string kMain = "main";
  if (!fromDwarf && name == "__main_argc_argv")
    return kMain;
  return name;
}

void ModuleSymbols::Impl::indexFunctions() {
  const runtime::Module &m = *module;
  // Entry offset -> function index, to give DWARF functions their index.
  std::vector<std::pair<uint32_t, uint32_t>> entries;
  entries.reserve(m.codes.size());
  for (size_t i = 0; i < m.codes.size(); ++i)
    entries.emplace_back(entryOffset(m, m.codes[i]), m.numImportedFuncs + uint32_t(i));
  std::sort(entries.begin(), entries.end());

  std::sort(functions.begin(), functions.end(),
            [](const auto &a, const auto &b) { return a->lowPc() < b->lowPc(); });
  auto coveredByDwarf = [&](uint32_t address) {
    auto it = std::upper_bound(functions.begin(), functions.end(), address,
                               [](uint32_t a, const auto &f) { return a < f->lowPc(); });
    return it != functions.begin() && (*std::prev(it))->contains(address);
  };

  // Name-section functions for code that DWARF does not describe.
  std::vector<std::unique_ptr<Function>> fallback;
  for (size_t i = 0; i < m.codes.size(); ++i) {
    uint32_t entry = entryOffset(m, m.codes[i]);
    uint32_t end = m.codes[i].whole.end - m.codeSectionOffset;
    if (coveredByDwarf(entry) || entry >= end)
      continue;
    auto fn = std::make_unique<Function>();
    fn->funcIndex = m.numImportedFuncs + uint32_t(i);
    fn->name = m.functionName(fn->funcIndex);
    if (fn->name.empty())
      fn->name = "<function " + std::to_string(fn->funcIndex) + ">";
    else
      fn->name = demangle(fn->name);
    fn->shortName = fn->name;
    fn->ranges.push_back({entry, end});
    fn->scope.ranges = fn->ranges;
    fn->bodyAddress = entry;
    fallback.push_back(std::move(fn));
  }
  for (auto &fn : fallback)
    functions.push_back(std::move(fn));
  std::sort(functions.begin(), functions.end(),
            [](const auto &a, const auto &b) { return a->lowPc() < b->lowPc(); });

  functionRanges.clear();
  functionsByName.clear();
  for (auto &fn : functions) {
    if (fn->fromDwarf) {
      auto it = std::lower_bound(entries.begin(), entries.end(), std::pair(fn->lowPc(), 0u));
      if (it != entries.end() && it->first == fn->lowPc())
        fn->funcIndex = it->second;
      if (fn->name.empty() && fn->funcIndex != runtime::kNoIndex) {
        // The DWARF name was unreadable: the name section still knows it.
        fn->name = demangle(m.functionName(fn->funcIndex));
        if (fn->shortName.empty())
          fn->shortName = fn->name;
      }
      fn->bodyAddress = bodyAddressOf(*fn);
    }
    for (const AddressRange &r : fn->ranges)
      functionRanges.push_back({r.low, r.high, fn.get()});
    functionsByName.emplace(fn->name, fn.get());
    if (fn->shortName != fn->name)
      functionsByName.emplace(fn->shortName, fn.get());
    if (!fn->linkageName.empty() && fn->linkageName != fn->name)
      functionsByName.emplace(fn->linkageName, fn.get());
    // C++ names as people write them, without the parameter list (and a
    // method's qualifiers): "geo::Circle::area" for "geo::Circle::area()
    // const", "geo::twice<int>" for "geo::twice<int>(int)", as LLDB finds them.
    if (std::string qualified = withoutParameters(fn->name);
        !qualified.empty() && qualified != fn->name && qualified != fn->shortName)
      functionsByName.emplace(std::move(qualified), fn.get());
  }
  std::sort(functionRanges.begin(), functionRanges.end(),
            [](const FunctionRange &a, const FunctionRange &b) { return a.low < b.low; });
}

const std::vector<std::unique_ptr<Function>> &ModuleSymbols::functions() const {
  return m_impl->functions;
}

const Function *ModuleSymbols::functionAt(uint32_t codeOffset) const {
  const auto &ranges = m_impl->functionRanges;
  auto it = std::upper_bound(ranges.begin(), ranges.end(), codeOffset,
                             [](uint32_t a, const FunctionRange &r) { return a < r.low; });
  // Ranges may nest only in broken input; look back a little.
  for (int back = 0; it != ranges.begin() && back < 4; ++back) {
    --it;
    if (codeOffset < it->high)
      return it->function;
  }
  return nullptr;
}

std::vector<const Function *> ModuleSymbols::findFunctions(std::string_view name) const {
  std::vector<const Function *> out;
  auto [lo, hi] = m_impl->functionsByName.equal_range(std::string(name));
  for (auto it = lo; it != hi; ++it)
    if (std::find(out.begin(), out.end(), it->second) == out.end())
      out.push_back(it->second);
  std::sort(out.begin(), out.end(),
            [](const Function *a, const Function *b) { return a->lowPc() < b->lowPc(); });
  return out;
}

const Scope *ModuleSymbols::Impl::innermostScope(const Function &function, uint32_t address) const {
  const Scope *scope = &function.scope;
  for (;;) {
    const Scope *next = nullptr;
    for (const Scope &child : scope->children) {
      if (child.contains(address)) {
        next = &child;
        break;
      }
    }
    if (!next)
      return scope;
    scope = next;
  }
}

std::vector<InlinedFrame> ModuleSymbols::inlineChainAt(uint32_t codeOffset) const {
  std::vector<InlinedFrame> chain;
  const Function *fn = functionAt(codeOffset);
  if (!fn)
    return chain;
  const Scope *scope = &fn->scope;
  for (;;) {
    const Scope *next = nullptr;
    for (const Scope &child : scope->children) {
      if (child.contains(codeOffset)) {
        next = &child;
        break;
      }
    }
    if (!next)
      break;
    if (next->kind == ScopeKind::Inlined)
      chain.push_back({next, next->inlinedName, next->callFile, next->callLine, next->callColumn});
    scope = next;
  }
  std::reverse(chain.begin(), chain.end());
  return chain;
}

} // namespace wasmscope::debugger
