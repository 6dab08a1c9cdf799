#include "data/png_common_case.h"

#include <isa-l/igzip_lib.h>
#include <zlib.h>

#include <cstdlib>
#include <cstring>
#include <memory>
#include <utility>

#include "data/byte_order.h"

namespace aekit::data {
namespace {

bool is(const uint8_t* type, const char* name) { return std::memcmp(type, name, 4) == 0; }

// The chunk's CRC over its type and data (zlib's crc32; ~2 % of a decode).
bool crc_ok(const uint8_t* chunk, uint32_t len) {
  const auto crc = static_cast<uint32_t>(crc32(0, chunk + 4, len + 4));
  return crc == read_be32(chunk + 8 + len);
}

// One row's filter undone in place; prev is the row above, already undone (nullptr: none). BPP
// (bytes per pixel) is a template argument: Up vectorises, and Sub, Average and Paeth, whose each
// pixel needs the one to its left, carry that pixel in registers (a) with the one above it (c), so
// the chain from pixel to pixel runs through no memory. The first version, a byte loop reading the
// left pixel back from the row, cost more than ISA-L's inflate on W9's images.
template <int BPP>
bool unfilter(int filter, uint8_t* __restrict row, const uint8_t* __restrict prev, size_t stride) {
  int a[BPP] = {}, c[BPP] = {};
  if (!prev && filter >= 2) {  // the first row: the row above is zeros, Up is then None, Paeth Sub
    if (filter == 2) return true;
    if (filter == 3) {
      for (size_t x = 0; x < stride; x += BPP)
        for (int k = 0; k < BPP; ++k) row[x + k] = static_cast<uint8_t>(a[k] = (row[x + k] + (a[k] >> 1)) & 0xFF);
      return true;
    }
    if (filter != 4) return false;
    filter = 1;
  }
  switch (filter) {
    case 0:
      return true;
    case 1:
      for (size_t x = 0; x < stride; x += BPP)
#pragma GCC unroll 4
        for (int k = 0; k < BPP; ++k) row[x + k] = static_cast<uint8_t>(a[k] = (row[x + k] + a[k]) & 0xFF);
      return true;
    case 2: {
      // 16 bytes at a time in a vector type: GCC did not vectorise the byte loop once inlined.
      typedef uint8_t Bytes16 __attribute__((vector_size(16)));
      size_t i = 0;
      for (; i + 16 <= stride; i += 16) {
        Bytes16 r, p;
        std::memcpy(&r, row + i, 16);
        std::memcpy(&p, prev + i, 16);
        r += p;
        std::memcpy(row + i, &r, 16);
      }
      for (; i < stride; ++i) row[i] = static_cast<uint8_t>(row[i] + prev[i]);
      return true;
    }
    case 3:
      for (size_t x = 0; x < stride; x += BPP)
#pragma GCC unroll 4
        for (int k = 0; k < BPP; ++k) row[x + k] = static_cast<uint8_t>(a[k] = (row[x + k] + ((a[k] + prev[x + k]) >> 1)) & 0xFF);
      return true;
    case 4:
      for (size_t x = 0; x < stride; x += BPP)
#pragma GCC unroll 4
        for (int k = 0; k < BPP; ++k) {
          // p = a + b - c; |p - a| = |b - c|, |p - b| = |a - c|, |p - c| = |a + b - 2c|. The
          // choice by masks, not branches: which predictor wins is data, and mispredicted
          // branches made this loop cost more than inflating.
          const int b = prev[x + k];
          const int pa = std::abs(b - c[k]), pb = std::abs(a[k] - c[k]), pc = std::abs(a[k] + b - 2 * c[k]);
          const int take_b = -static_cast<int>(pb <= pc), take_a = -static_cast<int>((pa <= pb) & (pa <= pc));
          const int pred = (a[k] & take_a) | (((b & take_b) | (c[k] & ~take_b)) & ~take_a);
          row[x + k] = static_cast<uint8_t>(a[k] = (row[x + k] + pred) & 0xFF);
          c[k] = b;
        }
      return true;
    default:
      return false;
  }
}

bool unfilter(int filter, uint8_t* row, const uint8_t* prev, size_t stride, int bpp) {
  switch (bpp) {
    case 1: return unfilter<1>(filter, row, prev, stride);
    case 2: return unfilter<2>(filter, row, prev, stride);
    case 3: return unfilter<3>(filter, row, prev, stride);
    default: return unfilter<4>(filter, row, prev, stride);
  }
}

}  // namespace

std::optional<PngPixels> decode_common_png(const std::string& bytes, int64_t max_pixels) {
  const auto* b = reinterpret_cast<const uint8_t*>(bytes.data());
  const size_t n = bytes.size();
  if (n < 8 + 25 || std::memcmp(b, "\x89PNG\r\n\x1a\n", 8) != 0) return std::nullopt;
  // IHDR, first: 13 bytes of which only the common case is taken.
  const uint8_t* ihdr = b + 8;
  if (read_be32(ihdr) != 13 || !is(ihdr + 4, "IHDR") || !crc_ok(ihdr, 13)) return std::nullopt;
  const uint32_t w = read_be32(ihdr + 8), h = read_be32(ihdr + 12);
  const int depth = ihdr[16], colour = ihdr[17];
  if (depth != 8 || ihdr[18] != 0 || ihdr[19] != 0 || ihdr[20] != 0) return std::nullopt;
  const int channels = colour == 0 ? 1 : colour == 2 ? 3 : colour == 4 ? 2 : colour == 6 ? 4 : 0;
  if (channels == 0 || w == 0 || h == 0 || w > 0x7fffffffu || h > 0x7fffffffu ||
      static_cast<int64_t>(w) > max_pixels || static_cast<int64_t>(h) > max_pixels ||
      static_cast<int64_t>(w) * h > max_pixels)
    return std::nullopt;

  // The chunks up to IEND: consecutive IDATs collected, ancillary chunks skipped (libpng drops
  // them too), anything that would change the pixels (PLTE, tRNS, an unknown critical chunk) left
  // to libpng.
  std::vector<std::pair<const uint8_t*, uint32_t>> idat;
  bool idat_done = false, iend = false;
  for (size_t pos = 33; pos + 12 <= n;) {
    const uint8_t* chunk = b + pos;
    const uint32_t len = read_be32(chunk);
    if (len > n - pos - 12) return std::nullopt;  // truncated
    const uint8_t* type = chunk + 4;
    if (is(type, "IDAT")) {
      if (idat_done || !crc_ok(chunk, len)) return std::nullopt;
      idat.emplace_back(chunk + 8, len);
    } else {
      idat_done = !idat.empty();
      if (is(type, "IEND")) {
        iend = crc_ok(chunk, len);
        break;
      }
      const bool critical = !(type[0] & 0x20);
      if (critical || is(type, "tRNS")) return std::nullopt;
    }
    pos += 12 + static_cast<size_t>(len);
  }
  if (!iend || idat.empty()) return std::nullopt;

  // Inflate every row (a filter byte, then the row) into one buffer, the zlib checksum verified.
  const size_t stride = static_cast<size_t>(w) * channels;
  if (static_cast<uint64_t>(h) * (stride + 1) > 0xffffffffu) return std::nullopt;  // avail_out is 32-bit
  std::vector<uint8_t> data(static_cast<size_t>(h) * (stride + 1));
  // ISA-L's state is 85 KB: one per thread on the heap, not on a (possibly small) thread stack.
  thread_local const std::unique_ptr<inflate_state> state = std::make_unique<inflate_state>();
  inflate_state& st = *state;
  isal_inflate_init(&st);
  st.crc_flag = ISAL_ZLIB;
  st.next_out = data.data();
  st.avail_out = static_cast<uint32_t>(data.size());
  for (const auto& [at, len] : idat) {
    st.next_in = const_cast<uint8_t*>(at);
    st.avail_in = len;
    if (isal_inflate(&st) != ISAL_DECOMP_OK) return std::nullopt;
    if (st.block_state == ISAL_BLOCK_FINISH) break;
  }
  if (st.block_state != ISAL_BLOCK_FINISH || st.total_out != data.size()) return std::nullopt;

  // Undo each row's filter in place, then move it down over the filter bytes before it: row y
  // ends up at y * stride, after row y - 1 (which it reads as the row above).
  for (size_t y = 0; y < h; ++y) {
    uint8_t* row = data.data() + y * (stride + 1) + 1;
    const uint8_t* prev = y ? data.data() + (y - 1) * stride : nullptr;
    if (!unfilter(row[-1], row, prev, stride, channels)) return std::nullopt;
    std::memmove(data.data() + y * stride, row, stride);
  }
  data.resize(static_cast<size_t>(h) * stride);
  return PngPixels{static_cast<int>(w), static_cast<int>(h), channels, std::move(data)};
}

}  // namespace aekit::data
