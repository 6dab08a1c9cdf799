// aekit generate --run DIR [--n 64] [--from prior|uniform] [--range R] [--seed S] [--out FILE]
// aekit grid --run DIR [--n 20] [--range R] [--out FILE]         (2-D codes)
// New images from a trained model's decoder: z from the prior N(0, I), from a uniform box
// [-R, R]^d, or (grid) an n x n lattice over [-R, R]^2.
#include <cmath>
#include <cstdio>

#include "cli/commands.h"
#include "eval/latent.h"
#include "draw/image_grid.h"
#include "report/latent_figures.h"
#include "draw/png.h"
#include "tensor/error.h"
#include "run/load_run.h"

namespace aekit::cli {
void add_generate(CLI::App& app) {
  auto* gen = app.add_subcommand("generate", "Decode random latent vectors into new images");
  struct Args {
    std::string run, from = "prior", out;
    int n = 64;
    double range = 2.0;
    uint64_t seed = 0;
  };
  auto a = std::make_shared<Args>();
  gen->add_option("--run", a->run, "Run folder")->required();
  gen->add_option("--n", a->n, "How many images")->check(CLI::Range(1, 10000));
  gen->add_option("--from", a->from, "prior (N(0,I)) or uniform ([-range, range] per dim)")
      ->check(CLI::IsMember({"prior", "uniform"}));
  gen->add_option("--range", a->range, "Half-width of the uniform box")->check(CLI::PositiveNumber);
  gen->add_option("--seed", a->seed, "Seed of the draws");
  gen->add_option("--out", a->out, "PNG to write (default RUN/generated.png)");
  gen->callback([a] {
    run::LoadedRun r = run::load_run(a->run);
    const int64_t L = numel(r.model->code_shape());
    Tensor z({a->n, L});
    Rng rng(a->seed);
    for (float& v : z) v = a->from == "prior" ? rng.normal() : rng.uniform(-a->range, a->range);
    const int cols = static_cast<int>(std::ceil(std::sqrt(static_cast<double>(a->n))));
    const std::string out = a->out.empty() ? a->run + "/generated.png" : a->out;
    draw::write_png(out, draw::image_grid(eval::decode_all(*r.model, z), 0, cols, 2, 2));
    std::printf("wrote %s (%d images from %s)\n", out.c_str(), a->n, a->from.c_str());
  });

  auto* grid = app.add_subcommand("grid", "Decode an n x n lattice over a 2-D latent space");
  auto g = std::make_shared<Args>();
  g->n = 20;
  g->range = 3.0;
  grid->add_option("--run", g->run, "Run folder (a model with a 2-D code)")->required();
  grid->add_option("--n", g->n, "Steps per axis")->check(CLI::Range(2, 100));
  grid->add_option("--range", g->range, "The lattice covers [-range, range]^2")->check(CLI::PositiveNumber);
  grid->add_option("--out", g->out, "PNG to write (default RUN/grid.png)");
  grid->callback([g] {
    run::LoadedRun r = run::load_run(g->run);
    report::LatentBox box{{-g->range, g->range}, {-g->range, g->range}};
    const std::string out = g->out.empty() ? g->run + "/grid.png" : g->out;
    report::write_latent_grid(out, *r.model, g->n, box);
    std::printf("wrote %s (%dx%d over [-%g, %g]^2)\n", out.c_str(), g->n, g->n, g->range, g->range);
  });
}

}  // namespace aekit::cli
