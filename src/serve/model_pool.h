// Copies of one trained model for concurrent requests. A Model (and a FrozenEncoder) serves one
// caller at a time, so the pool holds `copies` of the run's model in eval mode, each with its
// own frozen one-sample encoder when the encoder can be frozen, and lends them out one at a time.
// Every product computed under a lease runs in the pool's precision (a PrecisionScope for the
// lease's lifetime, on the borrowing thread), the frozen encoder included.
#pragma once
#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "kernels/precision.h"
#include "models/frozen_encoder.h"
#include "run/load_run.h"

namespace aekit::serve {

class ModelPool {
  struct Slot {
    run::LoadedRun run;
    std::optional<models::FrozenEncoder> frozen;
    std::mutex busy;
  };

 public:
  // Loads the run folder `copies` times (InputError as run::load_run). Products run in
  // `precision`, or without one in the run's train.precision; bf16 on a CPU without it is fp32
  // with one line on stderr (kernels::usable_precision).
  ModelPool(const std::string& run_dir, int copies, std::optional<kernels::Precision> precision = std::nullopt);

  // Exclusive use of one copy until destroyed, on the thread that acquired it.
  class Lease {
   public:
    models::Autoencoder& model() { return *slot_->run.model; }
    // The one-sample encoder, or nullptr when frozen_unsupported() is not empty.
    models::FrozenEncoder* frozen() { return slot_->frozen ? &*slot_->frozen : nullptr; }

   private:
    friend class ModelPool;
    Lease(Slot* slot, std::unique_lock<std::mutex> lock, kernels::Precision precision)
        : slot_(slot), lock_(std::move(lock)), precision_(precision, "serving") {}
    Slot* slot_;
    std::unique_lock<std::mutex> lock_;
    kernels::PrecisionScope precision_;
  };
  // A free copy if there is one, else waits for the next in turn.
  Lease acquire();

  const run::RunConfig& config() const { return slots_[0]->run.cfg; }
  const Shape& input_shape() const { return slots_[0]->run.model->input_shape(); }
  const Shape& code_shape() const { return slots_[0]->run.model->code_shape(); }
  bool is_vae() const { return slots_[0]->run.model->is_vae(); }
  const std::string& weights_path() const { return slots_[0]->run.weights_path; }
  // Why the encoder cannot be frozen ("" when it is).
  const std::string& frozen_unsupported() const { return frozen_unsupported_; }
  int copies() const { return static_cast<int>(slots_.size()); }
  kernels::Precision precision() const { return precision_; }

 private:
  std::vector<std::unique_ptr<Slot>> slots_;
  std::string frozen_unsupported_;
  kernels::Precision precision_ = kernels::Precision::fp32;
  std::atomic<unsigned> next_{0};
};

}  // namespace aekit::serve
