/*
 * inventory.cpp: a small C++ program (std::map, std::string, std::vector,
 * std::unique_ptr, new[]/delete[]) with one leak, for the heap profiler:
 * Inventory::detach() takes an item out of its map with
 * unique_ptr::release() and hands the raw pointer to a caller that never
 * deletes it. The three detached items are definitely lost, and the heap
 * buffers of their names and histories indirectly lost through them.
 * Built with libc++ (Debian's libc++-19-dev-wasm32): see samples/README.md.
 */
#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <vector>

struct Item {
    std::string name;
    int count = 0;
    std::vector<int> history;
};

class Inventory {
public:
    void add(const std::string &name, int count) {
        auto item = std::make_unique<Item>(); /* ITEM_ALLOC */
        item->name = name;                     /* NAME_ALLOC */
        item->count = count;
        item->history.push_back(count);        /* HISTORY_ALLOC */
        m_items[name] = std::move(item);
    }

    /* LEAK: ownership leaves the map through release(); callers forget it. */
    Item *detach(const std::string &name) {
        auto it = m_items.find(name);
        if (it == m_items.end())
            return nullptr;
        Item *raw = it->second.release();
        m_items.erase(it);
        return raw;
    }

    int total() const {
        int sum = 0;
        for (const auto &[name, item] : m_items)
            sum += item->count;
        return sum;
    }

private:
    std::map<std::string, std::unique_ptr<Item>> m_items;
};

static void report_detached(Inventory &inventory, const std::string &name) {
    Item *item = inventory.detach(name);
    if (item)
        std::printf("detached %s (%d)\n", item->name.c_str(), item->count);
}

int main() {
    static const char *const kNames[] = {
        "anglepoise lamps, brass", "bicycle inner tubes 28in", "carbon steel chef knives",
        "drafting compasses, steel", "enamel camping mugs, blue", "felt-tip pens, assorted 24",
    };
    Inventory inventory;
    for (int i = 0; i < 6; ++i)
        inventory.add(kNames[i], (i + 1) * 10);
    int *scratch = new int[64];
    for (int i = 0; i < 64; ++i)
        scratch[i] = i * i;
    delete[] scratch;
    for (int i = 0; i < 3; ++i)
        report_detached(inventory, kNames[i]);
    std::printf("in stock: %d\n", inventory.total());
    return 0;
}
