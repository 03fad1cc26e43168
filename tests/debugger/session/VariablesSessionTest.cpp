// Frames, scopes, the variables tree and expression evaluation on the
// linked_structures sample: struct fields, array elements, pointer targets,
// char buffers and C strings, enums, unions, globals.
#include "SessionTestSupport.h"

#include <regex>

namespace wasmscope::debugger::test {
namespace {

const char* kFile = "linked_structures.c";

/// Launches linked_structures.O0 and stops at `line` (the `hit`-th time).
void stopAt(Driver& d, uint32_t line, const std::string& hit = "") {
  d.launch(configFor(samplePath("linked_structures")), false);
  SourceBreakpoint spec;
  spec.line = line;
  spec.hitCondition = hit;
  Result<std::vector<Breakpoint>> r = d.session.setBreakpoints(kFile, std::span(&spec, 1));
  ASSERT_TRUE(r.ok());
  ASSERT_TRUE((*r)[0].verified) << (*r)[0].message;
  ASSERT_TRUE(d.session.configurationDone().ok());
  ASSERT_TRUE(d.waitStop());
  ASSERT_EQ(d.top().line, line);
}

/// name -> node for the children of `reference`.
std::map<std::string, VariableNode> children(Driver& d, VariablesReference reference) {
  std::map<std::string, VariableNode> out;
  Result<std::vector<VariableNode>> r = d.session.variables(reference);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  if (r.ok())
    for (VariableNode& v : *r)
      out.emplace(v.name, std::move(v));
  return out;
}

std::map<std::string, VariableNode> scope(Driver& d, FrameScopeKind kind, size_t frame = 0) {
  Result<StackTrace> t = d.session.stackTrace();
  EXPECT_TRUE(t.ok());
  Result<std::vector<FrameScope>> scopes = d.session.scopes(t->frames[frame].id);
  EXPECT_TRUE(scopes.ok());
  for (const FrameScope& s : *scopes)
    if (s.kind == kind)
      return children(d, s.variablesReference);
  ADD_FAILURE() << "no such scope";
  return {};
}

bool matches(const std::string& text, const std::string& pattern) {
  return std::regex_match(text, std::regex(pattern));
}

TEST(VariablesSession, ListWalk) {
  SKIP_WITHOUT(samplePath("linked_structures"));
  Driver d;
  stopAt(d, 37); // sum += node->value;  (first iteration)
  EXPECT_EQ(d.top().name, "list_sum");
  EXPECT_EQ(d.eval("sum"), "0");
  EXPECT_EQ(d.eval("node->value"), "1");
  EXPECT_EQ(d.eval("node->next->value"), "4");
  EXPECT_EQ(d.eval("node->next->next->next->value"), "16");
  EXPECT_EQ(d.eval("(*node).value + head->next->value * 10"), "41");
  EXPECT_EQ(d.eval("node == head"), "1");
  EXPECT_TRUE(matches(d.eval("node"), "0x[0-9a-f]{8}")) << d.eval("node");
  EXPECT_EQ(d.eval("*node"), d.eval("*head"));
  EXPECT_TRUE(matches(d.eval("*node"), "\\{value=1, next=0x[0-9a-f]{8}\\}")) << d.eval("*node");

  std::map<std::string, VariableNode> locals = scope(d, FrameScopeKind::Locals);
  ASSERT_TRUE(locals.count("head"));
  ASSERT_TRUE(locals.count("sum"));
  ASSERT_TRUE(locals.count("node"));
  EXPECT_EQ(locals["sum"].value, "0");
  EXPECT_EQ(locals["sum"].type, "int");
  EXPECT_EQ(locals["node"].type, "const struct ListNode *");
  // A pointer to a struct expands into the struct's members.
  ASSERT_NE(locals["node"].variablesReference, 0);
  std::map<std::string, VariableNode> node = children(d, locals["node"].variablesReference);
  EXPECT_EQ(node["value"].value, "1");
  EXPECT_EQ(node["value"].evaluateName, "node->value");
  ASSERT_NE(node["next"].variablesReference, 0);
  std::map<std::string, VariableNode> next = children(d, node["next"].variablesReference);
  EXPECT_EQ(next["value"].value, "4");
  EXPECT_EQ(next["value"].evaluateName, "node->next->value");
  EXPECT_EQ(d.eval(next["value"].evaluateName), "4");
  // The memory reference of a pointer is the address it holds.
  ASSERT_TRUE(locals["node"].memoryReference);
  Result<MemoryRead> m = d.session.readMemory(*locals["node"].memoryReference, 4);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->data, (std::vector<uint8_t>{1, 0, 0, 0}));
}

TEST(VariablesSession, SameReferenceForSameNodeWhileStopped) {
  SKIP_WITHOUT(samplePath("linked_structures"));
  Driver d;
  stopAt(d, 37);
  std::map<std::string, VariableNode> a = scope(d, FrameScopeKind::Locals);
  std::map<std::string, VariableNode> b = scope(d, FrameScopeKind::Locals);
  EXPECT_EQ(a["node"].variablesReference, b["node"].variablesReference);
  VariablesReference old = a["node"].variablesReference;
  ASSERT_TRUE(d.session.resume().ok());
  ASSERT_TRUE(d.waitStop());
  // After running, old references are refused, not misread.
  Result<std::vector<VariableNode>> stale = d.session.variables(old);
  ASSERT_FALSE(stale.ok());
  EXPECT_NE(stale.error().message.find("references change when the guest runs"), std::string::npos);
  EXPECT_EQ(d.eval("node->value"), "4");
  EXPECT_EQ(d.eval("sum"), "1");
}

TEST(VariablesSession, StructWithArraysStringsAndEnums) {
  SKIP_WITHOUT(samplePath("linked_structures"));
  Driver d;
  stopAt(d, 180); // return total;  in inventory_value
  EXPECT_EQ(d.eval("total"), "60985");
  EXPECT_EQ(d.eval("inventory->item_count"), "4");
  EXPECT_EQ(d.eval("inventory->name"), "\"north warehouse\"");
  EXPECT_TRUE(matches(d.eval("inventory->location"), "0x[0-9a-f]{8} \"Building 7, Dock B\""))
      << d.eval("inventory->location");
  EXPECT_EQ(d.eval("inventory->items[2].sku"), "\"GEAR-12\"");
  EXPECT_EQ(d.eval("inventory->items[2].price_cents"), "850");
  EXPECT_EQ(d.eval("inventory->items[3].quantity * 2"), "30");
  EXPECT_EQ(d.eval("inventory->items[1].sku[0]"), "78 'N'");
  EXPECT_EQ(d.eval("inventory->cheapest->price_cents"), "3");
  EXPECT_EQ(d.eval("inventory->cheapest - inventory->items"), "1");
  EXPECT_EQ(d.eval("inventory->cheapest == &inventory->items[1]"), "1");
  EXPECT_EQ(d.eval("inventory->tag_colors"), "(COLOR_RED | COLOR_BLUE)");
  EXPECT_EQ(d.eval("inventory->tag_colors & COLOR_BLUE"), "4");
  EXPECT_EQ(d.eval("(enum Color)2"), "COLOR_GREEN");
  EXPECT_EQ(d.eval("sizeof(Item)"), "16");
  EXPECT_EQ(d.eval("sizeof inventory->items"), "96");
  EXPECT_EQ(d.eval("inventory == &g_inventory"), "1");
  // Globals.
  EXPECT_EQ(d.eval("g_inventory.items[0].quantity"), "1200");
  EXPECT_TRUE(matches(d.eval("g_palette[1]"), "0x[0-9a-f]{8} \"green\"")) << d.eval("g_palette[1]");
  EXPECT_EQ(d.eval("*g_palette[2]"), "98 'b'");
  EXPECT_EQ(d.eval("g_palette[2][1]"), "108 'l'");

  // The tree: inventory -> items -> [2] -> sku.
  std::map<std::string, VariableNode> locals = scope(d, FrameScopeKind::Locals);
  ASSERT_TRUE(locals.count("inventory"));
  std::map<std::string, VariableNode> inv = children(d, locals["inventory"].variablesReference);
  ASSERT_TRUE(inv.count("items"));
  EXPECT_EQ(inv["items"].indexedVariables, 6u);
  EXPECT_EQ(inv["items"].type, "Item[6]");
  EXPECT_EQ(inv["name"].value, "\"north warehouse\"");
  std::map<std::string, VariableNode> items = children(d, inv["items"].variablesReference);
  ASSERT_EQ(items.size(), 6u);
  ASSERT_TRUE(items.count("[2]"));
  EXPECT_EQ(items["[2]"].evaluateName, "inventory->items[2]");
  std::map<std::string, VariableNode> item = children(d, items["[2]"].variablesReference);
  EXPECT_EQ(item["sku"].value, "\"GEAR-12\"");
  EXPECT_EQ(item["quantity"].value, "40");
  EXPECT_EQ(item["sku"].indexedVariables, 8u);
  // Paging an array.
  Result<std::vector<VariableNode>> page =
      d.session.variables(inv["items"].variablesReference, VariablesFilter::Indexed, 4, 2);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->size(), 2u);
  EXPECT_EQ((*page)[0].name, "[4]");
  EXPECT_EQ((*page)[1].name, "[5]");

