#include "train/trainer.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <sstream>

#include "data/batcher.h"
#include "eval/evaluate.h"
#include "io/atomic_file.h"
#include "kernels/matmul.h"
#include "models/autoencoder.h"
#include "nn/optimizer.h"
#include "train/run_figures.h"
#include "train/checkpoint.h"
#include "train/progress.h"
#include "train/run_data.h"
#include "tensor/error.h"

namespace aekit::train {
namespace {

// Stream ids: every random purpose has its own stream derived from the seed.
constexpr uint64_t kInitStream = 1, kShuffleStream = 1000, kLayerStream = 2000;

void write_metrics_csv(const std::string& path, const nlohmann::json& history) {
  std::ostringstream o;
  o << "epoch,train_loss,train_recon,train_penalty,val_loss,seconds,samples_per_sec\n";
  for (const auto& h : history) {
    char buf[256];
    std::snprintf(buf, sizeof buf, "%d,%.8g,%.8g,%.8g,%.8g,%.4f,%.1f\n", h["epoch"].get<int>(),
                  h["train_loss"].get<double>(), h["train_recon"].get<double>(),
                  h["train_penalty"].get<double>(), h["val_loss"].get<double>(),
                  h["seconds"].get<double>(), h["samples_per_sec"].get<double>());
    o << buf;
  }
  io::write_file_atomic(path, o.str());
}

void print_summary(const RunConfig& cfg, models::Autoencoder& model, nn::Optimizer& opt,
                   const RunData& data) {
  int64_t n_params = 0;
  for (const auto& p : model.params())
    if (p.grad) n_params += p.value->size();
  std::printf("run %s: %lld train / %lld test samples from %s\n", cfg.name.c_str(),
              static_cast<long long>(data.train.x.dim(0)), static_cast<long long>(data.test.x.dim(0)),
              data.dir.c_str());
  std::printf("model: input %s -> code %s -> output; %s trainable parameters\n",
              to_string(model.input_shape()).c_str(), to_string(model.code_shape()).c_str(),
              format_count(static_cast<double>(n_params)).c_str());
  std::printf("%s\n", model.loss().convention(numel(model.input_shape())).c_str());
  std::printf("optimizer %s; batch %lld; %d epochs; seed %llu; %d threads\n", opt.describe().c_str(),
              static_cast<long long>(cfg.batch_size), cfg.epochs,
              static_cast<unsigned long long>(cfg.seed), kernels::threads());
  std::fflush(stdout);
}

}  // namespace

EpochStats train_epoch(models::Autoencoder& model, nn::Optimizer& opt, const RunConfig& cfg,
                       const Tensor& x, Rng& shuffle_rng, Progress* progress, int epoch) {
  auto params = model.params();
  data::Batcher batcher(x.dim(0), cfg.batch_size, /*shuffle=*/true);
  batcher.start_epoch(shuffle_rng);
  if (progress) progress->start_epoch(epoch);
  const auto t0 = std::chrono::steady_clock::now();
  Tensor xb;
  double recon_sum = 0, penalty_sum = 0;
  int64_t seen = 0;
  for (int64_t b = 0; b < batcher.batches(); ++b) {
    auto idx = batcher.batch_indices(b);
    data::gather_rows(x, idx, xb);
    models::StepLoss l = model.train_step(xb, xb);
    if (!std::isfinite(l.total()))
      throw std::runtime_error("epoch " + std::to_string(epoch) + " step " + std::to_string(b + 1) +
                               ": loss is " + std::to_string(l.total()) +
                               "; training stopped, the checkpoint of the last finished epoch is kept");
    if (cfg.clip_global_norm > 0) nn::clip_global_norm(params, cfg.clip_global_norm);
    if (cfg.clip_per_tensor_norm > 0) nn::clip_per_tensor_norm(params, cfg.clip_per_tensor_norm);
    opt.step(params);
    const int64_t bs = static_cast<int64_t>(idx.size());
    recon_sum += l.recon * bs;
    penalty_sum += l.penalty * bs;
    seen += bs;
    if (progress) progress->step(b + 1, (recon_sum + penalty_sum) / seen, seen);
  }
  EpochStats st;
  st.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (progress) progress->end_epoch();
  st.recon = recon_sum / seen;
  st.penalty = penalty_sum / seen;
  st.samples = seen;
  return st;
}

TrainResult train(RunConfig cfg, const TrainOptions& opt) {
  const std::string ckpt_path = opt.out_dir + "/checkpoint.safetensors";
  RunData data = load_run_data(cfg);
  require(data.train.x.dim(0) > 0, data.dir + ": the training split is empty");

  Shape in_shape(data.train.x.shape().begin() + 1, data.train.x.shape().end());
  models::Autoencoder model(cfg.model, in_shape);
  auto optimizer = nn::make_optimizer(cfg.optimizer);
  auto params = model.params();

  TrainState state;
  if (opt.resume) {
    state = load_checkpoint(ckpt_path, params, *optimizer);
    std::printf("resuming %s after epoch %d\n", ckpt_path.c_str(), state.epochs_done);
  } else {
    Rng init_rng = Rng(cfg.seed).fork(kInitStream);
    model.init(init_rng);
  }
  io::make_dirs(opt.out_dir);
  io::write_file_atomic(opt.out_dir + "/config.json", cfg.json.dump(2) + "\n");
  print_summary(cfg, model, *optimizer, data);

  Progress progress(cfg.epochs, (data.train.x.dim(0) + cfg.batch_size - 1) / cfg.batch_size, opt.quiet);
  TrainResult result;
  for (int epoch = state.epochs_done + 1; epoch <= cfg.epochs; ++epoch) {
    Rng shuffle_rng = Rng(cfg.seed).fork(kShuffleStream + epoch);
    Rng layer_rng = Rng(cfg.seed).fork(kLayerStream + epoch);
    model.set_rng(&layer_rng);
    EpochStats st = train_epoch(model, *optimizer, cfg, data.train.x, shuffle_rng, &progress, epoch);
    const double recon = st.recon, pen = st.penalty, train_seconds = st.seconds;
    const int64_t seen = st.samples;
    const double val = eval::split_loss(model, data.test.x).mean;
    state.epochs_done = epoch;
    state.history.push_back({{"epoch", epoch},
                             {"train_loss", recon + pen},
                             {"train_recon", recon},
                             {"train_penalty", pen},
                             {"val_loss", val},
                             {"seconds", train_seconds},
                             {"samples_per_sec", seen / train_seconds}});
    std::printf("epoch %d/%d  train loss %.6f%s  val loss %.6f  %.2f s  %s samples/s\n", epoch,
                cfg.epochs, recon + pen,
                pen > 0 ? (" (recon " + std::to_string(recon) + " + penalty " + std::to_string(pen) + ")").c_str()
                        : "",
                val, train_seconds, format_count(seen / train_seconds).c_str());
    std::fflush(stdout);
    save_checkpoint(ckpt_path, cfg.json, params, *optimizer, state);
    write_metrics_csv(opt.out_dir + "/metrics.csv", state.history);
    result.seconds += train_seconds;
  }
  save_weights(opt.out_dir + "/model.safetensors", params, model.config());
  if (!state.history.empty()) {
    result.train_loss = state.history.back()["train_loss"];
    result.val_loss = state.history.back()["val_loss"];
  }
  result.epochs_done = state.epochs_done;
  if (opt.figures && !state.history.empty())
    write_run_figures(opt.out_dir, state.history, model, data.test.x);
  return result;
}

}  // namespace aekit::train
