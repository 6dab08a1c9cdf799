// aekit eval --run DIR [--data DIR] [--limit N] [--iwae K]: test-split losses of a trained run;
// for a VAE also the ELBO and, with --iwae K, the importance-weighted NLL estimate.
// --precision fp32|bf16: the products' precision (default: the run's train.precision).
#include <cstdio>
#include <optional>

#include "cli/commands.h"
#include "data/image_dataset.h"
#include "eval/evaluate.h"
#include "eval/iwae.h"
#include "kernels/precision.h"
#include "tensor/error.h"
#include "run/load_run.h"
#include "run/run_data.h"

namespace aekit::cli {

void add_eval(CLI::App& app) {
  auto* cmd = app.add_subcommand("eval", "Test-split loss of a trained run (VAE: ELBO, IWAE NLL)");
  struct Args {
    std::string run, data, precision;
    int64_t limit = 0;
    int iwae = 0;
  };
  auto a = std::make_shared<Args>();
  cmd->add_option("--run", a->run, "Run folder written by `aekit train`")->required();
  cmd->add_option("--data", a->data, "Dataset folder or name, overriding the run's");
  cmd->add_option("--limit", a->limit, "Only the first N test samples")->check(CLI::NonNegativeNumber);
  cmd->add_option("--precision", a->precision, "fp32 or bf16 products (default: the precision the run trained in)");
  cmd->add_option("--iwae", a->iwae, "VAE: importance-weighted NLL with K samples per image")
      ->check(CLI::Range(1, 100000));
  cmd->callback([a] {
    const std::optional<kernels::Precision> asked =
        a->precision.empty() ? std::nullopt : std::optional(run::parse_precision_flag(a->precision));
    run::RunConfig cfg = run::load_run_config(a->run + "/config.json");
    if (!a->data.empty()) run::set_dataset(cfg, a->data);
    if (a->limit > 0) cfg.data.test_limit = a->limit;
    const kernels::PrecisionScope precision(asked.value_or(cfg.train.precision), "evaluating");
    run::RunData d = run::load_run_data(cfg, /*need_train=*/false);
    const Shape in(d.test.x.shape().begin() + 1, d.test.x.shape().end());
    run::LoadedRun r = run::load_run(a->run);
    // Denoising runs are scored as trained: noisy inputs (the fixed corruption validation
    // used), clean targets.
    const Tensor inputs = run::noisy_test_inputs(d);
    const bool noisy = d.noise.active();
    eval::SplitLoss l = eval::split_loss(*r.model, inputs, noisy ? &d.test.x : nullptr);
    std::printf("%s\n", r.model->loss().convention(numel(in)).c_str());
    if (noisy) std::printf("inputs: the test images with the run's noise (seed %llu); targets clean\n",
                           static_cast<unsigned long long>(d.seed));
    std::printf("test samples %lld\n", static_cast<long long>(d.test.x.dim(0)));
    if (precision.active() == kernels::Precision::bf16) std::printf("products in bf16 (fp32 accumulation)\n");
    if (r.model->is_vae()) {
      std::printf("vae: one z sample per image; KL(q(z|x) || N(0,I)) in nats\n");
      std::printf("test_recon %.6f\ntest_kl %.6f\ntest_neg_elbo %.6f\n", l.recon, l.kl, l.recon + l.kl);
      if (a->iwae > 0) {
        eval::IwaeResult w = eval::iwae_nll(*r.model, d.test.x, a->iwae, 777);
        std::printf("test_iwae_nll %.6f (k=%d)\n", w.nll, w.k);
      }
    } else if (a->iwae > 0) {
      throw InputError("--iwae needs a VAE run");
    }
    std::printf("test_loss %.8g\n", l.loss);  // 8 digits: import parity is checked to 1e-5 relative
  });
}

}  // namespace aekit::cli
