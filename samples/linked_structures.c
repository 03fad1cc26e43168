/*
 * linked_structures.c: C data of every common shape, to look at in a
 * debugger: a singly linked list, a binary search tree, a typedef'd struct
 * holding an array, pointers and a char buffer, an enum, a tagged union, a
 * plain union, C strings, and globals. The program builds them, computes a
 * few things from them and prints the results.
 *
 * Good places to stop: list_sum (walk `node->next`), tree_insert (follow
 * `*link`), inventory_value (the `items` array and the `cheapest` pointer),
 * shape_area (the union member that the `kind` enum selects), and the
 * `g_inventory` and `g_palette` globals.
 *
 *   wasmscope run build/samples/linked_structures.O0.wasm
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- a singly linked list --------------------------------------------- */

struct ListNode {
    int value;
    struct ListNode *next;
};

static struct ListNode *list_push(struct ListNode *head, int value) {
    struct ListNode *node = malloc(sizeof *node);
    node->value = value;
    node->next = head;
    return node;
}

static int list_sum(const struct ListNode *head) {
    int sum = 0;
    for (const struct ListNode *node = head; node; node = node->next)
        sum += node->value;
    return sum;
}

static struct ListNode *list_reverse(struct ListNode *head) {
    struct ListNode *reversed = NULL;
    while (head) {
        struct ListNode *next = head->next;
        head->next = reversed;
        reversed = head;
        head = next;
    }
    return reversed;
}

static void list_free(struct ListNode *head) {
    while (head) {
        struct ListNode *next = head->next;
        free(head);
        head = next;
    }
}

/* ---- a binary search tree --------------------------------------------- */

typedef struct TreeNode {
    int key;
    const char *label;
    struct TreeNode *left;
    struct TreeNode *right;
} TreeNode;

static void tree_insert(TreeNode **root, int key, const char *label) {
    TreeNode **link = root;
    while (*link)
        link = key < (*link)->key ? &(*link)->left : &(*link)->right;
    TreeNode *node = calloc(1, sizeof *node);
    node->key = key;
    node->label = label;
    *link = node;
}

static int tree_height(const TreeNode *node) {
    if (!node)
        return 0;
    int left = tree_height(node->left);
    int right = tree_height(node->right);
    return 1 + (left > right ? left : right);
}

/* Appends the labels in key order to `out`, space-separated. */
static void tree_in_order(const TreeNode *node, char *out, size_t size) {
    if (!node)
        return;
    tree_in_order(node->left, out, size);
    if (out[0])
        strncat(out, " ", size - strlen(out) - 1);
    strncat(out, node->label, size - strlen(out) - 1);
    tree_in_order(node->right, out, size);
}

static void tree_free(TreeNode *node) {
    if (!node)
        return;
    tree_free(node->left);
    tree_free(node->right);
    free(node);
}

/* ---- enums and unions ------------------------------------------------- */

enum Color { COLOR_RED = 1, COLOR_GREEN = 2, COLOR_BLUE = 4 };

typedef enum { SHAPE_CIRCLE, SHAPE_RECTANGLE, SHAPE_TRIANGLE } ShapeKind;

/* A tagged union: `kind` says which member of `as` is live. */
typedef struct {
    ShapeKind kind;
    enum Color color;
    union {
        struct { double radius; } circle;
        struct { double width, height; } rectangle;
        struct { double base, height; } triangle;
    } as;
} Shape;

static double shape_area(const Shape *shape) {
    switch (shape->kind) {
    case SHAPE_CIRCLE:
        return 3.14159265358979 * shape->as.circle.radius * shape->as.circle.radius;
    case SHAPE_RECTANGLE:
        return shape->as.rectangle.width * shape->as.rectangle.height;
    case SHAPE_TRIANGLE:
        return 0.5 * shape->as.triangle.base * shape->as.triangle.height;
    }
    return 0.0;
}

/* A plain union: the same four bytes read as an int, a float and bytes. */
union Bits {
    uint32_t word;
    float real;
    unsigned char bytes[4];
};

