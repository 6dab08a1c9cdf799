#include "eval/roc.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <numeric>
#include <string>

#include "tensor/error.h"

namespace aekit::eval {
namespace {

struct Counts {
  int64_t positives = 0, negatives = 0;
};

Counts check(const std::vector<double>& scores, const std::vector<int>& is_positive) {
  require(scores.size() == is_positive.size(),
          "roc: " + std::to_string(scores.size()) + " scores for " + std::to_string(is_positive.size()) + " labels");
  Counts c;
  for (size_t i = 0; i < scores.size(); ++i) {
    require(std::isfinite(scores[i]), "roc: score " + std::to_string(i) + " is not finite");
    (is_positive[i] ? c.positives : c.negatives) += 1;
  }
  require(c.positives > 0 && c.negatives > 0, "roc: needs at least one positive and one negative, got " +
                                                  std::to_string(c.positives) + " and " + std::to_string(c.negatives));
  return c;
}

// Sample indices by decreasing score.
std::vector<size_t> by_score_descending(const std::vector<double>& scores) {
  std::vector<size_t> order(scores.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return scores[a] > scores[b]; });
  return order;
}

}  // namespace

double roc_auc(const std::vector<double>& scores, const std::vector<int>& is_positive) {
  const Counts c = check(scores, is_positive);
  std::vector<size_t> order = by_score_descending(scores);
  std::reverse(order.begin(), order.end());
  // Sum of the positives' ranks (1-based, ascending score), tied groups sharing their mean rank.
  double rank_sum = 0;
  for (size_t i = 0; i < order.size();) {
    size_t j = i;
    int64_t pos = 0;
    while (j < order.size() && scores[order[j]] == scores[order[i]]) pos += is_positive[order[j++]] != 0;
    rank_sum += pos * 0.5 * static_cast<double>(i + 1 + j);  // mean of ranks i+1 .. j
    i = j;
  }
  const double p = static_cast<double>(c.positives), n = static_cast<double>(c.negatives);
  return (rank_sum - p * (p + 1) / 2) / (p * n);
}

double threshold_at_fpr(const std::vector<double>& scores, const std::vector<int>& is_positive, double fpr) {
  const Counts c = check(scores, is_positive);
  require(fpr >= 0 && fpr < 1, "roc: false-positive rate " + std::to_string(fpr) + " must be in [0, 1)");
  std::vector<double> neg;
  for (size_t i = 0; i < scores.size(); ++i)
    if (!is_positive[i]) neg.push_back(scores[i]);
  // The tolerance keeps fpr * negatives that should be an integer (0.29 * 100) from rounding down.
  const auto allowed = std::min<int64_t>(c.negatives - 1, static_cast<int64_t>(std::floor(fpr * c.negatives + 1e-9)));
  std::nth_element(neg.begin(), neg.begin() + allowed, neg.end(), std::greater<double>());
  return neg[allowed];
}

std::vector<std::pair<double, double>> roc_curve(const std::vector<double>& scores,
                                                 const std::vector<int>& is_positive) {
  const Counts c = check(scores, is_positive);
  const std::vector<size_t> order = by_score_descending(scores);
  std::vector<std::pair<double, double>> curve = {{0.0, 0.0}};
  int64_t tp = 0, fp = 0;
  for (size_t i = 0; i < order.size();) {
    const double s = scores[order[i]];
    for (; i < order.size() && scores[order[i]] == s; ++i) (is_positive[order[i]] ? tp : fp) += 1;
    curve.emplace_back(static_cast<double>(fp) / c.negatives, static_cast<double>(tp) / c.positives);
  }
  return curve;
}

}  // namespace aekit::eval
