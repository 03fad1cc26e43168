// Source-level symbols for one wasm module: DWARF 4/5 (read with libdwarf
// from the module's `.debug_*` custom sections, in memory) with the name
// section as a fallback. Everything is indexed once at load; lookups after
// that are binary searches over sorted vectors.
//
// Addresses: every address in this API is a *code offset*, the byte offset
// from the start of the code section's contents (runtime::Module::
// codeSectionOffset), which is the address space wasm DWARF, LLDB's file
// addresses for wasm, `wasm-objdump -d` and runtime::FrameInfo::wasmOffset use.
#pragma once

#include "wasmscope/runtime/Module.h"
#include "wasmscope/runtime/Probes.h"
#include "wasmscope/runtime/Result.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace wasmscope::debugger {

template <typename T> using Result = runtime::Result<T>;

/// Index into ModuleSymbols::files().
using FileIndex = uint32_t;
inline constexpr FileIndex kNoFile = UINT32_MAX;

/// Something in the debug info that could not be read. The module still
/// loads; whatever else was readable is used.
struct SymbolWarning {
  std::string section;          ///< ".debug_info", ".debug_line", "name", ...
  uint64_t offset = UINT64_MAX; ///< Byte offset in that section, if known.
  std::string message;
  /// ".debug_line+0x1a4: message" (or "section: message").
  std::string describe() const;
};

/// A half-open code-offset range [low, high).
struct AddressRange {
  uint32_t low = 0;
  uint32_t high = 0;
  bool contains(uint32_t address) const { return address >= low && address < high; }
  bool operator==(const AddressRange &) const = default;
};

/// A source file named by some line table or declaration, deduplicated across
/// compile units by its full path.
struct SourceFile {
  std::string path; ///< Full path: the CU's comp_dir, include dir and name joined.
  std::string name; ///< Last path component ("list.c").
};

/// One line-table row, widened to the address range it covers.
struct SourceLocation {
  uint32_t address = 0;    ///< Start of the row (<= the queried offset).
  uint32_t endAddress = 0; ///< Start of the next row in the sequence.
  FileIndex file = kNoFile;
  uint32_t line = 0;   ///< 0: compiler-generated code with no line.
  uint32_t column = 0; ///< 0: no column.
  bool isStmt = false;
  bool prologueEnd = false;
  bool epilogueBegin = false;
};

/// Which line a line breakpoint was placed on.
struct LineMatch {
  FileIndex file = kNoFile;
  uint32_t requestedLine = 0;
  uint32_t line = 0; ///< The line actually used (>= requestedLine); 0 if none.
};

// ---------------------------------------------------------------- types ----

enum class TypeKind : uint8_t {
  Void, ///< `void` (a pointer's target when DW_AT_type is absent).
  Base, ///< int, float, char, bool ... see `encoding`.
  Pointer,
  Reference, ///< C++ `T&`
  RValueReference,
  PointerToMember,
  Struct,
  Class,
  Union,
  Array,
  Enum,
  Typedef,
  Const,
  Volatile,
  Restrict,
  Atomic,
  Subroutine,  ///< A function type (target of a function pointer).
  Unspecified, ///< DW_TAG_unspecified_type (`decltype(nullptr)`).
};

/// DW_ATE_* for base types.
enum class BaseEncoding : uint8_t {
  None,
  Address,
  Boolean,
  Float,
  Signed,
  SignedChar,
  Unsigned,
  UnsignedChar,
  Utf, ///< char8_t/char16_t/char32_t
  Other,
};

struct Type;

/// A data member of a struct, class or union, or a base class
/// (`isBaseClass`, with the base's type name as `name`).
struct Member {
  std::string name; ///< Empty for an anonymous struct/union member.
  const Type *type = nullptr;
  uint64_t byteOffset = 0; ///< From the start of the enclosing object.
  uint32_t bitSize = 0;    ///< Non-zero for a bitfield.
  uint32_t bitOffset = 0;  ///< Bitfield: bits from the start of byteOffset
                           ///< (little-endian, DW_AT_data_bit_offset style).
  bool isBaseClass = false;
  bool isStatic = false; ///< C++ static data member (no offset).
};

