#include "data/image_resize.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <tuple>
#include <stdexcept>
#include <string>
#include <vector>

#include "tensor/error.h"

namespace aekit::data {
namespace {

// One output pixel's contributions: source indices [first, first + weights.size()).
struct Taps {
  int first = 0;
  std::vector<float> weights;
};

// Output pixel o of n_out samples the source interval [start + o*step, start + (o+1)*step) of an
// axis with n_in pixels (step = region length / n_out, in source pixels).
std::vector<Taps> axis_taps(int n_in, int n_out, double start, double step) {
  std::vector<Taps> taps(n_out);
  for (int o = 0; o < n_out; ++o) {
    Taps& t = taps[o];
    if (step > 1.0) {  // shrinking: exact overlap of each source pixel with the output's interval
      const double a = start + o * step, b = a + step;
      const int i0 = std::max(0, static_cast<int>(std::floor(a)));
      const int i1 = std::min(n_in - 1, static_cast<int>(std::ceil(b)) - 1);
      t.first = i0;
      double total = 0;
      std::vector<double> w;
      for (int i = i0; i <= i1; ++i) {
        const double ov = std::min<double>(b, i + 1) - std::max<double>(a, i);
        w.push_back(std::max(0.0, ov));
        total += w.back();
      }
      for (double v : w) t.weights.push_back(static_cast<float>(v / total));
    } else {  // enlarging: bilinear between the two nearest source pixel centres
      const double x = std::clamp(start + (o + 0.5) * step - 0.5, 0.0, n_in - 1.0);
      const int i0 = std::min(static_cast<int>(std::floor(x)), n_in - 1);
      const double f = x - i0;
      t.first = i0;
      t.weights.push_back(static_cast<float>(1.0 - f));
      if (i0 + 1 < n_in) t.weights.push_back(static_cast<float>(f));
    }
  }
  return taps;
}

// Taps flattened for the inner loops: output o reads count[o] source pixels from first[o], with
// weights at weight[offset[o] ...].
struct FlatTaps {
  std::vector<int> first, count, offset;
  std::vector<float> weight;
  explicit FlatTaps(const std::vector<Taps>& taps) {
    for (const Taps& t : taps) {
      first.push_back(t.first);
      count.push_back(static_cast<int>(t.weights.size()));
      offset.push_back(static_cast<int>(weight.size()));
      weight.insert(weight.end(), t.weights.begin(), t.weights.end());
    }
  }
};

// The flat taps of an axis, kept per thread for the (n_in, n_out, start, step) seen: a folder of
// photos has a limited set of sizes, and recomputing the taps for every image was ~4 % of decoding
// W9's folder (the taps themselves and their allocations). Entries live until trim_taps(), which
// a resize calls before it asks for any, so the references it holds stay valid.
using TapsKey = std::tuple<int, int, double, double>;
thread_local std::map<TapsKey, FlatTaps> taps_cache;

void trim_taps() {
  if (taps_cache.size() > 4096) taps_cache.clear();  // bounded: a few MB at most
}

const FlatTaps& cached_taps(int n_in, int n_out, double start, double step) {
  const TapsKey key{n_in, n_out, start, step};
  auto it = taps_cache.find(key);
  if (it == taps_cache.end()) it = taps_cache.emplace(key, FlatTaps(axis_taps(n_in, n_out, start, step))).first;
  return it->second;
}

// Resamples the region starting at (y0, x0) with steps (sy, sx) of src into an oh x ow block
// written at (oy, ox) of dst. C (channels) is a template argument so the channel loop unrolls:
// with it and flat taps the resize took 17 % of W9's decode pass before, about a third of that
// after.
template <int C>
void resample_c(const RawImage& src, double y0, double sy, double x0, double sx, int oh, int ow,
                RawImage& dst, int oy, int ox) {
  trim_taps();
  const FlatTaps& tx = cached_taps(src.width, ow, x0, sx);
  const FlatTaps& ty = cached_taps(src.height, oh, y0, sy);
  const size_t row = static_cast<size_t>(ow) * C;
  // Horizontal pass into float rows (only the rows some output row needs).
  int row_lo = src.height, row_hi = -1;
  for (int y = 0; y < oh; ++y) row_lo = std::min(row_lo, ty.first[y]), row_hi = std::max(row_hi, ty.first[y] + ty.count[y] - 1);
  std::vector<float> mid(static_cast<size_t>(row_hi - row_lo + 1) * row);
  for (int y = row_lo; y <= row_hi; ++y) {
    const uint8_t* in = src.pixels.data() + static_cast<size_t>(y) * src.width * C;
    float* out = mid.data() + static_cast<size_t>(y - row_lo) * row;
    for (int x = 0; x < ow; ++x) {
      const uint8_t* p = in + static_cast<size_t>(tx.first[x]) * C;
      const float* w = tx.weight.data() + tx.offset[x];
      float acc[C] = {};
      for (int j = 0; j < tx.count[x]; ++j)
        for (int k = 0; k < C; ++k) acc[k] += w[j] * p[j * C + k];
      for (int k = 0; k < C; ++k) out[x * C + k] = acc[k];
    }
  }
  // Vertical pass, a whole output row at a time; rounding as lround (values are clamped to
  // [0, 255] first, where floor(v + 0.5) in double is exact).
  std::vector<float> acc(row);
  for (int y = 0; y < oh; ++y) {
    std::fill(acc.begin(), acc.end(), 0.0f);
    const float* w = ty.weight.data() + ty.offset[y];
    for (int j = 0; j < ty.count[y]; ++j) {
      const float* m = mid.data() + static_cast<size_t>(ty.first[y] + j - row_lo) * row;
      for (size_t x = 0; x < row; ++x) acc[x] += w[j] * m[x];
    }
    uint8_t* out = dst.pixels.data() + (static_cast<size_t>(oy + y) * dst.width + ox) * C;
    for (size_t x = 0; x < row; ++x)
      out[x] = static_cast<uint8_t>(std::floor(static_cast<double>(std::clamp(acc[x], 0.0f, 255.0f)) + 0.5));
  }
}

void resample(const RawImage& src, double y0, double sy, double x0, double sx, int oh, int ow,
              RawImage& dst, int oy, int ox) {
  switch (src.channels) {
    case 1: return resample_c<1>(src, y0, sy, x0, sx, oh, ow, dst, oy, ox);
    case 3: return resample_c<3>(src, y0, sy, x0, sx, oh, ow, dst, oy, ox);
    default: throw std::invalid_argument("resize_image: images have 1 or 3 channels, got " + std::to_string(src.channels));
  }
}

}  // namespace

ResizePolicy parse_resize_policy(const std::string& name) {
  if (name == "fit-crop") return ResizePolicy::fit_crop;
  if (name == "stretch") return ResizePolicy::stretch;
  if (name == "pad") return ResizePolicy::pad;
  throw InputError("resize policy '" + name + "' is not one of fit-crop, stretch, pad");
}

std::string resize_policy_name(ResizePolicy policy) {
  switch (policy) {
    case ResizePolicy::fit_crop: return "fit-crop";
    case ResizePolicy::stretch: return "stretch";
    case ResizePolicy::pad: return "pad";
  }
  return "?";
}

RawImage resize_image(const RawImage& img, int height, int width, ResizePolicy policy,
                      const std::array<uint8_t, 3>& background) {
  if (height < 1 || width < 1) throw InputError("resize target must be at least 1x1");
  if (img.width < 1 || img.height < 1) throw std::invalid_argument("resize_image: empty image");
  RawImage out{width, height, img.channels, std::vector<uint8_t>(static_cast<size_t>(width) * height * img.channels)};
  const double h = img.height, w = img.width;
  switch (policy) {
    case ResizePolicy::stretch:
      resample(img, 0, h / height, 0, w / width, height, width, out, 0, 0);
      break;
    case ResizePolicy::fit_crop: {
      // The source region with the output's aspect ratio, as large as fits, centred.
      const double scale = std::max(height / h, width / w);
      const double rh = height / scale, rw = width / scale;
      resample(img, (h - rh) / 2, rh / height, (w - rw) / 2, rw / width, height, width, out, 0, 0);
      break;
    }
    case ResizePolicy::pad: {
      const double scale = std::min(height / h, width / w);
      const int ih = std::clamp(static_cast<int>(std::lround(h * scale)), 1, height);
      const int iw = std::clamp(static_cast<int>(std::lround(w * scale)), 1, width);
      for (size_t i = 0; i < out.pixels.size(); ++i) out.pixels[i] = background[img.channels == 3 ? i % 3 : 0];
      resample(img, 0, h / ih, 0, w / iw, ih, iw, out, (height - ih) / 2, (width - iw) / 2);
      break;
    }
  }
  return out;
}

}  // namespace aekit::data