  std::map<std::string, VariableNode> globals = scope(d, FrameScopeKind::Globals);
  ASSERT_TRUE(globals.count("g_inventory"));
  EXPECT_EQ(globals["g_inventory"].type, "Inventory");
  ASSERT_TRUE(globals.count("g_palette"));
  EXPECT_EQ(globals["g_palette"].indexedVariables, 3u);
}

TEST(VariablesSession, TaggedUnionAndFloats) {
  SKIP_WITHOUT(samplePath("linked_structures"));
  Driver d;
  stopAt(d, 124, "2"); // switch (shape->kind), second shape
  EXPECT_EQ(d.eval("shape->kind"), "SHAPE_RECTANGLE");
  EXPECT_EQ(d.eval("shape->color"), "COLOR_GREEN");
  EXPECT_EQ(d.eval("shape->as.rectangle.width"), "3");
  EXPECT_EQ(d.eval("shape->as.rectangle.height / 8"), "0.5");
  EXPECT_EQ(d.eval("shape->kind == SHAPE_RECTANGLE"), "1");
  EXPECT_EQ(d.eval("(int)(shape->as.rectangle.width * shape->as.rectangle.height)"), "12");
  // The caller's frame: main's shapes array.
  Result<StackTrace> t = d.session.stackTrace();
  ASSERT_TRUE(t.ok());
  ASSERT_GE(t->frames.size(), 2u);
  EXPECT_EQ(t->frames[1].name, "main");
  EXPECT_EQ(t->frames[1].line, 221u);
  EXPECT_EQ(d.eval("i", t->frames[1].id), "1");
  EXPECT_EQ(d.eval("shapes[2].as.triangle.base", t->frames[1].id), "6");
  EXPECT_EQ(d.eval("total_area > 7", t->frames[1].id), "1");
  EXPECT_EQ(d.eval("in_order", t->frames[1].id),
            "\"twenty thirty thirty-five forty fifty sixty seventy eighty\"");
  EXPECT_EQ(d.eval("tree->left->label", t->frames[1].id).substr(10), " \"thirty\"");
  EXPECT_EQ(d.eval("tree->right->right->key", t->frames[1].id), "80");
}

