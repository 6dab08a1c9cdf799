// VAE-specific tools:
//   variations   one test image: 8 stochastic reconstructions (z ~ q(z|x)) with per-pixel
//                difference maps against the mean reconstruction (chapter 003 fig 18-50), and
//                decodes of its code perturbed by up to 10% and 30% (figs 18-51/52)
//   disentangle  beta-VAE metric and MIG of a model trained on the synthetic shapes
#include <cmath>
#include <cstdio>

#include "cli/commands.h"
#include "cli/run_access.h"
#include "data/shapes.h"
#include "eval/disentanglement.h"
#include "eval/evaluate.h"
#include "eval/latent.h"
#include "draw/image_grid.h"
#include "draw/png.h"
#include "tensor/error.h"

namespace aekit::cli {

void add_vae_tools(CLI::App& app) {
  struct Args {
    std::string run, data, out;
    int64_t index = 0;
    int draws = 8, samples = 2000;
    uint64_t seed = 0;
  };
  auto* va = app.add_subcommand("variations", "Stochastic reconstructions and latent perturbations of one image");
  auto v = std::make_shared<Args>();
  va->add_option("--run", v->run, "Run folder of a VAE")->required();
  va->add_option("--index", v->index, "Test image index")->check(CLI::NonNegativeNumber);
  va->add_option("--draws", v->draws, "Stochastic reconstructions")->check(CLI::Range(2, 32));
  va->add_option("--seed", v->seed, "Seed of the draws");
  va->add_option("--data", v->data, "Dataset overriding the run's");
  va->add_option("--out", v->out, "PNG to write (default RUN/variations.png)");
  va->callback([v] {
    RunWithData r = open_run_with_data(v->run, v->data, false);
    models::Autoencoder& m = *r.run.model;
    require(m.is_vae(), v->run + ": not a VAE");
    require(v->index < r.data.test.x.dim(0), "--index beyond the test split");
    Tensor x;
    eval::copy_rows(r.data.test.x, v->index, v->index + 1, x);
    const Tensor mean_rec = m.reconstruct(x);
    // q(z|x): mu and logvar from the head, then draws.
    m.vae_head()->forward(m.encoder().forward(x, nn::Mode::eval), nn::Mode::eval, false);
    const Tensor mu = m.vae_head()->mu(), lv = m.vae_head()->logvar();
    const int64_t L = mu.size();
    Rng rng(v->seed);
    Tensor z({v->draws, L}), zp({2 * v->draws, L});
    for (int d = 0; d < v->draws; ++d)
      for (int64_t j = 0; j < L; ++j) {
        z[d * L + j] = mu[j] + std::exp(0.5f * lv[j]) * rng.normal();
        zp[d * L + j] = mu[j] * (1 + rng.uniform(-0.1f, 0.1f));
        zp[(v->draws + d) * L + j] = mu[j] * (1 + rng.uniform(-0.3f, 0.3f));
      }
    const Tensor draws = eval::decode_all(m, z), pert = eval::decode_all(m, zp);
    Tensor diff = draws;  // |draw - mean reconstruction|, scaled x4 to be visible
    const int64_t px = mean_rec.size();
    for (int64_t k = 0; k < diff.size(); ++k) diff[k] = std::min(1.0f, 4 * std::fabs(draws[k] - mean_rec[k % px]));
    Tensor p10, p30;
    eval::copy_rows(pert, 0, v->draws, p10);
    eval::copy_rows(pert, v->draws, 2 * v->draws, p30);
    const std::string out = v->out.empty() ? v->run + "/variations.png" : v->out;
    const draw::Image fig = draw::labeled_rows({{"input", x},
                                             {"mean recon", mean_rec},
                                             {"z ~ q(z|x)", draws},
                                             {"|diff| x4", diff},
                                             {"mu +-10%", p10},
                                             {"mu +-30%", p30}},
                                            2);
    draw::write_png(out, draw::is_colour_images(x) ? fig : draw::to_grey(fig));
    std::printf("wrote %s\n", out.c_str());
  });

  auto* di = app.add_subcommand("disentangle", "beta-VAE metric and MIG of a model trained on the shapes data");
  auto d = std::make_shared<Args>();
  di->add_option("--run", d->run, "Run folder of a VAE trained with data kind \"shapes\"")->required();
  di->add_option("--samples", d->samples, "Images for MIG; metric points = samples/4")->check(CLI::Range(200, 100000));
  di->add_option("--seed", d->seed, "Seed");
  di->callback([d] {
    run::LoadedRun r = run::load_run(d->run);
    require(r.cfg.data.kind == "shapes", d->run + ": not trained on the shapes data");
    models::Autoencoder& m = *r.model;
    auto encode = [&](const Tensor& images) {
      Tensor z = eval::encode_all(m, images);
      z.reshape({z.dim(0), z.sample_size()});
      return z;
    };
    data::ShapesSet s = data::make_shapes(d->samples, 900 + d->seed);
    const double mig = eval::mig(encode(s.x), s.factors);
    const int pts = d->samples / 4;
    const double metric = eval::beta_vae_metric(encode, d->seed, pts, pts / 2, 64);
    std::printf("beta %g\nbeta_vae_metric %.4f (chance 0.2)\nmig %.4f\n", m.config_beta(), metric, mig);
  });
}

}  // namespace aekit::cli
