// The facade of include/aekit/aekit.h over the library's internals (run loading, the model, the
// frozen encoder, the trainer). Every internal exception leaves as aekit::Error.
#include <aekit/aekit.h>

#include <cmath>
#include <exception>
#include <filesystem>

#include "eval/anomaly_score.h"
#include "models/frozen_encoder.h"
#include "run/load_run.h"
#include "run/run_config.h"
#include "tensor/error.h"
#include "train/trainer.h"

namespace aekit {
namespace {

// Internal messages usually start with the file they are about ("runs/x/config.json: ...");
// Error keeps the file apart, so a leading copy of it is dropped from the problem.
std::string strip_prefix(const std::string& msg, const std::string& file) {
  if (!file.empty() && msg.rfind(file + ": ", 0) == 0) return msg.substr(file.size() + 2);
  return msg;
}

// Runs f, turning any exception into Error about `file`.
template <class F>
auto guarded(const std::string& file, F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const Error&) {
    throw;
  } catch (const std::exception& e) {
    throw Error(file, strip_prefix(e.what(), file));
  }
}

void check_batch(std::span<const float> x, int64_t batch, int64_t per_sample, const char* what) {
  if (batch < 1) throw Error(what, "batch must be at least 1, got " + std::to_string(batch));
  if (static_cast<int64_t>(x.size()) != batch * per_sample)
    throw Error(what, "expected " + std::to_string(batch) + " x " + std::to_string(per_sample) + " = " +
                          std::to_string(batch * per_sample) + " floats, got " + std::to_string(x.size()));
  for (float v : x)
    if (!std::isfinite(v)) throw Error(what, "the input holds a NaN or infinite value");
}

Tensor batch_tensor(std::span<const float> x, int64_t batch, const Shape& sample) {
  Shape s{batch};
  s.insert(s.end(), sample.begin(), sample.end());
  Tensor t(s);
  std::copy(x.begin(), x.end(), t.data());
  return t;
}

}  // namespace

std::string version() { return AEKIT_VERSION_STRING; }

Error::Error(std::string file, std::string problem)
    : std::runtime_error(file.empty() ? problem : file + ": " + problem), file_(std::move(file)),
      problem_(std::move(problem)) {}

struct Model::Impl {
  run::LoadedRun run;
  std::string dir;
};

struct Encoder::Impl {
  Impl(models::Autoencoder& m, kernels::Precision p) : frozen(m, p) {}
  models::FrozenEncoder frozen;
};

Model::Model(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Model::Model(Model&&) noexcept = default;
Model& Model::operator=(Model&&) noexcept = default;
Model::~Model() = default;

Model Model::load(const std::string& run_dir) {
  return guarded(run_dir, [&] {
    auto impl = std::make_unique<Impl>();
    impl->run = run::load_run(run_dir);
    impl->dir = run_dir;
    return Model(std::move(impl));
  });
}

std::vector<int64_t> Model::input_shape() const { return impl_->run.model->input_shape(); }
int64_t Model::input_size() const { return numel(impl_->run.model->input_shape()); }
int64_t Model::code_size() const { return numel(impl_->run.model->code_shape()); }
bool Model::is_vae() const { return impl_->run.model->is_vae(); }

std::vector<float> Model::encode(std::span<const float> x, int64_t batch) {
  check_batch(x, batch, input_size(), "encode");
  return guarded(impl_->dir, [&] {
    return impl_->run.model->encode(batch_tensor(x, batch, impl_->run.model->input_shape())).to_vector();
  });
}

std::vector<float> Model::decode(std::span<const float> z, int64_t batch) {
  check_batch(z, batch, code_size(), "decode");
  return guarded(impl_->dir, [&] {
    return impl_->run.model->decode(batch_tensor(z, batch, impl_->run.model->code_shape())).to_vector();
  });
}

std::vector<float> Model::reconstruct(std::span<const float> x, int64_t batch) {
  check_batch(x, batch, input_size(), "reconstruct");
  return guarded(impl_->dir, [&] {
    return impl_->run.model->reconstruct(batch_tensor(x, batch, impl_->run.model->input_shape())).to_vector();
  });
}

std::vector<float> Model::score(std::span<const float> x, int64_t batch) {
  check_batch(x, batch, input_size(), "score");
  return guarded(impl_->dir, [&] {
    models::Autoencoder& m = *impl_->run.model;
    const std::vector<double> s = eval::anomaly_scores(m, batch_tensor(x, batch, m.input_shape()), "mse");
    return std::vector<float>(s.begin(), s.end());
  });
}

Encoder Model::freeze(const std::string& precision) {
  return guarded(impl_->dir, [&] {
    return Encoder(std::make_unique<Encoder::Impl>(*impl_->run.model, run::parse_precision_flag(precision)));
  });
}

Encoder::Encoder(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Encoder::Encoder(Encoder&&) noexcept = default;
Encoder& Encoder::operator=(Encoder&&) noexcept = default;
Encoder::~Encoder() = default;
int64_t Encoder::input_size() const { return impl_->frozen.input_size(); }
int64_t Encoder::code_size() const { return impl_->frozen.code_size(); }

std::span<const float> Encoder::encode(std::span<const float> x) {
  if (static_cast<int64_t>(x.size()) != input_size())
    throw Error("encode", "expected " + std::to_string(input_size()) + " floats, got " + std::to_string(x.size()));
  return {impl_->frozen.encode(x.data()), static_cast<size_t>(code_size())};
}

TrainSummary train_run(const TrainSettings& s) {
  return guarded(s.config, [&] {
    require(!s.config.empty(), "train: TrainSettings.config is empty");
    require(!s.out_dir.empty(), "train: TrainSettings.out_dir is empty");
    run::RunConfig cfg = run::load_run_config(s.config);
    if (s.epochs >= 0) run::set_epochs(cfg, s.epochs);
    if (!s.data.empty()) run::set_dataset(cfg, s.data);
    if (s.limit > 0) run::set_train_limit(cfg, s.limit);
    if (!s.precision.empty()) cfg.train.precision = run::parse_precision_flag(s.precision);
    train::TrainOptions opt;
    opt.out_dir = s.out_dir;
    opt.quiet = s.quiet;
    opt.stop = s.stop;
    const int epochs = static_cast<int>(cfg.train.epochs);
    if (s.on_epoch)
      opt.on_epoch = [&](int epoch, double train_loss, double val_loss) {
        s.on_epoch(TrainProgress{epoch, epochs, train_loss, val_loss});
      };
    const train::TrainResult r = train::train(cfg, opt);
    return TrainSummary{r.epochs_done, r.train_loss, r.val_loss, r.epochs_done < epochs};
  });
}

}  // namespace aekit
