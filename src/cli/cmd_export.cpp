// aekit export --run DIR --onnx OUT [--samples N]: the run's encoder and decoder as ONNX graphs
// (src/export/onnx_export.h has their inputs and outputs). --samples N also writes
// OUT/samples.safetensors: N seeded test inputs "x" (uniform [0, 1]) and latent vectors "z"
// (standard normal) with aekit's own outputs for them ("code", or "mean" and "log_variance";
// "x_hat" = decoder(z)), so any ONNX runtime can be checked against aekit.
#include <cstdio>

#include "cli/commands.h"
#include "export/onnx_export.h"
#include "io/safetensors.h"
#include "run/load_run.h"
#include "tensor/error.h"

namespace aekit::cli {
namespace {

Shape batch_of(int64_t n, const Shape& sample) {
  Shape s{n};
  s.insert(s.end(), sample.begin(), sample.end());
  return s;
}

void write_samples(models::Autoencoder& model, int64_t n, const std::string& path) {
  io::TensorFile f;
  Rng rng(12345);
  Tensor x(batch_of(n, model.input_shape())), z(batch_of(n, model.code_shape()));
  for (float& v : x) v = rng.uniform();
  for (float& v : z) v = rng.normal();
  f.tensors["x"] = x;
  f.tensors["z"] = z;
  if (model.is_vae()) {
    const Tensor h = model.encoder().forward(x, nn::Mode::eval);
    model.vae_head()->forward(h, nn::Mode::eval, /*sample=*/false);
    f.tensors["mean"] = model.vae_head()->mu();
    f.tensors["log_variance"] = model.vae_head()->logvar();
  } else {
    f.tensors["code"] = model.encode(x);
  }
  f.tensors["x_hat"] = model.decode(z);
  f.metadata["about"] = "aekit export --samples: inputs x, z and aekit's outputs for them";
  io::save_safetensors(path, f);
}

}  // namespace

void add_export(CLI::App& app) {
  auto* cmd = app.add_subcommand("export", "Write a run's encoder and decoder as ONNX graphs");
  struct Args {
    std::string run, onnx;
    int64_t samples = 0;
  };
  auto a = std::make_shared<Args>();
  cmd->add_option("--run", a->run, "Run folder written by `aekit train`")->required();
  cmd->add_option("--onnx", a->onnx, "Folder for encoder.onnx and decoder.onnx")->required();
  cmd->add_option("--samples", a->samples, "Also write N reference inputs/outputs (samples.safetensors)")
      ->check(CLI::Range(int64_t{1}, int64_t{100000}));
  cmd->callback([a] {
    run::LoadedRun r = run::load_run(a->run);
    const exporting::OnnxFiles f = exporting::export_onnx(*r.model, a->onnx, r.cfg.name);
    std::printf("wrote %s (input x, output %s)\n", f.encoder.c_str(),
                r.model->is_vae() ? "mean, log_variance" : "code");
    std::printf("wrote %s (input z, output x_hat)\n", f.decoder.c_str());
    if (a->samples > 0) {
      write_samples(*r.model, a->samples, a->onnx + "/samples.safetensors");
      std::printf("wrote %s/samples.safetensors (%lld samples)\n", a->onnx.c_str(),
                  static_cast<long long>(a->samples));
    }
  });
}

}  // namespace aekit::cli
