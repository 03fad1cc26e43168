// Test input: C++ namespaces, classes, templates and references, for
// demangling and class types.
// No libc++ for wasm32-wasi in Debian: only the C library is used.
extern "C" int printf(const char*, ...);
extern "C" void __cxa_pure_virtual() { __builtin_trap(); }

namespace geo {

struct Shape {
  virtual double area() const = 0;
  int id = 0;
};

class Rect : public Shape {
public:
  Rect(double w, double h) : m_w(w), m_h(h) {}
  double area() const override { return m_w * m_h; }

private:
  double m_w;
  double m_h;
};

template <typename T> T maxOf(const T& a, const T& b) { return a < b ? b : a; }

template <typename T, int N> struct Buffer {
  T data[N];
  T sum() const {
    T s{};
    for (int i = 0; i < N; ++i)
      s += data[i];
    return s;
  }
};

} // namespace geo

int useAll(int k) {
  geo::Rect r(2.0, 3.0 + k);
  geo::Shape& s = r;
  geo::Buffer<int, 4> buf{{1, 2, 3, k}};
  int m = geo::maxOf(k, buf.sum());
  double d = geo::maxOf(s.area(), 1.0);
  return m + int(d);
}

int main(int argc, char** argv) {
  printf("%d\n", useAll(argc));
  return 0;
}
