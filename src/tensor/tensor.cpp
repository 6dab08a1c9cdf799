#include "tensor/tensor.h"

#include "tensor/memory.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <new>
#include <sstream>
#include <stdexcept>

#include "tensor/error.h"

namespace aekit {

int64_t numel(const Shape& s) {
  int64_t n = 1;
  for (int64_t d : s)
    if (__builtin_mul_overflow(n, d, &n)) throw InputError("shape " + to_string(s) + " has too many elements");
  return n;
}

int64_t checked_numel(const Shape& s, const std::string& source) {
  // Shapes read from files are multiplied with overflow checks, and the float count must still
  // be addressable in bytes (so callers may multiply by sizeof(float) safely).
  int64_t n = 1;
  for (int64_t d : s) {
    if (d < 0) throw InputError(source + ": negative dimension in shape " + to_string(s));
    if (__builtin_mul_overflow(n, d, &n) || n > kMaxElements)
      throw InputError(source + ": shape " + to_string(s) + " has too many elements");
  }
  return n;
}

std::string to_string(const Shape& s) {
  std::ostringstream o;
  o << '[';
  for (size_t i = 0; i < s.size(); ++i) o << (i ? "," : "") << s[i];
  o << ']';
  return o.str();
}

void Tensor::Free::operator()(float* p) const { std::free(p); }

Tensor::Tensor(Shape shape) {
  resize(shape);
  zero();
}

Tensor::Tensor(Shape shape, const std::vector<float>& values) {
  resize(shape);
  if (static_cast<int64_t>(values.size()) != size_)
    throw std::invalid_argument("Tensor: " + std::to_string(values.size()) + " values for shape " +
                                to_string(shape));
  std::copy(values.begin(), values.end(), data());
}

Tensor::Tensor(const Tensor& other) { *this = other; }

Tensor& Tensor::operator=(const Tensor& other) {
  if (this == &other) return *this;
  resize(other.shape_);
  if (size_) std::memcpy(data(), other.data(), size_ * sizeof(float));
  return *this;
}

void Tensor::resize(const Shape& shape) {
  for (int64_t d : shape)
    if (d < 0) throw std::invalid_argument("Tensor: negative dimension in " + to_string(shape));
  int64_t n = numel(shape);
  if (n > capacity_) {
    if (n > (int64_t{1} << 28)) check_tensor_fits(shape);  // > 1 GB: refuse what cannot fit with its size
    // Round up to whole cache lines so vector loops may touch the tail safely.
    size_t bytes = ((static_cast<size_t>(n) * sizeof(float) + 63) / 64) * 64;
    float* p = static_cast<float*>(std::aligned_alloc(64, bytes));
    if (!p) throw std::bad_alloc();
    data_.reset(p);
    capacity_ = static_cast<int64_t>(bytes / sizeof(float));
  }
  shape_ = shape;
  size_ = n;
}

void Tensor::reshape(const Shape& shape) {
  if (numel(shape) != size_)
    throw std::invalid_argument("Tensor: cannot reshape " + to_string(shape_) + " to " +
                                to_string(shape));
  shape_ = shape;
}

void Tensor::fill(float v) { std::fill(begin(), end(), v); }

}  // namespace aekit
