#include "models/frozen_encoder.h"

#include <omp.h>

#include <algorithm>
#include <optional>

#include "nn/batch_norm.h"
#include "nn/dense.h"
#include "tensor/error.h"

namespace aekit::models {
namespace {

bool identity_in_eval(const std::string& type) {
  return type == "dropout" || type == "flatten" || type == "reshape" || type == "activity_l1" ||
         type == "kl_sparsity";
}

// A dense layer being assembled: weights [n, k] and bias, before packing.
struct PendingDense {
  std::vector<float> w, b;
  int64_t n = 0, k = 0;
  nn::Act act = nn::Act::linear;
  float alpha = 0.3f;
};

}  // namespace

std::string FrozenEncoder::unsupported(Autoencoder& model) {
  Sequential& enc = model.encoder();
  for (size_t i = 0; i < enc.size(); ++i) {
    const std::string type = enc.layer(i).type();
    if (type == "dense" || type == "batch_norm" || identity_in_eval(type) ||
        dynamic_cast<const nn::Activation*>(&enc.layer(i)))
      continue;
    return "encoder layer " + std::to_string(i) + " (" + type +
           ") has no frozen form (dense layers, batch_norm, activations and eval-mode identities only)";
  }
  return "";
}

FrozenEncoder::FrozenEncoder(Autoencoder& model, kernels::Precision precision) {
  const std::string why = unsupported(model);
  require(why.empty(), "FrozenEncoder: " + why);
  input_size_ = numel(model.input_shape());
  int64_t width = input_size_;
  const int threads = omp_get_max_threads();

  std::optional<PendingDense> pending;  // the last dense layer, while later layers may still fold into it
  auto flush = [&] {
    if (!pending) return;
    PendingDense& d = *pending;
    Step s;
    // Packed for the threads when a dense input would make it worth waking them.
    const int64_t bytes = precision == kernels::Precision::bf16 ? 2 : 4;
    const bool big = d.n * d.k * bytes >= kernels::kParallelBytes;
    s.gemv = kernels::PackedGemv(d.w.data(), d.b.data(), d.n, d.k, big ? threads : 1, precision);
    const bool in_kernel = d.act == nn::Act::relu || d.act == nn::Act::leaky_relu;
    s.fused = in_kernel ? nn::fused(d.act) : kernels::Fused::none;
    s.after = in_kernel ? nn::Act::linear : d.act;
    s.alpha = d.alpha;
    s.width = d.n;
    steps_.push_back(std::move(s));
    pending.reset();
  };
  auto add_dense = [&](nn::Dense& layer) {
    flush();
    PendingDense d;
    d.n = layer.units(), d.k = layer.inputs();
    const Tensor& w = layer.weight();
    d.w.assign(w.data(), w.data() + w.size());
    d.b.assign(static_cast<size_t>(d.n), 0.0f);
    if (layer.has_bias()) std::copy(layer.bias().data(), layer.bias().data() + d.n, d.b.begin());
    d.act = layer.act(), d.alpha = layer.alpha();
    width = d.n;
    pending = std::move(d);
  };

  Sequential& enc = model.encoder();
  for (size_t i = 0; i < enc.size(); ++i) {
    nn::Layer& layer = enc.layer(i);
    const std::string type = layer.type();
    const bool linear_pending = pending && pending->act == nn::Act::linear;
    if (type == "dense") {
      add_dense(dynamic_cast<nn::Dense&>(layer));
    } else if (type == "batch_norm") {
      auto& bn = dynamic_cast<nn::BatchNorm&>(layer);
      std::vector<float> scale, shift;
      bn.eval_affine(scale, shift);
      if (linear_pending && bn.spatial() == 1) {
        // scale * (W x + b) + shift: scale each output row of W and its bias.
        PendingDense& d = *pending;
        for (int64_t r = 0; r < d.n; ++r) {
          for (int64_t c = 0; c < d.k; ++c) d.w[r * d.k + c] *= scale[r];
          d.b[r] = d.b[r] * scale[r] + shift[r];
        }
      } else {
        flush();
        Step s;
        s.width = width;
        s.scale.resize(width), s.shift.resize(width);
        for (int64_t j = 0; j < width; ++j) {
          const int64_t c = j / bn.spatial();
          s.scale[j] = scale[c], s.shift[j] = shift[c];
        }
        steps_.push_back(std::move(s));
      }
    } else if (const auto* a = dynamic_cast<const nn::Activation*>(&layer)) {
      const nn::Act act = a->act();
      const float alpha = a->alpha();
      if (act == nn::Act::linear) continue;
      if (linear_pending) {
        pending->act = act, pending->alpha = alpha;
      } else {
        flush();
        Step s;
        s.after = act, s.alpha = alpha, s.width = width;
        steps_.push_back(std::move(s));
      }
    }
    // identities in eval mode: nothing to run
  }
  if (VaeHead* head = model.vae_head()) add_dense(head->mean_layer());
  flush();
  code_size_ = width;
  require(code_size_ == numel(model.code_shape()),
          "FrozenEncoder: the frozen code has " + std::to_string(code_size_) + " values, the model's " +
              std::to_string(numel(model.code_shape())));
  int64_t widest = input_size_;
  for (const Step& s : steps_) widest = std::max(widest, s.width);
  a_.assign(static_cast<size_t>(widest), 0.0f);
  b_.assign(static_cast<size_t>(widest), 0.0f);
}

const float* FrozenEncoder::encode(const float* x) {
  const float* in = x;
  float* out = a_.data();
  for (Step& s : steps_) {
    if (s.gemv.out() > 0) {
      s.gemv.run(in, out, s.fused, s.alpha);
    } else if (!s.scale.empty()) {
      for (int64_t j = 0; j < s.width; ++j) out[j] = s.scale[j] * in[j] + s.shift[j];
    } else {
      std::copy(in, in + s.width, out);
    }
    if (s.after != nn::Act::linear) nn::apply_act(s.after, s.alpha, out, s.width);
    in = out;
    out = out == a_.data() ? b_.data() : a_.data();
  }
  return in;
}

std::vector<std::string> FrozenEncoder::steps() const {
  std::vector<std::string> lines;
  for (const Step& s : steps_) {
    std::string line;
    if (s.gemv.out() > 0) {
      line = "dense " + std::to_string(s.gemv.in()) + " -> " + std::to_string(s.gemv.out());
      if (s.fused == kernels::Fused::relu) line += ", relu";
      if (s.fused == kernels::Fused::leaky_relu) line += ", leaky_relu";
      if (s.gemv.precision() == kernels::Precision::bf16) line += ", bf16";
      line += ", " + std::to_string(s.gemv.threads()) + (s.gemv.threads() == 1 ? " thread" : " threads");
    } else {
      line = s.scale.empty() ? "activation" : "affine " + std::to_string(s.width);
    }
    if (s.after != nn::Act::linear) line += (s.gemv.out() > 0 ? ", " : " ") + nn::to_string(s.after);
    lines.push_back(line);
  }
  return lines;
}

}  // namespace aekit::models
