// ModuleSymbols::load and the DIE walk (DWARF 5 chapter 3: units,
// subprograms, lexical blocks, inlined subroutines, parameters, variables).
// Everything is read in one pass; references that may point forward
// (DW_AT_abstract_origin, DW_AT_specification) are resolved in finish().
#include "DwarfLoader.h"

#include "SectionCheck.h"

#include <dwarf.h>

#include <algorithm>
#include <cstdio>
#include <mutex>

namespace wasmscope::debugger {

std::string SymbolWarning::describe() const {
  if (offset == UINT64_MAX)
    return section + ": " + message;
  char buf[32];
  std::snprintf(buf, sizeof buf, "+0x%llx", (unsigned long long)offset);
  return section + buf + ": " + message;
}

std::string joinPath(const std::string &dir, const std::string &name) {
  if (dir.empty() || (!name.empty() && name[0] == '/'))
    return name;
  if (dir.back() == '/')
    return dir + name;
  return dir + "/" + name;
}

std::string hexString(uint64_t value) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "0x%llx", (unsigned long long)value);
  return buf;
}

std::string baseName(const std::string &path) {
  size_t slash = path.find_last_of("/\\");
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string normalizePath(const std::string &path) {
  // Lexical only: drop "." components and doubled slashes, as LLDB does when
  // it shows a path; ".." is kept (resolving it needs the file system).
  std::string out;
  out.reserve(path.size());
  bool absolute = !path.empty() && path[0] == '/';
  size_t i = 0;
  while (i <= path.size()) {
    size_t next = path.find('/', i);
    if (next == std::string::npos)
      next = path.size();
    std::string_view part(path.data() + i, next - i);
    if (!part.empty() && part != ".") {
      if (!out.empty() || absolute)
        out += '/';
      out += part;
    }
    i = next + 1;
  }
  if (out.empty())
    return absolute ? "/" : path;
  return out;
}

FileIndex ModuleSymbols::Impl::internFile(const std::string &rawPath) {
  std::string path = normalizePath(rawPath);
  auto it = fileByPath.find(path);
  if (it != fileByPath.end())
    return it->second;
  FileIndex index = FileIndex(files.size());
  files.push_back({path, baseName(path)});
  fileByPath.emplace(path, index);
  return index;
}

// ------------------------------------------------------------ the loader ---

namespace {

bool isIgnoredTag(Dwarf_Half tag) {
  switch (tag) {
  case DW_TAG_call_site:
  case DW_TAG_call_site_parameter:
  case DW_TAG_GNU_call_site:
  case DW_TAG_GNU_call_site_parameter:
  case DW_TAG_label:
  case DW_TAG_template_type_parameter:
  case DW_TAG_template_value_parameter:
  case DW_TAG_GNU_template_parameter_pack:
  case DW_TAG_GNU_template_template_parameter:
  case DW_TAG_imported_declaration:
  case DW_TAG_imported_module:
    return true;
  default:
    return false;
  }
}

} // namespace

DwarfLoader::DwarfLoader(ModuleSymbols::Impl &impl, DwarfObject &object,
                         std::vector<SymbolWarning> *warnings)
    : m_impl(impl), m_object(object), m_warnings(warnings) {
  m_lists.debugRanges = object.section(".debug_ranges");
  m_lists.debugRnglists = object.section(".debug_rnglists");
  m_lists.debugLoc = object.section(".debug_loc");
  m_lists.debugLoclists = object.section(".debug_loclists");
  m_lists.debugAddr = object.section(".debug_addr");
}

void DwarfLoader::warn(const char *section, uint64_t offset, std::string message) {
  // A badly broken file could warn once per DIE; the first hundred say enough.
  if (++m_warningCount > 100 || !m_warnings)
    return;
  // libdwarf reports problems with the abbreviations, strings or line
  // tables while reading DIEs; name the section its message points at.
  if (std::string_view(section) == ".debug_info")
    section = sectionOfError(message, section);
  m_warnings->push_back({section, offset, std::move(message)});
}

void DwarfLoader::loadAll() {
  Dwarf_Debug dbg = m_object.dbg();
  // Rough counts from the section size (clang emits a DIE every ~12 bytes, a
  // type every ~60) spare the hash tables most of their rehashing.
  size_t infoSize = m_object.section(".debug_info").size();
  m_impl.typeByOffset.reserve(infoSize / 64);
  m_decls.reserve(infoSize / 128);
  uint64_t unitOffset = 0;
  for (;;) {
    Dwarf_Unsigned headerLength = 0, typeOffset = 0, nextOffset = 0;
    Dwarf_Half version = 0, addressSize = 0, lengthSize = 0, extensionSize = 0, unitType = 0;
    Dwarf_Off abbrevOffset = 0;
    Dwarf_Sig8 signature{};
    Dwarf_Error err = nullptr;
    int rc = dwarf_next_cu_header_d(dbg, true, &headerLength, &version, &abbrevOffset, &addressSize,
                                    &lengthSize, &extensionSize, &signature, &typeOffset,
                                    &nextOffset, &unitType, &err);
    if (rc == DW_DLV_NO_ENTRY)
      break;
    if (rc != DW_DLV_OK) {
      warn(".debug_info", unitOffset,
           "unreadable unit header (" + m_object.takeError(err) + "); later units skipped");
      break;
    }
    Dwarf_Die cuDie = nullptr;
    rc = dwarf_siblingof_b(dbg, nullptr, true, &cuDie, &err);
    if (rc == DW_DLV_OK) {
      loadUnit(cuDie, version, uint8_t(addressSize));
      dwarf_dealloc_die(cuDie);
    } else if (rc == DW_DLV_ERROR) {
      warn(".debug_info", unitOffset, "unreadable unit DIE: " + m_object.takeError(err));
    }
    if (nextOffset <= unitOffset)
      break;
    unitOffset = nextOffset;
  }
  finish();
}

void DwarfLoader::loadUnit(Dwarf_Die cuDie, uint16_t version, uint8_t addressSize) {
  DieAttrs a;
  std::string error;
  if (!readDieAttrs(m_object.dbg(), cuDie, a, error)) {
    warn(".debug_info", a.offset, "unreadable unit DIE: " + error);
    return;
  }
  if (!a.attrError.empty())
    warn(sectionOfForm(a.attrErrorForm), UINT64_MAX,
         "unreadable " + a.attrError + " in the DIE at .debug_info+" + hexString(a.offset));
  if (a.tag != DW_TAG_compile_unit && a.tag != DW_TAG_partial_unit)
    return; // Type units and skeletons: not produced for wasm.
  if (addressSize != 4 && addressSize != 8) {
    warn(".debug_info", a.offset, "unsupported address size " + std::to_string(addressSize));
    return;
  }

  m_unit = Unit{};
  m_unit.ctx.version = version;
  m_unit.ctx.addressSize = addressSize;
  m_unit.ctx.baseAddress = a.hasLowPc ? a.lowPc : 0;
  m_unit.ctx.hasAddrBase = a.hasAddrBase;
  m_unit.ctx.addrBase = a.addrBase;
  m_unit.ctx.hasLoclistsBase = a.hasLoclistsBase;
  m_unit.ctx.loclistsBase = a.loclistsBase;
  m_unit.ctx.hasRnglistsBase = a.hasRnglistsBase;
  m_unit.ctx.rnglistsBase = a.rnglistsBase;
  m_unit.index = uint32_t(m_impl.compileUnits.size());
  m_unit.dieOffset = a.offset;
  m_unit.hasStmtList = a.hasStmtList;
  m_unit.stmtList = a.stmtList;

  CompileUnit cu;
  cu.name = a.name ? a.name : "";
  cu.compDir = a.compDir ? a.compDir : "";
  cu.producer = a.producer ? a.producer : "";
  cu.language = uint16_t(a.language);
  cu.dwarfVersion = version;
  cu.dieOffset = a.offset;
  if (a.hasLowPc && a.hasHighPc) {
    uint64_t high = a.highPcIsOffset ? a.lowPc + a.highPc : a.highPc;
    if (a.lowPc < high && high <= m_impl.codeSize)
      cu.ranges.push_back({uint32_t(a.lowPc), uint32_t(high)});
  } else if (a.ranges.present) {
    cu.ranges = rangesOf(a);
  }
  m_impl.compileUnits.push_back(std::move(cu));
  m_impl.hasDwarf = true;

  readLineTable(cuDie, m_unit);

  Context ctx;
  walkChildren(cuDie, ctx, 1);
}

void DwarfLoader::walkChildren(Dwarf_Die parent, const Context &ctx, int depth) {
  Dwarf_Debug dbg = m_object.dbg();
  Dwarf_Error err = nullptr;
  Dwarf_Die child = nullptr;
  int rc = dwarf_child(parent, &child, &err);
  if (rc == DW_DLV_NO_ENTRY)
    return;
  Dwarf_Off parentOffset = 0;
  dwarf_dieoffset(parent, &parentOffset, nullptr);
  if (rc != DW_DLV_OK) {
    warn(".debug_info", parentOffset, "unreadable children: " + m_object.takeError(err));
    return;
  }
  if (depth > kMaxDepth) {
    warn(".debug_info", parentOffset, "DIE tree nested too deeply; subtree skipped");
    dwarf_dealloc_die(child);
    return;
  }
  uint64_t lastOffset = parentOffset;
  while (child) {
    DieAttrs a;
    Dwarf_Half tag = 0;
    bool ignored = dwarf_tag(child, &tag, nullptr) == DW_DLV_OK && isIgnoredTag(tag);
    std::string error;
    if (ignored) {
      // Call sites, labels, template parameters, using-declarations: not
      // needed, so their attributes are not even read.
      dwarf_dieoffset(child, &a.offset, nullptr);
    } else if (!readDieAttrs(dbg, child, a, error)) {
      warn(".debug_info", a.offset ? a.offset : lastOffset, "unreadable DIE: " + error);
      dwarf_dealloc_die(child);
      return;
    }
    if (a.offset <= lastOffset) {
      // A sibling chain that goes backwards would loop forever.
      warn(".debug_info", a.offset, "DIE sibling chain goes backwards; rest of the list skipped");
      dwarf_dealloc_die(child);
      return;
    }
    lastOffset = a.offset;
    if (!ignored) {
      if (!a.attrError.empty())
        warn(sectionOfForm(a.attrErrorForm), UINT64_MAX,
             "unreadable " + a.attrError + " in the DIE at .debug_info+" + hexString(a.offset));
      visit(child, a, ctx, depth);
    }
    Dwarf_Die sibling = nullptr;
    rc = dwarf_siblingof_b(dbg, child, true, &sibling, &err);
    dwarf_dealloc_die(child);
    child = nullptr;
    if (rc == DW_DLV_ERROR) {
      warn(".debug_info", lastOffset, "unreadable sibling: " + m_object.takeError(err));
      return;
    }
    if (rc == DW_DLV_OK)
      child = sibling;
  }
}

void DwarfLoader::visit(Dwarf_Die die, DieAttrs &a, const Context &ctx, int depth) {
  switch (a.tag) {
  case DW_TAG_subprogram:
    visitFunction(die, a, ctx, depth);
    return;
  case DW_TAG_lexical_block:
  case DW_TAG_inlined_subroutine:
    visitScope(die, a, ctx, depth);
    return;
  case DW_TAG_formal_parameter:
  case DW_TAG_variable:
    if (ctx.parentType)
      visitTypeChild(a, ctx);
    else
      visitVariable(a, ctx);
    return;
  case DW_TAG_namespace: {
    Context c = ctx;
    c.prefix += a.name ? a.name : "(anonymous namespace)";
    c.prefix += "::";
    walkChildren(die, c, depth + 1);
    return;
  }
  case DW_TAG_member:
  case DW_TAG_inheritance:
  case DW_TAG_enumerator:
  case DW_TAG_unspecified_parameters:
    if (ctx.parentType)
      visitTypeChild(a, ctx);
    return;
  case DW_TAG_subrange_type:
  case DW_TAG_enumeration_type:
    if (ctx.parentType && a.tag == DW_TAG_subrange_type) {
      visitTypeChild(a, ctx);
      return;
    }
    visitType(die, a, ctx, depth);
    return;
  default:
    visitType(die, a, ctx, depth); // Labels, call sites, template parameters: ignored.
    return;
  }
}

void DwarfLoader::recordDecl(const DieAttrs &a, const Context &ctx) {
  DeclInfo &d = m_decls[a.offset];
  d.name = a.name;
  d.linkageName = a.linkageName;
  if (a.hasDeclFile)
    d.declFile = m_unit.file(a.declFile);
  d.declLine = uint32_t(a.declLine);
  d.type = a.type;
  d.origin = a.abstractOrigin ? a.abstractOrigin : a.specification;
  d.prefix = ctx.prefix;
}

void DwarfLoader::visitFunction(Dwarf_Die die, DieAttrs &a, const Context &ctx, int depth) {
  recordDecl(a, ctx);
  bool concrete = !a.declaration && ((a.hasLowPc && a.hasHighPc) || a.ranges.present);
  if (!concrete || ctx.declOnly) {
    Context c;
    c.prefix = ctx.prefix;
    c.declOnly = true;
    walkChildren(die, c, depth + 1);
    return;
  }
  std::vector<AddressRange> ranges = rangesOf(a);
  if (ranges.empty()) {
    // Discarded by the linker (tombstone address) or empty. Its children
    // still hold type DIEs that live code refers to: the struct of a static
    // local table, whose array type clang puts at unit level.
    Context c;
    c.prefix = ctx.prefix;
    c.declOnly = true;
    walkChildren(die, c, depth + 1);
    return;
  }

  auto fn = std::make_unique<Function>();
  fn->fromDwarf = true;
  fn->ranges = ranges;
  fn->shortName = a.name ? a.name : "";
  fn->linkageName = a.linkageName ? a.linkageName : "";
  if (a.hasDeclFile)
    fn->declFile = m_unit.file(a.declFile);
  fn->declLine = uint32_t(a.declLine);
  if (a.type)
    fn->returnType = m_impl.typeAt(a.type);
  if (a.frameBase.present && a.frameBase.isExpr)
    fn->frameBase = expressionOf(a.frameBase.expr, a.offset);
  fn->scope.kind = ScopeKind::Function;
  fn->scope.ranges = ranges;
  fn->scope.dieOffset = a.offset;
  Function *f = fn.get();
  m_impl.functions.push_back(std::move(fn));
  m_functionDies.emplace_back(f, a.offset);

  Context c;
  c.function = f;
  c.scope = &f->scope;
  c.prefix = ctx.prefix;
  walkChildren(die, c, depth + 1);
}

void DwarfLoader::visitScope(Dwarf_Die die, DieAttrs &a, const Context &ctx, int depth) {
  if (a.tag == DW_TAG_inlined_subroutine)
    recordDecl(a, ctx);
  if (!ctx.function || ctx.declOnly) {
    walkChildren(die, ctx, depth + 1);
    return;
  }
  std::vector<AddressRange> ranges = rangesOf(a);
  if (ranges.empty()) {
    if (a.tag == DW_TAG_lexical_block && !a.hasLowPc && !a.ranges.present) {
      walkChildren(die, ctx, depth + 1); // A block without addresses: merge.
    } else {
      // Discarded code: no variables, but its type DIEs may be referred to.
      Context c = ctx;
      c.declOnly = true;
      walkChildren(die, c, depth + 1);
    }
    return;
  }
  Scope s;
  s.kind = a.tag == DW_TAG_inlined_subroutine ? ScopeKind::Inlined : ScopeKind::Lexical;
  s.ranges = std::move(ranges);
  s.dieOffset = a.offset;
  if (a.hasCallFile)
    s.callFile = m_unit.file(a.callFile);
  s.callLine = uint32_t(a.callLine);
  s.callColumn = uint32_t(a.callColumn);
  ctx.scope->children.push_back(std::move(s));
  Context c = ctx;
  c.scope = &ctx.scope->children.back();
  walkChildren(die, c, depth + 1);
}

void DwarfLoader::visitVariable(DieAttrs &a, const Context &ctx) {
  // Only declarations that something may refer to, or that refer on, need
  // remembering: abstract instances and the concrete DIEs that point at them.
  if (ctx.declOnly || a.abstractOrigin || a.specification || a.declaration)
    recordDecl(a, ctx);
  if (ctx.declOnly)
    return;
  if (!ctx.function && (a.declaration || (!a.location.present && !a.hasConstValue)))
    return;
  Variable v;
  v.name = a.name ? a.name : "";
  if (a.type)
    v.type = m_impl.typeAt(a.type);
  v.isParameter = a.tag == DW_TAG_formal_parameter;
  if (a.hasDeclFile)
    v.declFile = m_unit.file(a.declFile);
  v.declLine = uint32_t(a.declLine);
  if (a.location.present)
    v.location = locationOf(a);
  if (a.hasConstValue) {
    if (!a.constBlock.empty()) {
      v.constValue.emplace(a.constBlock.begin(), a.constBlock.end());
    } else {
      std::vector<uint8_t> bytes(8);
      for (int i = 0; i < 8; ++i)
        bytes[size_t(i)] = uint8_t(a.constValue >> (8 * i));
      v.constValue = std::move(bytes);
    }
  }
  v.function = ctx.function;
  v.dieOffset = a.offset;
  if (isDiscardedStatic(v)) {
    // Its storage was removed by the linker: there is nothing to show.
    if (!ctx.function)
      return;
    v.location.clear();
  }
  if (ctx.function) {
    ctx.scope->variables.push_back(std::move(v));
  } else {
    if (v.name.empty() && !a.specification && !a.abstractOrigin)
      return;
    m_impl.globals.push_back(std::move(v));
  }
}

bool DwarfLoader::isDiscardedStatic(const Variable &v) const {
  // A static's location is one DW_OP_addr. wasm-ld writes a tombstone there
  // for data it removed: -1 (or -2) in current versions, 0 in older ones.
  // Static data lies in the initial memory, so any address past it is one;
  // 0 is one too unless a data segment really starts there.
  if (v.location.size() != 1 || !v.location[0].always)
    return false;
  const DwarfExpression &e = v.location[0].expression;
  if (e.empty() || e[0].opcode != DW_OP_addr)
    return false;
  uint64_t address = e[0].operand1;
  if (address == 0)
    return !m_impl.dataAtZero;
  return address >= m_impl.initialMemoryBytes;
}

std::vector<AddressRange> DwarfLoader::rangesOf(const DieAttrs &a) {
  std::vector<AddressRange> out;
  auto add = [&](uint64_t low, uint64_t high) {
    // Linkers mark discarded code with tombstones (-1, -2, or 0): keep only
    // ranges inside the code section, and none at 0, where the code
    // section's function count sits.
    if (low == 0 || low >= high || high > m_impl.codeSize)
      return;
    out.push_back({uint32_t(low), uint32_t(high)});
  };
  if (a.hasLowPc && a.hasHighPc) {
    add(a.lowPc, a.highPcIsOffset ? a.lowPc + a.highPc : a.highPc);
  } else if (a.ranges.present && !a.ranges.isExpr) {
    std::vector<RawRange> raw;
    ListError error;
    if (!readRangeList(a.ranges, m_unit.ctx, m_lists, raw, error))
      warn(error.section, error.offset, error.message);
    for (const RawRange &r : raw)
      add(r.low, r.high);
  }
  std::sort(out.begin(), out.end(),
            [](const AddressRange &x, const AddressRange &y) { return x.low < y.low; });
  return out;
}

std::vector<LocationEntry> DwarfLoader::locationOf(const DieAttrs &a) {
  std::vector<RawLocation> &raw = m_rawLocations; // Reused: one per variable adds up.
  raw.clear();
  ListError error;
  if (!readLocationList(a.location, m_unit.ctx, m_lists, raw, error))
    warn(error.section, error.offset, error.message);
  std::vector<LocationEntry> out;
  out.reserve(raw.size());
  for (const RawLocation &r : raw) {
    LocationEntry e;
    e.always = r.always;
    if (!r.always) {
      if (r.low >= r.high || r.high > m_impl.codeSize)
        continue; // Tombstoned or empty.
      e.range = {uint32_t(r.low), uint32_t(r.high)};
    }
    e.expression = expressionOf(r.expression, a.offset);
    out.push_back(std::move(e));
  }
  return out;
}

DwarfExpression DwarfLoader::expressionOf(std::span<const uint8_t> bytes, uint64_t dieOffset) {
  auto decoded = decodeExpression(bytes, m_unit.ctx.addressSize, 4);
  if (!decoded) {
    warn(".debug_info", dieOffset, decoded.error().message);
    return {};
  }
  DwarfExpression ops = std::move(decoded).value();
  for (DwarfOp &op : ops) {
    // Resolve indexes into .debug_addr now, so evaluation needs no unit.
    if (op.opcode == DW_OP_addrx || op.opcode == DW_OP_constx) {
      uint64_t value = 0;
      if (!readDebugAddr(m_unit.ctx, m_lists, op.operand1, value)) {
        warn(".debug_addr", m_unit.ctx.addrBase, "bad index in DW_OP_addrx/constx");
        return {};
      }
      op.opcode = op.opcode == DW_OP_addrx ? DW_OP_addr : DW_OP_constu;
      op.operand1 = value;
    }
  }
  return ops;
}

DwarfLoader::DeclInfo DwarfLoader::resolveDecl(uint64_t offset) const {
  DeclInfo out;
  auto it = m_decls.find(offset);
  if (it == m_decls.end())
    return out;
  out = it->second;
  uint64_t next = out.origin;
  for (int guard = 0; next && guard < 8; ++guard) {
    auto jt = m_decls.find(next);
    if (jt == m_decls.end())
      break;
    const DeclInfo &d = jt->second;
    if (!out.name)
      out.name = d.name;
    if (!out.linkageName)
      out.linkageName = d.linkageName;
    if (out.declFile == kNoFile) {
      out.declFile = d.declFile;
      out.declLine = d.declLine;
    }
    if (!out.type)
      out.type = d.type;
    if (out.prefix.empty())
      out.prefix = d.prefix;
    next = d.origin;
  }
  return out;
}

void DwarfLoader::resolveScopes(Scope &scope) {
  if (scope.kind == ScopeKind::Inlined) {
    DeclInfo d = resolveDecl(scope.dieOffset);
    if (d.linkageName)
      scope.inlinedName = demangle(d.linkageName);
    else if (d.name)
      scope.inlinedName = d.prefix + d.name;
    scope.declFile = d.declFile;
    scope.declLine = d.declLine;
  }
  for (Variable &v : scope.variables) {
    if (!v.name.empty() && v.type && v.declFile != kNoFile)
      continue;
    DeclInfo d = resolveDecl(v.dieOffset);
    if (v.name.empty() && d.name)
      v.name = d.name;
    if (!v.type && d.type)
      v.type = m_impl.typeAt(d.type);
    if (v.declFile == kNoFile) {
      v.declFile = d.declFile;
      v.declLine = d.declLine;
    }
  }
  for (Scope &child : scope.children)
    resolveScopes(child);
}

void DwarfLoader::finish() {
  for (auto &[fn, offset] : m_functionDies) {
    DeclInfo d = resolveDecl(offset);
    if (fn->shortName.empty() && d.name)
      fn->shortName = d.name;
    if (fn->linkageName.empty() && d.linkageName)
      fn->linkageName = d.linkageName;
    if (fn->declFile == kNoFile) {
      fn->declFile = d.declFile;
      fn->declLine = d.declLine;
    }
    if (!fn->returnType && d.type)
      fn->returnType = m_impl.typeAt(d.type);
    if (!fn->linkageName.empty())
      fn->name = demangle(fn->linkageName);
    else
      fn->name = d.prefix + fn->shortName;
    if (fn->shortName.empty())
      fn->shortName = fn->name;
    resolveScopes(fn->scope);
  }
  for (Variable &v : m_impl.globals) {
    if (!v.name.empty() && v.type)
      continue;
    DeclInfo d = resolveDecl(v.dieOffset);
    if (v.name.empty() && d.name)
      v.name = d.prefix + d.name;
    if (!v.type && d.type)
      v.type = m_impl.typeAt(d.type);
    if (v.declFile == kNoFile) {
      v.declFile = d.declFile;
      v.declLine = d.declLine;
    }
  }
  // Types referenced but never defined (a corrupt or cut reference).
  for (TypeSlot &slot : m_impl.types) {
    if (!slot.filled) {
      slot.type.kind = TypeKind::Unspecified;
      slot.type.name = "<unknown type>";
      warn(".debug_info", slot.type.dieOffset, "reference to a DIE that is not a type");
      slot.filled = true;
    }
  }
}

// ----------------------------------------------------------- the facade ---

Result<std::unique_ptr<ModuleSymbols>> ModuleSymbols::load(const runtime::Module &module,
                                                           std::vector<SymbolWarning> *warnings) {
  try {
    auto impl = std::make_unique<Impl>();
    impl->module = &module;
    for (const auto &s : module.sections)
      if (s.id == 10)
        impl->codeSize = s.contents.size();
    if (module.numMemories() > 0) {
      uint64_t pages = module.memoryType(0).limits.min;
      impl->initialMemoryBytes = pages > (UINT64_MAX >> 16) ? UINT64_MAX : pages << 16;
    }
    for (const runtime::DataSegment &d : module.datas)
      if (d.mode == runtime::SegmentMode::Active && d.memory == 0 &&
          d.offset.kind == runtime::ConstExpr::Kind::I32 && d.offset.bits == 0 &&
          d.bytes.size() > 0)
        impl->dataAtZero = true;
    for (const auto &cs : module.customSections)
      if (cs.name.rfind(".debug_", 0) == 0 || cs.name == "name")
        impl->sections.push_back({cs.name, cs.contents.begin, cs.contents.size()});
    {
      // libdwarf 20210528 keeps some process-wide state (its error fallback,
      // allocation settings); one load at a time through it is the safe side.
      static std::mutex libdwarfMutex;
      std::lock_guard<std::mutex> lock(libdwarfMutex);
      if (auto object = DwarfObject::open(module, warnings)) {
        DwarfLoader loader(*impl, *object, warnings);
        loader.loadAll();
      }
    }
    impl->indexLines();
    impl->indexFunctions();
    impl->indexTypes();
    return std::unique_ptr<ModuleSymbols>(new ModuleSymbols(std::move(impl)));
  } catch (const std::exception &e) {
    return runtime::Error(runtime::ErrorCode::InvalidArgument,
                          std::string("cannot load symbols: ") + e.what());
  }
}

ModuleSymbols::ModuleSymbols(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
ModuleSymbols::~ModuleSymbols() = default;

bool ModuleSymbols::hasDwarf() const {
  return m_impl->hasDwarf;
}
const std::vector<CompileUnit> &ModuleSymbols::compileUnits() const {
  return m_impl->compileUnits;
}
const std::vector<DebugSection> &ModuleSymbols::debugSections() const {
  return m_impl->sections;
}
const std::vector<SourceFile> &ModuleSymbols::files() const {
  return m_impl->files;
}
const SourceFile *ModuleSymbols::file(FileIndex index) const {
  return index < m_impl->files.size() ? &m_impl->files[index] : nullptr;
}
const std::string &ModuleSymbols::filePath(FileIndex index) const {
  static const std::string kEmpty;
  return index < m_impl->files.size() ? m_impl->files[index].path : kEmpty;
}
const std::string *ModuleSymbols::embeddedSource(FileIndex file) const {
  auto it = m_impl->embeddedSources.find(file);
  return it == m_impl->embeddedSources.end() ? nullptr : &it->second;
}
const std::vector<Variable> &ModuleSymbols::globalVariables() const {
  return m_impl->globals;
}

std::optional<FileIndex> ModuleSymbols::findFile(std::string_view query) const {
  if (query.empty())
    return std::nullopt;
  std::string normalized = normalizePath(std::string(query));
  std::string_view path = normalized;
  auto it = m_impl->fileByPath.find(normalized);
  if (it != m_impl->fileByPath.end())
    return it->second;
  for (FileIndex i = 0; i < m_impl->files.size(); ++i) {
    const std::string &p = m_impl->files[i].path;
    if (p.size() > path.size() && p.compare(p.size() - path.size(), path.size(), path) == 0 &&
        (p[p.size() - path.size() - 1] == '/' || path.front() == '/'))
      return i;
  }
  return std::nullopt;
}

} // namespace wasmscope::debugger
