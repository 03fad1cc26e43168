// leaky_cache.rs: a small Rust program for the heap profiler. It builds a
// HashMap of vectors (allocations freed at the end of main), and leaks on
// purpose twice, the two ways safe Rust can: a cache made 'static with
// Box::leak (LEAK: BOX_LEAK) and a buffer given to mem::forget
// (LEAK: FORGET). Built with Debian's rustc and libstd-rust-dev-wasm32:
//   rustc --target wasm32-wasi -g samples/leaky_cache.rs -o leaky_cache.wasm
use std::collections::HashMap;

fn build_index(n: u32) -> HashMap<String, Vec<u32>> {
    let mut index = HashMap::new();
    for i in 0..n {
        index.insert(format!("key-{i:04}"), vec![i; 8]);
    }
    index
}

fn main() {
    let index = build_index(16);
    let cache: &'static mut Vec<u64> = Box::leak(Box::new(Vec::with_capacity(32))); // LEAK: BOX_LEAK
    for (key, values) in &index {
        cache.push(values.iter().map(|&v| v as u64).sum::<u64>() + key.len() as u64);
    }
    let scratch = vec![0u8; 100]; // LEAK: FORGET
    std::mem::forget(scratch);
    let total: u64 = cache.iter().sum();
    println!("{} keys, checksum {}", index.len(), total);
}
