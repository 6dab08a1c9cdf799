// PyTorch golden values: tests/fixtures/<name>.safetensors, made by tests/fixtures/make_fixtures.py.
#pragma once
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "io/safetensors.h"

namespace aekit::testing {

inline std::string source_path(const std::string& rel) { return std::string(AEKIT_SOURCE_DIR) + "/" + rel; }

struct Fixture {
  io::TensorFile file;
  explicit Fixture(const std::string& name)
      : file(io::load_safetensors(source_path("tests/fixtures/" + name + ".safetensors"))) {}
  const Tensor& operator[](const std::string& key) const {
    auto it = file.tensors.find(key);
    if (it == file.tensors.end()) throw std::runtime_error("fixture lacks '" + key + "'");
    return it->second;
  }
  float scalar(const std::string& key) const { return (*this)[key][0]; }
};

// Element-wise |a - b| <= atol + rtol |b|, reporting the first mismatch.
inline ::testing::AssertionResult all_close(const Tensor& a, const Tensor& b, double rtol = 1e-5,
                                            double atol = 1e-6) {
  if (a.size() != b.size())
    return ::testing::AssertionFailure() << "sizes differ: " << a.size() << " vs " << b.size();
  for (int64_t i = 0; i < a.size(); ++i) {
    double d = std::fabs(static_cast<double>(a[i]) - b[i]);
    if (!(d <= atol + rtol * std::fabs(b[i])))
      return ::testing::AssertionFailure() << "element " << i << ": " << a[i] << " vs expected " << b[i];
  }
  return ::testing::AssertionSuccess();
}

}  // namespace aekit::testing
