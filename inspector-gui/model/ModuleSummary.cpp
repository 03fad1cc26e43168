// Building the Module view's tables from a decoded module (see
// ModuleSummary.h).
#include "ModuleSummary.h"

#include "wasmscope/symbols/Symbols.h"

#include <algorithm>
#include <cctype>
#include <numeric>

namespace wasmscope::gui {

namespace {

const char* sectionName(uint8_t id) {
  static const char* const kNames[] = {"custom",  "type",  "import", "function", "table",
                                       "memory",  "global", "export", "start",    "element",
                                       "code",    "data",  "datacount"};
  return id < std::size(kNames) ? kNames[id] : "unknown";
}

std::string limitsText(const runtime::Limits& limits) {
  std::string text = "min " + std::to_string(limits.min);
  if (limits.max)
    text += ", max " + std::to_string(*limits.max);
  return text;
}

} // namespace

bool containsIgnoringCase(std::string_view text, std::string_view needle) {
  if (needle.empty())
    return true;
  auto it = std::search(text.begin(), text.end(), needle.begin(), needle.end(), [](char a, char b) {
    return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
  });
  return it != text.end();
}

ModuleSummary ModuleSummary::build(const runtime::Module& module,
                                   const debugger::ModuleSymbols* symbols, std::string name) {
  ModuleSummary out;
  out.name = std::move(name);
  out.fileSize = module.bytes.size();

  size_t custom = 0;
  for (const runtime::SectionInfo& section : module.sections) {
    SectionRow row;
    row.offset = section.offset;
    row.size = section.contents.size();
    row.name = sectionName(section.id);
    if (section.id == 0 && custom < module.customSections.size()) {
      const std::string& customName = module.customSections[custom++].name;
      row.name += " " + customName;
      if (customName.rfind(".debug_", 0) == 0)
        out.debugBytes += row.size;
    }
    out.sections.push_back(std::move(row));
  }

  for (const runtime::Import& import : module.imports) {
    ImportRow row;
    row.module = import.module;
    row.name = import.name;
    row.kind = runtime::externKindName(import.kind);
    switch (import.kind) {
    case runtime::ExternKind::Func:
      if (import.funcType < module.types.size())
        row.signature = module.types[import.funcType].toString();
      break;
    case runtime::ExternKind::Table:
      row.signature = limitsText(import.table.limits);
      break;
    case runtime::ExternKind::Memory:
      row.signature = limitsText(import.memory.limits) + " pages";
      break;
    case runtime::ExternKind::Global:
      row.signature = std::string(import.global.isMutable ? "mut " : "") +
                      runtime::valTypeName(import.global.type);
      break;
    }
    out.imports.push_back(std::move(row));
  }

  auto functionName = [&](uint32_t index) -> std::string {
    if (symbols && index >= module.numImportedFuncs) {
      uint32_t defined = index - module.numImportedFuncs;
      if (defined < module.codes.size()) {
        uint32_t address = module.codes[defined].body.begin - module.codeSectionOffset;
        if (const debugger::Function* fn = symbols->functionAt(address);
            fn && fn->fromDwarf && fn->funcIndex == index)
          return fn->name;
      }
    }
    std::string n = module.functionName(index);
    if (!n.empty())
      return debugger::demangle(n);
    return "func[" + std::to_string(index) + "]";
  };

  for (const runtime::Export& e : module.exports) {
    ExportRow row;
    row.name = e.name;
    row.kind = runtime::externKindName(e.kind);
    row.index = e.index;
    if (e.kind == runtime::ExternKind::Func && e.index < module.numFuncs())
      row.target = functionName(e.index);
    out.exports.push_back(std::move(row));
  }

  for (uint32_t index = 0; index < module.numFuncs(); ++index) {
    FunctionRow row;
    row.index = index;
    row.imported = index < module.numImportedFuncs;
    row.name = functionName(index);
    row.signature = module.funcType(index).toString();
    if (!row.imported) {
      const runtime::Code& code = module.codes[index - module.numImportedFuncs];
      row.codeSize = code.whole.size();
      row.codeOffset = code.whole.begin - module.codeSectionOffset;
      out.codeBytes += row.codeSize;
      if (symbols)
        if (const debugger::Function* fn = symbols->functionAt(code.body.begin -
                                                                module.codeSectionOffset);
            fn && fn->fromDwarf) {
          row.sourceFile = symbols->filePath(fn->declFile);
          row.sourceLine = fn->declLine;
        }
    } else if (index < module.funcImports.size()) {
      const runtime::Import& import = module.imports[module.funcImports[index]];
      row.name = import.module + ":" + import.name;
    }
    out.functions.push_back(std::move(row));
  }

  if (module.numMemories() > 0) {
    runtime::MemoryType memory = module.memoryType(0);
    out.memoryPages = memory.limits.min;
    out.memoryMax = memory.limits.max;
  }
  return out;
}

std::vector<size_t> ModuleSummary::functionOrder(FunctionColumn column, bool ascending,
                                                 std::string_view filter) const {
  std::vector<size_t> order;
  for (size_t i = 0; i < functions.size(); ++i)
    if (containsIgnoringCase(functions[i].name, filter))
      order.push_back(i);
  auto key = [&](size_t a, size_t b) {
    const FunctionRow& x = functions[a];
    const FunctionRow& y = functions[b];
    switch (column) {
    case FunctionColumn::Index:
      return x.index < y.index;
    case FunctionColumn::Name:
      return x.name != y.name ? x.name < y.name : x.index < y.index;
    case FunctionColumn::Size:
      return x.codeSize != y.codeSize ? x.codeSize < y.codeSize : x.index < y.index;
    case FunctionColumn::Offset:
      return x.codeOffset != y.codeOffset ? x.codeOffset < y.codeOffset : x.index < y.index;
    }
    return x.index < y.index;
  };
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return ascending ? key(a, b) : key(b, a);
  });
  return order;
}

} // namespace wasmscope::gui
