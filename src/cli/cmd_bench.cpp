// aekit bench Wn: the aekit side of bench/compare. Trains workload Wn for one untimed warm-up
// epoch, then one timed epoch, and prints a last line "seconds <float>" (bench/compare parses it).
// The workloads mirror bench/torch_reference.py exactly (model, data, batch, optimizer).
//
// W9 and W10 read a folder of PNG files that `aekit bench Wn --prepare` generates once
// (deterministically) under $TMPDIR/aekit-bench (default /tmp); bench/compare runs --prepare
// before the timed runs. Both sides read the same folder.
//
// bench/scaling times configs of its own the same way (`aekit bench --config FILE`), on folders
// that `aekit bench --make-images DIR --count N --side S` generates.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "cli/commands.h"
#include "data/batcher.h"
#include "data/image_cache.h"
#include "data/image_dataset.h"
#include "data/image_folder.h"
#include "data/prefetch_loader.h"
#include "draw/png.h"
#include "kernels/precision.h"
#include "kernels/matmul.h"
#include "models/frozen_encoder.h"
#include "run/run_data.h"
#include "tensor/error.h"
#include "train/progress.h"
#include "train/trainer.h"

namespace aekit::cli {
namespace {

namespace fs = std::filesystem;

// A generated folder of PNG files: `count` RGB images in `classes` class subfolders, each side
// drawn from [min_side, max_side] per image. Content: a smooth two-colour gradient, a filled
// shape (disc, rectangle or ring, by class) and mild triangular noise, so the files compress
// like simple real images rather than like pure noise.
struct GeneratedImages {
  const char* name = nullptr;  // folder name under bench_root(); nullptr: the workload reads none
  int min_side = 64, max_side = 64;
  int count = 10000, classes = 10;

  // Written into the .complete marker: a folder made with other settings is made again.
  std::string describe() const {
    std::ostringstream o;
    o << "aekit bench images v2: " << count << " RGB PNGs, " << classes << " classes, sides " << min_side << ".."
      << max_side << "\n";
    return o.str();
  }
};

std::string bench_root() {
  const char* t = std::getenv("TMPDIR");
  return std::string(t && *t ? t : "/tmp") + "/aekit-bench";
}

draw::Image generated_image(const GeneratedImages& g, int i) {
  Rng r(0xA5E1000000ull + static_cast<uint64_t>(i));
  const int cls = i % g.classes;
  const int span = g.max_side - g.min_side + 1;
  const int w = g.min_side + static_cast<int>(r.below(span)), h = g.min_side + static_cast<int>(r.below(span));
  draw::Image img = draw::make_image(w, h, 3);
  // Background: class-tinted colours at two corners, blended along a random direction.
  float c0[3], c1[3], fg[3];
  // A dark and a light end, and a saturated shape: pixels far from mid-grey, so the W10 VAE's
  // Bernoulli loss has something to learn (mid-grey everywhere leaves BCE near ln 2 whatever
  // the model does, and the VAE collapses to its prior).
  for (int c = 0; c < 3; ++c) {
    const float tint = static_cast<float>((cls * 37 + c * 71) % 90);
    c0[c] = std::clamp(tint + r.uniform(-20, 20), 0.0f, 255.0f);
    c1[c] = std::clamp(255.0f - tint + r.uniform(-20, 20), 0.0f, 255.0f);
    fg[c] = r.below(2) ? r.uniform(200, 255) : r.uniform(0, 55);
  }
  const float angle = r.uniform(0, 6.2831853f), dx = std::cos(angle), dy = std::sin(angle);
  const float cx = r.uniform(0.3f, 0.7f) * w, cy = r.uniform(0.3f, 0.7f) * h;
  const float rad = r.uniform(0.15f, 0.35f) * std::min(w, h);
  const int shape = cls % 3;  // 0 disc, 1 rectangle, 2 ring
  const float norm = std::abs(dx) * w + std::abs(dy) * h;
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      float t = ((dx > 0 ? x : x - w) * dx + (dy > 0 ? y : y - h) * dy) / norm;
      t = std::clamp(t, 0.0f, 1.0f);
      const float ex = x - cx, ey = y - cy, d2 = ex * ex + ey * ey;
      const bool in = shape == 0   ? d2 < rad * rad
                      : shape == 1 ? std::abs(ex) < rad && std::abs(ey) < 0.6f * rad
                                   : d2 < rad * rad && d2 > 0.45f * rad * rad;
      const uint64_t bits = r.next_u64();
      uint8_t* px = img.at(x, y);
      for (int c = 0; c < 3; ++c) {
        const int noise = (static_cast<int>((bits >> (8 * c)) & 15) + static_cast<int>((bits >> (8 * c + 4)) & 15) - 15) / 3;
        const float v = (in ? fg[c] : c0[c] + (c1[c] - c0[c]) * t) + noise;
        px[c] = static_cast<uint8_t>(std::clamp(v + 0.5f, 0.0f, 255.0f));
      }
    }
  }
  return img;
}

