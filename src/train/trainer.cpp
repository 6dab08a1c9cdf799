#include "train/trainer.h"

#include <chrono>
#include <cstdlib>
#include <cmath>
#include <cstdio>
#include <optional>
#include <sstream>

#include "data/batcher.h"
#include "data/prefetch_loader.h"
#include "data/sample_source.h"
#include "data/noise.h"
#include "dist/replicate.h"
#include "dist/shard.h"
#include "dist/world.h"
#include "eval/evaluate.h"
#include "io/atomic_file.h"
#include "io/writable_dir.h"
#include "kernels/matmul.h"
#include "kernels/precision.h"
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
  std::printf("optimizer %s; batch %lld; %lld epochs; seed %llu; %d threads; precision %s\n", opt.describe().c_str(),
              static_cast<long long>(cfg.train.batch_size), static_cast<long long>(cfg.train.epochs),
              static_cast<unsigned long long>(cfg.train.seed), kernels::threads(),
              cfg.train.precision == kernels::Precision::bf16
                  ? "bf16 (products in bf16 with fp32 accumulation; weights, optimizer state and losses fp32)"
                  : "fp32");
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
                       const data::NoiseSpec& noise, dist::GradReducer* reducer) {
  const kernels::PrecisionScope precision(cfg.train.precision, "training");
  auto params = model.params();
  const run::BetaSchedule schedule = cfg.train.schedule();
  const int world = reducer ? dist::size() : 1, rank = reducer ? dist::rank() : 0;
  const bool parallel = world > 1;
  // Data-parallel: the batcher cuts global batches of world x batch_size from the one order every
  // rank draws; this rank trains on its strided part of each (dist/shard.h).
  data::Batcher batcher(source.size(), cfg.train.batch_size * world, /*shuffle=*/true);
  batcher.start_epoch(shuffle_rng);
  std::vector<std::vector<int64_t>> parts;
  if (parallel)
    for (int64_t b = 0; b < batcher.batches(); ++b) parts.push_back(dist::strided_part(batcher.batch_indices(b), rank, world));
  // Samples already in memory are gathered in place; a memory-mapped cache's next batches are
  // read in from disk by the kernel while this one trains (data/prefetch_loader.h). Each rank
  // reads only its own part of the cache.
  const bool in_memory = source.in_memory();
  std::optional<data::PrefetchLoader> loader;
  if (!in_memory) {
    loader.emplace(source);
    if (parallel) {
      // Only a tail step can leave a rank empty: those are not read.
      std::vector<std::vector<int64_t>> reads;
      for (const auto& p : parts)
        if (!p.empty()) reads.push_back(p);
      loader->start_epoch(std::move(reads));
    } else {
      loader->start_epoch(batcher);
    }
  }
  if (progress) progress->start_epoch(epoch);
  const auto t0 = std::chrono::steady_clock::now();
  Tensor xb, noisy;
  // Input noise: each rank its own stream, from (seed, epoch, rank); rank 0's is the one process's.
  Rng noise_rng = Rng(cfg.train.seed).fork(kNoiseStream + epoch);
  if (rank > 0) noise_rng = noise_rng.fork(static_cast<uint64_t>(rank));
  double sums[5] = {0, 0, 0, 0, 0};  // recon, kl, penalty, total (sample-weighted), samples
  EpochStats st;
  for (int64_t b = 0; b < batcher.batches(); ++b) {
    if (model.is_vae())
      model.set_beta(schedule.at(model.config_beta(), (epoch - 1) + static_cast<double>(b) / batcher.batches()));
    const auto global_idx = batcher.batch_indices(b);
    const std::span<const int64_t> idx = parallel ? std::span<const int64_t>(parts[b]) : global_idx;
    const int64_t bs = static_cast<int64_t>(idx.size());
    if (parallel) {
      model.set_row_shard(rank, world, static_cast<int64_t>(global_idx.size()));
      reducer->begin_step(bs, static_cast<int64_t>(global_idx.size()));
    }
    models::StepLoss l;
    if (bs > 0) {
      if (loader)
        loader->next(xb);
      else
        source.gather(idx, xb);
      if (noise.active()) data::add_noise(xb, noisy, noise, noise_rng);
      l = model.train_step(noise.active() ? noisy : xb, xb);
      if (!std::isfinite(l.total()))
        throw std::runtime_error("epoch " + std::to_string(epoch) + " step " + std::to_string(b + 1) + ": loss is " +
                                 std::to_string(l.total()) +
                                 "; training stopped, the checkpoint of the last finished epoch is kept");
    }
    // Every rank now holds the gradient of the mean loss over the global batch.
    if (parallel) reducer->finish_step();
    if (cfg.train.clip_global_norm > 0) nn::clip_global_norm(params, cfg.train.clip_global_norm);
    if (cfg.train.clip_per_tensor_norm > 0) nn::clip_per_tensor_norm(params, cfg.train.clip_per_tensor_norm);
    opt.step(params);
    sums[0] += l.recon * bs;
    sums[1] += l.kl * bs;
    sums[2] += l.penalty * bs;
    sums[3] += l.total() * bs;
    sums[4] += bs;
    if (bs > 0) st.beta = l.beta;
    if (progress) progress->step(b + 1, sums[3] / sums[4], static_cast<int64_t>(sums[4]) * world);
  }
  if (parallel) {
    model.set_row_shard(0, 1, 0);  // validation samples its own batches
    dist::allreduce_sum(sums);
  }
  st.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (progress) progress->end_epoch();
  const int64_t seen = static_cast<int64_t>(sums[4]);
  st.recon = sums[0] / seen;
  st.kl = sums[1] / seen;
  st.penalty = sums[2] / seen;
  st.total = sums[3] / seen;
  st.samples = seen;
  return st;
}

