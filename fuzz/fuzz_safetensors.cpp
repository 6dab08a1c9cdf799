// safetensors files: the decoder (io/safetensors.h), then what reads a user's model.safetensors
// and checkpoint.safetensors (run/checkpoint.h) into a small fixed model and its Adam state.
#include <memory>
#include <nlohmann/json.hpp>

#include "fuzz_file.h"
#include "io/safetensors.h"
#include "models/autoencoder.h"
#include "nn/optimizer.h"
#include "run/checkpoint.h"

namespace {

struct Target {
  aekit::models::Autoencoder model{nlohmann::json::parse(R"({
      "encoder": [{"type": "dense", "units": 3, "activation": "relu"}],
      "decoder": [{"type": "dense", "units": 4, "activation": "sigmoid"}],
      "loss": {"type": "mse"}})"),
                                   aekit::Shape{4}};
  std::unique_ptr<aekit::nn::Optimizer> adam = aekit::nn::make_optimizer(nlohmann::json{{"type", "adam"}});
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static Target target;
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  aekit::fuzz::expect_input_error_only([&] { aekit::io::decode_safetensors(bytes, "fuzz"); });
  const std::string& path = aekit::fuzz::write_input(data, size, ".safetensors");
  const auto params = target.model.params();
  aekit::fuzz::expect_input_error_only([&] { aekit::run::stored_input_shape(path); });
  aekit::fuzz::expect_input_error_only([&] { aekit::run::load_weights(path, params); });
  aekit::fuzz::expect_input_error_only([&] {
    nlohmann::json config;
    aekit::run::load_checkpoint(path, params, *target.adam, &config);
  });
  return 0;
}
