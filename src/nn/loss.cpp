#include "nn/loss.h"

#include <sstream>

#include "nn/losses.h"
#include "tensor/error.h"

namespace aekit::nn {

const config::Schema<LossSpec>& loss_schema() {
  static const auto s = config::Schema<LossSpec>("loss")
                            .one_of("type", &LossSpec::type, {"mse", "bce", "bce_logits"}, true)
                            .choice("reduction", &LossSpec::reduction, {{"mean", Reduction::mean}, {"sum", Reduction::sum}})
                            .key("scale", &LossSpec::scale, config::above(0));
  return s;
}

nlohmann::json Loss::config() const { return loss_schema().write({type(), reduction_, scale_}); }

std::string Loss::convention(int64_t features) const {
  std::ostringstream o;
  o << "loss " << type() << ": per sample = ";
  if (scale_ != 1.0) o << scale_ << " x ";
  o << (reduction_ == Reduction::mean ? "mean" : "sum") << " over " << features
    << " features; batch = mean over samples";
  return o.str();
}

std::unique_ptr<Loss> make_loss(const LossSpec& s) {
  if (s.type == "mse") return make_mse(s.reduction, s.scale);
  if (s.type == "bce") return make_bce(s.reduction, s.scale);
  return make_bce_logits(s.reduction, s.scale);
}

std::unique_ptr<Loss> make_loss(const nlohmann::json& cfg, const std::string& path) {
  return make_loss(loss_schema().parse(cfg, path, {}));
}

}  // namespace aekit::nn
