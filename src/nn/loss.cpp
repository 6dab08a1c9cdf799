#include "nn/loss.h"

#include <sstream>

#include "nn/losses.h"
#include "tensor/error.h"

namespace aekit::nn {

nlohmann::json Loss::config() const {
  return {{"type", type()}, {"reduction", reduction_ == Reduction::mean ? "mean" : "sum"},
          {"scale", scale_}};
}

std::string Loss::convention(int64_t features) const {
  std::ostringstream o;
  o << "loss " << type() << ": per sample = ";
  if (scale_ != 1.0) o << scale_ << " x ";
  o << (reduction_ == Reduction::mean ? "mean" : "sum") << " over " << features
    << " features; batch = mean over samples";
  return o.str();
}

std::unique_ptr<Loss> make_loss(const nlohmann::json& cfg) {
  require(cfg.is_object() && cfg.contains("type") && cfg["type"].is_string(),
          "loss: expected an object with a \"type\" string, got " + cfg.dump());
  const std::string type = cfg["type"];
  const std::string red = cfg.value("reduction", "mean");
  require(red == "mean" || red == "sum",
          "loss: reduction must be \"mean\" or \"sum\", got \"" + red + "\"");
  const Reduction r = red == "mean" ? Reduction::mean : Reduction::sum;
  const double scale = cfg.value("scale", 1.0);
  require(scale > 0, "loss: scale must be positive");
  if (type == "mse") return make_mse(r, scale);
  if (type == "bce") return make_bce(r, scale);
  if (type == "bce_logits") return make_bce_logits(r, scale);
  throw InputError("unknown loss '" + type + "' (expected mse, bce or bce_logits)");
}

}  // namespace aekit::nn