TEST(VariablesSession, WasmLocalsGlobalsAndOperandStack) {
  SKIP_WITHOUT(samplePath("linked_structures"));
  Driver d;
  stopAt(d, 37);
  std::map<std::string, VariableNode> wasmLocals = scope(d, FrameScopeKind::WasmLocals);
  ASSERT_FALSE(wasmLocals.empty());
  EXPECT_EQ(wasmLocals.begin()->second.type, "i32");
  std::map<std::string, VariableNode> wasmGlobals = scope(d, FrameScopeKind::WasmGlobals);
  ASSERT_TRUE(wasmGlobals.count("$global0")); // __stack_pointer
  EXPECT_EQ(d.eval("$global0"), wasmGlobals["$global0"].value);
  EXPECT_EQ(d.eval("$local0"), wasmLocals.begin()->second.value);
  EXPECT_EQ(d.eval("$local99999").substr(0, 8), "<error: ");
  Result<StackTrace> t = d.session.stackTrace();
  Result<std::vector<FrameScope>> scopes = d.session.scopes(t->frames[0].id);
  ASSERT_TRUE(scopes.ok());
  bool operandStack = false;
  for (const FrameScope& s : *scopes)
    operandStack |= s.kind == FrameScopeKind::OperandStack;
  EXPECT_TRUE(operandStack);
}

