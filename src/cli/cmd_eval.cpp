// aekit eval --run DIR [--data DIR]: the test-split loss of a trained model.
#include <cstdio>

#include "cli/commands.h"
#include "eval/evaluate.h"
#include "train/load_run.h"
#include "train/run_data.h"

namespace aekit::cli {

void add_eval(CLI::App& app) {
  auto* cmd = app.add_subcommand("eval", "Test-split loss of a trained run");
  auto run = std::make_shared<std::string>();
  auto data = std::make_shared<std::string>();
  cmd->add_option("--run", *run, "Run folder written by `aekit train`")->required();
  cmd->add_option("--data", *data, "Dataset folder or name, overriding the run's");
  cmd->callback([run, data] {
    train::RunConfig cfg = train::load_run_config(*run + "/config.json");
    if (!data->empty()) train::set_dataset(cfg, *data);
    train::RunData d = train::load_run_data(cfg, /*need_train=*/false);
    Shape in(d.test.x.shape().begin() + 1, d.test.x.shape().end());
    train::LoadedRun r = train::load_run(*run, in);
    eval::SplitLoss l = eval::split_loss(*r.model, d.test.x);
    std::printf("%s\n", r.model->loss().convention(numel(in)).c_str());
    std::printf("test samples %lld\n", static_cast<long long>(d.test.x.dim(0)));
    if (r.model->is_vae()) {
      std::printf("vae: one z sample per image; KL(q(z|x) || N(0,I)) in nats\n");
      std::printf("test_recon %.6f\ntest_kl %.6f\ntest_neg_elbo %.6f\n", l.recon, l.kl, l.recon + l.kl);
    }
    std::printf("test_loss %.6f\n", l.loss);
  });
}

}  // namespace aekit::cli