/// One alternative of a Rust enum (DW_TAG_variant).
struct Variant {
  /// The discriminant's value that selects it; absent for the alternative
  /// taken when no other matches (a niche-encoded enum's data variant).
  std::optional<uint64_t> discriminantValue;
  Member member; ///< Named by the alternative ("Some"), of its payload's struct type.
};

/// A Rust enum's alternatives (DW_TAG_variant_part), all at the same offset.
struct VariantPart {
  std::optional<Member> discriminant; ///< The tag (or niche) member.
  std::vector<Variant> variants;
};

struct Enumerator {
  std::string name;
  int64_t value = 0; ///< Unsigned enumerators are stored bit-for-bit.
};

/// One array dimension, outermost first.
struct ArrayDimension {
  int64_t lowerBound = 0;
  std::optional<uint64_t> count; ///< Absent for `int a[]` / flexible members.
};

/// A node of the type graph. Nodes are owned by their ModuleSymbols and
/// referenced by pointer; cycles (a struct with a pointer to itself) are fine.
struct Type {
  TypeKind kind = TypeKind::Void;
  std::string name;          ///< As declared ("node", "uint32_t"); empty if anonymous.
  std::string qualifiedName; ///< With C++ scopes ("geo::Rect"); else same as name.
  uint64_t byteSize = 0;     ///< 0 if unknown (incomplete type, void).
  BaseEncoding encoding = BaseEncoding::None; ///< Base only.
  /// Pointee, referenced, aliased, qualified or element type, enum's
  /// underlying type, or a subroutine's return type (nullptr: void).
  const Type *target = nullptr;
  std::vector<Member> members;            ///< Struct, class, union.
  std::optional<VariantPart> variantPart; ///< A Rust enum (a struct in DWARF).
  std::vector<Enumerator> enumerators;    ///< Enum.
  std::vector<ArrayDimension> dimensions; ///< Array.
  std::vector<const Type *> parameters;   ///< Subroutine.
  bool variadic = false;                  ///< Subroutine.
  /// Array: a SIMD vector (`__attribute__((vector_size(16)))`, v128_t),
  /// marked by DW_AT_GNU_vector; its elements are the lanes.
  bool isVector = false;
  bool isDeclaration = false;             ///< Struct/union/enum without body.
  uint64_t dieOffset = 0;                 ///< In .debug_info, for diagnostics.

  /// Follows typedefs and cv-qualifiers down to the type that decides layout.
  const Type *stripped() const;
  /// C spelling: "struct node *", "const char *", "int[4][2]", "int (*)(int)".
  std::string displayName() const;
};

// ------------------------------------------------- locations and variables --

/// One decoded DWARF expression operation (DWARF 5 section 2.5/2.6).
struct DwarfOp {
  uint8_t opcode = 0;         ///< DW_OP_*; 0xED is DW_OP_WASM_location.
  uint64_t operand1 = 0;      ///< First operand (for 0xED: the kind 0-3).
  uint64_t operand2 = 0;      ///< Second operand (for 0xED: the index).
  std::vector<uint8_t> block; ///< DW_OP_implicit_value / entry_value bytes.
  /// Where the operation starts in the encoded expression and how many bytes
  /// it takes (set by decodeExpression): DW_OP_skip and DW_OP_bra branch by
  /// byte offsets.
  uint32_t offset = 0;
  uint32_t size = 0;
};
using DwarfExpression = std::vector<DwarfOp>;

inline constexpr uint8_t kDwOpWasmLocation = 0xED;
/// Kinds of DW_OP_WASM_location (WebAssembly tool-conventions, Debugging.md).
enum class WasmLocationKind : uint8_t {
  Local = 0,
  Global = 1,
  OperandStack = 2,
  GlobalFixed = 3, ///< Global with a fixed 4-byte index (relocatable).
};

