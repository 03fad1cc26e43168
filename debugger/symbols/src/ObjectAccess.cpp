// Implements libdwarf's Dwarf_Obj_Access_Interface (libdwarf.h, "libdwarf
// Object File Interface") over byte ranges of runtime::Module::bytes.
#include "ObjectAccess.h"

#include "SectionCheck.h"

#include <mutex>

namespace wasmscope::debugger {
namespace {

DwarfObject::Section *sectionAt(void *obj, Dwarf_Half index) {
  auto *sections = static_cast<std::vector<DwarfObject::Section> *>(obj);
  return index < sections->size() ? &(*sections)[index] : nullptr;
}

int getSectionInfo(void *obj, Dwarf_Half index, Dwarf_Obj_Access_Section *out, int *error) {
  DwarfObject::Section *s = sectionAt(obj, index);
  if (!s)
    return DW_DLV_NO_ENTRY;
  *out = {};
  out->addr = 0;
  out->type = index == 0 ? 0 : 1; // SHT_NULL, SHT_PROGBITS
  out->size = s->size;
  out->name = s->name.c_str();
  return DW_DLV_OK;
}

Dwarf_Endianness getByteOrder(void *) {
  return DW_OBJECT_LSB;
}
Dwarf_Small getLengthSize(void *) {
  return 4;
} // wasm32 DWARF is 32-bit format
Dwarf_Small getPointerSize(void *) {
  return 4;
} // wasm32 addresses

Dwarf_Unsigned getSectionCount(void *obj) {
  return static_cast<std::vector<DwarfObject::Section> *>(obj)->size();
}

int loadSection(void *obj, Dwarf_Half index, Dwarf_Small **data, int *error) {
  DwarfObject::Section *s = sectionAt(obj, index);
  if (!s)
    return DW_DLV_NO_ENTRY;
  if (!s->data)
    return DW_DLV_NO_ENTRY;
  // libdwarf reads sections in place and does not write to them (there are
  // no relocations here), so the const bytes of the module are safe to lend.
  *data = const_cast<Dwarf_Small *>(s->data);
  return DW_DLV_OK;
}

/// Range and location lists are decoded by DwarfLists.cpp, not libdwarf:
/// libdwarf 20210528 cannot decode DW_OP_WASM_location inside them, and it
/// parses .debug_rnglists/.debug_loclists eagerly when it opens a unit and
/// double-frees on some corrupt headers. So libdwarf never sees them.
bool isOwnSection(const std::string &name) {
  return name == ".debug_loc" || name == ".debug_loclists" || name == ".debug_ranges" ||
         name == ".debug_rnglists";
}

/// Called by libdwarf for an error when the caller passed no Dwarf_Error*.
/// We always pass one; this only keeps libdwarf from calling abort().
void ignoreError(Dwarf_Error, Dwarf_Ptr) {}

} // namespace

std::unique_ptr<DwarfObject> DwarfObject::open(const runtime::Module &module,
                                               std::vector<SymbolWarning> *warnings) {
  std::unique_ptr<DwarfObject> obj(new DwarfObject());
  obj->m_sections.push_back({"", nullptr, 0});
  for (const auto &cs : module.customSections) {
    if (cs.name.rfind(".debug_", 0) != 0)
      continue;
    if (cs.contents.end > module.bytes.size() || cs.contents.begin > cs.contents.end)
      continue;
    Section s{cs.name, module.bytes.data() + cs.contents.begin, cs.contents.size()};
    if (isOwnSection(cs.name))
      obj->m_own.push_back(std::move(s));
    else
      obj->m_sections.push_back(std::move(s));
  }
  if (obj->m_sections.size() == 1)
    return nullptr;
  // Show libdwarf only complete units: it handles a truncated last unit less
  // gracefully than a shorter section.
  SectionCheck check = checkSections(obj->section(".debug_info"), obj->section(".debug_abbrev"),
                                     obj->section(".debug_line"), warnings);
  for (auto &s : obj->m_sections) {
    if (s.name == ".debug_info")
      s.size = check.usableInfo;
    else if (s.name == ".debug_line")
      s.size = check.usableLine;
  }
  if (check.usableInfo == 0) {
    if (warnings && obj->section(".debug_info").empty())
      warnings->push_back({".debug_info", UINT64_MAX, "missing or empty; debug sections ignored"});
    return nullptr;
  }

  obj->m_methods.get_section_info = getSectionInfo;
  obj->m_methods.get_byte_order = getByteOrder;
  obj->m_methods.get_length_size = getLengthSize;
  obj->m_methods.get_pointer_size = getPointerSize;
  obj->m_methods.get_section_count = getSectionCount;
  obj->m_methods.load_section = loadSection;
  obj->m_methods.relocate_a_section = nullptr;
  obj->m_interface.object = &obj->m_sections;
  obj->m_interface.methods = &obj->m_methods;

  // libdwarf keeps every allocation in a search tree and frees what is left
  // at dwarf_finish. Everything here is freed explicitly, but libdwarf
  // 20210528 itself drops DIEs on some error paths (dwarf_child on an
  // over-long abbreviation code: fuzz_dwarf, LeakSanitizer), and only that
  // tree reclaims them. It costs about 0.2 s on a 7 MB module's load.
  static std::once_flag once; // A libdwarf global: set it once, not per load.
  std::call_once(once, [] { dwarf_set_de_alloc_flag(1); });
  Dwarf_Error error = nullptr;
  int rc = dwarf_object_init_b(&obj->m_interface, ignoreError, nullptr, DW_GROUPNUMBER_ANY,
                               &obj->m_dbg, &error);
  if (rc != DW_DLV_OK) {
    if (warnings) {
      std::string message = "libdwarf could not open the debug sections";
      if (rc == DW_DLV_ERROR && error) {
        message += ": ";
        message += dwarf_errmsg(error);
      }
      warnings->push_back({sectionOfError(message, ".debug_info"), UINT64_MAX, message});
    }
    // An error from a failed init belongs to no Dwarf_Debug: libdwarf frees
    // such errors when given none. (Leaked before: a module loaded again and
    // again with such debug info grew the process without bound.)
    if (rc == DW_DLV_ERROR && error)
      dwarf_dealloc(nullptr, error, DW_DLA_ERROR);
    obj->m_dbg = nullptr;
    return nullptr;
  }
  return obj;
}

DwarfObject::~DwarfObject() {
  if (m_dbg) {
    Dwarf_Error error = nullptr;
    dwarf_object_finish(m_dbg, &error);
  }
}

std::span<const uint8_t> DwarfObject::section(std::string_view name) const {
  for (const auto *list : {&m_sections, &m_own})
    for (const auto &s : *list)
      if (s.name == name && s.data)
        return {s.data, size_t(s.size)};
  return {};
}

std::string DwarfObject::takeError(Dwarf_Error error) const {
  if (!error)
    return "libdwarf error";
  std::string message = dwarf_errmsg(error);
  dwarf_dealloc(m_dbg, error, DW_DLA_ERROR);
  return message;
}

} // namespace wasmscope::debugger
