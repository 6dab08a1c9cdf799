#include "models/autoencoder.h"

#include "tensor/error.h"

namespace aekit::models {

const config::Schema<VaeSpec>& vae_schema() {
  static const auto s = config::Schema<VaeSpec>("vae")
                            .required("latent", &VaeSpec::latent, config::between(1, 1 << 20))
                            .key("beta", &VaeSpec::beta, config::at_least(0));
  return s;
}

const config::Schema<ModelSpec>& model_schema() {
  static const auto s = config::Schema<ModelSpec>("model")
                            .required("encoder", &ModelSpec::encoder)
                            .required("decoder", &ModelSpec::decoder)
                            .object("loss", &ModelSpec::loss, &nn::loss_schema, true)
                            .choice("init", &ModelSpec::init, {{"keras", nn::Init::keras}, {"pytorch", nn::Init::pytorch}})
                            .object("vae", &ModelSpec::vae, &vae_schema);
  return s;
}

ModelSpec check_model_config(const nlohmann::json& cfg, const std::string& path) {
  ModelSpec m = model_schema().parse(cfg, path, {});
  // The layer lists, made as the model makes them (not built: that needs the data's shape).
  Sequential("encoder").add_from_config(m.encoder, config::join(path, "encoder"));
  Sequential("decoder").add_from_config(m.decoder, config::join(path, "decoder"));
  return m;
}

Autoencoder::Autoencoder(const nlohmann::json& cfg, const Shape& input_shape) : input_shape_(input_shape) {
  const ModelSpec m = model_schema().parse(cfg, "model", {});
  init_ = m.init;
  encoder_.add_from_config(m.encoder, "model.encoder");
  decoder_.add_from_config(m.decoder, "model.decoder");
  loss_ = nn::make_loss(m.loss);
  code_shape_ = encoder_.build(input_shape_);
  if (m.vae) {
    beta_ = m.vae->beta;
    head_ = std::make_unique<VaeHead>(m.vae->latent);
    head_->build(code_shape_);
    head_->set_beta(beta_);
    code_shape_ = {head_->latent()};
  }
  Shape out = decoder_.build(code_shape_);
  require(numel(out) == numel(input_shape_),
          "model: decoder output " + to_string(out) + " has " + std::to_string(numel(out)) +
              " values per sample, the input " + to_string(input_shape_) + " has " +
              std::to_string(numel(input_shape_)));
}

void Autoencoder::init(Rng& rng) {
  encoder_.init(rng, init_);
  if (head_) head_->init(rng, init_);
  decoder_.init(rng, init_);
}

void Autoencoder::set_rng(Rng* rng) {
  encoder_.set_rng(rng);
  if (head_) head_->set_rng(rng);
  decoder_.set_rng(rng);
}

void Autoencoder::set_beta(double beta) {
  if (head_) head_->set_beta(beta);
}

const Tensor& Autoencoder::code(const Tensor& x, nn::Mode mode, bool sample, double* kl) {
  const Tensor& h = encoder_.forward(x, mode);
  return head_ ? head_->forward(h, mode, sample, kl) : h;
}

StepLoss Autoencoder::train_step(const Tensor& x, const Tensor& target) {
  const Tensor& y = decoder_.forward(code(x, nn::Mode::train, true), nn::Mode::train);
  StepLoss l;
  l.recon = loss_->forward(y, target);
  l.penalty = encoder_.penalty() + decoder_.penalty();
  if (head_) {
    l.kl = head_->kl();
    l.beta = head_->beta();
  }
  const Tensor& dcode = decoder_.backward(loss_->grad(), true);
  const Tensor& dh = head_ ? head_->backward(dcode) : dcode;
  if (head_ && grad_ready_) grad_ready_(decoder_.size());
  encoder_.backward(dh, false);
  return l;
}

StepLoss Autoencoder::eval_loss(const Tensor& x, const Tensor& target, double* recon, double* kl) {
  const Tensor& y = decoder_.forward(code(x, nn::Mode::eval, true, kl), nn::Mode::eval);
  if (recon) loss_->per_sample(y, target, recon);
  StepLoss l;
  // The loss object also fills its gradient buffer; cheap next to the forward pass.
  l.recon = loss_->forward(y, target);
  if (head_) {
    l.kl = head_->kl();
    l.beta = head_->beta();
  }
  return l;
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
  return to_output(decoder_.forward(code(x, nn::Mode::eval, false), nn::Mode::eval), x.dim(0));
}

const Tensor& Autoencoder::encode(const Tensor& x) {
  const Tensor& h = encoder_.forward(x, nn::Mode::eval);
  return head_ ? head_->mean(h) : h;
}

const Tensor& Autoencoder::decode(const Tensor& z) {
  require(z.sample_size() == numel(code_shape_),
          "decode: latent vectors have " + std::to_string(z.sample_size()) + " values, the model's code has " +
              std::to_string(numel(code_shape_)));
  return to_output(decoder_.forward(z, nn::Mode::eval), z.dim(0));
}

std::vector<nn::Param> Autoencoder::params() {
  auto p = encoder_.params();
  if (head_)
    for (nn::Param q : head_->params()) {
      q.name = "vae." + q.name;
      p.push_back(q);
    }
  auto d = decoder_.params();
  p.insert(p.end(), d.begin(), d.end());
  return p;
}

std::vector<std::vector<nn::Param>> Autoencoder::grad_groups() {
  auto trainable = [](std::vector<nn::Param> ps) {
    std::erase_if(ps, [](const nn::Param& p) { return p.grad == nullptr; });
    return ps;
  };
  std::vector<std::vector<nn::Param>> groups;
  for (size_t i = decoder_.size(); i-- > 0;) groups.push_back(trainable(decoder_.layer(i).params()));
  if (head_) groups.push_back(trainable(head_->params()));
  for (size_t i = encoder_.size(); i-- > 0;) groups.push_back(trainable(encoder_.layer(i).params()));
  return groups;
}

void Autoencoder::set_grad_ready(std::function<void(size_t group)> f) {
  grad_ready_ = std::move(f);
  const size_t d = decoder_.size(), e = encoder_.size(), h = head_ ? 1 : 0;
  if (!grad_ready_) {
    decoder_.set_after_backward({});
    encoder_.set_after_backward({});
    return;
  }
  decoder_.set_after_backward([this, d](size_t i) { grad_ready_(d - 1 - i); });
  encoder_.set_after_backward([this, d, e, h](size_t i) { grad_ready_(d + h + e - 1 - i); });
}

double Autoencoder::flops_per_sample() const {
  return encoder_.flops_per_sample() + decoder_.flops_per_sample() + (head_ ? head_->flops_per_sample() : 0.0);
}

nlohmann::json Autoencoder::config() const {
  ModelSpec m;
  m.encoder = encoder_.config();
  m.decoder = decoder_.config();
  m.loss = {loss_->type(), loss_->reduction(), loss_->scale()};
  m.init = init_;
  if (head_) m.vae = VaeSpec{head_->latent(), beta_};
  return model_schema().write(m);
}

}  // namespace aekit::models