/// One entry of a location description: `expression` applies while the pc is
/// in `range`. A single-expression DW_AT_location becomes one entry with
/// `always` set. An empty expression means "optimized out" in that range.
struct LocationEntry {
  AddressRange range;
  bool always = false;
  DwarfExpression expression;
};

/// Where a variable lives in one frame, or its value.
enum class LocationKind : uint8_t {
  Memory,           ///< In linear memory at `address`.
  WasmLocal,        ///< Wasm local `index` of the (concrete) frame.
  WasmGlobal,       ///< Wasm global `index`.
  WasmOperandStack, ///< Operand stack entry `index` (see FrameAccess).
  Value,            ///< Computed value `value` (DW_OP_stack_value).
  ImplicitBytes,    ///< Literal `bytes` (DW_OP_implicit_value).
  OptimizedOut,     ///< No location at this pc.
  Composite,        ///< Pieces (DW_OP_piece), in order, in `pieces`.
};

struct VariableLocation {
  LocationKind kind = LocationKind::OptimizedOut;
  uint64_t address = 0;                 ///< Memory.
  uint32_t index = 0;                   ///< WasmLocal, WasmGlobal, WasmOperandStack.
  uint64_t value = 0;                   ///< Value.
  std::vector<uint8_t> bytes;           ///< ImplicitBytes.
  uint32_t pieceSize = 0;               ///< Size in bytes when part of a Composite; else 0.
  std::vector<VariableLocation> pieces; ///< Composite.
};

/// The frame state an expression may read. Values of wasm locals, globals and
/// operand-stack entries are raw bits, zero-extended to 64 (an f32 is its bit
/// pattern). Return nullopt/false when the item does not exist.
class FrameAccess {
public:
  virtual ~FrameAccess() = default;
  virtual std::optional<uint64_t> local(uint32_t index) const = 0;
  virtual std::optional<uint64_t> global(uint32_t index) const = 0;
  /// Operand stack entry `index` as DW_OP_WASM_location 2 numbers them:
  /// counted from the bottom of this function's operand stack.
  virtual std::optional<uint64_t> operandStack(uint32_t index) const = 0;
  /// Reads `out.size()` bytes of linear memory at `address`.
  virtual bool readMemory(uint64_t address, std::span<uint8_t> out) const = 0;
};

struct Function;

/// A formal parameter or local variable.
struct Variable {
  std::string name;
  const Type *type = nullptr;
  bool isParameter = false;
  FileIndex declFile = kNoFile;
  uint32_t declLine = 0;
  /// Empty: no location at all (optimized out everywhere), unless constValue.
  std::vector<LocationEntry> location;
  /// DW_AT_const_value, little-endian, when the variable is a constant.
  std::optional<std::vector<uint8_t>> constValue;
  /// The concrete (out-of-line) function whose frame holds this variable; its
  /// frame base serves DW_OP_fbreg, also for variables of inlined code.
  const Function *function = nullptr;
  uint64_t dieOffset = 0;

  /// The expression that applies at `pc`, or nullptr if none does.
  const DwarfExpression *expressionAt(uint32_t pc) const;
};

// ------------------------------------------------------------ functions ----

enum class ScopeKind : uint8_t { Function, Lexical, Inlined };

/// A lexical block, inlined call or a function's outermost scope.
struct Scope {
  ScopeKind kind = ScopeKind::Function;
  std::vector<AddressRange> ranges; ///< Sorted; may be several after -O2.
  std::vector<Variable> variables;  ///< Declared directly in this scope.
  std::vector<Scope> children;
  // Inlined only:
  std::string inlinedName;      ///< The inlined function's (demangled) name.
  FileIndex callFile = kNoFile; ///< Where the call was, in the caller.
  uint32_t callLine = 0;
  uint32_t callColumn = 0;
  FileIndex declFile = kNoFile; ///< Of the inlined function.
  uint32_t declLine = 0;
  uint64_t dieOffset = 0; ///< In .debug_info, for diagnostics.

