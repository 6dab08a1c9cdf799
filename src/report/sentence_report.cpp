#include "report/sentence_report.h"

#include <cstdio>

#include "eval/sentences.h"
#include "io/atomic_file.h"
#include "draw/plot.h"
#include "draw/png.h"

namespace aekit::report {

std::vector<std::string> write_sentence_report(const std::string& dir, models::Autoencoder& model,
                                               const run::SentenceRun& run, const SentenceReportOptions& opt) {
  const std::vector<int64_t> rows = eval::sample_rows(run.test_ids.rows, opt.n, opt.seed);
  const eval::ReconstructionCosine r = eval::reconstruction_cosine(model, run.test_ids, run.table, rows);

  std::string csv = "test_row,cosine\n";
  char buf[512];
  for (size_t i = 0; i < rows.size(); ++i) {
    std::snprintf(buf, sizeof buf, "%lld,%.8f\n", static_cast<long long>(rows[i]), r.cosine[i]);
    csv += buf;
  }
  io::write_file_atomic(dir + "/cosine.csv", csv);

  std::snprintf(buf, sizeof buf,
                "cosine similarity of encoder(x) and encoder(autoencoder(x)) for %zu test sentences "
                "(random subset, seed %llu, of %lld):\n",
                rows.size(), static_cast<unsigned long long>(opt.seed), static_cast<long long>(run.test_ids.rows));
  std::string text = buf;
  text += "first 10:";
  for (size_t i = 0; i < rows.size() && i < 10; ++i) {
    std::snprintf(buf, sizeof buf, " %.4f", r.cosine[i]);
    text += buf;
  }
  std::snprintf(buf, sizeof buf, "\nmean %.4f  median %.4f  min %.4f  max %.4f\n", r.mean, r.median, r.min, r.max);
  text += buf;
  text += "\nreconstructions (each output step decoded to the nearest vocabulary vector by L2; PAD omitted):\n";
  const int64_t L = run.test_ids.length;
  for (int64_t i = 0; i < opt.show && i < static_cast<int64_t>(rows.size()); ++i) {
    std::snprintf(buf, sizeof buf, "[test %lld, cosine %.4f]\n", static_cast<long long>(rows[i]), r.cosine[i]);
    text += buf;
    text += "  in:  " + eval::ids_to_text(run.test_ids.row(rows[i]), L, run.vocab) + "\n";
    const std::string out = eval::ids_to_text(r.decoded.row(i), L, run.vocab);
    text += "  out: " + (out.empty() ? std::string("(every step decodes to PAD)") : out) + "\n";
  }
  io::write_file_atomic(dir + "/cosine.txt", text);
  std::fputs(text.c_str(), stdout);

  draw::PlotOptions p;
  std::snprintf(buf, sizeof buf, "cos(encoder(x), encoder(AE(x))), %zu test sentences, mean %.4f", rows.size(), r.mean);
  p.title = buf;
  p.x_label = "cosine similarity";
  p.y_label = "sentences";
  draw::write_figure(dir + "/cosine_hist.png", histogram(r.cosine, 40, p));
  return {dir + "/cosine.csv", dir + "/cosine.txt", dir + "/cosine_hist.png"};
}

}  // namespace aekit::report
