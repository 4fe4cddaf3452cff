#include <cstdio>

int main() {
  std::puts("detlite: under construction");
  return 0;
}
