#include "serve/model_pool.h"

#include "tensor/error.h"

namespace aekit::serve {

ModelPool::ModelPool(const std::string& run_dir, int copies, std::optional<kernels::Precision> precision) {
  require(copies >= 1, "serve: need at least one model copy, got " + std::to_string(copies));
  for (int i = 0; i < copies; ++i) {
    auto slot = std::make_unique<Slot>();
    slot->run = run::load_run(run_dir);
    if (i == 0) {
      frozen_unsupported_ = models::FrozenEncoder::unsupported(*slot->run.model);
      precision_ = kernels::usable_precision(precision.value_or(slot->run.cfg.train.precision), "serving");
    }
    if (frozen_unsupported_.empty()) slot->frozen.emplace(*slot->run.model, precision_);
    slots_.push_back(std::move(slot));
  }
}

ModelPool::Lease ModelPool::acquire() {
  const size_t n = slots_.size();
  const size_t start = next_.fetch_add(1, std::memory_order_relaxed) % n;
  for (size_t k = 0; k < n; ++k) {
    Slot* s = slots_[(start + k) % n].get();
    std::unique_lock<std::mutex> lock(s->busy, std::try_to_lock);
    if (lock.owns_lock()) return Lease(s, std::move(lock), precision_);
  }
  Slot* s = slots_[start].get();
  return Lease(s, std::unique_lock<std::mutex>(s->busy), precision_);
}

}  // namespace aekit::serve
