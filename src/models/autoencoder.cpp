#include "models/autoencoder.h"

#include "tensor/error.h"

namespace aekit::models {

Autoencoder::Autoencoder(const nlohmann::json& cfg, const Shape& input_shape)
    : input_shape_(input_shape) {
  require(cfg.is_object(), "model: expected an object");
  for (auto it = cfg.begin(); it != cfg.end(); ++it)
    require(it.key() == "encoder" || it.key() == "decoder" || it.key() == "loss" ||
                it.key() == "init" || it.key() == "type",
            "model: unknown key \"" + it.key() + "\" (expected encoder, decoder, loss, init)");
  require(cfg.contains("encoder") && cfg.contains("decoder"), "model: needs \"encoder\" and \"decoder\"");
  require(cfg.contains("loss"), "model: needs a \"loss\"");
  init_ = nn::parse_init(cfg.value("init", "keras"));
  encoder_.add_from_config(cfg["encoder"]);
  decoder_.add_from_config(cfg["decoder"]);
  loss_ = nn::make_loss(cfg["loss"]);
  code_shape_ = encoder_.build(input_shape_);
  Shape out = decoder_.build(code_shape_);
  require(numel(out) == numel(input_shape_),
          "model: decoder output " + to_string(out) + " has " + std::to_string(numel(out)) +
              " values per sample, the input " + to_string(input_shape_) + " has " +
              std::to_string(numel(input_shape_)));
}

void Autoencoder::init(Rng& rng) {
  encoder_.init(rng, init_);
  decoder_.init(rng, init_);
}

StepLoss Autoencoder::train_step(const Tensor& x, const Tensor& target) {
  const Tensor& code = encoder_.forward(x, nn::Mode::train);
  const Tensor& y = decoder_.forward(code, nn::Mode::train);
  StepLoss l;
  l.recon = loss_->forward(y, target);
  l.penalty = encoder_.penalty() + decoder_.penalty();
  const Tensor& dcode = decoder_.backward(loss_->grad(), true);
  encoder_.backward(dcode, false);
  return l;
}

double Autoencoder::eval_loss(const Tensor& x, const Tensor& target, double* per_sample) {
  const Tensor& y = decoder_.forward(encoder_.forward(x, nn::Mode::eval), nn::Mode::eval);
  if (per_sample) loss_->per_sample(y, target, per_sample);
  // The loss object also fills its gradient buffer; cheap next to the forward pass.
  return loss_->forward(y, target);
}

const Tensor& Autoencoder::to_output(const Tensor& raw, int64_t batch) {
  out_ = raw;
  loss_->to_data_space(out_);
  Shape s{batch};
  s.insert(s.end(), input_shape_.begin(), input_shape_.end());
  out_.reshape(s);
  return out_;
}

const Tensor& Autoencoder::reconstruct(const Tensor& x) {
  const Tensor& y = decoder_.forward(encoder_.forward(x, nn::Mode::eval), nn::Mode::eval);
  return to_output(y, x.dim(0));
}

const Tensor& Autoencoder::encode(const Tensor& x) { return encoder_.forward(x, nn::Mode::eval); }

const Tensor& Autoencoder::decode(const Tensor& z) {
  require(z.sample_size() == numel(code_shape_),
          "decode: latent vectors have " + std::to_string(z.sample_size()) +
              " values, the model's code has " + std::to_string(numel(code_shape_)));
  return to_output(decoder_.forward(z, nn::Mode::eval), z.dim(0));
}

std::vector<nn::Param> Autoencoder::params() {
  auto p = encoder_.params();
  auto d = decoder_.params();
  p.insert(p.end(), d.begin(), d.end());
  return p;
}

nlohmann::json Autoencoder::config() const {
  return {{"encoder", encoder_.config()}, {"decoder", decoder_.config()},
          {"loss", loss_->config()}, {"init", nn::to_string(init_)}};
}

}  // namespace aekit::models
