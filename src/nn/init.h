// Weight initialisation schemes. The source chapters use Keras; PyTorch users expect PyTorch's.
//   keras:   weights Glorot (Xavier) uniform, limit sqrt(6 / (fan_in + fan_out)); biases zero.
//   pytorch: weights Kaiming uniform with a = sqrt(5), i.e. U(-1/sqrt(fan_in), 1/sqrt(fan_in));
//            biases U(-1/sqrt(fan_in), 1/sqrt(fan_in)).
#pragma once
#include <string>

#include "tensor/rng.h"
#include "tensor/tensor.h"

namespace aekit::nn {

enum class Init { keras, pytorch };

Init parse_init(const std::string& s);  // InputError for anything else
std::string to_string(Init i);

void init_weight(Tensor& w, int64_t fan_in, int64_t fan_out, Init scheme, Rng& rng);
void init_bias(Tensor& b, int64_t fan_in, Init scheme, Rng& rng);

}  // namespace aekit::nn
