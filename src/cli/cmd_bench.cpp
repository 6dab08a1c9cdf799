// aekit bench Wn: the aekit side of bench/compare. Trains workload Wn for one untimed warm-up
// epoch, then one timed epoch, and prints a last line "seconds <float>" (bench/compare parses it).
// The workloads mirror bench/torch_reference.py exactly (model, data, batch, optimizer).
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <map>
#include <string>

#include "cli/commands.h"
#include "data/image_dataset.h"
#include "kernels/matmul.h"
#include "models/frozen_encoder.h"
#include "tensor/error.h"
#include "train/progress.h"
#include "train/trainer.h"

namespace aekit::cli {
namespace {

// Every workload is a shipped config (so the benchmark cannot drift from what users train), with
// the few changes a one-epoch timing needs spelled out in `adjust`.
struct Workload {
  const char* what;
  const char* config;                             // relative to the project
  std::function<void(run::RunConfig&)> adjust{};  // e.g. another dataset
  bool latency = false;                           // time batch-1 encodes instead of a training epoch
  Shape random_data{};  // train on N(0,1) data of this shape instead of the config's dataset
};

const std::map<std::string, Workload>& workloads() {
  static const std::map<std::string, Workload> w{
      {"W1",
       {"vanilla dense AE 784-128-784 (ReLU/ReLU) (configs/vanilla_mnist.json on Fashion-MNIST), MSE, Adam 1e-2, "
        "batch 256, one epoch",
        "configs/vanilla_mnist.json", [](run::RunConfig& c) { c.data.dataset = "fashion-mnist"; }}},
      {"W2",
       {"VAE 784-400-20 (configs/vae_mnist.json, pytorch/examples), BCE sum + KL, Adam 1e-3, batch 128, one epoch of "
        "MNIST",
        "configs/vae_mnist.json"}},
      {"W3",
       {"VAE 784-512-10 logits (configs/vae_fashion_mnist.json, chapter 002), BCE-logits sum + KL, clip 15, batch 100, "
        "one epoch of Fashion-MNIST",
        "configs/vae_fashion_mnist.json"}},
      {"W4",
       {"chapter 002 conv denoising AE (configs/conv_denoise_mnist.json), BCE, Adam 1e-3, batch 128, one "
        "epoch of MNIST with 0.5 N(0,1) clipped noise",
        "configs/conv_denoise_mnist.json"}},
      {"W5",
       {"chapter 001 conv VAE (configs/conv_vae2d_mnist.json), 784 x MSE + KL, Adam 1e-3, batch 64, one epoch of MNIST",
        "configs/conv_vae2d_mnist.json"}},
      {"W6",
       {"chapter 000 deep VAE with batch norm and dropout (configs/vae_deep2d_mnist.json), BCE sum + KL, Adam "
        "1e-3, batch 128, one epoch of MNIST",
        "configs/vae_deep2d_mnist.json"}},
      {"W7",
       {"chapter 002 sentence AE (configs/lstm_sentences_reuters.json): BiLSTM(512, sum) -> RepeatVector(50) -> "
        "BiLSTM(50, sequences, sum), MSE, Adam 1e-3, 100 training batches of 64 random [50, 50] sequences",
        "configs/lstm_sentences_reuters.json", nullptr, false, {6400, 50, 50}}},
      {"W8",
       {"batch-1 encode latency of VAE model 1 (configs/vae_mnist.json: 784-400 relu, mu head 400-20), mean of 20000 "
        "calls over the MNIST test images in turn",
        "configs/vae_mnist.json", nullptr, true}},
  };
  return w;
}

// Mean seconds per batch-1 encode (a VAE's mean only) of the rows of `images` in turn, after a
// warm-up: through the training layers (Autoencoder::encode) or a FrozenEncoder.
double encode_latency(models::Autoencoder& model, models::FrozenEncoder* frozen, const Tensor& images, int calls) {
  const int64_t n = images.dim(0), size = images.sample_size();
  Tensor x({1, 1, 28, 28});
  float sink = 0;  // keeps the calls from being optimised away
  auto one = [&](int i) {
    const float* row = images.data() + (i % n) * size;
    if (frozen) {
      sink += frozen->encode(row)[0];
    } else {
      std::copy(row, row + size, x.data());
      sink += model.encode(x).data()[0];
    }
  };
  for (int i = 0; i < 1000; ++i) one(i);
  const auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < calls; ++i) one(i);
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() / calls;
  if (!(sink == sink)) std::printf("(NaN code)\n");
  return s;
}

}  // namespace

