#include "train/trainer.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <optional>
#include <sstream>

#include "data/batcher.h"
#include "data/prefetch_loader.h"
#include "data/sample_source.h"
#include "data/noise.h"
#include "eval/evaluate.h"
#include "io/atomic_file.h"
#include "io/writable_dir.h"
#include "kernels/matmul.h"
#include "models/memory_estimate.h"
#include "run/beta_schedule.h"
#include "run/checkpoint.h"
#include "run/loss_conventions.h"
#include "run/run_folder_lock.h"
#include "train/pretrain.h"
#include "train/progress.h"
#include "run/run_data.h"
#include "run/sentence_run.h"
#include "tensor/error.h"

namespace aekit::train {
namespace {

// Every random purpose draws from its own stream derived from (seed, purpose, epoch), so a
// resumed run repeats exactly what an uninterrupted one would have drawn.
constexpr uint64_t kInitStream = 1, kShuffleStream = 1000, kLayerStream = 2000, kEvalStream = 3000,
                   kNoiseStream = 4000;

const char* kMetricsHeader =
    "epoch,train_loss,train_recon,train_kl,train_penalty,beta,val_loss,val_recon,val_kl,seconds,samples_per_sec\n";

void write_metrics_csv(const std::string& path, const nlohmann::json& history) {
  std::ostringstream o;
  o << kMetricsHeader;
  for (const auto& h : history) {
    char buf[320];
    std::snprintf(buf, sizeof buf, "%d,%.8g,%.8g,%.8g,%.8g,%.6g,%.8g,%.8g,%.8g,%.4f,%.1f\n", h["epoch"].get<int>(),
                  h["train_loss"].get<double>(), h["train_recon"].get<double>(), h["train_kl"].get<double>(),
                  h["train_penalty"].get<double>(), h["beta"].get<double>(), h["val_loss"].get<double>(),
                  h["val_recon"].get<double>(), h["val_kl"].get<double>(), h["seconds"].get<double>(),
                  h["samples_per_sec"].get<double>());
    o << buf;
  }
  io::write_file_atomic(path, o.str());
}

void print_summary(const run::RunConfig& cfg, models::Autoencoder& model, nn::Optimizer& opt, const run::RunData& data,
                   int64_t n_train, int64_t n_test) {
  int64_t n_params = 0;
  for (const auto& p : model.params())
    if (p.grad) n_params += p.value->size();
  std::printf("run %s: %lld train / %lld test samples from %s\n", cfg.name.c_str(),
              static_cast<long long>(n_train), static_cast<long long>(n_test), data.source.c_str());
  if (data.folder && !data.folder->classes.empty()) {
    std::string names;
    for (const std::string& c : data.folder->classes) names += (names.empty() ? "" : ", ") + c;
    std::printf("classes (%zu, from the subfolder names): %s\n", data.folder->classes.size(), names.c_str());
  }
  std::printf("model: input %s -> %s %s -> output; %s trainable parameters\n",
              to_string(model.input_shape()).c_str(), model.is_vae() ? "latent" : "code",
              to_string(model.code_shape()).c_str(), format_count(static_cast<double>(n_params)).c_str());
  for (const std::string& line : run::loss_conventions(cfg, model)) std::printf("%s\n", line.c_str());
  std::printf("optimizer %s; batch %lld; %lld epochs; seed %llu; %d threads\n", opt.describe().c_str(),
              static_cast<long long>(cfg.train.batch_size), static_cast<long long>(cfg.train.epochs),
              static_cast<unsigned long long>(cfg.train.seed),
              kernels::threads());
  if (cfg.train.clip_global_norm > 0) std::printf("gradient clipping: global norm %g\n", cfg.train.clip_global_norm);
  if (cfg.train.clip_per_tensor_norm > 0) std::printf("gradient clipping: per-tensor norm %g\n", cfg.train.clip_per_tensor_norm);
  std::fflush(stdout);
}

}  // namespace

EpochStats train_epoch(models::Autoencoder& model, nn::Optimizer& opt, const run::RunConfig& cfg, const Tensor& x,
                       Rng& shuffle_rng, Progress* progress, int epoch, const data::NoiseSpec& noise) {
  return train_epoch(model, opt, cfg, data::TensorSource(x), shuffle_rng, progress, epoch, noise);
}

EpochStats train_epoch(models::Autoencoder& model, nn::Optimizer& opt, const run::RunConfig& cfg,
                       const data::SampleSource& source, Rng& shuffle_rng, Progress* progress, int epoch,
                       const data::NoiseSpec& noise) {
  auto params = model.params();
  const run::BetaSchedule schedule = cfg.train.schedule();
  data::Batcher batcher(source.size(), cfg.train.batch_size, /*shuffle=*/true);
  batcher.start_epoch(shuffle_rng);
  // Samples already in memory are gathered in place; a memory-mapped cache is read (and its
  // uint8 converted) on a worker thread while the previous batch trains.
  const bool in_memory = dynamic_cast<const data::TensorSource*>(&source) != nullptr;
  std::optional<data::PrefetchLoader> loader;
  if (!in_memory) {
    loader.emplace(source);
    loader->start_epoch(batcher);
  }
  if (progress) progress->start_epoch(epoch);
  const auto t0 = std::chrono::steady_clock::now();
  Tensor xb, noisy;
  Rng noise_rng = Rng(cfg.train.seed).fork(kNoiseStream + epoch);
  double recon_sum = 0, kl_sum = 0, penalty_sum = 0, total_sum = 0;
  int64_t seen = 0;
  EpochStats st;
  for (int64_t b = 0; b < batcher.batches(); ++b) {
    if (model.is_vae())
      model.set_beta(schedule.at(model.config_beta(), (epoch - 1) + static_cast<double>(b) / batcher.batches()));
    auto idx = batcher.batch_indices(b);
    if (loader)
      loader->next(xb);
    else
      source.gather(idx, xb);
    if (noise.active()) data::add_noise(xb, noisy, noise, noise_rng);
    models::StepLoss l = model.train_step(noise.active() ? noisy : xb, xb);
    if (!std::isfinite(l.total()))
      throw std::runtime_error("epoch " + std::to_string(epoch) + " step " + std::to_string(b + 1) + ": loss is " +
                               std::to_string(l.total()) +
                               "; training stopped, the checkpoint of the last finished epoch is kept");
    if (cfg.train.clip_global_norm > 0) nn::clip_global_norm(params, cfg.train.clip_global_norm);
    if (cfg.train.clip_per_tensor_norm > 0) nn::clip_per_tensor_norm(params, cfg.train.clip_per_tensor_norm);
    opt.step(params);
    const int64_t bs = static_cast<int64_t>(idx.size());
    recon_sum += l.recon * bs;
    kl_sum += l.kl * bs;
    penalty_sum += l.penalty * bs;
    total_sum += l.total() * bs;
    seen += bs;
    st.beta = l.beta;
    if (progress) progress->step(b + 1, total_sum / seen, seen);
  }
  st.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (progress) progress->end_epoch();
  st.recon = recon_sum / seen;
  st.kl = kl_sum / seen;
  st.penalty = penalty_sum / seen;
  st.total = total_sum / seen;
  st.samples = seen;
  return st;
}

namespace {

// Validation over a memory-mapped split, 256 samples at a time, so a folder's test split never
// sits in memory whole: each chunk's means weighted by its size (the VAE's sampling seed moves
// on per chunk). 256, not the 1000 of in-memory validation: at 64x64x3 a chunk of 1000 and its
// reconstruction took 330 MB more peak memory (measured on 250,000 images; docs/own-data.md).
eval::SplitLoss streamed_split_loss(models::Autoencoder& model, const data::SampleSource& source, uint64_t seed) {
  eval::SplitLoss total;
  const int64_t n = source.size(), chunk = 256;
  Tensor x;
  std::vector<int64_t> idx;
  for (int64_t begin = 0; begin < n; begin += chunk) {
    const int64_t end = std::min(n, begin + chunk);
    idx.resize(static_cast<size_t>(end - begin));
    for (int64_t i = begin; i < end; ++i) idx[i - begin] = i;
    source.gather(idx, x);
    const eval::SplitLoss part = eval::split_loss(model, x, nullptr, chunk, false, seed + static_cast<uint64_t>(begin));
    const double w = static_cast<double>(end - begin) / static_cast<double>(n);
    total.loss += w * part.loss, total.recon += w * part.recon, total.kl += w * part.kl;
  }
  return total;
}

}  // namespace

TrainResult train(run::RunConfig cfg, const TrainOptions& opt) {
  const std::string ckpt_path = opt.out_dir + "/checkpoint.safetensors";
  // Everything that can be checked without the data comes first: the model against the data's
  // shape (from its header), its memory, the run folder. Then the data is loaded.
  const Shape in_shape = run::sample_shape(cfg);
  std::unique_ptr<models::Autoencoder> model_ptr = run::make_model(cfg, in_shape);
  models::Autoencoder& model = *model_ptr;
  run::check_training_memory(cfg, model);
  io::make_dirs(opt.out_dir);
  io::check_writable_dir(opt.out_dir);
  run::RunData data = run::load_run_data(cfg);
  // An image folder trains from its memory-mapped caches; every other source from memory.
  // data.train_limit / test_limit (--limit) keep the first samples of a folder's caches.
  std::optional<data::TensorSource> train_in_memory;
  std::optional<data::PrefixSource> train_prefix, test_prefix;
  const data::SampleSource& train_samples =
      !data.folder ? static_cast<const data::SampleSource&>(train_in_memory.emplace(data.train.x))
                   : train_prefix.emplace(data.folder->train, cfg.data.train_limit ? cfg.data.train_limit : data.folder->train.size());
  const data::SampleSource* test_cache = nullptr;
  if (data.folder) {
    const data::ImageCache& t = data.folder->test ? *data.folder->test : data.folder->train;
    test_cache = &test_prefix.emplace(t, cfg.data.test_limit ? cfg.data.test_limit : t.size());
  }
  require(train_samples.size() > 0, data.source + ": the training split is empty");
  require(train_samples.sample_shape() == in_shape,
          data.source + ": samples are " + to_string(train_samples.sample_shape()) + ", the header said " + to_string(in_shape));
  auto optimizer = nn::make_optimizer(cfg.train.optimizer);
  auto params = model.params();

  // One training per run folder (taken once the data is known good, so bad input writes
  // nothing); temp files a killed run left behind are removed.
  const run::RunFolderLock folder_lock(opt.out_dir);
  run::TrainState state;
  if (opt.resume) {
    state = run::load_checkpoint(ckpt_path, params, *optimizer);
    std::printf("resuming %s after epoch %d\n", ckpt_path.c_str(), state.epochs_done);
  } else {
    Rng init_rng = Rng(cfg.train.seed).fork(kInitStream);
    model.init(init_rng);
    if (cfg.train.pretrain_epochs() > 0) {
      require(!data.folder, cfg.source + ": greedy pretraining reads the training split from memory; not available for image folders");
      pretrain_greedy(model, cfg, data.train.x, cfg.train.pretrain_epochs());
    }
  }
  io::make_dirs(opt.out_dir);
  io::write_file_atomic(opt.out_dir + "/config.json", cfg.to_json().dump(2) + "\n");
  if (data.scaler) io::write_file_atomic(opt.out_dir + "/scaler.json", data.scaler->to_json().dump(2) + "\n");
  // Image folders: which files trained and tested, the classes, the preprocessing, what was skipped.
  if (data.folder) {
    io::write_file_atomic(opt.out_dir + "/images.json", data.folder_record.dump(1) + "\n");
    data.folder_record = nlohmann::json();  // per-file metadata: not kept longer than needed
  }
  // Sentence runs keep their vocabulary, table and splits, so embed / similar / the cosine
  // report work from the folder alone (also on a checkpoint of an unfinished run).
  if (data.text) run::save_sentence_run(opt.out_dir, *data.text);
  print_summary(cfg, model, *optimizer, data, train_samples.size(), test_cache ? test_cache->size() : data.test.size());
  // Denoising: validate on a fixed corruption of the test inputs against the clean images.
  Tensor noisy_test;
  if (data.noise.active() && data.folder) {
    std::printf("inputs corrupted in training only: an image folder validates on clean inputs\n");
  } else if (data.noise.active()) {
    noisy_test = run::noisy_test_inputs(data);
    std::printf("inputs corrupted: x + %g + %g * N(0,1)%s; targets clean\n", data.noise.mean, data.noise.std,
                data.noise.clip.empty() ? ""
                                        : (", clipped to [" + std::to_string(data.noise.clip[0]) + ", " +
                                           std::to_string(data.noise.clip[1]) + "]").c_str());
  }

  Progress progress(cfg.train.epochs, (train_samples.size() + cfg.train.batch_size - 1) / cfg.train.batch_size, opt.quiet);
  TrainResult result;
  for (int epoch = state.epochs_done + 1; epoch <= cfg.train.epochs && !(opt.stop && *opt.stop); ++epoch) {
    Rng shuffle_rng = Rng(cfg.train.seed).fork(kShuffleStream + epoch);
    Rng layer_rng = Rng(cfg.train.seed).fork(kLayerStream + epoch);
    model.set_rng(&layer_rng);
    EpochStats st = train_epoch(model, *optimizer, cfg, train_samples, shuffle_rng, &progress, epoch, data.noise);
    const uint64_t eval_seed = Rng(cfg.train.seed).fork(kEvalStream + epoch).next_u64();
    eval::SplitLoss val = test_cache ? streamed_split_loss(model, *test_cache, eval_seed)
                                     : eval::split_loss(model, noisy_test.empty() ? data.test.x : noisy_test,
                                                        noisy_test.empty() ? nullptr : &data.test.x, 1000, false, eval_seed);
    state.epochs_done = epoch;
    state.history.push_back({{"epoch", epoch},
                             {"train_loss", st.total},
                             {"train_recon", st.recon},
                             {"train_kl", st.kl},
                             {"train_penalty", st.penalty},
                             {"beta", st.beta},
                             {"val_loss", val.loss},
                             {"val_recon", val.recon},
                             {"val_kl", val.kl},
                             {"seconds", st.seconds},
                             {"samples_per_sec", st.samples / st.seconds}});
    std::string parts;
    char buf[160];
    if (model.is_vae()) {
      std::snprintf(buf, sizeof buf, " (recon %.4f + %.3g x KL %.4f)", st.recon, st.beta, st.kl);
      parts = buf;
    } else if (st.penalty > 0) {
      std::snprintf(buf, sizeof buf, " (recon %.6f + penalty %.6f)", st.recon, st.penalty);
      parts = buf;
    }
    std::printf("epoch %d/%lld  train loss %.6f%s  val loss %.6f  %.2f s  %s samples/s\n", epoch,
                static_cast<long long>(cfg.train.epochs), st.total,
                parts.c_str(), val.loss, st.seconds, format_count(st.samples / st.seconds).c_str());
    std::fflush(stdout);
    run::save_checkpoint(ckpt_path, cfg.to_json(), model, *optimizer, state);
    write_metrics_csv(opt.out_dir + "/metrics.csv", state.history);
    result.seconds += st.seconds;
    if (opt.on_epoch) opt.on_epoch(epoch, st.total, val.loss);
  }
  model.set_rng(nullptr);
  run::save_weights(opt.out_dir + "/model.safetensors", model);
  if (!state.history.empty()) {
    result.train_loss = state.history.back()["train_loss"];
    result.val_loss = state.history.back()["val_loss"];
  }
  result.epochs_done = state.epochs_done;
  return result;
}

}  // namespace aekit::train
