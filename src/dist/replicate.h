// Blocking collectives over MPI_COMM_WORLD for what is not a gradient: rank 0's start state sent
// to every rank, and epoch sums added up. All are no-ops with one rank.
#pragma once
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "tensor/tensor.h"

namespace aekit::dist {

// Overwrites each tensor with rank 0's values (same shapes on every rank).
void broadcast_tensors(const std::vector<Tensor*>& tensors);
int64_t broadcast_int(int64_t v);
std::string broadcast_string(const std::string& s);
// Sums v over ranks, in place, the same on every rank.
void allreduce_sum(std::span<double> v);
// Largest over ranks, e.g. any rank's error flag.
int64_t allreduce_max(int64_t v);

}  // namespace aekit::dist
