// Tensor: a contiguous, 64-byte aligned float32 array with a shape (row-major, first axis is the
// batch). Copying copies the data. resize() reuses the allocation when it is large enough, so
// buffers kept by layers stop allocating after the first step.
#pragma once
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string>
#include <vector>

namespace aekit {

using Shape = std::vector<int64_t>;

int64_t numel(const Shape& s);  // InputError if the product overflows
// Shapes read from a user's file: InputError "SOURCE: ..." for a negative dimension or more than
// kMaxElements elements (the product is computed with overflow checks).
inline constexpr int64_t kMaxElements = INT64_MAX / 16;
int64_t checked_numel(const Shape& s, const std::string& source);
std::string to_string(const Shape& s);

class Tensor {
 public:
  Tensor() = default;
  explicit Tensor(Shape shape);  // zero-filled
  Tensor(Shape shape, const std::vector<float>& values);
  Tensor(const Tensor& other);
  Tensor& operator=(const Tensor& other);
  Tensor(Tensor&&) noexcept = default;
  Tensor& operator=(Tensor&&) noexcept = default;

  const Shape& shape() const { return shape_; }
  int rank() const { return static_cast<int>(shape_.size()); }
  int64_t dim(int i) const { return shape_[i < 0 ? shape_.size() + i : i]; }
  int64_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  // Elements per sample: size / dim(0).
  int64_t sample_size() const { return shape_.empty() || shape_[0] == 0 ? 0 : size_ / shape_[0]; }

  float* data() { return data_.get(); }
  const float* data() const { return data_.get(); }
  float& operator[](int64_t i) { return data_[i]; }
  float operator[](int64_t i) const { return data_[i]; }
  float* begin() { return data(); }
  float* end() { return data() + size_; }
  const float* begin() const { return data(); }
  const float* end() const { return data() + size_; }

  // Changes the shape; keeps the allocation when it is big enough. Contents are unspecified
  // unless the element count is unchanged.
  void resize(const Shape& shape);
  // Same elements, new shape (element count must match).
  void reshape(const Shape& shape);
  void fill(float v);
  void zero() { fill(0.0f); }
  std::vector<float> to_vector() const { return std::vector<float>(begin(), end()); }

 private:
  struct Free {
    void operator()(float* p) const;
  };
  Shape shape_;
  int64_t size_ = 0;
  int64_t capacity_ = 0;
  std::unique_ptr<float[], Free> data_;
};

}  // namespace aekit
