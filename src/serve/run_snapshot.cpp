#include "serve/run_snapshot.h"

#include <filesystem>

#include "io/atomic_file.h"
#include "run/loss_conventions.h"

namespace aekit::serve {

std::shared_ptr<const RunSnapshot> load_snapshot(const std::string& run_dir, const SnapshotOptions& options,
                                                 uint64_t version) {
  auto s = std::make_shared<RunSnapshot>();
  // metrics.csv first: the weights read after it are at least as new as the rows it lists.
  const std::string metrics = run_dir + "/metrics.csv";
  if (std::filesystem::exists(metrics)) s->metrics_csv = io::read_file(metrics);
  for (char c : s->metrics_csv) s->epochs += c == '\n';
  if (s->epochs > 0) --s->epochs;  // the header line
  s->pool = std::make_unique<ModelPool>(run_dir, options.model_copies, options.precision);
  {
    ModelPool::Lease lease = s->pool->acquire();
    s->loss_conventions = run::loss_conventions(s->pool->config(), lease.model());
    s->points = make_explorer_points(lease.model(), s->pool->config(), options.data_override, options.explorer_points);
  }
  s->version = version;
  return s;
}

}  // namespace aekit::serve
