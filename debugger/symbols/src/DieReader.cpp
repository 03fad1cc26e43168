// Attribute decoding by form (DWARF 5 section 7.5.6), through libdwarf's
// dwarf_form* accessors.
#include "DieReader.h"

#include <dwarf.h>

#include <cstdio>

namespace wasmscope::debugger {
namespace {

bool isConstantForm(Dwarf_Half form) {
  switch (form) {
  case DW_FORM_data1:
  case DW_FORM_data2:
  case DW_FORM_data4:
  case DW_FORM_data8:
  case DW_FORM_udata:
  case DW_FORM_sdata:
  case DW_FORM_implicit_const:
    return true;
  default:
    return false;
  }
}

/// A constant as bits; sdata/implicit_const sign-extended.
bool readConstant(Dwarf_Attribute attr, Dwarf_Half form, uint64_t &out, Dwarf_Error *err) {
  if (form == DW_FORM_sdata || form == DW_FORM_implicit_const) {
    Dwarf_Signed s = 0;
    if (dwarf_formsdata(attr, &s, err) != DW_DLV_OK)
      return false;
    out = uint64_t(s);
    return true;
  }
  Dwarf_Unsigned u = 0;
  if (dwarf_formudata(attr, &u, err) != DW_DLV_OK)
    return false;
  out = u;
  return true;
}

/// Sign-extends data1/2/4 constants (bounds and the like are signed).
int64_t signedConstant(Dwarf_Half form, uint64_t bits) {
  switch (form) {
  case DW_FORM_data1:
    return int8_t(bits);
  case DW_FORM_data2:
    return int16_t(bits);
  case DW_FORM_data4:
    return int32_t(bits);
  default:
    return int64_t(bits);
  }
}

bool readRef(Dwarf_Attribute attr, uint64_t &out, Dwarf_Error *err) {
  Dwarf_Off off = 0;
  if (dwarf_global_formref(attr, &off, err) != DW_DLV_OK)
    return false;
  out = off;
  return true;
}

bool readString(Dwarf_Attribute attr, const char *&out, Dwarf_Error *err) {
  char *s = nullptr;
  if (dwarf_formstring(attr, &s, err) != DW_DLV_OK)
    return false;
  out = s; // Points into the string section; libdwarf owns nothing new.
  return true;
}

/// An expression (exprloc/block) or a list reference (sec_offset, *listx,
/// DWARF 2/3 data4/data8 used as offsets).
bool readListOrExpr(Dwarf_Debug dbg, Dwarf_Attribute attr, Dwarf_Half form, ListOrExpr &out,
                    Dwarf_Error *err) {
  out.form = form;
  switch (form) {
  case DW_FORM_exprloc: {
    Dwarf_Unsigned len = 0;
    Dwarf_Ptr ptr = nullptr;
    if (dwarf_formexprloc(attr, &len, &ptr, err) != DW_DLV_OK)
      return false;
    out.isExpr = true;
    out.expr = {static_cast<const uint8_t *>(ptr), size_t(len)};
    break;
  }
  case DW_FORM_block1:
  case DW_FORM_block2:
  case DW_FORM_block4:
  case DW_FORM_block: {
    Dwarf_Block *block = nullptr;
    if (dwarf_formblock(attr, &block, err) != DW_DLV_OK)
      return false;
    out.isExpr = true;
    // bl_data points into .debug_info, which outlives the Dwarf_Block.
    out.expr = {static_cast<const uint8_t *>(block->bl_data), size_t(block->bl_len)};
    dwarf_dealloc(dbg, block, DW_DLA_BLOCK);
    break;
  }
  case DW_FORM_sec_offset: {
    Dwarf_Off off = 0;
    if (dwarf_global_formref(attr, &off, err) != DW_DLV_OK) {
      Dwarf_Unsigned u = 0;
      if (*err) {
        dwarf_dealloc(dbg, *err, DW_DLA_ERROR);
        *err = nullptr;
      }
      if (dwarf_formudata(attr, &u, err) != DW_DLV_OK)
        return false;
      off = u;
    }
    out.value = off;
    break;
  }
  default:
    if (!readConstant(attr, form, out.value, err))
      return false;
    break;
  }
  out.present = true;
  return true;
}

} // namespace

const char *sectionOfForm(Dwarf_Half form) {
  switch (form) {
  case DW_FORM_strp:
  case DW_FORM_GNU_strp_alt:
    return ".debug_str";
  case DW_FORM_strx:
  case DW_FORM_strx1:
  case DW_FORM_strx2:
  case DW_FORM_strx3:
  case DW_FORM_strx4:
  case DW_FORM_GNU_str_index:
    return ".debug_str_offsets";
  case DW_FORM_line_strp:
    return ".debug_line_str";
  case DW_FORM_addrx:
  case DW_FORM_addrx1:
  case DW_FORM_addrx2:
  case DW_FORM_addrx3:
  case DW_FORM_addrx4:
  case DW_FORM_GNU_addr_index:
    return ".debug_addr";
  default:
    return ".debug_info";
  }
}

bool readDieAttrs(Dwarf_Debug dbg, Dwarf_Die die, DieAttrs &out, std::string &error) {
  Dwarf_Error err = nullptr;
  auto fail = [&]() {
    error = err ? dwarf_errmsg(err) : "libdwarf error";
    if (err)
      dwarf_dealloc(dbg, err, DW_DLA_ERROR);
    return false;
  };
  if (dwarf_tag(die, &out.tag, &err) != DW_DLV_OK)
    return fail();
  if (dwarf_dieoffset(die, &out.offset, &err) != DW_DLV_OK)
    return fail();

  Dwarf_Attribute *attrs = nullptr;
  Dwarf_Signed count = 0;
  int rc = dwarf_attrlist(die, &attrs, &count, &err);
  if (rc == DW_DLV_NO_ENTRY)
    return true;
  if (rc != DW_DLV_OK)
    return fail();

  for (Dwarf_Signed i = 0; i < count; ++i) {
    Dwarf_Attribute attr = attrs[i];
    Dwarf_Half at = 0, form = 0;
    bool ok = dwarf_whatattr(attr, &at, &err) == DW_DLV_OK &&
              dwarf_whatform(attr, &form, &err) == DW_DLV_OK;
    if (ok) {
      uint64_t v = 0;
      switch (at) {
      case DW_AT_name:
        ok = readString(attr, out.name, &err);
        break;
      case DW_AT_linkage_name:
      case DW_AT_MIPS_linkage_name:
        ok = readString(attr, out.linkageName, &err);
        break;
      case DW_AT_producer:
        ok = readString(attr, out.producer, &err);
        break;
      case DW_AT_comp_dir:
        ok = readString(attr, out.compDir, &err);
        break;
      case DW_AT_low_pc: {
        Dwarf_Addr a = 0;
        ok = dwarf_formaddr(attr, &a, &err) == DW_DLV_OK;
        out.hasLowPc = ok;
        out.lowPc = a;
        break;
      }
      case DW_AT_high_pc:
        if (form == DW_FORM_addr || (form >= DW_FORM_addrx1 && form <= DW_FORM_addrx4) ||
            form == DW_FORM_addrx || form == DW_FORM_GNU_addr_index) {
          Dwarf_Addr a = 0;
          ok = dwarf_formaddr(attr, &a, &err) == DW_DLV_OK;
          out.highPc = a;
        } else {
          ok = readConstant(attr, form, out.highPc, &err);
          out.highPcIsOffset = true;
        }
        out.hasHighPc = ok;
        break;
      case DW_AT_ranges:
        ok = readListOrExpr(dbg, attr, form, out.ranges, &err);
        break;
      case DW_AT_type:
        ok = readRef(attr, out.type, &err);
        break;
      case DW_AT_abstract_origin:
        ok = readRef(attr, out.abstractOrigin, &err);
        break;
      case DW_AT_specification:
        ok = readRef(attr, out.specification, &err);
        break;
      case DW_AT_decl_file:
        ok = readConstant(attr, form, out.declFile, &err);
        out.hasDeclFile = ok;
        break;
      case DW_AT_decl_line:
        ok = readConstant(attr, form, out.declLine, &err);
        break;
      case DW_AT_call_file:
        ok = readConstant(attr, form, out.callFile, &err);
        out.hasCallFile = ok;
        break;
      case DW_AT_call_line:
        ok = readConstant(attr, form, out.callLine, &err);
        break;
      case DW_AT_call_column:
        ok = readConstant(attr, form, out.callColumn, &err);
        break;
      case DW_AT_location:
        ok = readListOrExpr(dbg, attr, form, out.location, &err);
        break;
      case DW_AT_frame_base:
        ok = readListOrExpr(dbg, attr, form, out.frameBase, &err);
        break;
      case DW_AT_data_member_location:
        ok = readListOrExpr(dbg, attr, form, out.memberLocation, &err);
        break;
      case DW_AT_const_value:
        out.constForm = form;
        if (isConstantForm(form)) {
          ok = readConstant(attr, form, out.constValue, &err);
        } else if (form == DW_FORM_block1 || form == DW_FORM_block2 || form == DW_FORM_block4 ||
                   form == DW_FORM_block || form == DW_FORM_exprloc) {
          ListOrExpr e;
          ok = readListOrExpr(dbg, attr, form, e, &err);
          out.constBlock = e.expr;
        } else {
          ok = true; // A string constant or similar: not used.
          break;
        }
        out.hasConstValue = ok;
        break;
      case DW_AT_byte_size:
        if (isConstantForm(form)) {
          ok = readConstant(attr, form, out.byteSize, &err);
          out.hasByteSize = ok;
        }
        break;
      case DW_AT_bit_size:
        if (isConstantForm(form)) {
          ok = readConstant(attr, form, out.bitSize, &err);
          out.hasBitSize = ok;
        }
        break;
      case DW_AT_data_bit_offset:
        ok = readConstant(attr, form, out.dataBitOffset, &err);
        out.hasDataBitOffset = ok;
        break;
      case DW_AT_bit_offset:
        ok = readConstant(attr, form, out.bitOffset, &err);
        out.hasBitOffset = ok;
        break;
      case DW_AT_encoding:
        ok = readConstant(attr, form, out.encoding, &err);
        break;
      case DW_AT_lower_bound:
        if (isConstantForm(form)) {
          ok = readConstant(attr, form, v, &err);
          out.lowerBound = signedConstant(form, v);
          out.hasLowerBound = ok;
        }
        break;
      case DW_AT_upper_bound:
        if (isConstantForm(form)) {
          ok = readConstant(attr, form, v, &err);
          out.upperBound = signedConstant(form, v);
          out.hasUpperBound = ok;
        }
        break;
      case DW_AT_count:
        if (isConstantForm(form)) {
          ok = readConstant(attr, form, out.count, &err);
          out.hasCount = ok;
        }
        break;
      case DW_AT_declaration:
      case DW_AT_external:
      case DW_AT_artificial:
      case DW_AT_GNU_vector: {
        Dwarf_Bool b = 0;
        ok = dwarf_formflag(attr, &b, &err) == DW_DLV_OK;
        (at == DW_AT_declaration ? out.declaration
         : at == DW_AT_external  ? out.external
         : at == DW_AT_GNU_vector ? out.vector
                                  : out.artificial) = b != 0;
        break;
      }
      case DW_AT_inline:
        ok = readConstant(attr, form, out.inlineAttr, &err);
        break;
      case DW_AT_language:
        ok = readConstant(attr, form, out.language, &err);
        break;
      case DW_AT_stmt_list: {
        ListOrExpr e;
        ok = readListOrExpr(dbg, attr, form, e, &err);
        out.stmtList = e.value;
        out.hasStmtList = ok;
        break;
      }
      case DW_AT_addr_base:
      case DW_AT_GNU_addr_base: {
        ListOrExpr e;
        ok = readListOrExpr(dbg, attr, form, e, &err);
        out.addrBase = e.value;
        out.hasAddrBase = ok;
        break;
      }
      case DW_AT_loclists_base: {
        ListOrExpr e;
        ok = readListOrExpr(dbg, attr, form, e, &err);
        out.loclistsBase = e.value;
        out.hasLoclistsBase = ok;
        break;
      }
      case DW_AT_rnglists_base:
      case DW_AT_GNU_ranges_base: {
        ListOrExpr e;
        ok = readListOrExpr(dbg, attr, form, e, &err);
        out.rnglistsBase = e.value;
        out.hasRnglistsBase = ok;
        break;
      }
      default:
        break;
      }
    }
    if (!ok) {
      // One unreadable attribute: skip it, keep the rest of the DIE.
      if (out.attrError.empty()) {
        char buf[64];
        std::snprintf(buf, sizeof buf, "attribute 0x%x (form 0x%x): ", unsigned(at),
                      unsigned(form));
        out.attrError = buf;
        out.attrError += err ? dwarf_errmsg(err) : "no value";
        out.attrErrorForm = form;
      }
      if (err)
        dwarf_dealloc(dbg, err, DW_DLA_ERROR);
      err = nullptr;
    }
    dwarf_dealloc_attribute(attr);
  }
  dwarf_dealloc(dbg, attrs, DW_DLA_LIST);
  return true;
}

} // namespace wasmscope::debugger
