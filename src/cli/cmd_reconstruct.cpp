// aekit reconstruct --run DIR [--n 10] [--out FILE.png]: test images above their reconstructions.
#include <cstdio>

#include "cli/commands.h"
#include "eval/evaluate.h"
#include "report/run_figures.h"
#include "tensor/error.h"
#include "train/load_run.h"
#include "train/run_data.h"

namespace aekit::cli {

void add_reconstruct(CLI::App& app) {
  auto* cmd = app.add_subcommand("reconstruct", "Picture of test images and their reconstructions");
  struct Args {
    std::string run, out, data;
    int n = 10;
  };
  auto a = std::make_shared<Args>();
  cmd->add_option("--run", a->run, "Run folder written by `aekit train`")->required();
  cmd->add_option("--n", a->n, "How many test images")->check(CLI::Range(1, 1000));
  cmd->add_option("--out", a->out, "PNG to write (default RUN/reconstructions.png)");
  cmd->add_option("--data", a->data, "Dataset folder or name, overriding the run's");
  cmd->callback([a] {
    train::RunConfig cfg = train::load_run_config(a->run + "/config.json");
    if (!a->data.empty()) train::set_dataset(cfg, a->data);
    train::RunData d = train::load_run_data(cfg, false);
    train::LoadedRun r = train::load_run(a->run);
    const std::string out = a->out.empty() ? a->run + "/reconstructions.png" : a->out;
    const int64_t n = std::min<int64_t>(a->n, d.test.x.dim(0));
    Tensor x;
    eval::copy_rows(d.test.x, 0, n, x);
    const Tensor& y = r.model->reconstruct(x);
    report::write_reconstructions(out, x, y);
    eval::SplitLoss l = eval::split_loss(*r.model, x, nullptr, 1000, true);
    std::printf("wrote %s (%lld test images; mean loss of these %.6f)\n", out.c_str(),
                static_cast<long long>(n), l.loss);
  });
}

}  // namespace aekit::cli