  bool contains(uint32_t address) const;
};

/// A concrete (out-of-line) function, from DWARF or the name section.
struct Function {
  std::string name;                 ///< Demangled full name ("ns::f<int>(int)"), or plain C name.
  std::string shortName;            ///< DW_AT_name ("f<int>"); same as name for C.
  std::string linkageName;          ///< Mangled name, empty for C.
  std::vector<AddressRange> ranges; ///< Sorted; ranges.front().low is the entry.
  FileIndex declFile = kNoFile;
  uint32_t declLine = 0;
  const Type *returnType = nullptr; ///< nullptr: void or unknown.
  /// DW_AT_frame_base, usually DW_OP_WASM_location 0 N (a wasm local holding
  /// the frame pointer) or a global (the stack pointer).
  DwarfExpression frameBase;
  /// First address after the prologue, as LLDB computes it: a prologue_end
  /// row among the first six rows, else the first row with another line,
  /// else the end of the first row; then past any line-0 rows. Where a
  /// function breakpoint goes (the entry for name-section functions).
  uint32_t bodyAddress = 0;
  /// Wasm function index (defined functions only), found from the code
  /// section by the entry address; kNoIndex when it does not match one.
  uint32_t funcIndex = runtime::kNoIndex;
  bool fromDwarf = false; ///< false: from the name section only.
  Scope scope;            ///< Parameters, locals, blocks, inlined calls.

  uint32_t lowPc() const { return ranges.empty() ? 0 : ranges.front().low; }
  bool contains(uint32_t address) const;
  /// The name to show a user: `name`, except that a linkage name that is
  /// not mangled gives way to the name as written, so C's main shows as
  /// "main", not wasi-libc's rename "__main_argc_argv".
  const std::string &displayName() const;
};

/// One inlined call containing an address (see ModuleSymbols::inlineChainAt).
struct InlinedFrame {
  const Scope *scope = nullptr; ///< The ScopeKind::Inlined scope.
  std::string name;             ///< The inlined function's name.
  FileIndex callFile = kNoFile; ///< Call site in the caller.
  uint32_t callLine = 0;
  uint32_t callColumn = 0;
};

/// A compile unit, for summaries.
struct CompileUnit {
  std::string name; ///< DW_AT_name (main source file as given to clang).
  std::string compDir;
  std::string producer;  ///< "clang version 19..."
  uint16_t language = 0; ///< DW_LANG_*
  uint16_t dwarfVersion = 0;
  uint64_t dieOffset = 0;
  std::vector<AddressRange> ranges;
  std::vector<FileIndex> files; ///< Files its line table names.
};

/// A `.debug_*` (or name) section present in the module.
struct DebugSection {
  std::string name;
  uint32_t fileOffset = 0; ///< Of the contents in Module::bytes.
  uint32_t size = 0;
};

// ---------------------------------------------------------- the symbols ----

class ModuleSymbols {
public:
  /// Reads the module's DWARF and name section. Never fails on bad debug
  /// info: what cannot be read is reported in `warnings` (may be null) and
  /// the rest is used. An error only for a module whose symbols cannot be
  /// built at all (none today; reserved). `module` must outlive the result.
  /// Safe to call from several threads (the libdwarf part runs one load at
  /// a time); every query below is const and safe to call concurrently.
  static Result<std::unique_ptr<ModuleSymbols>> load(const runtime::Module &module,
                                                     std::vector<SymbolWarning> *warnings);
  ~ModuleSymbols();
  ModuleSymbols(const ModuleSymbols &) = delete;
  ModuleSymbols &operator=(const ModuleSymbols &) = delete;

