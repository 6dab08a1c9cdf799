#include "train/pretrain.h"

#include <cstdio>
#include <cstring>

#include "eval/latent.h"
#include "nn/optimizer.h"
#include "tensor/error.h"
#include "train/trainer.h"

namespace aekit::train {
namespace {

// Copies every parameter of `from` into the same-shaped parameter list `to`.
void copy_params(const std::vector<nn::Param>& from, const std::vector<nn::Param>& to) {
  for (size_t i = 0; i < from.size(); ++i) {
    require(from[i].value->shape() == to[i].value->shape(), "pretrain: layer shapes do not mirror");
    std::memcpy(to[i].value->data(), from[i].value->data(), from[i].value->size() * sizeof(float));
  }
}

}  // namespace

void pretrain_greedy(models::Autoencoder& model, const run::RunConfig& cfg, Tensor x, int epochs) {
  const nlohmann::json enc = model.config()["encoder"], dec = model.config()["decoder"];
  const size_t k = enc.size();
  require(!model.is_vae() && k == dec.size(), "pretrain: needs a plain autoencoder with mirrored encoder/decoder");
  for (size_t i = 0; i < k; ++i)
    require(enc[i]["type"] == "dense" && dec[i]["type"] == "dense", "pretrain: every layer must be dense");
  Tensor h = std::move(x);
  h.reshape({h.dim(0), h.sample_size()});
  for (size_t i = 0; i < k; ++i) {
    const bool outer = i == 0;
    nlohmann::json level = {{"encoder", {enc[i]}},
                            {"decoder", {dec[k - 1 - i]}},
                            {"loss", outer ? model.loss().config() : nlohmann::json{{"type", "mse"}}},
                            {"init", model.config()["init"]}};
    models::Autoencoder ae(level, {h.dim(1)});
    Rng init = Rng(cfg.train.seed).fork(500 + i);
    ae.init(init);
    auto opt = nn::make_optimizer(cfg.train.optimizer);
    EpochStats st;
    for (int e = 1; e <= epochs; ++e) {
      Rng shuffle = Rng(cfg.train.seed).fork(600 + 100 * i + e);
      st = train_epoch(ae, *opt, cfg, h, shuffle, nullptr, e);
    }
    std::printf("pretrain level %zu: %lld -> %lld -> %lld, %d epochs, loss %.6f\n", i + 1,
                static_cast<long long>(h.dim(1)), static_cast<long long>(numel(ae.code_shape())),
                static_cast<long long>(h.dim(1)), epochs, st.recon);
    std::fflush(stdout);
    // Level i's encoder is the stack's encoder layer i; its decoder, decoder layer k-1-i.
    auto p = ae.params();
    auto stack = model.params();
    const std::string enc_prefix = "encoder." + std::to_string(i) + ".";
    const std::string dec_prefix = "decoder." + std::to_string(k - 1 - i) + ".";
    std::vector<nn::Param> from_enc, from_dec, to_enc, to_dec;
    for (auto& q : p) (q.name.rfind("encoder.", 0) == 0 ? from_enc : from_dec).push_back(q);
    for (auto& q : stack) {
      if (q.name.rfind(enc_prefix, 0) == 0) to_enc.push_back(q);
      if (q.name.rfind(dec_prefix, 0) == 0) to_dec.push_back(q);
    }
    copy_params(from_enc, to_enc);
    copy_params(from_dec, to_dec);
    h = eval::encode_all(ae, h);
  }
}

}  // namespace aekit::train