// Makes `folder` (once): generated into a temp folder beside it, marked complete, then renamed,
// so an interrupted prepare leaves nothing half-made under the final name.
void prepare_images(const GeneratedImages& g, const std::string& folder) {
  const fs::path final_dir(folder), marker = final_dir / ".complete";
  auto read_marker = [&] {
    std::ifstream in(marker);
    return std::string(std::istreambuf_iterator<char>(in), {});
  };
  if (fs::exists(marker) && read_marker() == g.describe()) {
    std::printf("%s: ready (%d images)\n", folder.c_str(), g.count);
    return;
  }
  if (fs::exists(final_dir)) {
    // Only a folder this command made (with other settings) is replaced; anything else is the user's.
    if (!fs::exists(marker))
      throw InputError(folder + " exists but was not made by `aekit bench --prepare`; remove it or pass --data");
    fs::remove_all(final_dir);
  }
  const fs::path tmp = final_dir.string() + ".tmp." + std::to_string(::getpid());
  fs::remove_all(tmp);
  try {
    for (int c = 0; c < g.classes; ++c) fs::create_directories(tmp / ("class_" + std::to_string(c)));
    const auto t0 = std::chrono::steady_clock::now();
    const int workers = std::max(1u, std::min(4u, std::thread::hardware_concurrency()));
    std::vector<std::thread> pool;
    std::vector<std::exception_ptr> errors(workers);
    for (int k = 0; k < workers; ++k)
      pool.emplace_back([&, k] {
        try {
          for (int i = k; i < g.count; i += workers) {
            char name[32];
            std::snprintf(name, sizeof name, "img_%05d.png", i);
            draw::write_png((tmp / ("class_" + std::to_string(i % g.classes)) / name).string(), generated_image(g, i));
          }
        } catch (...) {
          errors[k] = std::current_exception();
        }
      });
    for (auto& t : pool) t.join();
    for (auto& e : errors)
      if (e) std::rethrow_exception(e);
    std::ofstream(tmp / ".complete") << g.describe();
    fs::rename(tmp, final_dir);
    std::printf("%s: generated %d images in %.1f s\n", folder.c_str(), g.count,
                std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  } catch (...) {
    std::error_code ec;
    fs::remove_all(tmp, ec);
    throw;
  }
}

void require_prepared(const std::string& folder, const std::string& workload) {
  if (!fs::exists(fs::path(folder) / ".complete"))
    throw InputError(folder + ": no complete benchmark image folder; run `aekit bench " + workload +
                     " --prepare` first (bench/compare does)");
}

// A fresh folder for an image cache, removed with everything in it when this goes out of scope.
struct TempDir {
  std::string path;
  explicit TempDir(const std::string& tag)
      : path(bench_root() + "/" + tag + "-cache." + std::to_string(::getpid())) {
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
};

// Every workload is a shipped config (so the benchmark cannot drift from what users train), with
// the few changes a one-epoch timing needs spelled out in `adjust`.
struct Workload {
  const char* what;
  const char* config;                             // relative to the project
  std::function<void(run::RunConfig&)> adjust{};  // e.g. another dataset
  bool latency = false;                           // time batch-1 encodes instead of a training epoch
  Shape random_data{};  // train on N(0,1) data of this shape instead of the config's dataset
  GeneratedImages images{};  // W9, W10: the folder `--prepare` makes (data.path points at it)
  bool pipeline = false;     // W9: time the input pipeline alone (no model)
};

// W9, W10: the config reads the generated folder, every image in the training split.
void use_generated(run::RunConfig& c, const char* name) {
  c.data.path = bench_root() + "/" + name;
  c.data.test_fraction = 0;
}

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
      {"W9",
       {"input pipeline alone: scan a folder of 10000 RGB PNGs (72..120 px a side, 10 class folders), decode + "
        "resize fit-crop to 64x64 into a fresh uint8 cache (configs/conv_vae_rgb64.json's preprocessing, 2 OpenMP "
        "decode threads), then every shuffled batch of 64 through data::PrefetchLoader as float [64,3,64,64] /255, "
        "summed",
        "configs/conv_vae_rgb64.json", [](run::RunConfig& c) { use_generated(c, "w9-images"); }, false, {},
        {"w9-images", 72, 120}, true}},
      {"W10",
       {"colour conv VAE (configs/conv_vae_rgb64.json), BCE sum + KL, Adam 1e-3 (keras epsilon), batch 64, one epoch "
        "of 10000 64x64 RGB PNGs read from the folder's memory-mapped uint8 cache (built before the warm-up epoch) "
        "through the trainer's prefetch thread",
        "configs/conv_vae_rgb64.json", [](run::RunConfig& c) { use_generated(c, "w10-images"); }, false, {},
        {"w10-images", 64, 64}}},
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

// W9's timed pass: scan, build a fresh cache (decode + resize), read every shuffled batch.
struct PipelinePass {
  double seconds = 0, sum = 0;
  int64_t images = 0;
};
PipelinePass pipeline_pass(const run::RunConfig& cfg, Rng& shuffle_rng) {
  const data::ImagePreprocess pre = run::image_preprocess(cfg, {});
  TempDir cache_dir("w9");
  PipelinePass p;
  const auto t0 = std::chrono::steady_clock::now();
  {
    data::ImageFolderOptions split;
    split.test_fraction = 0;
    const data::ImageFolderScan scan = data::scan_image_folder(cfg.data.path, split);
    data::CacheBuildOptions build;
    build.quiet = true;
    build.threads = 2;  // as the PyTorch side's num_workers
    const data::ImageCache cache = data::ImageCache::build_or_open(scan.train, pre, cache_dir.path + "/train.u8", build);
    data::Batcher batcher(cache.size(), cfg.train.batch_size, /*shuffle=*/true);
    batcher.start_epoch(shuffle_rng);
    data::PrefetchLoader loader(cache);
    loader.start_epoch(batcher);
    Tensor xb;
    while (loader.next(xb)) {
      // Every value read, so nothing is optimised away; in 16 independent lanes, so the sum
      // vectorises as PyTorch's x.sum() does on the other side (one chain of double additions
      // cost this side ~4 % of the pass).
      double lanes[16] = {};
      const float* v = xb.data();
      const int64_t n = xb.size();
      int64_t i = 0;
      for (; i + 16 <= n; i += 16)
        for (int k = 0; k < 16; ++k) lanes[k] += v[i + k];
      for (; i < n; ++i) lanes[0] += v[i];
      for (double l : lanes) p.sum += l;
      p.images += xb.dim(0);
    }
  }
  p.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return p;
}

}  // namespace

void add_bench(CLI::App& app) {
  auto* cmd = app.add_subcommand("bench", "Time one training epoch of a benchmark workload (see bench/)");
  auto name = std::make_shared<std::string>();
  auto data = std::make_shared<std::string>();
  auto config = std::make_shared<std::string>();
  auto make_images = std::make_shared<std::string>();
  auto count = std::make_shared<int>(10000);
  auto side = std::make_shared<int>(64);
  auto prepare = std::make_shared<bool>(false);
  auto precision = std::make_shared<std::string>();
  cmd->add_option("workload", *name, "Workload id, e.g. W1");
  cmd->add_option("--precision", *precision, "fp32 or bf16 products, overriding the workload config's");
  cmd->add_option("--config", *config,
                  "Time one epoch of this config instead of a workload (bench/scaling): IDX images (the training "
                  "split as uint8 in memory) or an image folder (its cache built first, untimed, in a temp folder)");
  cmd->add_option("--data", *data, "Dataset folder overriding the workload's");
  cmd->add_flag("--prepare", *prepare,
                "Generate the workload's image folder (W9, W10) under $TMPDIR/aekit-bench if not already "
                "there, then exit; other workloads have nothing to prepare");
  cmd->add_option("--make-images", *make_images,
                  "Generate a folder of --count PNG files of --side pixels (as W9/W10's, 10 class folders) if not "
                  "already there, then exit");
  cmd->add_option("--count", *count, "Images for --make-images (default 10000)")->check(CLI::Range(10, 100000000));
  cmd->add_option("--side", *side, "Side in pixels for --make-images (default 64)")->check(CLI::Range(8, 4096));
  cmd->callback([name, data, config, make_images, count, side, prepare, precision] {
    if (!make_images->empty()) {
      GeneratedImages g;
      g.min_side = g.max_side = *side;
      g.count = *count;
      prepare_images(g, *make_images);
      return;
    }
    require(name->empty() != config->empty(), "bench: name a workload (e.g. W1) or give --config FILE, one of the two");
    static const Workload kConfig{};  // --config: no workload's extras
    const Workload* work = &kConfig;
    run::RunConfig cfg;
    if (config->empty()) {
      auto it = workloads().find(*name);
      if (it == workloads().end()) {
        std::string known;
        for (const auto& [k, v] : workloads()) known += (known.empty() ? "" : ", ") + k;
        throw InputError("bench: unknown workload '" + *name + "' (known: " + known + ")");
      }
      work = &it->second;
      cfg = run::load_run_config(data::vendored_path(std::string("../") + work->config));
      if (work->adjust) work->adjust(cfg);
    } else {
      cfg = run::load_run_config(*config);
      require(cfg.data.kind == "images", *config + ": bench --config takes IDX images or an image folder");
      *name = *config;
    }
    const std::string what = work->what ? work->what : cfg.name + " (" + *config + "), one epoch";
    if (!data->empty()) run::set_dataset(cfg, *data);
    if (!precision->empty()) {
      cfg.train.precision = run::parse_precision_flag(*precision);
      if (cfg.train.precision == kernels::Precision::bf16 && work->pipeline)
        throw InputError("bench: " + *name + " computes no products; --precision bf16 applies to training and W8");
      cfg.train.precision = kernels::usable_precision(cfg.train.precision, work->latency ? "frozen encoding" : "training");
    }
    const GeneratedImages& gen = work->images;
    if (*prepare) {
      if (gen.name)
        prepare_images(gen, cfg.data.path);
      else
        std::printf("%s: nothing to prepare\n", name->c_str());
      return;
    }
    if (gen.name) require_prepared(cfg.data.path, *name);
    const char* policy = std::getenv("OMP_WAIT_POLICY");
    const char* spin = std::getenv("GOMP_SPINCOUNT");
    std::printf("%s: %s; %d threads; OpenMP waiters %s; precision %s\n", name->c_str(), what.c_str(),
                kernels::threads(), spin ? (std::string("spin ") + spin).c_str() : policy ? policy : "default",
                kernels::precision_name(cfg.train.precision));
    if (work->latency) {
      // Timed on the test images in turn (81 % of MNIST's pixels are background, which the
      // frozen encoder skips); uniform random pixels (none zero) show the dense case.
      models::Autoencoder model(cfg.model, {1, 28, 28});
      Rng init_rng(cfg.train.seed);
      model.init(init_rng);
      models::FrozenEncoder frozen(model, cfg.train.precision);  // bf16: weights and inputs in bf16
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
    if (work->pipeline) {
      Rng warm(1), timed(2);
      const PipelinePass w = pipeline_pass(cfg, warm);  // also warms the OS file cache
      const PipelinePass p = pipeline_pass(cfg, timed);
      std::printf("warm-up %.3f s; %lld images, mean value %.6f, %.0f images/s\n", w.seconds,
                  static_cast<long long>(p.images), p.sum / (static_cast<double>(p.images) * 3 * 64 * 64),
                  p.images / p.seconds);
      std::printf("seconds %.6f\n", p.seconds);
      return;
    }
    if (cfg.data.is_image_folder()) {
      // W10 and folder configs: the folder's cache is built here, before the warm-up epoch, in a
      // fresh folder that is removed afterwards; both epochs read it through the trainer's
      // prefetch thread.
      TempDir cache_dir("folder");
      cfg.data.cache_dir = cache_dir.path;
      const run::RunData rd = run::load_run_data(cfg);
      const data::ImageCache& source = rd.folder->train;
      models::Autoencoder model(cfg.model, source.sample_shape());
      Rng init_rng(cfg.train.seed);
      model.init(init_rng);
      auto opt = nn::make_optimizer(cfg.train.optimizer);
      Rng warm(1), timed(2), layer_rng(3);
      model.set_rng(&layer_rng);
      train::train_epoch(model, *opt, cfg, source, warm, nullptr, 1);
      const train::EpochStats st = train::train_epoch(model, *opt, cfg, source, timed, nullptr, 2);
      const double gflops = model.flops_per_sample() * 3 * st.samples / st.seconds / 1e9;
      std::printf("%lld images; loss %.3f (recon %.3f, kl %.3f)  %.0f samples/s  ~%.0f GFLOP/s\n",
                  static_cast<long long>(st.samples), st.total, st.recon, st.kl, st.samples / st.seconds, gflops);
      std::printf("seconds %.6f\n", st.seconds);
      return;
    }
    // W7 trains on random floats; the image sets stay as pixel bytes, as `aekit train` keeps them.
    Tensor sequences;
    data::PixelSet pixels;
    if (!work->random_data.empty()) {
      sequences = Tensor(work->random_data);
      Rng r(11);
      for (float& v : sequences) v = r.normal();
    } else {
      pixels = data::load_pixel_split(data::resolve_dataset_dir(cfg.data.dataset), "train");
      if (cfg.data.train_limit) pixels = data::take(pixels, cfg.data.train_limit);  // bench/scaling's smoke test
    }
    const data::TensorSource sequence_source(sequences);
    const data::SampleSource& source =
        sequences.empty() ? static_cast<const data::SampleSource&>(pixels.x) : sequence_source;
    models::Autoencoder model(cfg.model, source.sample_shape());
    Rng init_rng(cfg.train.seed);
    model.init(init_rng);
    auto opt = nn::make_optimizer(cfg.train.optimizer);
    Rng warm(1), timed(2), layer_rng(3);
    model.set_rng(&layer_rng);
    const data::NoiseSpec noise = cfg.data.noise;
    train::train_epoch(model, *opt, cfg, source, warm, nullptr, 1, noise);
    train::EpochStats st = train::train_epoch(model, *opt, cfg, source, timed, nullptr, 2, noise);
    // Forward + weight gradients + input gradients except the first layer's: ~3x forward.
    const double gflops = model.flops_per_sample() * 3 * st.samples / st.seconds / 1e9;
    std::printf("loss %.6f  %.0f samples/s  ~%.0f GFLOP/s\n", st.recon, st.samples / st.seconds, gflops);
    std::printf("seconds %.6f\n", st.seconds);
  });
}

}  // namespace aekit::cli
