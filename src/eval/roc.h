// ROC analysis of anomaly scores: a higher score means "more likely positive" (an anomaly), and
// a sample is flagged when its score is strictly greater than the threshold.
//
// roc_auc is the Mann-Whitney statistic: the probability that a random positive scores above a
// random negative, ties counting one half (average ranks), so it equals the trapezoid area under
// roc_curve and all-equal scores give exactly 0.5. Every function needs at least one positive and
// one negative (is_positive[i] != 0 marks a positive) and finite scores.
#pragma once
#include <utility>
#include <vector>

namespace aekit::eval {

double roc_auc(const std::vector<double>& scores, const std::vector<int>& is_positive);

// The smallest threshold t whose false-positive rate #{negatives with score > t} / #negatives is
// <= fpr, for fpr in [0, 1). It is always a negative's score: the (floor(fpr * negatives) + 1)-th
// largest, so flagging score > t keeps at most that many negatives while flagging as many
// positives as any threshold with that false-positive rate can.
double threshold_at_fpr(const std::vector<double>& scores, const std::vector<int>& is_positive, double fpr);

// (FPR, TPR) points from (0, 0) to (1, 1), one per distinct score taken as threshold from the
// highest down (flagging score >= that value); tied scores move diagonally.
std::vector<std::pair<double, double>> roc_curve(const std::vector<double>& scores,
                                                 const std::vector<int>& is_positive);

}  // namespace aekit::eval
