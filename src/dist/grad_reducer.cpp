#include "dist/grad_reducer.h"

#include <algorithm>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

#include "dist/world.h"

namespace aekit::dist {

GradReducer::GradReducer(std::vector<std::vector<nn::Param>> groups, std::vector<Tensor*> state, int64_t cap_bytes)
    : groups_(std::move(groups)), state_(std::move(state)) {
  if (const char* mb = std::getenv("AEKIT_DIST_BUCKET_MB")) cap_bytes = static_cast<int64_t>(std::atof(mb) * 1048576.0);
  const int64_t cap = std::max<int64_t>(1, cap_bytes / static_cast<int64_t>(sizeof(float)));
  std::vector<int64_t> sizes;
  for (const auto& g : groups_) {
    int64_t n = 0;
    for (const nn::Param& p : g) n += p.value->size();
    sizes.push_back(n);
  }
  buckets_ = plan_buckets(sizes, cap);
  bucket_of_.resize(groups_.size());
  for (size_t b = 0; b < buckets_.size(); ++b) {
    if (buckets_[b].values > INT_MAX) throw std::runtime_error("allreduce bucket over 2^31 values: lower AEKIT_DIST_BUCKET_MB");
    for (size_t g = buckets_[b].first; g < buckets_[b].end; ++g) bucket_of_[g] = b;
    buffers_.emplace_back(static_cast<size_t>(buckets_[b].values));
  }
  int64_t state_values = 0;
  for (Tensor* t : state_) state_values += t->size();
  buffers_.emplace_back(static_cast<size_t>(state_values));  // the state's "bucket", last
  const size_t n = buffers_.size();
  requests_.assign(n, MPI_REQUEST_NULL);
  pending_.assign(buckets_.size(), 0);
  launched_.resize(n);
  done_.resize(n);
  is_launched_.assign(n, false);
  is_done_.assign(n, false);
  int64_t values = 0;
  for (const auto& buf : buffers_) values += static_cast<int64_t>(buf.size());
  summary_.bytes_per_step = values * static_cast<int64_t>(sizeof(float));
  if (const char* dir = std::getenv("AEKIT_DIST_TRACE")) {
    const std::string path = std::string(dir) + "/trace-rank" + std::to_string(rank()) + ".csv";
    trace_ = std::fopen(path.c_str(), "w");
    if (!trace_) throw std::runtime_error("AEKIT_DIST_TRACE: cannot write " + path);
    std::fprintf(trace_, "step,bucket,bytes,launch_s,done_s,backward_end_s\n");
  }
}

GradReducer::~GradReducer() {
  for (MPI_Request& r : requests_)
    if (r != MPI_REQUEST_NULL) MPI_Wait(&r, MPI_STATUS_IGNORE);
  if (trace_) std::fclose(trace_);
}

void GradReducer::begin_step(int64_t local, int64_t global) {
  weight_ = global > 0 ? static_cast<float>(static_cast<double>(local) / static_cast<double>(global)) : 0.0f;
  step_start_ = Clock::now();
  for (size_t b = 0; b < buckets_.size(); ++b) pending_[b] = buckets_[b].end - buckets_[b].first;
  std::fill(is_launched_.begin(), is_launched_.end(), false);
  std::fill(is_done_.begin(), is_done_.end(), false);
}

void GradReducer::launch(size_t b) {
  std::vector<float>& buf = buffers_[b];
  float* out = buf.data();
  const float w = weight_;
  auto pack = [&](const Tensor& t) {
    const float* s = t.data();
    const int64_t n = t.size();
    // A rank without samples this step sends zeros, whatever its grad buffers hold.
    if (w == 0.0f)
      std::memset(out, 0, static_cast<size_t>(n) * sizeof(float));
    else
      for (int64_t i = 0; i < n; ++i) out[i] = s[i] * w;
    out += n;
  };
  if (b < buckets_.size()) {
    for (size_t g = buckets_[b].first; g < buckets_[b].end; ++g)
      for (const nn::Param& p : groups_[g]) pack(*p.grad);
  } else {
    // Running statistics weigh by the same share: their average over the ranks that trained
    // this step (a rank without samples did not move them and adds nothing).
    for (Tensor* t : state_) pack(*t);
  }
  launched_[b] = Clock::now();
  is_launched_[b] = true;
  if (buf.empty()) {  // no state tensors (no batch norm): nothing to send
    done_[b] = launched_[b];
    is_done_[b] = true;
    return;
  }
  MPI_Iallreduce(MPI_IN_PLACE, buf.data(), static_cast<int>(buf.size()), MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD,
                 &requests_[b]);
}

void GradReducer::poll() {
  for (size_t b = 0; b < requests_.size(); ++b) {
    if (!is_launched_[b] || is_done_[b]) continue;
    int flag = 0;
    MPI_Test(&requests_[b], &flag, MPI_STATUS_IGNORE);
    if (flag) {
      done_[b] = Clock::now();
      is_done_[b] = true;
    }
  }
}

void GradReducer::group_ready(size_t g) {
  if (g >= groups_.size()) return;
  const size_t b = bucket_of_[g];
  if (pending_[b] > 0 && --pending_[b] == 0 && !is_launched_[b]) launch(b);
  poll();
}

double GradReducer::since_step(Clock::time_point t) const {
  return std::chrono::duration<double>(t - step_start_).count();
}

void GradReducer::finish_step() {
  const Clock::time_point backward_end = Clock::now();
  poll();
  // Buckets whose hook never fired (no samples this step, or layers backward skipped) go now,
  // in plan order like everywhere else.
  for (size_t b = 0; b < buffers_.size(); ++b)
    if (!is_launched_[b]) launch(b);
  const Clock::time_point wait_start = Clock::now();
  for (size_t b = 0; b < buffers_.size(); ++b) {
    if (is_done_[b]) continue;
    MPI_Wait(&requests_[b], MPI_STATUS_IGNORE);
    done_[b] = Clock::now();
    is_done_[b] = true;
  }
  summary_.wait_seconds += std::chrono::duration<double>(Clock::now() - wait_start).count();
  for (size_t b = 0; b < buffers_.size(); ++b) {
    const double comm = std::chrono::duration<double>(done_[b] - launched_[b]).count();
    const double hidden =
        std::max(0.0, std::chrono::duration<double>(std::min(done_[b], backward_end) - launched_[b]).count());
    summary_.comm_seconds += comm;
    summary_.hidden_seconds += hidden;
    if (trace_)
      std::fprintf(trace_, "%lld,%zu,%zu,%.6f,%.6f,%.6f\n", static_cast<long long>(step_), b,
                   buffers_[b].size() * sizeof(float), since_step(launched_[b]), since_step(done_[b]),
                   since_step(backward_end));
  }
  // Unpack: every rank now holds the same sums.
  for (size_t b = 0; b < buckets_.size(); ++b) {
    const float* in = buffers_[b].data();
    for (size_t g = buckets_[b].first; g < buckets_[b].end; ++g)
      for (const nn::Param& p : groups_[g]) {
        std::memcpy(p.grad->data(), in, static_cast<size_t>(p.grad->size()) * sizeof(float));
        in += p.grad->size();
      }
  }
  const float* in = buffers_.back().data();
  for (Tensor* t : state_) {
    std::memcpy(t->data(), in, static_cast<size_t>(t->size()) * sizeof(float));
    in += t->size();
  }
  ++step_;
  ++summary_.steps;
}

ReduceSummary GradReducer::take_summary() {
  ReduceSummary s = summary_;
  summary_ = ReduceSummary{};
  summary_.bytes_per_step = s.bytes_per_step;
  return s;
}

}  // namespace aekit::dist
