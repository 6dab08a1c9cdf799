// Latent-space tools for any trained autoencoder:
//   encode       codes of the test split (or --input FILE.npy) to .npy and .csv
//   decode       latent vectors from a .npy or .csv file to an image grid
//   scatter      2-D codes of the test set coloured by label, optionally zoomed
//   interpolate  N-step walk between two test images' codes (and their blend at the midpoint)
//   predict      encode and reconstruct any PNG (resized to the model's input, greyscale)
#include <cmath>
#include <cstdio>
#include <sstream>

#include "cli/commands.h"
#include "eval/interpolation.h"
#include "io/tensor_csv.h"
#include "cli/run_access.h"
#include "data/csv.h"
#include "data/image_cache.h"
#include "run/run_data.h"
#include "eval/evaluate.h"
#include "eval/latent.h"
#include "io/atomic_file.h"
#include "io/npy.h"
#include "draw/image_grid.h"
#include "report/latent_figures.h"
#include "draw/png.h"
#include "tensor/error.h"

namespace aekit::cli {
namespace {

Tensor read_codes(const std::string& path) {
  if (path.size() > 4 && path.substr(path.size() - 4) == ".npy") return io::load_npy(path);
  data::CsvOptions o;
  o.has_header = true;
  return data::to_tensor(data::read_csv(path, o), {});
}

}  // namespace

void add_latent(CLI::App& app) {
  struct Args {
    std::string run, data, out, input, zoom;
    int64_t a = 0, b = 1;
    int steps = 8, n = 0;
  };

  auto* enc = app.add_subcommand("encode", "Codes of the test split to OUT.npy and OUT.csv");
  auto e = std::make_shared<Args>();
  enc->add_option("--run", e->run, "Run folder")->required();
  enc->add_option("--data", e->data, "Dataset overriding the run's");
  enc->add_option("--out", e->out, "Output path without extension (default RUN/codes)");
  enc->callback([e] {
    RunWithData r = open_run_with_data(e->run, e->data, false);
    Tensor z = eval::encode_all(*r.run.model, r.data.test.x);
    z.reshape({z.dim(0), z.sample_size()});
    const std::string out = e->out.empty() ? e->run + "/codes" : e->out;
    io::save_npy(out + ".npy", z);
    io::write_tensor_csv(out + ".csv", z);
    std::printf("wrote %s.npy and %s.csv (%lld codes of %lld values)\n", out.c_str(), out.c_str(),
                static_cast<long long>(z.dim(0)), static_cast<long long>(z.dim(1)));
  });

  auto* dec = app.add_subcommand("decode", "Decode latent vectors (.npy or .csv with a header) to a PNG grid");
  auto d = std::make_shared<Args>();
  dec->add_option("--run", d->run, "Run folder")->required();
  dec->add_option("--input", d->input, "Latent vectors, .npy or .csv")->required();
  dec->add_option("--out", d->out, "PNG to write (default RUN/decoded.png)");
  dec->callback([d] {
    run::LoadedRun r = run::load_run(d->run);
    Tensor z = read_codes(d->input);
    require(z.rank() >= 1 && z.dim(0) > 0, d->input + ": no latent vectors");
    const std::string out = d->out.empty() ? d->run + "/decoded.png" : d->out;
    const int cols = static_cast<int>(std::ceil(std::sqrt(static_cast<double>(z.dim(0)))));
    draw::write_png(out, draw::image_grid(eval::decode_all(*r.model, z), 0, cols, 2, 2));
    std::printf("wrote %s (%lld images)\n", out.c_str(), static_cast<long long>(z.dim(0)));
  });

  auto* sc = app.add_subcommand("scatter", "Codes of the test set coloured by label (PCA to 2-D when wider)");
  auto s = std::make_shared<Args>();
  sc->add_option("--run", s->run, "Run folder")->required();
  sc->add_option("--data", s->data, "Dataset overriding the run's");
  sc->add_option("--zoom", s->zoom, "Axis limits x0,x1,y0,y1 (chapter 003's zoomed view)");
  sc->add_option("--out", s->out, "PNG to write (default RUN/latent_scatter.png)");
  sc->callback([s] {
    RunWithData r = open_run_with_data(s->run, s->data, false);
    std::optional<report::LatentBox> zoom;
    if (!s->zoom.empty()) {
      double v[4];
      require(std::sscanf(s->zoom.c_str(), "%lf,%lf,%lf,%lf", &v[0], &v[1], &v[2], &v[3]) == 4 && v[0] < v[1] &&
                  v[2] < v[3],
              "--zoom: expected x0,x1,y0,y1 with x0 < x1 and y0 < y1, got '" + s->zoom + "'");
      zoom = report::LatentBox{{v[0], v[1]}, {v[2], v[3]}};
    }
    const std::string out = s->out.empty() ? s->run + "/latent_scatter.png" : s->out;
    report::write_latent_scatter(out, *r.run.model, r.data.test.x, r.data.test.labels, zoom,
                                 r.data.folder ? r.data.folder->classes : std::vector<std::string>{});
    std::printf("wrote %s\n", out.c_str());
  });

  auto* in = app.add_subcommand("interpolate", "Decode a straight walk between two test images' codes");
  auto i = std::make_shared<Args>();
  in->add_option("--run", i->run, "Run folder")->required();
  in->add_option("--a", i->a, "Index of the first test image")->check(CLI::NonNegativeNumber);
  in->add_option("--b", i->b, "Index of the second test image")->check(CLI::NonNegativeNumber);
  in->add_option("--steps", i->steps, "Points on the walk, ends included")->check(CLI::Range(2, 64));
  in->add_option("--data", i->data, "Dataset overriding the run's");
  in->add_option("--out", i->out, "PNG to write (default RUN/interpolation.png)");
  in->callback([i] {
    RunWithData r = open_run_with_data(i->run, i->data, false);
    const int64_t n = r.data.test.x.dim(0);
    require(i->a < n && i->b < n, "interpolate: --a and --b must be below " + std::to_string(n));
    Tensor xa, xb;
    eval::copy_rows(r.data.test.x, i->a, i->a + 1, xa);
    eval::copy_rows(r.data.test.x, i->b, i->b + 1, xb);
    Tensor za = r.run.model->encode(xa), zb = r.run.model->encode(xb);
    const int64_t L = za.size();
    const Tensor z = eval::linear_walk(za, zb, i->steps);
    Tensor ends({2, L});
    for (int64_t j = 0; j < L; ++j) ends[j] = za[j], ends[L + j] = zb[j];
    Tensor blend_pixels = xa;  // pixel average, to compare with the blend of codes
    for (int64_t j = 0; j < xa.size(); ++j) blend_pixels[j] = 0.5f * (xa[j] + xb[j]);
    Tensor mid;  // the code average: the middle of a 3-point walk
    eval::copy_rows(eval::linear_walk(za, zb, 3), 1, 2, mid);
    const std::string out = i->out.empty() ? i->run + "/interpolation.png" : i->out;
    const draw::Image fig = draw::labeled_rows({{"walk in code space", eval::decode_all(*r.run.model, z)},
                                                {"pixel average", blend_pixels},
                                                {"code average", eval::decode_all(*r.run.model, mid)}},
                                               2);
    draw::write_png(out, draw::is_colour_images(xa) ? fig : draw::to_grey(fig));
    std::printf("wrote %s (%d steps from test image %lld to %lld)\n", out.c_str(), i->steps,
                static_cast<long long>(i->a), static_cast<long long>(i->b));
  });

  auto* pr = app.add_subcommand("predict", "Encode and reconstruct any image file (decoded and resized as the run's)");
  auto p = std::make_shared<Args>();
  pr->add_option("--run", p->run, "Run folder of an image model")->required();
  pr->add_option("--image", p->input, "Image file (PNG, JPEG, BMP, PGM/PPM)")->required();
  pr->add_option("--out", p->out, "PNG to write (default RUN/prediction.png)");
  pr->callback([p] {
    run::LoadedRun r = run::load_run(p->run);
    const Shape& in = r.model->input_shape();
    const data::ImagePreprocess pre = run::image_preprocess(r.cfg, in);
    std::vector<uint8_t> bytes(static_cast<size_t>(numel(in)));
    data::preprocess_image(p->input, pre, bytes.data());
    Tensor x({1, in[0], in[1], in[2]});
    for (int64_t k = 0; k < x.size(); ++k) x[k] = bytes[k] / 255.0f;
    const std::string out = p->out.empty() ? p->run + "/prediction.png" : p->out;
    const draw::Image fig = draw::labeled_rows({{"input", x}, {"reconstruction", r.model->reconstruct(x)}}, 4);
    draw::write_png(out, draw::is_colour_images(x) ? fig : draw::to_grey(fig));
    std::printf("wrote %s\n", out.c_str());
  });
}

}  // namespace aekit::cli
