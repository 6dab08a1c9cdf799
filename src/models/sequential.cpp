#include "models/sequential.h"

#include "nn/registry.h"
#include "tensor/error.h"

namespace aekit::models {
namespace {
bool trainable(nn::Layer& l) {
  for (const nn::Param& p : l.params())
    if (p.grad) return true;
  return false;
}
}  // namespace

void Sequential::add_from_config(const nlohmann::json& layers, const std::string& path) {
  path_ = path;
  if (!layers.is_array()) config::fail(path, "expected a list of layers, got " + config::describe_json(layers));
  for (size_t i = 0; i < layers.size(); ++i) add(nn::make_layer(layers[i], config::index(path, i)));
}

Shape Sequential::build(const Shape& in, bool fuse) {
  Shape s = in;
  for (size_t i = 0; i < layers_.size(); ++i) {
    try {
      s = layers_[i]->build(s);
    } catch (const InputError& e) {
      throw InputError(path_ + "[" + std::to_string(i) + "] (" + layers_[i]->type() +
                       ", input " + to_string(s) + "): " + e.what());
    }
  }
  // Neighbours that can both hold oneDNN's channel-blocked layout pass activations and
  // gradients in it, so no reorder runs between them (in chapter 002's denoiser that removes
  // every reorder of the big activations). The stack's own input and output stay plain NCHW.
  std::vector<char> blocked(layers_.size() + 1, 0);  // [i]: the boundary before layer i
  // A relu / leaky_relu layer followed by max-pooling or upsampling hands its activation
  // derivative to that layer, which applies it on the smaller tensor.
  std::vector<char> handed(layers_.size() + 1, 0);
  // A RepeatVector followed by a recurrent layer: its gradient summed over the steps in that layer.
  std::vector<char> summed(layers_.size() + 1, 0);
  std::vector<nn::Fusable*> f(layers_.size());  // nullptr: the layer is never fused
  for (size_t i = 0; i < layers_.size(); ++i) f[i] = fuse ? layers_[i]->as_fusable() : nullptr;
  for (size_t i = 1; i < layers_.size(); ++i) {
    if (!f[i - 1] || !f[i]) continue;
    blocked[i] = f[i - 1]->gives_blocked() && f[i]->takes_blocked();
    handed[i] = f[i - 1]->relu_slope() >= 0 && f[i]->can_apply_relu_grad();
    summed[i] = f[i - 1]->gives_repeated() && f[i]->can_sum_dx_over_steps();
  }
  blocked_boundaries_ = handed_activations_ = summed_repeats_ = 0;
  for (size_t i = 0; i < layers_.size(); ++i) {
    if (nn::Fusable* l = layers_[i]->as_fusable()) {
      l->set_blocked(blocked[i], blocked[i + 1]);
      l->defer_act_grad(handed[i + 1]);
      l->apply_relu_grad(handed[i], handed[i] ? f[i - 1]->relu_slope() : 0.0f);
      l->sum_dx_over_steps(summed[i]);
      l->take_step_summed_dy(summed[i + 1]);
    }
    blocked_boundaries_ += blocked[i + 1];
    handed_activations_ += handed[i + 1];
    summed_repeats_ += summed[i + 1];
  }
  // Blocked boundaries between two layers that can exchange bf16 hold it under a bf16 compute
  // precision (asked now: a convolution gives bf16 only when its activation derivative went on),
  // except where a value-moving layer would hand a bf16 value on to fp32 work (below).
  std::vector<char> bf16(layers_.size() + 1, 0);
  for (size_t i = 1; i < layers_.size(); ++i)
    bf16[i] = blocked[i] && f[i - 1]->gives_bf16() && f[i]->takes_bf16();
  // A layer that only moves values (pooling, upsampling) keeps bf16 on one side only if the other
  // side has it too, so a bf16 boundary always lies between two bf16 products, which round those
  // values anyway; clearing one side may clear the next such layer's, hence the repeat.
  for (bool changed = true; changed;) {
    changed = false;
    for (size_t i = 0; i < layers_.size(); ++i)
      if (f[i] && f[i]->bf16_passes_through() && bf16[i] != bf16[i + 1]) bf16[i] = bf16[i + 1] = 0, changed = true;
  }
  bf16_boundaries_ = 0;
  for (size_t i = 0; i < layers_.size(); ++i) {
    if (nn::Fusable* l = layers_[i]->as_fusable()) l->set_bf16(bf16[i], bf16[i + 1]);
    bf16_boundaries_ += bf16[i + 1];
  }
  return s;
}

void Sequential::init(Rng& rng, nn::Init scheme) {
  for (auto& l : layers_) l->init(rng, scheme);
}

const Tensor& Sequential::forward(const Tensor& x, nn::Mode mode) {
  const Tensor* h = &x;
  for (auto& l : layers_) h = &l->forward(*h, mode);
  return *h;
}

const Tensor& Sequential::backward(const Tensor& dy, bool need_dx) {
  // Without an input gradient to return, the layers below the lowest trainable one have
  // nothing to do, and that one needs no data gradient: an encoder that starts with dropout
  // would otherwise compute its first dense layer's dx (a full batch x 784 x 512 product in
  // chapter 000's deep VAE, ~8% of its step) only to throw it away.
  size_t stop = 0;
  if (!need_dx)
    while (stop + 1 < layers_.size() && !trainable(*layers_[stop])) ++stop;
  const Tensor* g = &dy;
  for (size_t i = layers_.size(); i-- > stop;) {
    g = &layers_[i]->backward(*g, need_dx || i > stop);
    if (after_backward_) after_backward_(i);
  }
  return *g;
}


std::vector<nn::Param> Sequential::params() {
  std::vector<nn::Param> all;
  for (size_t i = 0; i < layers_.size(); ++i)
    for (nn::Param p : layers_[i]->params()) {
      p.name = prefix_ + "." + std::to_string(i) + "." + p.name;
      all.push_back(p);
    }
  return all;
}

double Sequential::penalty() const {
  double s = 0;
  for (const auto& l : layers_) s += l->penalty();
  return s;
}

void Sequential::set_rng(Rng* rng) {
  for (auto& l : layers_) l->set_rng(rng);
}

double Sequential::flops_per_sample() const {
  double s = 0;
  for (const auto& l : layers_) s += l->flops_per_sample();
  return s;
}

nlohmann::json Sequential::config() const {
  nlohmann::json a = nlohmann::json::array();
  for (const auto& l : layers_) a.push_back(l->config());
  return a;
}

}  // namespace aekit::models