  /// True when the module had usable DWARF (at least one compile unit).
  bool hasDwarf() const;
  const std::vector<CompileUnit> &compileUnits() const;
  const std::vector<DebugSection> &debugSections() const;
  const std::vector<SourceFile> &files() const;
  const SourceFile *file(FileIndex index) const;
  /// Full path of a file ("" for kNoFile).
  const std::string &filePath(FileIndex index) const;
  /// A file by full path, or by a suffix that ends at a path separator
  /// ("list.c", "src/list.c"). Ambiguous suffixes pick the first file.
  std::optional<FileIndex> findFile(std::string_view path) const;
  /// The file's source text when the module carries it (DWARF 5
  /// DW_LNCT_LLVM_source, from clang's -gembed-source); null otherwise.
  const std::string *embeddedSource(FileIndex file) const;

  // Lines.
  /// The line-table row covering `codeOffset`, or nullopt outside every
  /// sequence. A row with line 0 is returned as is. Rows at one address
  /// count as the last of them (DWARF's rule; LLDB keeps only that one).
  std::optional<SourceLocation> locationAt(uint32_t codeOffset) const;
  /// Where a breakpoint on `file`:`line` stops, resolved as LLDB 22 does
  /// (checked against it on every sample): the line itself or, if it has no
  /// rows, the call sites of functions inlined on that line (at the start of
  /// each inlined copy), else the nearest following line that has rows
  /// (`resolvedLine`, may be null, says which line); then one address per
  /// innermost block (a lexical block, an inlined copy, or the function),
  /// the lowest; an address at a function's entry moves to `bodyAddress`. A
  /// line moved more than one line before the start of the function it
  /// lands in (a line between functions) gets nothing. `file` is a full path
  /// or a suffix at a '/' ("list.c"). Sorted and unique; empty when nothing
  /// fits. See LineBreakpoints.cpp and docs/Symbols.md.
  std::vector<uint32_t> breakpointAddresses(std::string_view file, uint32_t line,
                                            LineMatch *resolvedLine = nullptr) const;
  /// Lines of a file that have line-table rows, sorted (for gutters, tests).
  std::vector<uint32_t> linesWithCode(FileIndex file) const;
  /// Every line-table row in address order (end-of-sequence rows excluded),
  /// built on first call.
  const std::vector<SourceLocation> &lineTable() const;

  // Functions.
  /// All concrete functions sorted by entry address (lowPc).
  const std::vector<std::unique_ptr<Function>> &functions() const;
  /// The concrete function containing `codeOffset`, or nullptr.
  const Function *functionAt(uint32_t codeOffset) const;
  /// Functions whose name, short name or linkage name equals `name`.
  std::vector<const Function *> findFunctions(std::string_view name) const;
  /// The inlined calls containing `codeOffset`, innermost first; empty if the
  /// address is in no inlined code.
  std::vector<InlinedFrame> inlineChainAt(uint32_t codeOffset) const;

  // Variables.
  /// Variables visible at `codeOffset` in source frame `inlineDepth`
  /// (0: the innermost inlined frame, or the function itself when nothing is
  /// inlined there; inlineChainAt(pc).size(): the concrete function).
  /// Parameters first, then locals from the outermost to the innermost
  /// enclosing block; a variable shadowed by an inner one of the same name is
  /// left out. Lexical blocks not containing the address are skipped.
  std::vector<const Variable *> variablesAt(uint32_t codeOffset, uint32_t inlineDepth = 0) const;
  /// Variables at file or namespace scope (C globals, statics, C++ static
  /// members) that have a location or a constant value; `function` is null.
  const std::vector<Variable> &globalVariables() const;
  /// Evaluates the variable's location at `pc` against a live frame. With no
  /// expression at `pc`: the constant value as ImplicitBytes if there is
  /// one, else OptimizedOut.
  Result<VariableLocation> evaluateLocation(const Variable &variable, uint32_t pc,
                                            const FrameAccess &frame) const;

  // Types.
  /// A named struct/class/union/enum/typedef/base type. "struct node",
  /// "node" and "ns::node" all work; a definition is preferred over a
  /// declaration. nullptr if none.
  const Type *findType(std::string_view name) const;
  /// Every type node, in .debug_info order.
  std::vector<const Type *> types() const;

