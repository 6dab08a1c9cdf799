// aekit demo [--out DIR] [--epochs N]: the main job on its embedded default — trains a dense
// autoencoder on Fashion-MNIST (Debian's dataset-fashion-mnist) and leaves a run folder with the
// loss curve, the reconstruction grid, metrics.csv and the checkpoint.
#include <cstdio>

#include "cli/commands.h"
#include "report/run_figures.h"
#include "train/trainer.h"

namespace aekit::cli {
namespace {

constexpr const char* kDemoConfig = R"({
  "name": "demo_fashion_mnist",
  "description": "Dense autoencoder 784-256-32-256-784 on Fashion-MNIST, sigmoid output, BCE",
  "data": {"dataset": "fashion-mnist"},
  "model": {
    "encoder": [{"type": "dense", "units": 256, "activation": "relu"},
                {"type": "dense", "units": 32, "activation": "relu"}],
    "decoder": [{"type": "dense", "units": 256, "activation": "relu"},
                {"type": "dense", "units": 784, "activation": "sigmoid"}],
    "loss": {"type": "bce", "reduction": "mean"},
    "init": "keras"
  },
  "train": {"optimizer": {"type": "adam", "lr": 0.001}, "batch_size": 128, "epochs": 10, "seed": 0}
})";

}  // namespace

void add_demo(CLI::App& app) {
  auto* cmd = app.add_subcommand("demo", "Train the embedded demo model on Fashion-MNIST and write its figures");
  auto out = std::make_shared<std::string>("runs/demo");
  auto epochs = std::make_shared<int>(-1);
  cmd->add_option("--out", *out, "Run folder")->capture_default_str();
  cmd->add_option("--epochs", *epochs, "Override the number of epochs")->check(CLI::PositiveNumber);
  cmd->callback([out, epochs] {
    train::RunConfig cfg = train::parse_run_config(nlohmann::json::parse(kDemoConfig), "demo");
    if (*epochs > 0) train::set_epochs(cfg, *epochs);
    train::TrainOptions opt;
    opt.out_dir = *out;
    train::TrainResult r = train::train(cfg, opt);
    report::write_run_figures(opt.out_dir);
    std::printf("demo done: test loss %.5f after %d epochs (%.1f s of training)\n", r.val_loss, r.epochs_done,
                r.seconds);
    std::printf("look at %s/reconstructions.png and %s/loss_curve.png\n", out->c_str(), out->c_str());
  });
}

}  // namespace aekit::cli