/* ---- a struct with arrays, pointers and a char buffer ---------------- */

typedef struct {
    char sku[8];
    int quantity;
    unsigned int price_cents;
} Item;

#define MAX_ITEMS 6

typedef struct {
    char name[32];           /* a fixed char buffer */
    const char *location;    /* a C string elsewhere in memory */
    Item items[MAX_ITEMS];   /* an array of structs */
    int item_count;
    Item *cheapest;          /* points into items[] */
    enum Color tag_colors;   /* a bit set of Color values */
} Inventory;

static Inventory g_inventory = {
    .name = "north warehouse",
    .location = "Building 7, Dock B",
    .items = {{"BOLT-M4", 1200, 4}, {"NUT-M4", 900, 3}, {"GEAR-12", 40, 850}, {"BELT-2M", 15, 1299}},
    .item_count = 4,
    .tag_colors = COLOR_RED | COLOR_BLUE,
};

static const char *const g_palette[] = {"red", "green", "blue"};

static unsigned long inventory_value(Inventory *inventory) {
    unsigned long total = 0;
    inventory->cheapest = NULL;
    for (int i = 0; i < inventory->item_count; ++i) {
        Item *item = &inventory->items[i];
        total += (unsigned long)item->quantity * item->price_cents;
        if (!inventory->cheapest || item->price_cents < inventory->cheapest->price_cents)
            inventory->cheapest = item;
    }
    return total;
}

static void color_names(enum Color colors, char *out, size_t size) {
    out[0] = '\0';
    for (int i = 0; i < 3; ++i) {
        if (!(colors & (1 << i)))
            continue;
        if (out[0])
            strncat(out, "+", size - strlen(out) - 1);
        strncat(out, g_palette[i], size - strlen(out) - 1);
    }
}

/* ---- main ------------------------------------------------------------- */

int main(void) {
    struct ListNode *list = NULL;
    for (int i = 1; i <= 10; ++i)
        list = list_push(list, i * i);
    list = list_reverse(list);
    printf("list: squares from %d, sum %d\n", list->value, list_sum(list));

    static const struct { int key; const char *label; } kWords[] = {
        {50, "fifty"}, {30, "thirty"}, {70, "seventy"}, {20, "twenty"},
        {40, "forty"}, {60, "sixty"},  {80, "eighty"},  {35, "thirty-five"},
    };
    TreeNode *tree = NULL;
    for (size_t i = 0; i < sizeof kWords / sizeof kWords[0]; ++i)
        tree_insert(&tree, kWords[i].key, kWords[i].label);
    char in_order[160] = "";
    tree_in_order(tree, in_order, sizeof in_order);
    printf("tree: height %d, in order: %s\n", tree_height(tree), in_order);

    Shape shapes[3] = {
        {.kind = SHAPE_CIRCLE, .color = COLOR_RED, .as.circle = {1.5}},
        {.kind = SHAPE_RECTANGLE, .color = COLOR_GREEN, .as.rectangle = {3.0, 4.0}},
        {.kind = SHAPE_TRIANGLE, .color = COLOR_BLUE, .as.triangle = {6.0, 2.5}},
    };
    double total_area = 0.0;
    for (int i = 0; i < 3; ++i)
        total_area += shape_area(&shapes[i]);
    printf("shapes: total area %.4f\n", total_area);

    union Bits bits;
    bits.real = 1.0f;
    printf("bits: 1.0f is 0x%08x, bytes %02x %02x %02x %02x\n", (unsigned)bits.word,
           bits.bytes[0], bits.bytes[1], bits.bytes[2], bits.bytes[3]);

    unsigned long value = inventory_value(&g_inventory);
    char colors[32];
    color_names(g_inventory.tag_colors, colors, sizeof colors);
    printf("inventory '%s' at %s: %d items worth %lu.%02lu, cheapest %s, tags %s\n",
           g_inventory.name, g_inventory.location, g_inventory.item_count, value / 100,
           value % 100, g_inventory.cheapest->sku, colors);

    tree_free(tree);
    list_free(list);
    return 0;
}
