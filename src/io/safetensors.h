// safetensors: the weight file format PyTorch and NumPy users can read
// (8-byte little-endian header length, a JSON header naming each tensor's dtype, shape and byte
// range, then the raw little-endian data). We write and read float32 tensors and a
// "__metadata__" map of strings (model config, epoch, RNG state in checkpoints).
#pragma once
#include <map>
#include <string>

#include "tensor/tensor.h"

namespace aekit::io {

struct TensorFile {
  std::map<std::string, Tensor> tensors;
  std::map<std::string, std::string> metadata;
};

std::string encode_safetensors(const TensorFile& f);
TensorFile decode_safetensors(const std::string& bytes, const std::string& path_for_errors);

void save_safetensors(const std::string& path, const TensorFile& f);  // atomic
TensorFile load_safetensors(const std::string& path);

}  // namespace aekit::io
