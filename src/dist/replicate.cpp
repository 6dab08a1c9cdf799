#include "dist/replicate.h"

#include <mpi.h>

#include <algorithm>
#include <climits>

#include "dist/world.h"

namespace aekit::dist {
namespace {

// MPI counts are int: send a long tensor in pieces.
constexpr int64_t kChunk = INT_MAX / 2;

}  // namespace

void broadcast_tensors(const std::vector<Tensor*>& tensors) {
  if (size() == 1) return;
  for (Tensor* t : tensors)
    for (int64_t off = 0; off < t->size(); off += kChunk)
      MPI_Bcast(t->data() + off, static_cast<int>(std::min(kChunk, t->size() - off)), MPI_FLOAT, 0, MPI_COMM_WORLD);
}

int64_t broadcast_int(int64_t v) {
  if (size() > 1) MPI_Bcast(&v, 1, MPI_INT64_T, 0, MPI_COMM_WORLD);
  return v;
}

std::string broadcast_string(const std::string& s) {
  if (size() == 1) return s;
  std::string out = s;
  out.resize(static_cast<size_t>(broadcast_int(static_cast<int64_t>(s.size()))));
  MPI_Bcast(out.data(), static_cast<int>(out.size()), MPI_CHAR, 0, MPI_COMM_WORLD);
  return out;
}

void allreduce_sum(std::span<double> v) {
  if (size() > 1) MPI_Allreduce(MPI_IN_PLACE, v.data(), static_cast<int>(v.size()), MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);
}

int64_t allreduce_max(int64_t v) {
  if (size() > 1) MPI_Allreduce(MPI_IN_PLACE, &v, 1, MPI_INT64_T, MPI_MAX, MPI_COMM_WORLD);
  return v;
}

}  // namespace aekit::dist