TEST(VariablesSession, SetVariableAndAssign) {
  SKIP_WITHOUT(samplePath("linked_structures"));
  Driver d;
  stopAt(d, 37);
  Result<StackTrace> t = d.session.stackTrace();
  Result<std::vector<FrameScope>> scopes = d.session.scopes(t->frames[0].id);
  ASSERT_TRUE(scopes.ok());
  VariablesReference locals = (*scopes)[0].variablesReference;
  Result<VariableNode> v = d.session.setVariable(locals, "sum", "1000 - 1");
  ASSERT_TRUE(v.ok()) << v.error().message;
  EXPECT_EQ(v->value, "999");
  EXPECT_EQ(d.eval("sum"), "999");
  // Through a pointer, into memory.
  std::map<std::string, VariableNode> all = children(d, locals);
  Result<VariableNode> w = d.session.setVariable(all["node"].variablesReference, "value", "-5");
  ASSERT_TRUE(w.ok()) << w.error().message;
  EXPECT_EQ(d.eval("head->value"), "-5");
  // Assignment in the REPL, not in watches.
  Result<VariableNode> a = d.session.evaluate("node->next->value = 40", {}, EvaluateContext::Repl);
  ASSERT_TRUE(a.ok()) << a.error().message;
  EXPECT_EQ(a->value, "40");
  Result<VariableNode> watch = d.session.evaluate("sum = 1", {}, EvaluateContext::Watch);
  ASSERT_FALSE(watch.ok());
  EXPECT_EQ(watch.error().message, "assignment is only allowed in the debug console");
  Result<VariableNode> bad = d.session.setVariable(locals, "head", "*head");
  EXPECT_FALSE(bad.ok());
  // The program sees the changes: list_sum returns 999 - 5 + 40 + (9 + ... + 100);
  // printf's first argument (list->value) was read before list_sum ran.
  ASSERT_TRUE(d.session.setBreakpoints(kFile, {}).ok());
  ASSERT_TRUE(d.session.resume().ok());
  EXPECT_EQ(d.waitExit(), 0u);
  EXPECT_NE(d.out.find("list: squares from 1, sum 1414\n"), std::string::npos) << d.out;
}

TEST(VariablesSession, EvaluationErrorsAreClear) {
  SKIP_WITHOUT(samplePath("linked_structures"));
  Driver d;
  stopAt(d, 37);
  EXPECT_EQ(d.eval("nope"), "<error: no variable named 'nope' in this frame>");
  EXPECT_EQ(d.eval("sum->x"), "<error: 'int' is not a struct or union, so it has no member 'x'>");
  EXPECT_EQ(d.eval("node->bogus"), "<error: 'const struct ListNode' has no member named 'bogus'>");
  EXPECT_EQ(d.eval("*sum"), "<error: cannot dereference a value of type 'int'>");
  EXPECT_EQ(d.eval("sum / 0"), "<error: division by zero>");
  EXPECT_EQ(d.eval("sum +"), "<error: expected an expression at column 6, found end of input>");
  EXPECT_EQ(d.eval("(struct Nope *)node"), "<error: unknown type 'struct Nope'>");
  EXPECT_TRUE(matches(d.eval("*(int *)0xfffffff0"), "<cannot read memory at 0xfffffff0>"))
      << d.eval("*(int *)0xfffffff0");
  EXPECT_EQ(d.eval("((struct ListNode *)node)->value"), "1");
}

TEST(VariablesSession, MemoryReadAndWrite) {
  SKIP_WITHOUT(samplePath("linked_structures"));
  Driver d;
  stopAt(d, 180);
  Result<VariableNode> v = d.session.evaluate("&g_inventory");
  ASSERT_TRUE(v.ok());
  ASSERT_TRUE(v->memoryReference);
  uint64_t address = *v->memoryReference;
  Result<MemoryRead> m = d.session.readMemory(address, 5);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(std::string(m->data.begin(), m->data.end()), "north");
  std::vector<uint8_t> south{'s', 'o', 'u', 't', 'h'};
  Result<uint64_t> w = d.session.writeMemory(address, south);
  ASSERT_TRUE(w.ok());
  EXPECT_EQ(*w, 5u);
  EXPECT_EQ(d.eval("g_inventory.name"), "\"south warehouse\"");
  // Past the end: unreadable bytes are counted, writes refused whole.
  Result<MemoryRead> end = d.session.readMemory(0xfffffff0, 32);
  ASSERT_TRUE(end.ok());
  EXPECT_TRUE(end->data.empty());
  EXPECT_EQ(end->unreadableBytes, 32u);
  Result<uint64_t> bad = d.session.writeMemory(0xfffffff0, south);
  EXPECT_FALSE(bad.ok());
}

} // namespace
} // namespace wasmscope::debugger::test
