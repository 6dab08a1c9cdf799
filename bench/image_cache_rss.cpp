// Peak memory of reading an image cache (issue 15: it must not grow with the dataset).
//   aekit_image_cache_rss write PATH N   synthetic cache of N 3x64x64 images (random bytes), in
//                                        the format data::ImageCache writes, built as a stream
//   aekit_image_cache_rss read PATH      one shuffled epoch, batch 64, through PrefetchLoader
// Run each under /usr/bin/time -v and compare "Maximum resident set size" for a small and a
// multi-GB N.
#include <cstdio>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "data/image_cache.h"
#include "data/prefetch_loader.h"
#include "tensor/rng.h"

using namespace aekit;

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s write PATH N | read PATH\n", argv[0]);
    return 2;
  }
  const std::string mode = argv[1], path = argv[2];
  const int64_t C = 3, H = 64, W = 64, bytes = C * H * W;
  if (mode == "write") {
    const int64_t n = std::stoll(argv[3]);
    std::ofstream out(path, std::ios::binary);
    std::vector<char> header(4096, 0), img(bytes);
    const std::string trailer_placeholder;
    out.write(header.data(), header.size());
    Rng rng(1);
    nlohmann::json files = nlohmann::json::array(), labels = nlohmann::json::array();
    for (int64_t i = 0; i < n; ++i) {
      for (auto& b : img) b = static_cast<char>(rng.next_u64());
      out.write(img.data(), bytes);
      files.push_back("synthetic/" + std::to_string(i) + ".png");
      labels.push_back(static_cast<int>(i % 10));
    }
    const std::string t = nlohmann::json{{"key", "synthetic"}, {"files", files}, {"labels", labels},
                                         {"skipped", nlohmann::json::array()}, {"preprocess", nullptr}}.dump();
    out.write(t.data(), t.size());
    std::memcpy(header.data(), "AEKITIC1", 8);
    const uint64_t at = 4096 + static_cast<uint64_t>(n) * bytes, len = t.size(), nn = n;
    const uint32_t dims[3] = {3, 64, 64};
    std::memcpy(header.data() + 8, &at, 8);
    std::memcpy(header.data() + 16, &len, 8);
    std::memcpy(header.data() + 24, &nn, 8);
    std::memcpy(header.data() + 32, dims, 12);
    out.seekp(0);
    out.write(header.data(), 48);
    return out ? 0 : 1;
  }
  const data::ImageCache cache = data::ImageCache::open(path);
  data::PrefetchLoader loader(cache, 2);
  data::Batcher batcher(cache.size(), 64, true);
  Rng rng(0);
  batcher.start_epoch(rng);
  loader.start_epoch(batcher);
  Tensor batch;
  double sum = 0;
  int64_t seen = 0;
  while (loader.next(batch)) {
    for (float v : batch) sum += v;
    seen += batch.dim(0);
  }
  std::printf("%lld images, mean %.4f\n", static_cast<long long>(seen), sum / (static_cast<double>(seen) * bytes));
  return 0;
}