  struct Impl;

private:
  explicit ModuleSymbols(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> m_impl;
};

/// Operations one evaluation may execute, counting those of the frame base
/// it uses; DW_OP_skip and DW_OP_bra can loop, and a hostile module's loop
/// need not end. Beyond it evaluation fails with "more than ... operations".
inline constexpr size_t kMaxExpressionSteps = 100000;

/// Evaluates a DWARF location expression (DWARF 5 section 2.5/2.6, with
/// DW_OP_WASM_location) without a variable: `frameBase` serves DW_OP_fbreg.
Result<VariableLocation> evaluateExpression(const DwarfExpression &expression,
                                            const DwarfExpression *frameBase,
                                            const FrameAccess &frame);

/// Decodes a DWARF expression from raw bytes (addressSize 4 for wasm32).
/// Stops with an error at the first malformed or unsupported operation.
Result<DwarfExpression> decodeExpression(std::span<const uint8_t> bytes, uint8_t addressSize = 4,
                                         uint8_t offsetSize = 4);

/// "DW_OP_WASM_location 0x0 0x2, DW_OP_stack_value" as llvm-dwarfdump spells it.
std::string formatExpression(const DwarfExpression &expression);

/// Demangles an Itanium C++ name ("_ZN2ns1fEi" -> "ns::f(int)") or a Rust
/// legacy one (hash dropped, escapes undone: "_ZN3std2rt10lang_start28_$u7b$
/// $u7b$closure$u7d$$u7d$17h0123456789abcdefE" -> "std::rt::lang_start::
/// {{closure}}"); returns the input unchanged when it is not a mangled name.
std::string demangle(std::string_view name);
/// Undoes Rust's legacy escapes in a "::"-separated path ("$LT$" -> "<",
/// "$u20$" -> " ", ".." -> "::", a component's leading "_$" -> "$").
std::string unescapeRustLegacy(std::string_view name);

/// The trap backtrace block written by `wasmscope run`: "backtrace:" and one
/// line per source frame, innermost first:
///   "  #0  0x00012a square at /src/inline.c:5:13 [inlined]"
///   "  #1  0x00012a crash at /src/inline.c:23:11"
///   "  #2  0x0001f0 main at /src/inline.c:34:10"
///   "  #3  <host>   wasi.proc_exit"
/// An inlined call becomes its own frame at the same address. Without DWARF
/// the name comes from the name section and there is no location. Symbols
/// are loaded from the frames' module (a trap is reported once, so nothing is
/// cached). Caller frames are looked up at their call instruction, which is
/// what runtime::FrameInfo::wasmOffset holds for them.
std::string formatBacktrace(std::span<const runtime::FrameInfo> frames);

/// One-line labels for backtrace frames, for front ends that lay out frames
/// themselves (`wasmscope run` folds repeated frames): "divide at
/// /src/structs.c:84:12", or with inlined calls "square at /src/inline.c:5:13
/// (inlined into crash at /src/inline.c:23:11)". Each module's symbols are
/// loaded on first use and kept; the modules must outlive the symbolizer.
class SourceMap;

class FrameSymbolizer {
public:
  FrameSymbolizer();
  ~FrameSymbolizer();
  /// Paths in labels go through `map` (build path -> local path).
  void setSourceMap(SourceMap map);
  /// The label, or "" for host frames and modules without DWARF lines at the
  /// frame's offset (callers then print what they have).
  std::string label(const runtime::FrameInfo &frame);

private:
  std::vector<std::pair<const runtime::Module *, std::unique_ptr<ModuleSymbols>>> m_loaded;
  std::unique_ptr<SourceMap> m_sourceMap;
};

/// Same, with symbols given (null: names only), for callers that hold them;
/// paths go through `sourceMap` when given.
std::string formatBacktrace(std::span<const runtime::FrameInfo> frames,
                            const runtime::Module &module, const ModuleSymbols *symbols,
                            const SourceMap *sourceMap = nullptr);

} // namespace wasmscope::debugger
