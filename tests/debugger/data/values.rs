// A Rust program whose locals are String, &str, slices, Vec, Option (with
// a tag and niche-encoded), Result, HashMap and Box: what the debugger's library formatters show (tests/dap/
// formatters.test.js). Markers (@name) mark the lines tests stop on.
use std::collections::HashMap;

struct Point {
    x: i32,
    y: i32,
}

fn describe(p: &Point, label: &str) -> i32 {
    p.x * 10 + p.y + label.len() as i32 // @describe
}

fn main() {
    let text = String::from("hello rust");
    let slice: &str = &text[0..5];
    let numbers: Vec<i32> = vec![1, 2, 3, 5, 8];
    let tail: &[i32] = &numbers[3..];
    let some: Option<i32> = Some(42);
    let none: Option<i32> = None;
    let found: Option<&i32> = numbers.get(1);
    let missing: Option<&i32> = numbers.get(9);
    let parsed: Result<i32, String> = "12".parse::<i32>().map_err(|e| e.to_string());
    let mut counts: HashMap<String, i32> = HashMap::new();
    counts.insert("apple".to_string(), 3);
    counts.insert("pear".to_string(), 5);
    counts.insert("plum".to_string(), 8);
    let boxed: Box<Point> = Box::new(Point { x: 3, y: 4 });
    let r = describe(&boxed, slice);
    println!("{} {} {} {:?} {:?} {:?} {:?} {:?} {}", text, numbers.len(), tail.len(), some, none, // @print
             found, missing, parsed, r);
    println!("{}", counts.len());
}
