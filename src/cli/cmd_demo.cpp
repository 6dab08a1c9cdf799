// aekit demo [--out DIR] [--epochs N]: the main job on its embedded default — trains chapter
// 002's VAE on Fashion-MNIST (Debian's dataset-fashion-mnist) for 5 epochs and leaves a run
// folder with the loss curve, reconstructions, samples from the prior, a latent traversal,
// metrics.csv and the checkpoint.
#include <cstdio>

#include "cli/commands.h"
#include "report/run_figures.h"
#include "train/trainer.h"

namespace aekit::cli {
namespace {

constexpr const char* kDemoConfig = R"({
  "name": "demo_vae_fashion_mnist",
  "description": "Chapter 002's VAE (configs/vae_fashion_mnist.json) for 5 epochs: 784-512-(10 mu, 10 logvar), decoder 10-512-784 logits, BCE on logits summed over pixels + KL, per-tensor clip 15, Adam 1e-3, batch 100",
  "data": {"dataset": "fashion-mnist"},
  "model": {
    "encoder": [{"type": "dense", "units": 512, "activation": "relu"}],
    "vae": {"latent": 10, "beta": 1.0},
    "decoder": [{"type": "dense", "units": 512, "activation": "relu"},
                {"type": "dense", "units": 784, "activation": "linear"}],
    "loss": {"type": "bce_logits", "reduction": "sum"},
    "init": "keras"
  },
  "train": {"optimizer": {"type": "adam", "lr": 0.001, "epsilon_placement": "keras"}, "batch_size": 100,
            "epochs": 5, "seed": 0, "clip_per_tensor_norm": 15}
})";

}  // namespace

void add_demo(CLI::App& app) {
  auto* cmd = app.add_subcommand("demo", "Train the embedded demo VAE on Fashion-MNIST and write its figures");
  auto out = std::make_shared<std::string>("runs/demo");
  auto epochs = std::make_shared<int>(-1);
  cmd->add_option("--out", *out, "Run folder")->capture_default_str();
  cmd->add_option("--epochs", *epochs, "Override the number of epochs")->check(CLI::PositiveNumber);
  cmd->callback([out, epochs] {
    run::RunConfig cfg = run::parse_run_config(nlohmann::json::parse(kDemoConfig), "demo");
    if (*epochs > 0) run::set_epochs(cfg, *epochs);
    train::TrainOptions opt;
    opt.out_dir = *out;
    train::TrainResult r = train::train(cfg, opt);
    report::write_run_figures(opt.out_dir);
    std::printf("demo done: test loss %.5f after %d epochs (%.1f s of training)\n", r.val_loss, r.epochs_done,
                r.seconds);
    std::printf("look at %s/samples.png, %s/reconstructions.png and %s/loss_curve.png\n", out->c_str(), out->c_str(),
                out->c_str());
  });
}

}  // namespace aekit::cli