void add_bench(CLI::App& app) {
  auto* cmd = app.add_subcommand("bench", "Time one training epoch of a benchmark workload (see bench/)");
  auto name = std::make_shared<std::string>();
  auto data = std::make_shared<std::string>();
  cmd->add_option("workload", *name, "Workload id, e.g. W1")->required();
  cmd->add_option("--data", *data, "Dataset folder overriding the workload's");
  cmd->callback([name, data] {
    auto it = workloads().find(*name);
    if (it == workloads().end()) {
      std::string known;
      for (const auto& [k, v] : workloads()) known += (known.empty() ? "" : ", ") + k;
      throw InputError("bench: unknown workload '" + *name + "' (known: " + known + ")");
    }
    run::RunConfig cfg = run::load_run_config(data::vendored_path(std::string("../") + it->second.config));
    if (it->second.adjust) it->second.adjust(cfg);
    if (!data->empty()) run::set_dataset(cfg, *data);
    const char* policy = std::getenv("OMP_WAIT_POLICY");
    const char* spin = std::getenv("GOMP_SPINCOUNT");
    std::printf("%s: %s; %d threads; OpenMP waiters %s\n", name->c_str(), it->second.what, kernels::threads(),
                spin ? (std::string("spin ") + spin).c_str() : policy ? policy : "default");
    if (it->second.latency) {
      // Timed on the test images in turn (81 % of MNIST's pixels are background, which the
      // frozen encoder skips); uniform random pixels (none zero) show the dense case.
      models::Autoencoder model(cfg.model, {1, 28, 28});
      Rng init_rng(cfg.train.seed);
      model.init(init_rng);
      models::FrozenEncoder frozen(model);
      const data::ImageSet test = data::load_image_split(data::resolve_dataset_dir(cfg.data.dataset), "test");
      Tensor uniform({1000, 1, 28, 28});
      Rng rng(5);
      for (float& v : uniform) v = rng.uniform();
      for (const std::string& step : frozen.steps()) std::printf("frozen: %s\n", step.c_str());
      std::printf("us per encode, layers (Autoencoder::encode): test images %.3f, uniform random %.3f\n",
                  1e6 * encode_latency(model, nullptr, test.x, 20000),
                  1e6 * encode_latency(model, nullptr, uniform, 20000));
      Tensor one_image({1, 1, 28, 28});  // W8 until 2026-11-27: one image again and again
      std::copy(uniform.data(), uniform.data() + one_image.size(), one_image.data());
      std::printf("us per encode, FrozenEncoder: uniform random %.3f, one uniform image repeated %.3f\n",
                  1e6 * encode_latency(model, &frozen, uniform, 20000),
                  1e6 * encode_latency(model, &frozen, one_image, 20000));
      const double s = encode_latency(model, &frozen, test.x, 20000);
      std::printf("us per encode, FrozenEncoder: test images %.3f\n", 1e6 * s);
      std::printf("seconds %.9f\n", s);
      return;
    }
    data::ImageSet ds;
    if (!it->second.random_data.empty()) {
      ds.x = Tensor(it->second.random_data);
      Rng r(11);
      for (float& v : ds.x) v = r.normal();
    } else {
      ds = data::load_image_split(data::resolve_dataset_dir(cfg.data.dataset), "train");
    }
    Shape in(ds.x.shape().begin() + 1, ds.x.shape().end());
    models::Autoencoder model(cfg.model, in);
    Rng init_rng(cfg.train.seed);
    model.init(init_rng);
    auto opt = nn::make_optimizer(cfg.train.optimizer);
    Rng warm(1), timed(2), layer_rng(3);
    model.set_rng(&layer_rng);
    const data::NoiseSpec noise = cfg.data.noise;
    train::train_epoch(model, *opt, cfg, ds.x, warm, nullptr, 1, noise);
    train::EpochStats st = train::train_epoch(model, *opt, cfg, ds.x, timed, nullptr, 2, noise);
    // Forward + weight gradients + input gradients except the first layer's: ~3x forward.
    const double gflops = model.flops_per_sample() * 3 * st.samples / st.seconds / 1e9;
    std::printf("loss %.6f  %.0f samples/s  ~%.0f GFLOP/s\n", st.recon, st.samples / st.seconds, gflops);
    std::printf("seconds %.6f\n", st.seconds);
  });
}

}  // namespace aekit::cli