namespace {

// Validation over a memory-mapped split, one training batch at a time, so a folder's test split
// never sits in memory whole: each chunk's means weighted by its size (the VAE's sampling seed
// moves on per chunk). The training batch, not the 1000 of in-memory validation nor a fixed 256:
// every layer's kernels are already planned for it, so validation adds no buffers and peak memory
// does not depend on the test split's size (chunks of 256 and their tail planned every layer
// twice more: 111 MB more peak on 250,000 64x64x3 images, heaptrack; docs/own-data.md).
eval::SplitLoss streamed_split_loss(models::Autoencoder& model, const data::SampleSource& source, uint64_t seed,
                                    int64_t chunk) {
  eval::SplitLoss total;
  const int64_t n = source.size();
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
  // Training and validation compute in the config's precision, or in fp32 where the CPU has no
  // bf16; the run folder's config records the one that ran.
  const kernels::PrecisionScope precision(cfg.train.precision, "training");
  cfg.train.precision = precision.active();
  // Data-parallel (mpirun -np N): rank 0 alone writes the run folder and prints; every rank
  // trains (docs/distributed.md).
  const int world = dist::size(), rank = dist::rank();
  const bool lead = rank == 0;
  // Everything that can be checked without the data comes first: the model against the data's
  // shape (from its header), its memory, the run folder. Then the data is loaded.
  const Shape in_shape = run::sample_shape(cfg);
  std::unique_ptr<models::Autoencoder> model_ptr = run::make_model(cfg, in_shape);
  models::Autoencoder& model = *model_ptr;
  run::check_training_memory(cfg, model);
  if (lead) {
    io::make_dirs(opt.out_dir);
    io::check_writable_dir(opt.out_dir);
  }
  run::RunData data = run::load_training_data(cfg);
  // An image folder trains from its memory-mapped caches, an IDX image set from its pixel bytes,
  // every other source from floats in memory. data.train_limit / test_limit (--limit) keep the
  // first samples of a folder's caches.
  std::optional<data::TensorSource> train_in_memory;
  std::optional<data::PrefixSource> train_prefix, test_prefix;
  const data::SampleSource& train_samples =
      data.folder         ? train_prefix.emplace(data.folder->train, cfg.data.train_limit ? cfg.data.train_limit : data.folder->train.size())
      : data.train_pixels ? static_cast<const data::SampleSource&>(data.train_pixels->x)
                          : train_in_memory.emplace(data.train.x);
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
  std::optional<run::RunFolderLock> folder_lock;
  if (lead) folder_lock.emplace(opt.out_dir);
  run::TrainState state;
  if (opt.resume && lead) {
    state = run::load_checkpoint(ckpt_path, params, *optimizer);
    std::printf("resuming %s after epoch %d\n", ckpt_path.c_str(), state.epochs_done);
  } else if (opt.resume) {
    // The state comes from rank 0 below; the moment tensors must exist to receive it.
    optimizer->state(params);
  } else if (!lead) {
    optimizer->state(params);
  } else {
    Rng init_rng = Rng(cfg.train.seed).fork(kInitStream);
    model.init(init_rng);
    if (cfg.train.pretrain_epochs() > 0) {
      require(!data.folder, cfg.source + ": greedy pretraining reads the training split from memory; not available for image folders");
      pretrain_greedy(model, cfg, data.train_pixels ? data.train_pixels->x.to_tensor() : data.train.x,
                      cfg.train.pretrain_epochs());
    }
  }
  // Every rank starts from rank 0's parameters, running statistics and optimizer state (fresh,
  // pretrained or resumed), and from its epoch count.
  std::optional<dist::GradReducer> reducer;
  if (world > 1) {
    std::vector<Tensor*> start;
    for (const nn::Param& p : params) start.push_back(p.value);
    if (lead && !opt.resume) optimizer->state(params);  // moments exist (zero) on every rank
    for (auto& [name, t] : optimizer->state(params)) start.push_back(t);
    dist::broadcast_tensors(start);
    optimizer->set_steps(dist::broadcast_int(optimizer->steps()));
    state.epochs_done = static_cast<int>(dist::broadcast_int(state.epochs_done));
    std::vector<Tensor*> running;
    for (const nn::Param& p : params)
      if (!p.grad) running.push_back(p.value);
    reducer.emplace(model.grad_groups(), running, int64_t{1} << 20);
    model.set_grad_ready([&r = *reducer](size_t g) { r.group_ready(g); });
  }
  if (lead) {
    io::make_dirs(opt.out_dir);
    io::write_file_atomic(opt.out_dir + "/config.json", cfg.to_json().dump(2) + "\n");
    if (data.scaler) io::write_file_atomic(opt.out_dir + "/scaler.json", data.scaler->to_json().dump(2) + "\n");
    // Image folders: which files trained and tested, the classes, the preprocessing, what was skipped.
    if (data.folder) io::write_file_atomic(opt.out_dir + "/images.json", data.folder->record_text(data.folder_source));
    // Sentence runs keep their vocabulary, table and splits, so embed / similar / the cosine
    // report work from the folder alone (also on a checkpoint of an unfinished run).
    if (data.text) run::save_sentence_run(opt.out_dir, *data.text);
    print_summary(cfg, model, *optimizer, data, train_samples.size(), test_cache ? test_cache->size() : data.test.size());
    if (world > 1)
      std::printf("data-parallel: %d ranks x batch %lld = global batch %lld; gradients averaged in %zu buckets "
                  "(%.2f MB per step); batch norm statistics per rank\n",
                  world, static_cast<long long>(cfg.train.batch_size), static_cast<long long>(cfg.train.batch_size * world),
                  reducer->buckets().size(), reducer->take_summary().bytes_per_step / 1048576.0);
  }
  // Denoising: validate on a fixed corruption of the test inputs against the clean images.
  Tensor noisy_test;
  if (data.noise.active() && data.folder) {
    if (lead) std::printf("inputs corrupted in training only: an image folder validates on clean inputs\n");
  } else if (data.noise.active()) {
    noisy_test = run::noisy_test_inputs(data);
    if (lead) std::printf("inputs corrupted: x + %g + %g * N(0,1)%s; targets clean\n", data.noise.mean, data.noise.std,
                data.noise.clip.empty() ? ""
                                        : (", clipped to [" + std::to_string(data.noise.clip[0]) + ", " +
                                           std::to_string(data.noise.clip[1]) + "]").c_str());
  }

  const int64_t global_batch = cfg.train.batch_size * world;
  Progress progress(cfg.train.epochs, (train_samples.size() + global_batch - 1) / global_batch, opt.quiet);
  TrainResult result;
  // Rank 0's stop flag ends every rank at the same epoch.
  auto stopping = [&] { return dist::broadcast_int(opt.stop && *opt.stop) != 0; };
  for (int epoch = state.epochs_done + 1; epoch <= cfg.train.epochs && !stopping(); ++epoch) {
    Rng shuffle_rng = Rng(cfg.train.seed).fork(kShuffleStream + epoch);
    Rng layer_rng = Rng(cfg.train.seed).fork(kLayerStream + epoch);
    // Data-parallel: dropout draws from a stream of (seed, epoch, rank); the VAE's sampling from
    // the shared (seed, epoch) stream, each rank keeping its rows of the global batch (so N
    // ranks sample what one process at N x batch would).
    Rng rank_rng = layer_rng.fork(static_cast<uint64_t>(rank) + 1);
    model.set_rng(world > 1 ? &rank_rng : &layer_rng);
    model.set_sample_rng(&layer_rng);
    EpochStats st = train_epoch(model, *optimizer, cfg, train_samples, shuffle_rng, lead ? &progress : nullptr, epoch,
                                data.noise, reducer ? &*reducer : nullptr);
    if (!lead) {
      state.epochs_done = epoch;
      continue;
    }
    const uint64_t eval_seed = Rng(cfg.train.seed).fork(kEvalStream + epoch).next_u64();
    eval::SplitLoss val = test_cache ? streamed_split_loss(model, *test_cache, eval_seed, cfg.train.batch_size)
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
    if (reducer) {
      const dist::ReduceSummary r = reducer->take_summary();
      std::printf("allreduce: %.2f MB per step, %lld steps; %.0f%% of %.3f s in flight hidden behind backward, %.3f s waited\n",
                  r.bytes_per_step / 1048576.0, static_cast<long long>(r.steps), 100 * r.hidden_fraction(),
                  r.comm_seconds, r.wait_seconds);
      std::fflush(stdout);
    }
    if (opt.on_epoch) opt.on_epoch(epoch, st.total, val.loss);
  }
  model.set_rng(nullptr);
  model.set_sample_rng(nullptr);
  model.set_grad_ready({});
  // Tests of the data-parallel run compare every rank's parameters (tests/dist).
  if (const char* dir = std::getenv("AEKIT_DIST_DUMP_PARAMS"))
    run::save_weights(std::string(dir) + "/rank" + std::to_string(rank) + ".safetensors", model);
  result.epochs_done = state.epochs_done;
  if (!lead) return result;
  run::save_weights(opt.out_dir + "/model.safetensors", model);
  if (!state.history.empty()) {
    result.train_loss = state.history.back()["train_loss"];
    result.val_loss = state.history.back()["val_loss"];
  }
  return result;
}

}  // namespace aekit::train
