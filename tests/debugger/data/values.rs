// A Rust program whose locals are String, &str, slices, Vec, Option and
// Box: what the debugger's library formatters show (tests/dap/
// formatters.test.js). Markers (@name) mark the lines tests stop on.
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
    let boxed: Box<Point> = Box::new(Point { x: 3, y: 4 });
    let r = describe(&boxed, slice);
    println!("{} {} {} {:?} {:?} {}", text, numbers.len(), tail.len(), some, none, r); // @print
}
