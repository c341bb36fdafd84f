#pragma once
// A fixed-size array of trivially copyable values in memory the kernel may
// back with transparent huge pages (2 MiB; "madvise" mode included). For the
// large tables a pass builds once and reads many times: on a virtual machine
// a page fault costs about 10 µs, and 24 MB in 4 KiB pages is 6,000 of them,
// in huge pages 12. Entries start uninitialised unless a fill is given.

#include <sys/mman.h>

#include <algorithm>
#include <cstddef>
#include <cstdlib>
#include <memory>
#include <new>
#include <type_traits>

namespace haul {

template <typename T>
class HugePageArray {
  static_assert(std::is_trivially_copyable_v<T> && std::is_trivially_destructible_v<T>,
                "raw memory: values are copied in and never destroyed");

 public:
  static constexpr std::size_t kHugePageBytes = std::size_t{2} << 20;  // x86-64

  HugePageArray() = default;
  explicit HugePageArray(std::size_t size) : size_(size) {
    if (size == 0) return;
    // aligned_alloc wants a multiple of the alignment.
    const std::size_t bytes =
        (size * sizeof(T) + kHugePageBytes - 1) / kHugePageBytes * kHugePageBytes;
    void* memory = std::aligned_alloc(kHugePageBytes, bytes);
    if (memory == nullptr) throw std::bad_alloc();
    ::madvise(memory, bytes, MADV_HUGEPAGE);  // a hint: refused, it is 4 KiB pages
    data_.reset(static_cast<T*>(memory));
  }
  HugePageArray(std::size_t size, const T& fill) : HugePageArray(size) {
    std::uninitialized_fill_n(data_.get(), size_, fill);
  }

  std::size_t size() const { return size_; }
  T* data() { return data_.get(); }
  const T* data() const { return data_.get(); }
  T& operator[](std::size_t i) { return data_.get()[i]; }
  const T& operator[](std::size_t i) const { return data_.get()[i]; }

 private:
  struct Free {
    void operator()(T* memory) const { std::free(memory); }
  };
  std::unique_ptr<T, Free> data_;
  std::size_t size_ = 0;
};

}  // namespace haul
