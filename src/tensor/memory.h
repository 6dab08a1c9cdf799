// What this machine can hold, so that a model too large for it is refused with the sizes instead of
// ending as std::bad_alloc (or the kernel's OOM killer) half-way through building it.
#pragma once
#include <cstdint>
#include <string>

#include "tensor/format.h"
#include "tensor/tensor.h"

namespace aekit {

// Physical memory and what the kernel reports as available now (MemAvailable), in bytes.
uint64_t physical_memory_bytes();
uint64_t available_memory_bytes();
// Throws InputError when one tensor of `shape` would need more than the machine's physical memory.
void check_tensor_fits(const Shape& shape);

}  // namespace aekit
