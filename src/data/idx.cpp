#include "data/idx.h"

#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string_view>

#include "data/byte_order.h"
#include "data/input_file.h"
#include "tensor/error.h"

namespace aekit::data {
namespace {

constexpr uint8_t kUnsignedByte = 0x08;

std::string hex_byte(unsigned v) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "0x%02X", v & 0xFFu);
  return buf;
}

const char* idx_type_name(uint8_t type) {
  switch (type) {
    case 0x09: return " (signed byte)";
    case 0x0B: return " (int16)";
    case 0x0C: return " (int32)";
    case 0x0D: return " (float32)";
    case 0x0E: return " (float64)";
    default: return "";
  }
}

bool is_gzip(std::string_view file) {
  return file.size() >= 2 && static_cast<uint8_t>(file[0]) == 0x1f &&
         static_cast<uint8_t>(file[1]) == 0x8b;
}

// Inflates a whole gzip file (concatenated members included, as gzip(1) does), reading the
// compressed bytes in pieces: holding the compressed file whole beside its contents took 26 MB
// more peak memory on Fashion-MNIST's training images.
std::vector<uint8_t> gunzip(std::ifstream& in, uint64_t file_size, const std::string& path) {
  // The gzip trailer holds the raw size mod 2^32; it only sizes the first allocation, capped by
  // deflate's maximum ratio so a corrupt trailer cannot ask for gigabytes.
  size_t hint = 1 << 16;
  if (file_size >= 18) {
    uint8_t t[4];
    in.seekg(static_cast<std::streamoff>(file_size - 4));
    in.read(reinterpret_cast<char*>(t), 4);
    const size_t isize = t[0] | t[1] << 8 | t[2] << 16 | static_cast<size_t>(t[3]) << 24;
    hint = std::max(hint, std::min<size_t>(isize, file_size * 1032));
  }
  in.clear();
  in.seekg(0);
  std::vector<uint8_t> out(hint);
  std::vector<char> piece(size_t{1} << 20);

  z_stream zs{};
  if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) throw std::bad_alloc();
  // Refills the input when it is used up; false at the end of the file.
  const auto refill = [&] {
    if (zs.avail_in > 0) return true;
    in.read(piece.data(), static_cast<std::streamsize>(piece.size()));
    zs.next_in = reinterpret_cast<Bytef*>(piece.data());
    zs.avail_in = static_cast<uInt>(in.gcount());
    return zs.avail_in > 0;
  };
  size_t produced = 0;
  constexpr size_t kChunk = 1u << 30;  // avail_out is 32-bit
  for (;;) {
    const bool more_in = refill();
    if (produced == out.size()) out.resize(out.size() * 2);
    zs.next_out = out.data() + produced;
    zs.avail_out = static_cast<uInt>(std::min(out.size() - produced, kChunk));
    const int rc = inflate(&zs, Z_NO_FLUSH);
    produced = zs.next_out - out.data();
    if (rc == Z_STREAM_END) {
      if (!refill()) break;
      inflateReset(&zs);
      continue;
    }
    if (rc != Z_OK && rc != Z_BUF_ERROR) {
      const std::string why = zs.msg ? zs.msg : "error " + std::to_string(rc);
      inflateEnd(&zs);
      throw InputError(path + ": corrupt gzip data (" + why + ")");
    }
    // All input used, output space left, and still no end of stream: the file was cut short.
    if (!more_in && zs.avail_out > 0) {
      inflateEnd(&zs);
      throw InputError(path + ": truncated gzip stream (" + std::to_string(file_size) +
                       " compressed bytes end mid-stream)");
    }
  }
  inflateEnd(&zs);
  out.resize(produced);
  return out;
}

std::string dims_text(const std::vector<int64_t>& dims) {
  std::string s;
  for (size_t i = 0; i < dims.size(); ++i) s += (i ? "x" : "") + std::to_string(dims[i]);
  return s;
}

// Reads the header at the start of `data` (`size` bytes available): the dimensions, and the
// header's length through `header`.
std::vector<int64_t> parse_header(const uint8_t* data, size_t size, const std::string& path, size_t& header) {
  const auto truncated_header = [&](size_t need) {
    return InputError(path + ": truncated: IDX header needs " + std::to_string(need) + " bytes, file has " +
                      std::to_string(size));
  };
  if (size < 4) throw truncated_header(4);
  require(data[0] == 0 && data[1] == 0, path + ": not an IDX file (bad magic bytes " + hex_byte(data[0]) + " " +
                                            hex_byte(data[1]) + ", expected 0x00 0x00)");
  require(data[2] == kUnsignedByte, path + ": unsupported IDX data type " + hex_byte(data[2]) +
                                        idx_type_name(data[2]) + "; only unsigned byte 0x08 is supported");
  const int ndim = data[3];
  require(ndim >= 1 && ndim <= 4, path + ": unsupported IDX rank " + std::to_string(ndim) + " (expected 1 to 4)");
  header = 4 + 4 * static_cast<size_t>(ndim);
  if (size < header) throw truncated_header(header);
  std::vector<int64_t> dims;
  uint64_t count = 1;
  for (int i = 0; i < ndim; ++i) {
    const uint32_t d = read_be32(&data[4 + 4 * i]);
    require(d > 0, path + ": IDX dimension " + std::to_string(i) + " is 0");
    dims.push_back(d);
    require(!__builtin_mul_overflow(count, uint64_t{d}, &count),
            path + ": IDX dimensions " + dims_text(dims) + " overflow 64 bits");
  }
  return dims;
}

// Parses the header of `data` and moves the payload into the result.
IdxArray parse_idx(std::vector<uint8_t> data, const std::string& path) {
  size_t header = 0;
  IdxArray a;
  a.dims = parse_header(data.data(), data.size(), path, header);
  uint64_t count = 1;
  for (int64_t d : a.dims) count *= static_cast<uint64_t>(d);  // checked by parse_header
  const uint64_t have = data.size() - header;
  if (have != count) {
    const char* what = have < count ? ": truncated" : ": trailing data";
    throw InputError(path + what + ": header says " + dims_text(a.dims) + " = " + std::to_string(count) +
                     " bytes, file has " + std::to_string(have));
  }
  data.erase(data.begin(), data.begin() + header);
  a.bytes = std::move(data);
  return a;
}

}  // namespace

IdxArray read_idx(const std::string& path) {
  const uint64_t size = input_file_size(path);
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path + ": cannot open (" + std::strerror(errno) + ")");
  char magic[2] = {0, 0};
  in.read(magic, 2);
  if (in.gcount() == 2 && is_gzip(std::string_view(magic, 2))) return parse_idx(gunzip(in, size, path), path);
  // Raw: read straight into the array (no second copy of the file).
  in.clear();
  in.seekg(0);
  std::vector<uint8_t> bytes(size);
  in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(size));
  require(static_cast<uint64_t>(in.gcount()) == size, path + ": read failed");
  return parse_idx(std::move(bytes), path);
}

std::vector<int64_t> read_idx_dims(const std::string& path) {
  // gzread reads raw files as they are, so one path serves both.
  gzFile f = gzopen(path.c_str(), "rb");
  require(f != nullptr, path + ": cannot open");
  uint8_t head[4 + 4 * 4];
  const int got = gzread(f, head, sizeof head);
  gzclose(f);
  require(got >= 0, path + ": cannot read");
  size_t header = 0;
  return parse_header(head, static_cast<size_t>(got), path, header);
}

}  // namespace aekit::data
