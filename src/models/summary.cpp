#include "models/summary.h"

#include <cstdio>

namespace aekit::models {
namespace {

struct Counts {
  int64_t trainable = 0, state = 0;
};

Counts count(const std::vector<nn::Param>& params) {
  Counts c;
  for (const nn::Param& p : params) (p.grad ? c.trainable : c.state) += p.value->size();
  return c;
}

std::string row(const std::string& where, const std::string& type, const std::string& shape, const std::string& params) {
  char buf[160];
  std::snprintf(buf, sizeof buf, "  %-22s %-18s %-16s %12s\n", where.c_str(), type.c_str(), shape.c_str(), params.c_str());
  return buf;
}

}  // namespace

std::string model_summary(Autoencoder& model) {
  std::string s = row("layer", "type", "output", "params");
  s += row("input", "", to_string(model.input_shape()), "");
  const auto part = [&](Sequential& seq, const std::string& name) {
    for (size_t i = 0; i < seq.size(); ++i) {
      nn::Layer& l = seq.layer(i);
      s += row("model." + name + "[" + std::to_string(i) + "]", l.type(), to_string(l.out_shape()),
                   std::to_string(count(l.params()).trainable));
    }
  };
  part(model.encoder(), "encoder");
  if (VaeHead* h = model.vae_head())
    s += row("model.vae", "mu, log-variance", "2 x [" + std::to_string(h->latent()) + "]",
               std::to_string(count(h->params()).trainable));
  part(model.decoder(), "decoder");
  const Counts c = count(model.params());
  char buf[200];
  std::snprintf(buf, sizeof buf, "  total: %lld trainable parameters (%.1f MB as float32)%s\n",
                static_cast<long long>(c.trainable), c.trainable * 4 / 1e6,
                c.state ? (", " + std::to_string(c.state) + " state values (batch norm statistics)").c_str() : "");
  return s + buf;
}

}  // namespace aekit::models
