// aekit's stable C++ interface: load a trained run, encode / decode / reconstruct / score
// batches, encode one sample at a time, train from a config. Only standard types cross it; the
// library's internals stay behind it (this header and aekit/version.h are all that is installed).
//
//   #include <aekit/aekit.h>
//   aekit::Model model = aekit::Model::load("runs/vae");       // a folder `aekit train` wrote
//   std::vector<float> codes = model.encode(images, n);        // n samples, input_size() floats each
//   std::vector<float> again = model.decode(codes, n);
//
// Data: samples are rows of floats, row-major, one sample's values contiguous (a 28x28 image is
// 784 floats), as the model saw them in training (pixels in [0, 1]). Batches are a span of
// batch * input_size() floats; results are plain vectors.
// Errors: every failure (missing or corrupt files, bad configs, wrong sizes, NaN losses) throws
// aekit::Error, whose what() is one line naming the file (or argument) and the problem.
// Threads: one Model serves one caller at a time; give each thread its own Model or Encoder.
#pragma once
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include <aekit/version.h>

namespace aekit {

// The library's version, e.g. "0.1.0" (the one compiled in; AEKIT_VERSION_STRING is the header's).
std::string version();

// The one exception type of this interface.
class Error : public std::runtime_error {
 public:
  Error(std::string file, std::string problem);
  const std::string& file() const { return file_; }        // the file or argument at fault ("" if none)
  const std::string& problem() const { return problem_; }  // what is wrong with it
 private:
  std::string file_, problem_;
};

class Encoder;

// A trained model, loaded from a run folder (config.json + model.safetensors, or the last
// checkpoint of an unfinished run). Evaluation mode: dropout off, batch norm uses its running
// statistics, a VAE encodes to its mean and decodes without sampling.
class Model {
 public:
  static Model load(const std::string& run_dir);
  Model(Model&&) noexcept;
  Model& operator=(Model&&) noexcept;
  ~Model();

  std::vector<int64_t> input_shape() const;  // one sample, e.g. {28, 28} or {1, 28, 28}
  int64_t input_size() const;                // floats per sample
  int64_t code_size() const;                 // floats per code (a VAE's latent size)
  bool is_vae() const;

  // x holds batch * input_size() floats; returns batch * code_size() (a VAE's means mu).
  std::vector<float> encode(std::span<const float> x, int64_t batch);
  // z holds batch * code_size() floats; returns batch * input_size().
  std::vector<float> decode(std::span<const float> z, int64_t batch);
  // decode(encode(x)): batch * input_size() floats.
  std::vector<float> reconstruct(std::span<const float> x, int64_t batch);
  // Anomaly score per sample: the mean squared error between x and its reconstruction.
  std::vector<float> score(std::span<const float> x, int64_t batch);

  // The one-sample path (a service, a device): a snapshot of the encoder, faster at batch 1.
  // Dense encoders and VAEs can be frozen; throws Error naming the layer that stops it otherwise.
  // precision "bf16": weights and inputs rounded to bf16, sums in fp32 (docs/precision.md); on a
  // CPU without AVX512_BF16 it says so once on stderr and encodes in fp32.
  Encoder freeze(const std::string& precision = "fp32");

  struct Impl;

 private:
  explicit Model(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// One sample at a time; from Model::freeze(). The weights are copied at freeze time.
class Encoder {
 public:
  Encoder(Encoder&&) noexcept;
  Encoder& operator=(Encoder&&) noexcept;
  ~Encoder();
  int64_t input_size() const;
  int64_t code_size() const;
  // x: input_size() floats; the result (code_size() floats) stays valid until the next call.
  std::span<const float> encode(std::span<const float> x);

  struct Impl;

 private:
  friend class Model;
  explicit Encoder(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Training from a config file (configs/*.json), as `aekit train` does, into out_dir.
struct TrainProgress {
  int epoch = 0, epochs = 0;  // the epoch just finished (1-based) and the total
  double train_loss = 0, val_loss = 0;
};
struct TrainSettings {
  std::string config;    // the config JSON file
  std::string out_dir;   // the run folder to write
  std::string data;      // dataset folder or name overriding the config's ("" = the config's)
  int epochs = -1;       // overrides the config's when >= 0
  int64_t limit = 0;     // use only the first N training samples (0 = all)
  std::string precision;  // "fp32" or "bf16" overriding the config's train.precision ("" = the config's)
  bool quiet = true;     // no live progress line on stderr (one line per epoch still goes to stdout)
  // Called after every epoch (from the calling thread).
  std::function<void(const TrainProgress&)> on_epoch;
  // When set and true, training stops after the epoch under way; the run folder is complete
  // (its model is the last finished epoch's).
  const std::atomic<bool>* stop = nullptr;
};
struct TrainSummary {
  int epochs_done = 0;
  double train_loss = 0, val_loss = 0;
  bool stopped = false;  // ended by the stop flag before the configured epochs
};
TrainSummary train_run(const TrainSettings& settings);

}  // namespace aekit
